// name: positions-and-interests
// description: Each party's positions, set against the interests they reflect.
// parameters: case (optional): negotiation id; all negotiations when absent, party (optional): party id; all parties when absent
// columns: negotiation, party, position, statement, issue, interests[]

MATCH (pos:Position)
WHERE coalesce($case, pos.negotiation) = pos.negotiation
  AND coalesce($party, pos.party) = pos.party
OPTIONAL MATCH (pos)-[:REFLECTS]->(i:Interest)
WITH pos, collect(DISTINCT i.id) AS interests
RETURN pos.negotiation AS negotiation, pos.party AS party, pos.id AS position, pos.name AS statement,
       pos.issue AS issue, interests
