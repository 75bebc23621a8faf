"""Cypher: the property-graph mapping, the embedded engine (LadybugDB), Neo4j, and read-only gates.

- :mod:`kg.cypher.mapping`: labels, relationship types and properties, derived from :mod:`kg.model`;
- :mod:`kg.cypher.embedded`: the graph in a read-only LadybugDB database, no server;
- :mod:`kg.cypher.neo4jdb`: Neo4j settings, the batched idempotent loader, read-only queries;
- :mod:`kg.cypher.readonly`: the keyword gate every statement passes before it runs;
- :mod:`kg.cypher.engine`: ``run`` (``kg.api.ENGINES["cypher"]``) and ``adhoc``.

Nothing here imports ``ladybug`` or ``neo4j`` at module level. See docs/cypher.md.
"""
