// The registration form and the manage page in the browser, with the answers
// of the registration API canned (page.route): validation, every error the
// API can give, waitlist, and the manage page's dialogs, download and focus.
// The same flows against the real mutation are in registration.test.js.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { assertAccessible, close, expectFocusText, graphqlError, mockOperations, open } from "./harness.js";

const eventPath = "/veranstaltungen/kalletal-infoabend-2027-03-18";

/** @param {import("playwright-core").Page} page */
async function fillForm(page) {
  await page.getByRole("textbox", { name: "Name", exact: true }).fill("Erika Mustermann");
  await page.getByRole("textbox", { name: "E-Mail-Adresse", exact: true }).fill("erika@example.org");
  await page.getByRole("textbox", { name: "Firma (optional)" }).fill("Musterfirma GmbH");
  await page.getByLabel(/^Ich willige ein/).check();
}

test("registration form: missing entries are listed, marked and reachable", async () => {
  const opened = await open(eventPath);
  const { page } = opened;
  await page.getByRole("button", { name: "Verbindlich anmelden" }).click();
  const summary = page.locator(".notice-error");
  await summary.waitFor();
  assert.equal(await summary.evaluate((el) => el === document.activeElement), true, "focus on the summary");
  assert.deepEqual(await summary.getByRole("listitem").allTextContents(), [
    "Bitte geben Sie Ihren Namen ein.",
    "Bitte geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel name@firma.de.",
    "Bitte stimmen Sie der Verarbeitung Ihrer Angaben zu; ohne Zustimmung ist keine Anmeldung möglich.",
  ]);
  for (const label of ["Name", "E-Mail-Adresse"]) {
    assert.equal(await page.getByRole("textbox", { name: label, exact: true }).getAttribute("aria-invalid"), "true", label);
  }
  assert.equal(await page.getByRole("checkbox").getAttribute("aria-invalid"), "true");
  await assertAccessible(page, "event-form-errors");
  await summary.getByRole("link", { name: /E-Mail-Adresse/ }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), "register-email");
  await close(opened);
});

/** @type {[string, object, string][]} */
const failures = [
  ["rate limit", graphqlError("RATE_LIMITED", "Too many"), "Zu viele Anmeldungen in kurzer Zeit. Bitte versuchen Sie es in einigen Minuten erneut."],
  ["past event", graphqlError("BAD_USER_INPUT", "…", "EVENT_PAST"), "Diese Veranstaltung hat bereits begonnen oder ist vorbei; eine Anmeldung ist nicht mehr möglich."],
  ["cancelled event", graphqlError("BAD_USER_INPUT", "…", "EVENT_CANCELLED"), "Diese Veranstaltung wurde abgesagt; eine Anmeldung ist nicht mehr möglich."],
  ["internal error", graphqlError("INTERNAL", "neo4j: connection refused {\"x\":1}"), "Das hat leider nicht geklappt. Bitte versuchen Sie es später noch einmal."],
];

