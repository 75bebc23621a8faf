// name: interest-provision-links
// description: The headline: each interest that a value-creating provision serves, with who holds it and why we know.
// parameters: case (optional): negotiation id; all negotiations when absent
// columns: negotiation, interest, interest_name, category, parties[], shared, provision, provision_name, locator, mechanisms[], sources[]
//
// `sources` are the citations of the SERVES claim as "source-id @ locator": the relationship's parallel lists
// source_ids and locators, zipped by walking k = 1..size from the end (list[-k]), which means the same
// in Neo4j (lists count from 0) and LadybugDB (lists count from 1).

MATCH (pr:Provision)-[:SERVES]->(:Interest)<-[:HAS_INTEREST]-(p:Party)
WHERE coalesce($case, pr.negotiation) = pr.negotiation
WITH pr, count(DISTINCT p.id) AS holders
WHERE holders >= 2
MATCH (pr)-[s:SERVES]->(i:Interest)
OPTIONAL MATCH (i)<-[:HAS_INTEREST]-(h:Party)
WITH pr, s, i, collect(DISTINCT h.id) AS parties
UNWIND range(1, size(s.source_ids)) AS k
WITH pr, i, parties, collect(s.source_ids[-k] + ' @ ' + s.locators[-k]) AS sources
OPTIONAL MATCH (pr)-[:USES_MECHANISM]->(m:Mechanism)
WITH pr, i, parties, sources, collect(DISTINCT m.id) AS mechanisms
RETURN pr.negotiation AS negotiation, i.id AS interest, i.name AS interest_name, i.category AS category, parties,
       size(parties) >= 2 AS shared, pr.id AS provision, pr.name AS provision_name, pr.locator AS locator,
       mechanisms, sources
