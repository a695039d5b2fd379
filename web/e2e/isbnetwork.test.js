// The officers' network in the browser against a seeded Cyberlotse: the
// officer of Burbach (MUNICIPAL_ISB, ags 05970008) fills the profile by
// keyboard, finds the officer of Hilchenbach (same Kreis Siegen-Wittgenstein,
// same size class, same topic) whose profile the test saved with a second
// token, sees why they match, and deletes the profile; the emergency page
// for a municipality shows what exists and what is only requested.
//
// Data: the two profiles of this run (deleted at the end); the seeded offers.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { needsBinary, serverToken } from "./tokens.js";
import { assertAccessible, close, expectFocusText, open, origin } from "./harness.js";

/** @typedef {import("playwright-core").Page} Page */

const skip = needsBinary;

const ags = "05970008"; // Burbach, 14,553 inhabitants
const peerAgs = "05970020"; // Hilchenbach, 14,412 inhabitants
const tokenKey = "cyberlotse.managerToken";
const screenshots = fileURLToPath(new URL("../screenshots/", import.meta.url));

/**
 * A GraphQL request with a bearer token.
 * @param {string} bearer
 * @param {string} query
 * @param {object} [variables]
 */
async function gql(bearer, query, variables = {}) {
  const res = await fetch(`${origin}/graphql`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${bearer}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

const deleteProfile = `mutation($ags: String!) { deleteIsbProfile(ags: $ags) }`;
let isb = "";
let peer = "";

before(async () => {
  if (skip) return;
  isb = serverToken("MUNICIPAL_ISB", ["--ags", ags]);
  peer = serverToken("MUNICIPAL_ISB", ["--ags", peerAgs]);
  await gql(isb, deleteProfile, { ags });
  // The peer, saved with the second officer's token.
  await gql(
    peer,
    `mutation($ags: String!, $in: IsbProfileInput!) { saveIsbProfile(ags: $ags, input: $in) { function } }`,
    {
      ags: peerAgs,
      in: {
        function: "IT_MANAGEMENT",
        topics: ["isms", "backup"],
        shares: ["TEMPLATES_POLICIES"],
        displayName: "IT-Sicherheit Hilchenbach",
        contact: "informationssicherheit@hilchenbach.example",
      },
    },
  );
});

after(async () => {
  if (skip || !isb) return;
  await gql(isb, deleteProfile, { ags });
  await gql(peer, deleteProfile, { ags: peerAgs });
});

/**
 * A page at path with the officer's token stored, as after signing in.
 * @param {string} path
 */
async function openSignedIn(path) {
  const opened = await open(`/kommune/${ags}/netzwerk`);
  await opened.page.evaluate(([key, t]) => sessionStorage.setItem(key, t), [tokenKey, isb]);
  await opened.page.goto(origin + path);
  return opened;
}

/**
 * Focuses the control and presses keys on it, as a keyboard user would.
 * @param {import("playwright-core").Locator} control
 * @param {string[]} keys
 */
async function keys(control, ...keys) {
  await control.focus();
  for (const key of keys) await control.press(key);
}

test("profile by keyboard, the peer of another token with reasons, deletion; accessible and without horizontal scroll at 375 px", { skip }, async () => {
  const opened = await openSignedIn(`/kommune/${ags}/netzwerk`);
  const { page } = opened;
  await page.getByRole("heading", { level: 1, name: /Netzwerk der Informationssicherheitsbeauftragten/ }).waitFor();
  await page.getByText("Ihre Gemeinde hat noch kein Profil.").waitFor();
  // The officer's navigation links the three pages, this one current.
  const nav = page.getByRole("navigation", { name: "Sicherheitshinweise der Gemeinde" });
  assert.equal(await nav.getByRole("link", { name: "Netzwerk" }).getAttribute("aria-current"), "page");
  assert.equal(await nav.getByRole("link", { name: "Warnungen" }).getAttribute("href"), `/kommune/${ags}/warnungen`);

  // Function: the select, by arrow key (ISB → IT-Leitung → back to ISB is
  // two presses; one more down and up keeps it honest).
  const fn = page.getByLabel("Ihre Funktion");
  await keys(fn, "ArrowDown", "ArrowUp");
  assert.equal(await fn.inputValue(), "ISB");
  // Topics and shares: checkboxes by Space.
  await keys(page.getByRole("checkbox", { name: "Informationssicherheits-Managementsystem (ISMS)" }), "Space");
  await keys(page.getByRole("checkbox", { name: "Krisenübung und Planspiel" }), "Space");
  await keys(page.getByRole("checkbox", { name: "Erfahrungen mit einer Notfallübung" }), "Space");
  assert.equal(await page.getByRole("checkbox", { name: "Krisenübung und Planspiel" }).isChecked(), true);
  // Name and contact: typed, then Enter sends the form.
  await page.getByLabel("Name für andere Beauftragte (freiwillig)").focus();
  await page.keyboard.type("Informationssicherheit Burbach");
  await page.getByLabel("Kontaktweg für andere Beauftragte (freiwillig)").focus();
  await page.keyboard.type("isb@burbach.example");
  await page.keyboard.press("Enter");
  await page.getByText("Ihr Profil ist gespeichert. Andere Beauftragte finden es jetzt.").waitFor();

  // The peer: Hilchenbach, with all three reasons and what it shares.
  const list = page.getByRole("list", { name: "Gefundene Beauftragte" });
  const card = list.getByRole("listitem").filter({ has: page.getByRole("heading", { level: 3, name: "Hilchenbach" }) });
  await card.waitFor();
  assert.deepEqual(await card.getByRole("list", { name: /Warum/ }).getByRole("listitem").allTextContents(), [
    "Im selben Kreis: Kreis Siegen-Wittgenstein",
    "Ähnlich groß: 10.000 bis 19.999 Einwohner",
    "Arbeitet am selben Thema: Informationssicherheits-Managementsystem (ISMS)",
  ]);
  const facts = await card.locator("dl").innerText();
  assert.match(facts, /Teilt\s+Vorlagen und Richtlinien/);
  assert.match(facts, /Kontakt\s+informationssicherheit@hilchenbach\.example/);
  await page.getByText("Ihre Gemeinde: 10.000 bis 19.999 Einwohner.").waitFor();

  // Search by topic Backup only (keyboard): Hilchenbach with that reason.
  await keys(page.getByRole("checkbox", { name: "Gleiches Thema" }), "Space");
  await page.getByLabel("Thema", { exact: true }).selectOption("backup");
  await keys(page.getByRole("button", { name: "Beauftragte suchen" }), "Enter");
  await page.waitForFunction(() =>
    Array.from(document.querySelectorAll(".peer-list .reasons li")).some((li) => li.textContent === "Arbeitet am selben Thema: Datensicherung (Backup)"),
  );
  const reasons = await card.getByRole("list", { name: /Warum/ }).getByRole("listitem").allTextContents();
  assert.deepEqual(reasons, ["Arbeitet am selben Thema: Datensicherung (Backup)"]);

  await assertAccessible(page, "isbnetwork");
  await page.screenshot({ path: join(screenshots, "isbnetwork.png"), fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375), "the page fits 375 px");
  await assertAccessible(page, "isbnetwork-phone");
  await page.setViewportSize({ width: 1280, height: 900 });

  // The peer's officer finds Burbach now, with the published name.
  const seen = await gql(peer, `query($ags: String!) { isbPeers(ags: $ags, by: [DISTRICT]) { nodes { profile { municipality { ags } displayName } } } }`, {
    ags: peerAgs,
  });
  assert.ok(
    seen.isbPeers.nodes.some((/** @type {any} */ n) => n.profile.municipality.ags === ags && n.profile.displayName === "Informationssicherheit Burbach"),
    JSON.stringify(seen),
  );

  // Deleting: the dialog opens with "Abbrechen" focused; Tab to the
  // confirmation, Enter; the focus returns to the form.
  await keys(page.getByRole("button", { name: "Profil löschen" }), "Enter");
  const dialog = page.getByRole("dialog", { name: "Profil löschen?" });
  await dialog.waitFor();
  await page.keyboard.press("Tab");
  await expectFocusText(page, "Profil löschen", "Tab moves to the confirmation");
  await page.keyboard.press("Enter");
  await page.getByText("Ihr Profil ist gelöscht.").waitFor();
  assert.equal(await page.getByLabel("Name für andere Beauftragte (freiwillig)").inputValue(), "");
  const after = await gql(peer, `query($ags: String!) { isbPeers(ags: $ags, by: [DISTRICT]) { nodes { profile { municipality { ags } } } } }`, {
    ags: peerAgs,
  });
  assert.ok(!after.isbPeers.nodes.some((/** @type {any} */ n) => n.profile.municipality.ags === ags), JSON.stringify(after));
  await close(opened);
});

test("the network refuses another municipality's officer on the page", { skip }, async () => {
  const opened = await open(`/kommune/${ags}/netzwerk`);
  const { page } = opened;
  await page.evaluate(([key, t]) => sessionStorage.setItem(key, t), [tokenKey, peer]);
  await page.goto(`${origin}/kommune/${ags}/netzwerk`);
  await page.getByText(/Das Netzwerk der Informationssicherheitsbeauftragten steht nur den Beauftragten der Gemeinden und Admins offen/).waitFor();
  await close(opened);
});

test("emergency page for a municipality: Digi-SOS to call, the requested MIRT and SOC as not yet available", { skip }, async () => {
  const opened = await open(`/notfall?ags=${ags}&art=kommune`);
  const { page } = opened;
  const call = page.getByRole("region", { name: "Wen Sie jetzt anrufen" });
  const digiSos = call.getByRole("listitem").filter({ has: page.getByRole("heading", { name: /Digi-SOS/ }) });
  await digiSos.waitFor();
  assert.match(await digiSos.innerText(), /verfügbar \(Stand: 14\.04\.2025\)/);
  assert.equal(await call.getByText(/beantragt/).count(), 0, "nothing requested among the contacts to call");
  const notYet = page.getByRole("region", { name: "Gibt es noch nicht – nicht anrufbar" });
  const names = await notYet.getByRole("heading", { level: 3 }).allInnerTexts();
  assert.deepEqual(names.map((n) => n.replace(/\s*Beispieldaten\s*$/, "").trim()).sort(), [
    "Mobile Incident Response Team (MIRT) für Kommunen (beantragt)",
    "Teilnahme der Kommunen am Security Operations Center (SOC) des Landes (beantragt)",
  ]);
  assert.equal(await notYet.getByText("beantragt, noch nicht verfügbar", { exact: true }).count(), 2);
  await assertAccessible(page, "emergency-municipality");
  await page.screenshot({ path: join(screenshots, "emergency-municipality.png"), fullPage: true });
  // For a company the section is not there.
  await page.goto(`${origin}/notfall?ags=${ags}`);
  await page.getByRole("region", { name: "Wen Sie jetzt anrufen" }).waitFor();
  assert.equal(await page.getByRole("region", { name: "Gibt es noch nicht – nicht anrufbar" }).count(), 0);
  await close(opened);
});
