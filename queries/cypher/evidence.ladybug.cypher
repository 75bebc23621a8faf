// name: evidence
// description: The sources behind every claim about one node: the node itself, and claims linking it to others.
// parameters: id (required): id of a node: a provision, position, interest, party, ...
// columns: claim, subject, object, source, source_title, locator
//
// LadybugDB variant of evidence.cypher: LadybugDB names a node's label label(n) and a relationship's type
// label(r), where Neo4j has labels(n) and type(r), and a null column of a UNION needs a type (CAST).
// Keep the two texts in step; tests run both.
// Claims: the node's own citations (CITES, object null), then every relationship that carries evidence
// (source_ids / locators), leaving the node and entering it.

MATCH (n)-[c:CITES]->(s:Source)
WHERE n.id = $id
UNWIND c.locators AS locator
RETURN label(n) AS claim, n.id AS subject, CAST(NULL AS STRING) AS object, s.id AS source, s.name AS source_title, locator
UNION ALL
MATCH (n)-[r:PARTICIPATED_IN|HAS_INTEREST|SERVES|TRADED_FOR|FUNDS|FOLLOWS|CONTINUES]->(m)
WHERE n.id = $id
UNWIND range(1, coalesce(size(r.source_ids), 0)) AS k
MATCH (s:Source)
WHERE s.id = r.source_ids[-k]
RETURN label(r) AS claim, n.id AS subject, m.id AS object, s.id AS source, s.name AS source_title,
       r.locators[-k] AS locator
UNION ALL
MATCH (m)-[r:PARTICIPATED_IN|HAS_INTEREST|SERVES|TRADED_FOR|FUNDS|FOLLOWS|CONTINUES]->(n)
WHERE n.id = $id
UNWIND range(1, coalesce(size(r.source_ids), 0)) AS k
MATCH (s:Source)
WHERE s.id = r.source_ids[-k]
RETURN label(r) AS claim, m.id AS subject, n.id AS object, s.id AS source, s.name AS source_title,
       r.locators[-k] AS locator
