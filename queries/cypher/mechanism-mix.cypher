// name: mechanism-mix
// description: Per negotiation and mechanism: how many provisions use it, and how many of those create value.
// parameters: case (optional): negotiation id; all negotiations when absent
// columns: negotiation, mechanism, integrative, provisions, value_creating
//
// count(CASE ... END) rather than sum(): both engines return an integer for it.

MATCH (pr:Provision)-[:USES_MECHANISM]->(m:Mechanism)
WHERE coalesce($case, pr.negotiation) = pr.negotiation
OPTIONAL MATCH (pr)-[:SERVES]->(:Interest)<-[:HAS_INTEREST]-(p:Party)
WITH pr, m, count(DISTINCT p.id) >= 2 AS creates_value
WITH pr.negotiation AS negotiation, m, count(pr) AS provisions, count(CASE WHEN creates_value THEN 1 END) AS value_creating
RETURN negotiation, m.id AS mechanism, m.integrative AS integrative, provisions, value_creating
