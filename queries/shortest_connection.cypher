// The shortest connection between two actors, in either direction.
// --param from=Naryshkin
// --param to=Putin
MATCH p = shortestPath((a {name: $from})-[*..6]-(b {name: $to}))
RETURN length(p) AS hops, p AS path
