// Who phoned whom, and when, with how sure the report is.
MATCH (caller)-[call:phoned]->(callee)
RETURN caller.name AS caller, callee.name AS callee, call.date AS date, call.status AS status, call.claimed_by AS claimed_by
ORDER BY date, caller
