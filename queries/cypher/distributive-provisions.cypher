// name: distributive-provisions
// description: Provisions that claim value: every mechanism is compromise or concession, and no value-creating package holds them.
// parameters: case (optional): negotiation id; all negotiations when absent
// columns: negotiation, agreement, provision, provision_name, locator, mechanisms[], package, interests[], parties[]
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
WHERE NOT ('integrative' IN families AND size(package_parties) >= 2)
MATCH (pr)-[:USES_MECHANISM]->(own:Mechanism)
WITH pr, package, collect(DISTINCT own.id) AS mechanisms, collect(DISTINCT own.family) AS own_families
WHERE all(f IN own_families WHERE f = 'distributive')
OPTIONAL MATCH (pr)-[s:SERVES]->(i:Interest)
WHERE s.strength IN ['partial', 'full']
OPTIONAL MATCH (i)<-[:HAS_INTEREST]-(p:Party)-[r:PARTICIPATED_IN]->(n:Negotiation)
WHERE r.role = 'principal' AND n.id = pr.negotiation
WITH pr, mechanisms, package, collect(DISTINCT i.id) AS interests, collect(DISTINCT p.id) AS parties
RETURN pr.negotiation AS negotiation, pr.agreement AS agreement, pr.id AS provision, pr.name AS provision_name,
       pr.locator AS locator, mechanisms, package, interests, parties
