// Every shortest connection between the two spy chiefs' presidents' sides:
// all the shortest paths from Ratcliffe to Putin.
MATCH p = allShortestPaths((a:person {name: 'Ratcliffe'})-[*]-(b:person {name: 'Putin'}))
RETURN length(p) AS hops, p AS path
ORDER BY path
