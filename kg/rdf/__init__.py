"""RDF for negotiation-kg: the one mapping from the canonical graph to RDF, the OWL ontology and
SHACL shapes derived from :mod:`kg.model`, and the SPARQL engine of the query library.

- :mod:`kg.rdf.mapping`: IRIs and the property-graph-to-RDF mapping (the only place it lives);
- :mod:`kg.rdf.ontology`: OWL classes and properties, SKOS vocabularies, SHACL shapes, JSON-LD context;
- :mod:`kg.rdf.shacl`: validation of instance data with pySHACL;
- :mod:`kg.rdf.sparql`: the library on pyoxigraph or a SPARQL 1.1 endpoint, ad-hoc read-only queries, push.

See docs/rdf.md. Nothing here imports rdflib or pyoxigraph at module level.
"""
