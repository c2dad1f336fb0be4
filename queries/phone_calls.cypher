// Who spoke by phone with whom, and when, with how sure the report is. The article
// never says who placed a call, so `phoned` is symmetric and each call is listed once,
// its two sides in name order: no caller is implied.
MATCH (a)-[call:phoned]-(b)
WHERE a.name < b.name
RETURN a.name AS side, b.name AS other_side, call.date AS date, call.status AS status, call.claimed_by AS claimed_by
ORDER BY date, side
