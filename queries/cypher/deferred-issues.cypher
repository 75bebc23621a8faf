// name: deferred-issues
// description: Issues a provision deferred (deferral mechanism), with where they were sent and the negotiations that followed.
// parameters: case (optional): negotiation id; all negotiations when absent
// columns: negotiation, issue, issue_name, provision, provision_name, locator, deferred_to, followed_by[]
//
// One row per (deferring provision, issue it addresses); issue is null for a deferral that names none.

MATCH (pr:Provision)-[:USES_MECHANISM]->(m:Mechanism)
WHERE coalesce($case, pr.negotiation) = pr.negotiation AND m.id = 'deferral'
OPTIONAL MATCH (pr)-[:ADDRESSES]->(iss:Issue)
OPTIONAL MATCH (later:Negotiation)-[:FOLLOWS]->(n:Negotiation)
WHERE n.id = pr.negotiation
WITH pr, iss, collect(DISTINCT later.id) AS followed_by
RETURN pr.negotiation AS negotiation, iss.id AS issue, iss.name AS issue_name, pr.id AS provision,
       pr.name AS provision_name, pr.locator AS locator, pr.deferred_to AS deferred_to, followed_by
