// name: interest-lineage
// description: Interests carried from one negotiation to the next (CONTINUES): each step, and where the concern was first met.
// parameters: of (optional): interest id ('case/slug') whose lineage to show; all lineages when absent, party (optional): party id: lineages in which it holds an interest; all when absent
// columns: lineage, negotiation, start_date, interest, interest_name, category, parties[], best_strength, first_served_in, first_served_strength
//
// A lineage is the set of interests linked by CONTINUES (either way; *0.. includes the interest itself),
// named by its earliest member ("start_date|id", compared as text). first_served_*: the earliest member
// served at strength partial or full. Lists are indexed from the end ([-1]) so the text runs on both engines.

MATCH (j:Interest)-[:CONTINUES]-(:Interest)
WITH DISTINCT j
MATCH (j)-[:CONTINUES*0..30]-(c:Interest)
MATCH (cn:Negotiation)
WHERE cn.id = c.negotiation
OPTIONAL MATCH (c)<-[:HAS_INTEREST]-(ch:Party)
OPTIONAL MATCH (c)<-[cs:SERVES]-(:Provision)
WITH j, c, cn, collect(DISTINCT ch.id) AS holders, collect(cs.strength) AS strengths
WITH j, c, cn, holders,
     CASE WHEN 'full' IN strengths THEN 'full' WHEN 'partial' IN strengths THEN 'partial' END AS met
WITH j, collect(DISTINCT c.id) AS members, min(cn.start_date + '|' + c.id) AS first_key,
     min(CASE WHEN met IS NOT NULL THEN cn.start_date + '|' + c.id + '|' + met END) AS served_key,
     sum(CASE WHEN coalesce($party, '') IN holders THEN 1 ELSE 0 END) AS party_hits
WHERE (coalesce($of, '') = '' OR coalesce($of, '') IN members) AND (coalesce($party, '') = '' OR party_hits > 0)
MATCH (n:Negotiation)
WHERE n.id = j.negotiation
OPTIONAL MATCH (j)<-[:HAS_INTEREST]-(h:Party)
OPTIONAL MATCH (j)<-[s:SERVES]-(:Provision)
WITH j, n, first_key, served_key, collect(DISTINCT h.id) AS parties, collect(s.strength) AS strengths
RETURN split(first_key, '|')[-1] AS lineage, j.negotiation AS negotiation, n.start_date AS start_date, j.id AS interest,
       j.name AS interest_name, j.category AS category, parties,
       CASE WHEN 'full' IN strengths THEN 'full' WHEN 'partial' IN strengths THEN 'partial'
            WHEN 'nominal' IN strengths THEN 'nominal' ELSE 'none' END AS best_strength,
       split(split(served_key, '|')[-2], '/')[-2] AS first_served_in, split(served_key, '|')[-1] AS first_served_strength
