// GraphQL over HTTP: the audit of the reference implementation
// (graphql-http, pinned) against the real /graphql. Every MUST has to
// pass, and every SHOULD: request errors answer 200 under
// application/json and carry no data under application/graphql-response+json.
import assert from "node:assert/strict";
import { test } from "node:test";
import { serverAudits } from "graphql-http";

test("GraphQL over HTTP: the graphql-http server audit passes every MUST and SHOULD", async () => {
  const url = `${process.env.BASE_URL}/graphql`;
  /** @type {Record<string, {ok: number, failed: string[]}>} */
  const levels = { MUST: { ok: 0, failed: [] }, SHOULD: { ok: 0, failed: [] }, MAY: { ok: 0, failed: [] } };
  for (const audit of serverAudits({ url })) {
    const result = await audit.fn();
    const level = levels[audit.name.split(" ")[0]];
    if (result.status === "ok") level.ok++;
    else level.failed.push(`${audit.name}: ${result.reason}`);
  }
  console.log(`graphql-http audit: MUST ${levels.MUST.ok}/${levels.MUST.ok + levels.MUST.failed.length}, ` +
    `SHOULD ${levels.SHOULD.ok}/${levels.SHOULD.ok + levels.SHOULD.failed.length}, ` +
    `MAY ${levels.MAY.ok}/${levels.MAY.ok + levels.MAY.failed.length}`);
  assert.deepEqual(levels.MUST.failed, []);
  assert.deepEqual(levels.SHOULD.failed, []);
  assert.equal(levels.MUST.ok, 13);
  assert.equal(levels.SHOULD.ok, 23);
});
