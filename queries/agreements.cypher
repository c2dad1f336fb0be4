// Every agreement to cooperate, whatever the article's verb ("agreed", "pledged"),
// with who claims it.
MATCH (a)-[r:agreed]-(b)
WHERE a.name < b.name
RETURN r.date AS date, a.name AS side, b.name AS other_side, r.verb AS verb, r.topic AS topic, r.status AS status
ORDER BY date, side
