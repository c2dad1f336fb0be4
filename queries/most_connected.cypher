// The most connected actors, by the number of relations they take part in.
MATCH (n)-[r]-()
RETURN n.name AS actor, labels(n)[0] AS kind, count(r) AS relations, count(DISTINCT type(r)) AS types
ORDER BY relations DESC, actor
LIMIT 6
