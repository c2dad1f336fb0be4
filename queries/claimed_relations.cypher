// What rests on a claim rather than a report, and who claims it.
MATCH (a)-[r]->(b)
WHERE r.status IN ['claimed', 'unconfirmed', 'denied']
RETURN a.name AS from, type(r) AS relation, b.name AS to, r.date AS date, r.status AS status, r.claimed_by AS claimed_by
ORDER BY date, from, relation, to
