// name: mechanism-mix
// description: Per negotiation and mechanism: how many provisions use it, and how many of those create value.
// parameters: case (optional): negotiation id; all negotiations when absent
// columns: negotiation, mechanism, family, integrative, provisions, value_creating
//
// The value-creating test (kg.analysis.is_value_creating), the same in every question that needs it: a
// provision's unit is its package (provisions linked by TRADED_FOR, either way; *0.. includes itself) and
// is value-creating when it uses an integrative mechanism and serves, at strength partial or full, interests
// of two or more principals of its negotiation. The package is named by the unit's smallest provision id.
// The one variable-length match comes first, straight after the provisions are chosen: LadybugDB runs a
// variable-length match that follows a WITH from every node of the label, not from the ones chosen.

MATCH (pr:Provision)
WHERE coalesce($case, pr.negotiation) = pr.negotiation
MATCH (pr)-[:TRADED_FOR*0..30]-(u:Provision)
WITH pr, collect(DISTINCT u.id) AS unit, min(u.id) AS first
UNWIND unit AS uid
MATCH (u:Provision {id: uid})-[:USES_MECHANISM]->(m:Mechanism)
WITH pr, unit, first, collect(DISTINCT m.family) AS families
UNWIND unit AS uid
OPTIONAL MATCH (u:Provision {id: uid})-[s:SERVES]->(:Interest)<-[:HAS_INTEREST]-(p:Party)-[r:PARTICIPATED_IN]->(n:Negotiation)
WHERE s.strength IN ['partial', 'full'] AND r.role = 'principal' AND n.id = pr.negotiation
WITH pr, CASE WHEN size(unit) > 1 THEN first END AS package, families, collect(DISTINCT p.id) AS package_parties
WITH pr, 'integrative' IN families AND size(package_parties) >= 2 AS creates_value
MATCH (pr)-[:USES_MECHANISM]->(m:Mechanism)
WITH pr.negotiation AS negotiation, m, count(pr) AS provisions, count(CASE WHEN creates_value THEN 1 END) AS value_creating
RETURN negotiation, m.id AS mechanism, m.family AS family, m.integrative AS integrative, provisions, value_creating
