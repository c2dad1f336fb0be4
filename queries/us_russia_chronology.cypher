// The chronology of US-Russia contacts: anyone on the US side (the country, or
// whoever serves, heads or is part of it within two steps) and anyone on the
// Russian side, joined by a contact (a call, a meeting, an exchange, an agreement),
// not by words about the other side.
MATCH (us:country {name: 'United States'}), (ru:country {name: 'Russia'})
MATCH (a)-[:president_of|serves|heads|part_of*0..2]->(us)
MATCH (b)-[:president_of|serves|heads|part_of*0..2]->(ru)
MATCH (a)-[r:phoned|met|contacted|agreed]-(b)
WHERE r.date IS NOT NULL
RETURN DISTINCT r.date AS date, a.name AS us_side, type(r) AS contact, b.name AS russian_side, r.status AS status
ORDER BY date, us_side, contact
