// name: contributions
// description: Who paid for or underwrote which provision (FUNDS): amount, currency and year where sourced, and what it served.
// parameters: case (optional): negotiation id; all negotiations when absent
// columns: negotiation, funder, funder_role, provision, provision_name, locator, amount, currency, year, interests[], parties[], sources[]
//
// interests: what the funded provision serves at strength partial or full; parties: their holders.

MATCH (f:Party)-[e:FUNDS]->(pr:Provision)
WHERE coalesce($case, pr.negotiation) = pr.negotiation
OPTIONAL MATCH (f)-[r:PARTICIPATED_IN]->(n:Negotiation)
WHERE n.id = pr.negotiation
OPTIONAL MATCH (pr)-[s:SERVES]->(i:Interest)
WHERE s.strength IN ['partial', 'full']
OPTIONAL MATCH (i)<-[:HAS_INTEREST]-(h:Party)
WITH f, e, pr, r.role AS funder_role, collect(DISTINCT i.id) AS interests, collect(DISTINCT h.id) AS parties
UNWIND range(1, coalesce(size(e.source_ids), 0)) AS k
WITH f, e, pr, funder_role, interests, parties, collect(e.source_ids[-k] + ' @ ' + e.locators[-k]) AS sources
RETURN pr.negotiation AS negotiation, f.id AS funder, funder_role, pr.id AS provision, pr.name AS provision_name,
       pr.locator AS locator, e.amount AS amount, e.currency AS currency, e.year AS year, interests, parties, sources
