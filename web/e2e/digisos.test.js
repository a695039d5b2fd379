// Digi-SOS in the browser against a seeded Cyberlotse: the officer of
// Oerlinghausen (MUNICIPAL_ISB, ags 05766056) records an incident by
// keyboard, makes a handover link for CERT NRW, a fresh browser opens it
// (read-only, no navigation, accessible, fits a phone), the officer sees
// the view in the log, revokes the link, and the link then answers with the
// German error and its code and nothing of the incident.
//
// Data: the incident carries this run's marker, so earlier runs' incidents
// (there is no delete, an incident is a record) do not disturb it.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { assertAccessible, close, open, openInNewBrowser, origin } from "./harness.js";
import { needsBinary, serverToken } from "./tokens.js";

/** @typedef {import("playwright-core").Page} Page */

const varDir = process.env.VAR_DIR;
const skip = needsBinary;

const ags = "05766056"; // Oerlinghausen
const run = Date.now().toString(36);
const tokenKey = "cyberlotse.managerToken";
const screenshots = fileURLToPath(new URL("../screenshots/", import.meta.url));
let isb = "";

before(() => {
  if (skip) return;
  isb = serverToken("MUNICIPAL_ISB", ["--ags", ags]);
});

/**
 * @param {Page} page
 * @param {string} text
 */
async function statusSays(page, text) {
  await page.waitForFunction((want) => Array.from(document.querySelectorAll("[role=status]")).some((s) => s.textContent?.includes(want)), text);
}

/** @param {Page} page */
async function activeId(page) {
  return page.evaluate(() => document.activeElement?.id ?? "");
}

/**
 * @param {Page} page
 * @param {string} text
 */
async function typeOver(page, text) {
  await page.keyboard.press("Control+A");
  await page.keyboard.type(text);
}

/**
 * Fails when the page scrolls sideways at 375 px, naming what sticks out.
 * @param {Page} page
 * @param {string} name
 */
async function fitsPhone(page, name) {
  const wide = await page.evaluate(() =>
    Array.from(document.querySelectorAll("body *"))
      .filter((e) => e.getBoundingClientRect().right > 376 || e.scrollWidth > 376)
      .map((e) => `${e.tagName}.${e.className} ${e.scrollWidth}/${Math.round(e.getBoundingClientRect().right)}: ${e.textContent?.slice(0, 40)}`)
      .slice(0, 5),
  );
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 375, `${name} fits 375 px (${width}): ${wide.join(" | ")}`);
}

