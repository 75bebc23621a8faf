// name: interest-lineage
// description: Interests carried from one negotiation to the next (CONTINUES): each step, and where the concern was first met.
// parameters: of (optional): interest id ('case/slug') whose lineage to show; all lineages when absent, party (optional): party id: lineages in which it holds an interest; all when absent
// columns: lineage, start_date, negotiation, interest, interest_name, category, parties[], best_strength, first_served_in, first_served_strength
//
// A lineage starts at a root (an interest that others continue and that continues none) and holds every
// interest that continues it, directly or not (*0.. includes the root). first_served_*: the earliest member
// ("start_date|id", compared as text) served at strength partial or full. Lists are indexed from the end
// ([-1]) so the text runs on both engines.

MATCH (r:Interest)
WHERE NOT EXISTS { MATCH (r)-[:CONTINUES]->(:Interest) } AND EXISTS { MATCH (r)<-[:CONTINUES]-(:Interest) }
MATCH (c:Interest)-[:CONTINUES*0..30]->(r)
MATCH (cn:Negotiation)
WHERE cn.id = c.negotiation
OPTIONAL MATCH (c)<-[:HAS_INTEREST]-(ch:Party)
OPTIONAL MATCH (c)<-[cs:SERVES]-(:Provision)
WITH r, c, cn, collect(DISTINCT ch.id) AS holders, collect(cs.strength) AS strengths
WITH r, c, cn, holders,
     CASE WHEN 'full' IN strengths THEN 'full' WHEN 'partial' IN strengths THEN 'partial' END AS met
WITH r, collect(DISTINCT c.id) AS members,
     min(CASE WHEN met IS NOT NULL THEN cn.start_date + '|' + c.id + '|' + met END) AS served_key,
     sum(CASE WHEN coalesce($party, '') IN holders THEN 1 ELSE 0 END) AS party_hits
WHERE (coalesce($of, '') = '' OR coalesce($of, '') IN members) AND (coalesce($party, '') = '' OR party_hits > 0)
MATCH (j:Interest)
WHERE j.id IN members
MATCH (n:Negotiation)
WHERE n.id = j.negotiation
OPTIONAL MATCH (j)<-[:HAS_INTEREST]-(h:Party)
OPTIONAL MATCH (j)<-[s:SERVES]-(:Provision)
WITH r, j, n, served_key, collect(DISTINCT h.id) AS parties, collect(s.strength) AS strengths
RETURN r.id AS lineage, n.start_date AS start_date, j.negotiation AS negotiation, j.id AS interest,
       j.name AS interest_name, j.category AS category, parties,
       CASE WHEN 'full' IN strengths THEN 'full' WHEN 'partial' IN strengths THEN 'partial'
            WHEN 'nominal' IN strengths THEN 'nominal' ELSE 'none' END AS best_strength,
       split(split(served_key, '|')[-2], '/')[-2] AS first_served_in, split(served_key, '|')[-1] AS first_served_strength
