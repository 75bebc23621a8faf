// name: trades
// description: Provisions conceded in exchange for one another (TRADED_FOR), with their package and the evidence.
// parameters: case (optional): negotiation id; all negotiations when absent
// columns: negotiation, provision, provision_name, traded_for, traded_for_name, package, sources[]
//
// package: the smallest provision id among those linked to the pair by TRADED_FOR, either way.

MATCH (a:Provision)-[t:TRADED_FOR]->(b:Provision)
WHERE coalesce($case, a.negotiation) = a.negotiation
MATCH (a)-[:TRADED_FOR*0..30]-(u:Provision)
WITH a, b, t, min(u.id) AS package
UNWIND range(1, coalesce(size(t.source_ids), 0)) AS k
WITH a, b, package, collect(t.source_ids[-k] + ' @ ' + t.locators[-k]) AS sources
RETURN a.negotiation AS negotiation, a.id AS provision, a.name AS provision_name, b.id AS traded_for,
       b.name AS traded_for_name, package, sources