test("Digi-SOS: incident by keyboard, handover link in a fresh browser, view log, revoke", { skip }, async () => {
  const officer = await open(`/kommune/${ags}/notfall`);
  const { page } = officer;
  await page.evaluate(([key, t]) => sessionStorage.setItem(key, t), [tokenKey, isb]);
  await page.goto(`${origin}/kommune/${ags}/notfall`);
  await page.getByRole("heading", { level: 1, name: /IT-Notfall: Digi-SOS abrufen/ }).waitFor();
  // Eligibility from the graph, with its reason.
  await page.getByText(/ist eine Gemeinde in NRW und damit eine kommunale Gebietskörperschaft/).waitFor();
  assert.equal(await page.locator(".digisos-eligibility .badge").textContent(), "Abrufberechtigt");
  // The providers as the public source names them; the steps with sources.
  for (const name of ["Telekom", "Bechtle AG", "Deloitte GmbH", "Ernst & Young GmbH (EY)"])
    await page.getByRole("listitem").filter({ hasText: new RegExp(`^${name.replace(/[()&]/g, "\\$&")}$`) }).waitFor();
  await page.getByText("Expertenteam selbst abrufen").waitFor();

  // The incident, by keyboard only.
  await page.getByRole("button", { name: "Vorfall erfassen" }).focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement?.id === "inc-new-what");
  await page.keyboard.type(`Ransomware auf den Dateiservern (${run})`);
  await page.keyboard.press("Tab");
  assert.equal(await activeId(page), "inc-new-since");
  await typeOver(page, "23.11.2026 07:30");
  await page.keyboard.press("Tab");
  await page.keyboard.type("Dateiserver, Fachverfahren Meldewesen");
  await page.keyboard.press("Tab"); // CERT NRW
  await page.keyboard.press("Space");
  await page.keyboard.press("Tab");
  assert.equal(await activeId(page), "inc-new-at-CERT_NRW");
  await typeOver(page, "23.11.2026 08:15");
  await page.keyboard.press("Tab"); // Polizei
  await page.keyboard.press("Space");
  await page.keyboard.press("Tab");
  assert.equal(await activeId(page), "inc-new-at-POLICE");
  await typeOver(page, "23.11.2026 08:40");
  for (let i = 0; i < 4; i++) await page.keyboard.press("Tab"); // three more parties, then the note
  assert.equal(await activeId(page), "inc-new-reachedNote");
  await page.keyboard.type("Rechenzentrum informiert, Netz getrennt");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await statusSays(page, "Der Vorfall ist gespeichert.");
  const card = page.locator("article.incident", { hasText: run });
  await card.waitFor();
  await card.getByText("CERT NRW: 23. November 2026 um 08:15").waitFor();
  await card.getByText(/Polizei \(ZAC des LKA NRW oder Kreispolizeibehörde\): 23\. November 2026 um 08:40/).waitFor();

  // A link for CERT NRW, by keyboard.
  await card.getByLabel("Für wen ist der Link?").focus();
  await page.keyboard.type("CERT NRW");
  await page.keyboard.press("Enter");
  await statusSays(page, "Der Link für CERT NRW ist erzeugt.");
  const url = await card.getByLabel("Übergabe-Link für CERT NRW").inputValue();
  assert.match(url, new RegExp(`^${origin}/uebergabe#[A-Za-z0-9_-]{43}$`), "the link carries its secret after #");
  await card.getByText(/CERT NRW: gültig bis .* · noch nicht aufgerufen/).waitFor();

  // The page itself sends no referrer and is not stored.
  const headers = (await fetch(`${origin}/uebergabe`)).headers;
  assert.equal(headers.get("referrer-policy"), "no-referrer");
  assert.equal(headers.get("cache-control"), "no-store");

  // The recipient, in a browser of their own.
  const recipient = await openInNewBrowser(url.slice(origin.length));
  const r = recipient.page;
  await r.getByRole("heading", { level: 1, name: /Übergabe: IT-Sicherheitsvorfall/ }).waitFor();
  await r.getByText(`Ransomware auf den Dateiservern (${run})`).waitFor();
  await r.getByText("Rechenzentrum informiert, Netz getrennt").waitFor();
  await r.getByRole("link", { name: "cert@it.nrw.de" }).first().waitFor();
  assert.equal(await r.locator("header.site-header, nav").count(), 0, "no navigation on the handover page");
  assert.equal(await r.locator('a[href^="/kommune"], a[href^="/verwaltung"]').count(), 0, "no way to the officers' pages");
  await assertAccessible(r, "digisos-handover");
  await r.screenshot({ path: join(screenshots, "digisos-handover.png"), fullPage: true });
  await r.setViewportSize({ width: 375, height: 800 });
  await fitsPhone(r, "the handover page");
  await close(recipient);

  // The view, in the officer's log.
  await page.reload();
  await card.getByText(/CERT NRW: gültig bis .* · 1 Aufruf$/).waitFor();
  await card.getByText("Aufrufe des Links für CERT NRW").click();
  assert.equal(await card.locator(".view-log li").count(), 1);
  await assertAccessible(page, "digisos-officer");
  await card.screenshot({ path: join(screenshots, "digisos-incident.png") });
  await page.setViewportSize({ width: 375, height: 800 });
  await fitsPhone(page, "the emergency page");
  await page.setViewportSize({ width: 1280, height: 900 });

  // Revoked: the link answers with the German error and its code only.
  await card.getByRole("button", { name: "Link für CERT NRW widerrufen" }).click();
  await statusSays(page, "Der Link für CERT NRW ist widerrufen.");
  await card.getByText(/CERT NRW: widerrufen · 1 Aufruf$/).waitFor();
  const late = await openInNewBrowser(url.slice(origin.length));
  await late.page.getByRole("heading", { level: 1, name: "Übergabe-Link widerrufen" }).waitFor();
  await late.page.getByText("Fehlercode: HANDOVER_REVOKED").waitFor();
  await late.page.getByText(/wurde von der Gemeinde widerrufen/).waitFor();
  assert.equal(await late.page.getByText(run).count(), 0, "nothing of the incident after revoking");
  await assertAccessible(late.page, "digisos-revoked");
  await close(late);
  await page.reload();
  await card.getByText(/CERT NRW: widerrufen · 1 Aufruf$/).waitFor();

  // Deleting (which also cleans up the run's incident): after a question.
  await card.getByRole("button", { name: "Vorfall löschen" }).click();
  const dialog = page.getByRole("dialog", { name: "Vorfall löschen?" });
  await dialog.waitFor();
  await dialog.getByRole("button", { name: "Vorfall löschen" }).click();
  await statusSays(page, "Der Vorfall ist gelöscht.");
  await page.waitForFunction((marker) => !document.querySelector("main")?.textContent?.includes(marker), run);
  await close(officer);

  // The secret travels behind # and in POST bodies only: never in the server's log.
  const secret = url.split("#")[1] ?? "";
  const log = await readFile(join(/** @type {string} */ (varDir), "server.log"), "utf8");
  assert.ok(secret.length === 43 && !log.includes(secret), "the server's log does not hold the handover secret");
});
