// name: precedents
// description: Precedents: provisions whose package served in substance a principal's interest of a category (and another's).
// parameters: category (required): interest category of one principal, other (optional): interest category of a different principal; any configuration when absent, domain (optional): only negotiations of this domain, mechanism (optional): only provisions using this mechanism, since (optional): only negotiations that began in or after this year (YYYY), until (optional): only negotiations that began in or before this year (YYYY), exclude (optional): leave out this negotiation (look for precedents elsewhere)
// columns: negotiation, start_date, domain, provision, provision_name, locator, mechanisms[], package, value_creating, interests[], parties[], strength, sources[]
//
// The candidates: every provision (filtered by negotiation, domain, start year and mechanism) whose unit (its
// package, *0.. including itself) serves at strength partial or full an interest of `category` held by a
// principal and, when `other` is given, one of `other` held by a different principal. value_creating is the
// usual test (an integrative mechanism in the unit, two or more principals served in substance). The start-year
// bounds compare text: "1952-05" < "1952~" because "-" sorts before "~". kg.integrative ranks the rows.
// The one variable-length match comes first (see value-creating-provisions.cypher); the unit is then walked
// by id.

MATCH (n:Negotiation), (pr:Provision)
WHERE n.id = pr.negotiation
  AND (coalesce($exclude, '') = '' OR n.id <> $exclude)
  AND (coalesce($domain, '') = '' OR n.domain = $domain)
  AND (coalesce($since, '') = '' OR n.start_date >= $since)
  AND (coalesce($until, '') = '' OR n.start_date < $until + '~')
MATCH (pr)-[:TRADED_FOR*0..30]-(u:Provision)
WITH pr, n, collect(DISTINCT u.id) AS unit, min(u.id) AS first
OPTIONAL MATCH (pr)-[:USES_MECHANISM]->(own:Mechanism)
WITH pr, n, unit, first, collect(DISTINCT own.id) AS mechanisms
WHERE coalesce($mechanism, '') = '' OR $mechanism IN mechanisms
UNWIND unit AS uid
MATCH (u:Provision {id: uid})-[:USES_MECHANISM]->(m:Mechanism)
WITH pr, n, unit, first, mechanisms, collect(DISTINCT m.family) AS families
UNWIND unit AS uid
OPTIONAL MATCH (u:Provision {id: uid})-[s:SERVES]->(:Interest)<-[:HAS_INTEREST]-(p:Party)-[r:PARTICIPATED_IN]->(n)
WHERE s.strength IN ['partial', 'full'] AND r.role = 'principal'
WITH pr, n, unit, first, mechanisms, families, count(DISTINCT p) AS served
WITH pr, n, unit, mechanisms, CASE WHEN size(unit) > 1 THEN first END AS package,
     'integrative' IN families AND served >= 2 AS value_creating
UNWIND unit AS uid
MATCH (u:Provision {id: uid})-[s:SERVES]->(i:Interest)<-[:HAS_INTEREST]-(p:Party)-[r:PARTICIPATED_IN]->(n)
WHERE s.strength IN ['partial', 'full'] AND r.role = 'principal' AND i.category IN [$category, coalesce($other, $category)]
UNWIND range(1, coalesce(size(s.source_ids), 0)) AS k
WITH pr, n, mechanisms, package, value_creating,
     collect(DISTINCT CASE WHEN i.category = $category THEN p.id END) AS a,
     collect(DISTINCT CASE WHEN i.category = coalesce($other, $category) THEN p.id END) AS b,
     collect(DISTINCT i.id) AS interests, collect(DISTINCT p.id) AS parties, collect(DISTINCT s.strength) AS strengths,
     collect(DISTINCT s.source_ids[-k] + ' @ ' + s.locators[-k]) AS sources
WHERE size(a) > 0 AND (coalesce($other, '') = '' OR (size(b) > 0 AND (size(a) > 1 OR size(b) > 1 OR a <> b)))
RETURN n.id AS negotiation, n.start_date AS start_date, n.domain AS domain, pr.id AS provision, pr.name AS provision_name,
       pr.locator AS locator, mechanisms, package, value_creating, interests, parties,
       CASE WHEN 'partial' IN strengths THEN 'partial' ELSE 'full' END AS strength, sources
