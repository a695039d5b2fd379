// Registering for an event and managing the registration against the real
// registration API (registerForEvent, myRegistrations, myData,
// cancelRegistration, deleteMyData): a person registers, gets the
// confirmation and the manage link, registers again, then uses the manage
// page to download, cancel and delete. The data it makes is deleted at the end.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { assertAccessible, close, expectFocusText, open, screenshot } from "./harness.js";

const eventPath = "/veranstaltungen/kalletal-infoabend-2027-03-18";
const email = `e2e-${Date.now()}@example.org`;

/** @param {import("playwright-core").Page} page */
async function register(page) {
  await page.getByRole("textbox", { name: "Name", exact: true }).fill("Erika Mustermann");
  await page.getByRole("textbox", { name: "E-Mail-Adresse", exact: true }).fill(email);
  await page.getByRole("textbox", { name: "Firma (optional)" }).fill("Musterfirma GmbH");
  await page.getByRole("checkbox", { name: /^Ich willige ein/ }).check();
  await page.getByRole("button", { name: "Verbindlich anmelden" }).click();
  const notice = page.locator(".notice-success");
  await notice.waitFor();
  assert.equal(await notice.evaluate((el) => el === document.activeElement), true, "focus on the answer");
  return notice;
}

/** The free places as the event page says them, e.g. 79 from "79 Plätze frei". */
/** @param {import("playwright-core").Page} page */
async function freePlaces(page) {
  const places = page.locator("dl.details dt", { hasText: "Plätze" }).locator("xpath=following-sibling::dd[1]");
  await places.waitFor();
  return Number(/^(\d+)/.exec((await places.textContent()) ?? "")?.[1]);
}

/** @type {string} */
let manageHref = "";

test("register: confirmation with the e-mail, calendar link and manage link", async () => {
  const opened = await open(eventPath);
  const { page } = opened;
  const before = await freePlaces(page);
  assert.ok(await page.getByRole("link", { name: "Zum Kalender hinzufügen" }).getAttribute("href"));
  await assertAccessible(page, "event-form");

  const notice = await register(page);
  const text = (await notice.textContent()) ?? "";
  assert.ok(
    text.includes(`Sie sind angemeldet. Eine Bestätigung mit Kalendereintrag ist unterwegs an ${email}.`) ||
      /Sie stehen auf Platz \d+ der Warteliste/.test(text),
    text,
  );
  manageHref = (await notice.getByRole("link", { name: "Anmeldung verwalten" }).getAttribute("href")) ?? "";
  assert.match(manageHref, /\/anmeldung\?token=[\w.-]+$/);
  await page.waitForFunction((n) => !document.querySelector("dl.details")?.textContent?.includes(`${n} Plätze frei`), before);
  assert.equal(await freePlaces(page), before - 1, "the page shows one place less");
  await screenshot(page, "event-registered.png");
  await close(opened);
});

test("register again with the same e-mail: the existing registration holds", async () => {
  const opened = await open(eventPath);
  const notice = await register(opened.page);
  const text = (await notice.textContent()) ?? "";
  assert.match(text, new RegExp(`Mit ${email.replace(/\./g, "\\.")} waren Sie bereits angemeldet`));
  // Whoever knows an address gets no manage link for it; the person has it by e-mail.
  assert.equal(await notice.getByRole("link", { name: "Anmeldung verwalten" }).count(), 0);
  assert.match(text, /Link zum Verwalten Ihrer Anmeldung finden Sie in Ihrer Bestätigungs-E-Mail/);
  await close(opened);
});

test("manage page: list, download, cancel and delete", async () => {
  assert.ok(manageHref, "the registration test gave a manage link");
  const token = new URL(manageHref).searchParams.get("token") ?? "";
  const opened = await open(`/anmeldung?token=${encodeURIComponent(token)}`);
  const { page } = opened;
  const card = page.locator("main ol.cards > li").filter({ hasText: "Infoabend Cybersicherheit" });
  await card.getByText("Angemeldet", { exact: true }).waitFor();
  await screenshot(page, "manage.png");
  await assertAccessible(page, "manage-real");

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Meine Daten herunterladen (JSON)" }).click(),
  ]);
  const data = JSON.parse(await readFile((await download.path()) ?? "", "utf8"));
  assert.equal(data.email, email);
  assert.equal(data.registrations[0].attendee.companyName, "Musterfirma GmbH");

  await page.getByRole("button", { name: "Anmeldung stornieren" }).click();
  await page.getByRole("dialog", { name: "Anmeldung stornieren?" }).getByRole("button", { name: "Ja, stornieren" }).click();
  await page.getByText(/^Ihre Anmeldung zu „Infoabend Cybersicherheit.*“ ist storniert\.$/).waitFor();
  await card.getByText("Storniert", { exact: true }).waitFor();

  await page.getByRole("button", { name: "Meine Daten löschen" }).click();
  await expectFocusText(page, "Abbrechen");
  await page.getByRole("dialog", { name: "Alle Daten löschen?" }).getByRole("button", { name: "Ja, endgültig löschen" }).click();
  await page.getByText("Ihre Daten sind gelöscht.", { exact: false }).waitFor();
  await close(opened);

  const after = await open(`/anmeldung?token=${encodeURIComponent(token)}`);
  // Either the server's message for a link without person, or the empty list.
  await after.page.waitForFunction(
    () =>
      !document.querySelector(".status")?.textContent?.includes("geladen") &&
      !!document.querySelector(".status:not(:empty), main p:not(.lead)"),
  );
  assert.equal(await after.page.getByText("Angemeldet", { exact: true }).count(), 0, "nothing is left");
  await close(after);
});
