// GraphiQL at /graphiql, built into the binary: it renders, reads the
// schema, checks a query as it is typed (Monaco's workers) and runs one,
// under its page's Content-Security-Policy and without a request to another
// origin (the harness fails the page on either), so it works offline.
import assert from "node:assert/strict";
import { test } from "node:test";
import { close, open, origin, screenshot } from "./harness.js";

/** Monaco draws spaces as no-break spaces. */
const text = (/** @type {string | null} */ s) => (s ?? "").replace(/\u00a0/g, " ");

test("GraphiQL runs a query, knows the schema and marks errors, all from this server", async () => {
  const opened = await open("/graphiql");
  const { page } = opened;
  const response = await page.request.get(`${origin}/graphiql`);
  assert.match(response.headers()["content-security-policy"] ?? "", /script-src 'self';.*frame-ancestors 'none'/);
  assert.equal(await page.title(), "GraphQL-Konsole – Cyberlotse");

  const query = page.locator(".graphiql-query-editor .view-lines");
  await query.getByText("NaechsteVeranstaltungen", { exact: false }).first().waitFor({ timeout: 30_000 });
  await page.getByRole("button", { name: "Execute query (Ctrl-Enter)" }).click();
  const result = page.locator(".graphiql-response .view-lines");
  await page.waitForFunction(() => document.querySelector(".graphiql-response .view-lines")?.textContent?.includes("totalCount"), null, {
    timeout: 30_000,
  });
  assert.match(text(await result.textContent()), /"totalCount": \d+,\s*"nodes": \[\s*\{\s*"title": "/);

  // The schema came by introspection: the documentation lists the root types.
  await page.getByRole("button", { name: "Show Documentation Explorer" }).click();
  const docs = page.locator(".graphiql-doc-explorer");
  await docs.getByText("query: Query", { exact: false }).waitFor();
  await docs.getByText("mutation: Mutation", { exact: false }).waitFor();

  // An unknown field is underlined, by the GraphQL worker against that schema.
  await query.click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type("\n{ evnts }");
  await page.locator(".graphiql-query-editor .squiggly-error").first().waitFor({ state: "attached", timeout: 30_000 });

  await screenshot(page, "graphiql.png");
  await close(opened);
});
