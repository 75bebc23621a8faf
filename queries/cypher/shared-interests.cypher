// name: shared-interests
// description: Interests held by two or more parties of the same negotiation.
// parameters: case (optional): negotiation id; all negotiations when absent
// columns: negotiation, interest, interest_name, category, parties[]
//
// Runs unchanged on Neo4j and on the embedded engine (LadybugDB). An absent optional parameter is null:
// `coalesce($case, x) = x` keeps every row then. See docs/cypher.md.

MATCH (p:Party)-[:HAS_INTEREST]->(i:Interest)
WHERE coalesce($case, i.negotiation) = i.negotiation
WITH i, collect(DISTINCT p.id) AS parties
WHERE size(parties) >= 2
RETURN i.negotiation AS negotiation, i.id AS interest, i.name AS interest_name, i.category AS category, parties
