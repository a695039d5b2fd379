// Advisory matching speed: a declared product hangs on its match keys by
// :DECLARED_KEY (an affected product by :KEYED), so that matching from a
// popular key expands only the products of the other kind (Neo4j groups a
// dense node's relationships by type).
MATCH (mp:MunicipalityProduct)-[r:KEYED]->(k:ProductKey)
CREATE (mp)-[:DECLARED_KEY]->(k)
DELETE r;
