// Each multi-party event, where and when it was held, and who took part.
MATCH (e:event)-[held:held_in]->(place)
MATCH (participant)-[:participated_in]->(e)
RETURN e.name AS event, place.name AS held_in, held.date AS date, collect(participant.name) AS participants
ORDER BY date, event
