// The actors a list names, each with its kind and how many relations it has; a name
// that is no actor's gives no row. Another list: --param 'names=["Putin", "CIA"]'.
// --param names=["Naryshkin", "Ratcliffe", "SVR", "Nobody"]
UNWIND $names AS name
MATCH (n {name: name})-[r]-()
RETURN n.name AS actor, n.kind AS kind, count(r) AS relations
ORDER BY relations DESC, actor
