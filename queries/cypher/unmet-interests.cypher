// name: unmet-interests
// description: Each (party, interest) of a negotiation that no provision of it serves.
// parameters: case (optional): negotiation id; all negotiations when absent
// columns: negotiation, party, interest, interest_name, category, salience

MATCH (p:Party)-[h:HAS_INTEREST]->(i:Interest)
WHERE coalesce($case, i.negotiation) = i.negotiation
  AND NOT EXISTS { MATCH (:Provision)-[:SERVES]->(i) }
RETURN i.negotiation AS negotiation, p.id AS party, i.id AS interest, i.name AS interest_name,
       i.category AS category, h.salience AS salience
