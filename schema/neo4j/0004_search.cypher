// Discovery search over Neo4j: one full-text index (German analyzer) over
// the search properties the store keeps on every searchable node, and the
// outbox that feeds Meilisearch when it is configured.
CREATE FULLTEXT INDEX search IF NOT EXISTS
  FOR (n:Event|Contact|Organization|Municipality|Region|Measure|Offer)
  ON EACH [n.search_title, n.search_keywords, n.search_text]
  OPTIONS {indexConfig: {`fulltext.analyzer`: 'german'}};
CREATE POINT INDEX search_location IF NOT EXISTS FOR (m:Municipality) ON (m.search_location);
CREATE CONSTRAINT search_outbox_seq IF NOT EXISTS FOR (o:SearchOutbox) REQUIRE o.seq IS UNIQUE;
