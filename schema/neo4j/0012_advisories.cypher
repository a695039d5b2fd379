// Advisories (KWID): CSAF advisories keyed by publisher namespace and
// tracking ID, their affected products, the products municipalities
// declare, and the match keys both kinds of product hang on
// ("name:vendor/product", "cpe:part:vendor:product", "purl:pkg:type/ns/name").
CREATE CONSTRAINT advisory_key IF NOT EXISTS FOR (a:Advisory) REQUIRE a.key IS UNIQUE;
CREATE CONSTRAINT product_key_key IF NOT EXISTS FOR (k:ProductKey) REQUIRE k.key IS UNIQUE;
CREATE CONSTRAINT municipality_product_id IF NOT EXISTS FOR (p:MunicipalityProduct) REQUIRE p.id IS UNIQUE;
CREATE INDEX advisory_tracking_id IF NOT EXISTS FOR (a:Advisory) ON (a.trackingId);
CREATE INDEX advisory_updated_at IF NOT EXISTS FOR (a:Advisory) ON (a.updatedAt);
