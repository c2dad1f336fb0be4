// Each multi-party event, where and when it was held, and who took part.
MATCH (e:event)-[:held_in]->(place)
MATCH (participant)-[:participated_in]->(e)
RETURN e.name AS event, place.name AS held_in, e.date AS date, count(participant) AS participants
ORDER BY event
