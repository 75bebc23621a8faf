// name: trades
// description: Provisions conceded in exchange for one another (TRADED_FOR), with the evidence.
// parameters: case (optional): negotiation id; all negotiations when absent
// columns: negotiation, provision, provision_name, traded_for, traded_for_name, sources[]
//
// `sources` zips the relationship's source_ids and locators as in interest-provision-links.

MATCH (a:Provision)-[t:TRADED_FOR]->(b:Provision)
WHERE coalesce($case, a.negotiation) = a.negotiation
UNWIND range(1, size(t.source_ids)) AS k
WITH a, b, collect(t.source_ids[-k] + ' @ ' + t.locators[-k]) AS sources
RETURN a.negotiation AS negotiation, a.id AS provision, a.name AS provision_name, b.id AS traded_for,
       b.name AS traded_for_name, sources
