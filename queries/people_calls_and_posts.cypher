// Each person: how many calls they are party to and the organisation they head, if any.
// OPTIONAL MATCH keeps the people with no calls and no post; WITH counts the calls
// before the next clause looks for a post.
MATCH (p:person)
OPTIONAL MATCH (p)-[c:phoned]-()
WITH p, count(c) AS calls
OPTIONAL MATCH (p)-[:heads]->(o)
RETURN p.name AS person, calls, o.name AS heads
ORDER BY calls DESC, person
