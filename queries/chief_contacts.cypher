// Every contact of an intelligence chief: people who head an organisation, and
// everything else they are linked to.
MATCH (chief:person)-[:heads]->(agency:organization)
MATCH (chief)-[r]-(other)
WHERE type(r) <> 'heads'
RETURN chief.name AS chief, agency.name AS agency, type(r) AS relation, other.name AS other, r.date AS date, r.status AS status
ORDER BY chief, date, relation
