// The browser side of the end-to-end tests: Debian's Chromium driven by
// playwright-core (no browser download), against a running Cyberlotse at
// BASE_URL. Each test file opens one browser with a fresh profile; each test
// gets a new page that records console errors and requests to other origins.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

/** @typedef {import("playwright-core").Page} Page */
/** @typedef {import("playwright-core").BrowserContext} BrowserContext */

const baseUrl = process.env.BASE_URL?.replace(/\/$/, "");
if (!baseUrl) {
  throw new Error("BASE_URL is not set: start Cyberlotse (or `vite preview`) and run BASE_URL=http://127.0.0.1:PORT npm run test:e2e");
}
export const origin = new URL(baseUrl).origin;

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const flags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const resultsDir = fileURLToPath(new URL("../test-results/", import.meta.url));
const axeSource = readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** @type {BrowserContext} */
let context;
/** @type {string} */
let profile;

before(async () => {
  profile = await mkdtemp(join(tmpdir(), "cyberlotse-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: flags,
    locale: "de-DE",
    timezoneId: "Europe/Berlin",
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  await mkdir(resultsDir, { recursive: true });
});

after(async () => {
  await context?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

/**
 * A new page at path, with what went wrong on it: console errors, uncaught
 * exceptions and requests that left BASE_URL's origin.
 * @param {string} path
 * @param {{ width: number, height: number }} [viewport]
 */
export async function open(path, viewport) {
  return openIn(context, path, viewport);
}

/**
 * Like open, but in a browser of its own with an empty profile (no cookies,
 * no storage, no history): a person who closed the browser and comes back
 * with a bookmark. close() ends that browser.
 * @param {string} path
 * @param {{ width: number, height: number }} [viewport]
 */
export async function openInNewBrowser(path, viewport) {
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: flags });
  const fresh = await browser.newContext({
    locale: "de-DE",
    timezoneId: "Europe/Berlin",
    viewport: viewport ?? { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  return { ...(await openIn(fresh, path)), browser };
}

/**
 * @param {BrowserContext} context
 * @param {string} path
 * @param {{ width: number, height: number }} [viewport]
 */
async function openIn(context, path, viewport) {
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  if (viewport) await page.setViewportSize(viewport);
  /** @type {string[]} */
  const problems = [];
  page.on("console", (m) => {
    // GraphQL errors may come with a 4xx status; the page shows them itself.
    const graphqlStatus = m.location().url === `${origin}/graphql` && m.text().startsWith("Failed to load resource");
    if (m.type() === "error" && !graphqlStatus) problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`exception: ${e.message}`));
  page.on("request", (r) => {
    const url = new URL(r.url());
    if (!["data:", "blob:"].includes(url.protocol) && url.origin !== origin) problems.push(`third-party request: ${r.url()}`);
  });
  await page.goto(baseUrl + path);
  return { page, problems };
}

/**
 * Closes the page (and a browser of its own) and fails when it logged
 * errors or reached another origin.
 * @param {{ page: Page, problems: string[], browser?: import("playwright-core").Browser }} opened
 */
export async function close({ page, problems, browser }) {
  await page.close();
  await browser?.close();
  assert.deepEqual(problems, [], "the page had errors or third-party requests");
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules and best practices) in the page,
 * writes every finding to test-results/axe-NAME.json and fails on serious or
 * critical violations. Axe is evaluated through the DevTools protocol, so the
 * page's Content-Security-Policy stays in force.
 * @param {Page} page
 * @param {string} name of the page, for the file and the failure message
 */
export async function assertAccessible(page, name) {
  await page.evaluate(await axeSource);
  /** @type {{ id: string, impact: string, help: string, nodes: { target: string[] }[] }[]} */
  const violations = await page.evaluate(async () => {
    // @ts-expect-error axe is the global that axe.min.js defines
    const result = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    });
    return result.violations.map((/** @type {any} */ v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((/** @type {any} */ n) => ({ target: n.target })),
    }));
  });
  await writeFile(join(resultsDir, `axe-${name}.json`), JSON.stringify(violations, null, 2));
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(
    serious.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    [],
    `axe found serious or critical violations on ${name}`,
  );
}

/**
 * @param {Page} page
 * @param {string} file name in test-results/
 */
export async function screenshot(page, file) {
  await page.screenshot({ path: join(resultsDir, file), fullPage: true });
}

/**
 * Waits until the focused element's text is `text` (focus moves after a
 * render or a server answer, so an immediate check would race), and fails
 * with `message` and the actual focus after 5 s.
 * @param {Page} page
 * @param {string} text
 * @param {string} [message]
 */
export async function expectFocusText(page, text, message) {
  try {
    await page.waitForFunction((want) => document.activeElement?.textContent?.trim() === want, text, { timeout: 5000 });
  } catch {
    const actual = (await focused(page)).text;
    throw new Error(`${message ?? "focus"}: focus is on ${JSON.stringify(actual)}, want ${JSON.stringify(text)}`);
  }
}

/**
 * Waits until the focused element links to `href`.
 * @param {Page} page
 * @param {string | null} href
 * @param {string} [message]
 */
export async function expectFocusHref(page, href, message) {
  try {
    await page.waitForFunction((want) => document.activeElement?.getAttribute("href") === want, href, { timeout: 5000 });
  } catch {
    const actual = (await focused(page)).href;
    throw new Error(`${message ?? "focus"}: focus is on a link to ${JSON.stringify(actual)}, want ${JSON.stringify(href)}`);
  }
}

/** The element that has the focus, as tag and text, for assertions. */
/** @param {Page} page */
export function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return { tag: el?.tagName.toLowerCase() ?? "", text: el?.textContent?.trim() ?? "", href: el?.getAttribute("href") ?? "" };
  });
}

/**
 * Answers the named GraphQL operations in the page with canned responses
 * (states the server cannot be driven into on demand, such as a rate limit);
 * every other request goes to the server.
 * @param {Page} page
 * @param {Record<string, (variables: any) => object>} answers by operation name
 */
export async function mockOperations(page, answers) {
  await page.route(`${origin}/graphql`, async (route) => {
    const { query, variables } = route.request().postDataJSON();
    const name = /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? "";
    const answer = answers[name];
    if (!answer) return route.continue();
    return route.fulfill({ contentType: "application/json", body: JSON.stringify(answer(variables)) });
  });
}

/**
 * A GraphQL error response as the server sends it.
 * @param {string} code
 * @param {string} message
 * @param {string} [reason]
 */
export function graphqlError(code, message, reason) {
  return { data: null, errors: [{ message, extensions: reason ? { code, reason } : { code } }] };
}
