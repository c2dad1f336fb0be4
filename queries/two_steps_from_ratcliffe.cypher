// Who is two steps from Ratcliffe without a direct link to him.
MATCH (r:person {name: 'Ratcliffe'})-[*2]-(x)
WHERE NOT (r)--(x) AND x <> r
RETURN DISTINCT x.name AS actor, labels(x) AS kind
ORDER BY actor
