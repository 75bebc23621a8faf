// name: party-profile
// description: One party across negotiations: its role and each interest it held (interest null if none recorded).
// parameters: party (required): party id, case (optional): negotiation id; all negotiations when absent
// columns: negotiation, domain, role, interest, interest_name, category, salience

MATCH (p:Party)-[part:PARTICIPATED_IN]->(n:Negotiation)
WHERE p.id = $party AND coalesce($case, n.id) = n.id
OPTIONAL MATCH (p)-[h:HAS_INTEREST]->(i:Interest)
WHERE i.negotiation = n.id
RETURN n.id AS negotiation, n.domain AS domain, part.role AS role, i.id AS interest, i.name AS interest_name,
       i.category AS category, h.salience AS salience
