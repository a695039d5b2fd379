// WiBA (basic-protection progress): the catalogue's topics and questions,
// a municipality's answers (one node per municipality and question, keyed
// by both), their history, and one log node per municipality that numbers
// its changes and serialises writes to them.
CREATE CONSTRAINT wiba_catalogue_key IF NOT EXISTS FOR (c:WibaCatalogue) REQUIRE c.key IS UNIQUE;
CREATE CONSTRAINT wiba_topic_id IF NOT EXISTS FOR (t:WibaTopic) REQUIRE t.id IS UNIQUE;
CREATE CONSTRAINT wiba_question_id IF NOT EXISTS FOR (q:WibaQuestion) REQUIRE q.id IS UNIQUE;
CREATE CONSTRAINT wiba_answer_key IF NOT EXISTS FOR (a:WibaAnswer) REQUIRE (a.ags, a.questionId) IS UNIQUE;
CREATE CONSTRAINT wiba_change_id IF NOT EXISTS FOR (c:WibaChange) REQUIRE c.id IS UNIQUE;
CREATE CONSTRAINT wiba_log_ags IF NOT EXISTS FOR (l:WibaLog) REQUIRE l.ags IS UNIQUE;
CREATE INDEX wiba_change_ags_seq IF NOT EXISTS FOR (c:WibaChange) ON (c.ags, c.seq);
