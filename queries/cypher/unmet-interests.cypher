// name: unmet-interests
// description: Interests of principals and affected parties that no provision serves at strength partial or full.
// parameters: case (optional): negotiation id; all negotiations when absent
// columns: negotiation, party, role, interest, interest_name, category, salience, best_strength
//
// best_strength: the most any provision gave the interest (none or nominal). Roles counted: principal and
// affected (kg.model.UNMET_ROLES).

MATCH (p:Party)-[h:HAS_INTEREST]->(i:Interest)
WHERE coalesce($case, i.negotiation) = i.negotiation
MATCH (p)-[r:PARTICIPATED_IN]->(n:Negotiation)
WHERE n.id = i.negotiation AND r.role IN ['principal', 'affected']
OPTIONAL MATCH (:Provision)-[s:SERVES]->(i)
WITH p, h, i, r, collect(s.strength) AS strengths
WHERE NOT ('partial' IN strengths OR 'full' IN strengths)
RETURN i.negotiation AS negotiation, p.id AS party, r.role AS role, i.id AS interest, i.name AS interest_name,
       i.category AS category, h.salience AS salience,
       CASE WHEN 'nominal' IN strengths THEN 'nominal' ELSE 'none' END AS best_strength
