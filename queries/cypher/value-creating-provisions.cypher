// name: value-creating-provisions
// description: Provisions serving interests of two or more parties, with their mechanisms.
// parameters: case (optional): negotiation id; all negotiations when absent
// columns: negotiation, agreement, provision, provision_name, locator, mechanisms[], interests[], parties[]
//
// Value-creating: the interests the provision serves are held, together, by two or more distinct parties.

MATCH (pr:Provision)-[:SERVES]->(i:Interest)
WHERE coalesce($case, pr.negotiation) = pr.negotiation
OPTIONAL MATCH (i)<-[:HAS_INTEREST]-(p:Party)
WITH pr, collect(DISTINCT i.id) AS interests, collect(DISTINCT p.id) AS parties
WHERE size(parties) >= 2
OPTIONAL MATCH (pr)-[:USES_MECHANISM]->(m:Mechanism)
WITH pr, interests, parties, collect(DISTINCT m.id) AS mechanisms
RETURN pr.negotiation AS negotiation, pr.agreement AS agreement, pr.id AS provision, pr.name AS provision_name,
       pr.locator AS locator, mechanisms, interests, parties
