// Who brokers the contacts: each person's betweenness over the whole graph, their
// degree among calls, meetings and agreements alone (null: no such contact), and the
// community Louvain puts them in.
MATCH (p:person)
RETURN p.name AS person,
       round(kg.betweenness(p) * 1000) / 1000 AS brokering,
       round(kg.degree(p, {types: ['phoned', 'met', 'agreed', 'contacted']}) * 1000) / 1000 AS among_contacts,
       kg.community(p, {seed: 0}) AS community
ORDER BY brokering DESC, person