for (const [name, answer, expected] of failures) {
  test(`registration form: ${name} is explained in German, with the focus on it`, async () => {
    const opened = await open(eventPath);
    const { page } = opened;
    await mockOperations(page, { Register: () => answer });
    await fillForm(page);
    await page.getByRole("button", { name: "Verbindlich anmelden" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    assert.equal(await alert.textContent(), expected);
    assert.equal(await alert.evaluate((el) => el === document.activeElement), true);
    await close(opened);
  });
}

test("registration form: a full event puts the person on the waitlist", async () => {
  const opened = await open(eventPath);
  const { page } = opened;
  await mockOperations(page, {
    Register: (v) => ({
      data: {
        registerForEvent: {
          alreadyRegistered: false,
          manageUrl: "http://127.0.0.1/anmeldung?token=abc.def",
          registration: { status: "WAITLISTED", position: 3, attendee: { email: v.attendee.email } },
        },
      },
    }),
  });
  await fillForm(page);
  await page.getByRole("button", { name: "Verbindlich anmelden" }).click();
  const notice = page.locator(".notice-success");
  await notice.waitFor();
  assert.match((await notice.textContent()) ?? "", /Sie stehen auf Platz 3 der Warteliste\..*erika@example\.org/);
  assert.equal(await notice.evaluate((el) => el === document.activeElement), true);
  assert.equal(await notice.getByRole("link", { name: "Anmeldung verwalten" }).getAttribute("href"), "http://127.0.0.1/anmeldung?token=abc.def");
  assert.equal(await page.getByRole("button", { name: "Verbindlich anmelden" }).count(), 0, "the form is done");
  await close(opened);
});

/** @param {string} status */
const registration = (status) => ({
  id: "UmVnaXN0cmF0aW9uOnI=",
  status,
  position: null,
  createdAt: "2026-11-20T10:00:00+01:00",
  event: {
    id: "RXZlbnQ6a2FsbGV0YWw=",
    slug: "kalletal-infoabend-2027-03-18",
    title: "Infoabend Cybersicherheit für Kalletaler Betriebe",
    startsAt: "2027-03-18T18:00:00+01:00",
    endsAt: null,
    format: "INFO_EVENING",
    mode: "ONSITE",
    status: "SCHEDULED",
    isSample: true,
    municipality: { name: "Kalletal" },
  },
});

test("manage page: dialogs, cancel, download and delete", async () => {
  let status = "CONFIRMED";
  const opened = await open("/anmeldung?token=abc.def");
  const { page } = opened;
  await mockOperations(page, {
    MyRegistrations: () => ({ data: { myRegistrations: [registration(status)] } }),
    CancelRegistration: () => {
      status = "CANCELLED";
      return { data: { cancelRegistration: { id: "r", status, event: { title: "Infoabend Cybersicherheit für Kalletaler Betriebe" } } } };
    },
    MyData: () => ({ data: { myData: { name: "Erika Mustermann", email: "erika@example.org", createdAt: null, registrations: [] } } }),
    DeleteMyData: () => ({ data: { deleteMyData: true } }),
  });
  await page.reload();
  await page.getByText("Angemeldet", { exact: true }).waitFor();
  await assertAccessible(page, "manage");

  const cancel = page.getByRole("button", { name: "Anmeldung stornieren" });
  await cancel.click();
  const dialog = page.getByRole("dialog", { name: "Anmeldung stornieren?" });
  await dialog.waitFor();
  await expectFocusText(page, "Abbrechen", "the safe choice has the focus");
  await assertAccessible(page, "manage-dialog");
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
  await expectFocusText(page, "Anmeldung stornieren", "focus back on the opener");

  await cancel.click();
  await dialog.getByRole("button", { name: "Ja, stornieren" }).click();
  const done = page.locator(".notice-success");
  await done.waitFor();
  assert.equal(await done.textContent(), "Ihre Anmeldung zu „Infoabend Cybersicherheit für Kalletaler Betriebe“ ist storniert.");
  assert.equal(await done.evaluate((el) => el === document.activeElement), true);
  await page.getByText("Storniert", { exact: true }).waitFor();
  assert.equal(await cancel.count(), 0, "nothing left to cancel");

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Meine Daten herunterladen (JSON)" }).click(),
  ]);
  assert.equal(download.suggestedFilename(), "cyberlotse-meine-daten.json");
  const data = JSON.parse(await readFile((await download.path()) ?? "", "utf8"));
  assert.equal(data.email, "erika@example.org");

  await page.getByRole("button", { name: "Meine Daten löschen" }).click();
  await page.getByRole("dialog", { name: "Alle Daten löschen?" }).getByRole("button", { name: "Ja, endgültig löschen" }).click();
  await page.getByText("Ihre Daten sind gelöscht.", { exact: false }).waitFor();
  assert.equal(await page.getByRole("heading", { name: "Was möchten Sie tun?" }).count(), 0);
  await close(opened);
});

test("manage page: an invalid link gets the server's German message", async () => {
  const opened = await open("/anmeldung?token=kaputt");
  const { page } = opened;
  await mockOperations(page, {
    MyRegistrations: () =>
      graphqlError("UNAUTHENTICATED", "Der Verwaltungslink ist ungültig. Bitte verwenden Sie den vollständigen Link aus Ihrer Bestätigungs-E-Mail."),
  });
  await page.reload();
  await page.getByText("Der Verwaltungslink ist ungültig.", { exact: false }).waitFor();
  await close(opened);
});
