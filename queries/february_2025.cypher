// Everything that happened in February 2025: a relation's date range overlaps
// the month, the rule of every date window in kg.
MATCH (a)-[r]->(b)
WHERE r.date >= date('2025-02-01') AND r.date <= date('2025-02-28')
RETURN r.date AS date, a.name AS from, type(r) AS relation, b.name AS to
ORDER BY date, from, relation, to
