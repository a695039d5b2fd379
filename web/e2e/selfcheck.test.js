// The readiness self-check in the browser against a seeded Cyberlotse: a
// company in Kalletal starts without an account, answers the status
// questions and every requirement through the page (one by keyboard),
// pauses, comes back with its resume link in a browser of its own (no
// storage), finishes, and finds its score, profile, recommendations and the
// next actions near Kalletal; it downloads, shares read-only, unshares and
// deletes. A second check at phone width: a question fills the screen
// without horizontal scrolling, and a check finished without a place gets
// one on its result page. Both checks are deleted at the end.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import {
  assertAccessible,
  close,
  expectFocusText,
  open,
  openInNewBrowser,
  origin,
  screenshot,
} from "./harness.js";

/** @typedef {import("playwright-core").Page} Page */

// The answers of the Kalletal company. Status questions: home office yes,
// remote access yes, WLAN no (22 does not apply), remote maintenance yes,
// backups no (12–14 do not apply, 11 counts as not met without being
// asked). So 22 requirements are asked: 1–10, 15–21, 23–27.
const statusAnswers = ["Ja", "Ja", "Nein", "Ja", "Nein"];
/** @type {[number, string][]} requirement number and answer, in the order asked */
const plan = [
  [1, "Ja"], [2, "Ja"], [3, "Nein"], [4, "Weiß nicht"], [5, "Nein"], [6, "Ja"], [7, "Ja"], [8, "Ja"],
  // paused here, resumed in another browser
  [9, "Weiß nicht"], [10, "Ja"], [15, "Ja"], [16, "Ja"], [17, "Weiß nicht"], [18, "Ja"], [19, "Ja"], [20, "Ja"],
  [21, "Nein"], [23, "Ja"], [24, "Nein"], [25, "Ja"], [26, "Ja"], [27, "Ja"],
];
const pauseAfter = 8;
// The TOP requirements of the catalogue; their position line says "TOP".
const top = [1, 9, 11, 12, 15, 18, 21];
/** @param {number} i @param {number} number */
const requirementKicker = (i, number) => `Frage ${i + 1} von 22 · Anforderung ${number}${top.includes(number) ? " TOP" : ""}`;

// The score by hand, from the catalogue's weights (TOP: +3 met, −3 not;
// others 1 or 0; "Weiß nicht" counts as not met):
//   applicable: 27 − 12, 13, 14 (no backups) − 22 (no WLAN) = 23, with 11
//   implied as not met. TOP among them: 1, 9, 11, 15, 18, 21 (6); others 17.
//   max = 6 × 3 + 17 × 1 = 35; min = 6 × (−3) + 17 × 0 = −18.
//   TOP: 1 +3, 9 −3 (weiß nicht), 11 −3 (implied), 15 +3, 18 +3, 21 −3 = 0.
//   others met: 2, 6, 7, 8, 10, 16, 19, 20, 23, 25, 26, 27 = 12; not met:
//   3, 4, 5, 17, 24 = 0.  points = 0 + 12 = 12.
//   percent = (12 − (−18)) / (35 − (−18)) = 30 / 53 = 56.6 % → 57 %.
// Per area (points, min, max, percent):
//   Organisation 1–7: 3+1+0+0+0+1+1 = 6 of −3..9 → 9/12 = 75 %, met 4 of 7.
//   Identität 8–10: 1−3+1 = −1 of −3..5 → 2/8 = 25 %.
//   Datensicherung: 11 implied −3 of −3..3 → 0 %, met 0 of 1, 3 not applicable.
//   Updates 15–17: 3+1+0 = 4 of −3..5 → 7/8 = 87.5 → 88 %.
//   Schadprogramme 18–20: 3+1+1 = 5 of −3..5 → 100 %.
//   Netzwerke 21, 23–27: −3+1+0+1+1+1 = 1 of −3..8 → 4/11 = 36 %, 1 not applicable.
// Recommendations by urgency (TOP first, "Nein" before "Weiß nicht", then
// by number): 11, 21, 9, 3, 5, 24, 4, 17.
const expected = {
  percent: "57 %",
  score: "12 Punkte auf einer Skala von -18 (nichts erfüllt) bis 35 (alles erfüllt)",
  areas: [
    ["Organisation und Sensibilisierung", "4 von 7", "6 (von -3 bis 9)", "75 %"],
    ["Identitäten und Berechtigungen", "2 von 3", "-1 (von -3 bis 5)", "25 %"],
    ["Datensicherung", "0 von 1", "-3 (von -3 bis 3)", "0 %"],
    ["Updates und Änderungen", "2 von 3", "4 (von -3 bis 5)", "88 %"],
    ["Schutz vor Schadprogrammen", "3 von 3", "5 (von -3 bis 5)", "100 %"],
    ["IT-Systeme und Netzwerke", "4 von 6", "1 (von -3 bis 8)", "36 %"],
  ],
  recommendations: [11, 21, 9, 3, 5, 24, 4, 17],
};

/** @type {string} the resume token of the Kalletal check, shared by the tests in order */
let token = "";
/** @type {string} */
let shareUrl = "";

/**
 * Waits until the page's h1 starts with kicker (the question's position).
 * @param {Page} page
 * @param {string} kicker
 */
async function expectKicker(page, kicker) {
  try {
    await page.waitForFunction((want) => document.querySelector("h1 .kicker")?.textContent?.trim() === want, kicker, { timeout: 5000 });
  } catch {
    const actual = await page.locator("h1").textContent();
    throw new Error(`want the question "${kicker}", the page shows: ${actual}`);
  }
}

/**
 * @param {Page} page
 * @param {string} label Ja, Nein or Weiß nicht
 */
function answerButton(page, label) {
  return page.locator(".answers").getByRole("button", { name: label, exact: true });
}

/**
 * @param {Page} page
 * @param {string} [name] of the heading, else any
 */
async function expectHeading(page, name) {
  await page.getByRole("heading", { level: 1, name }).waitFor();
}

/**
 * Sends a GraphQL operation to the server, as the page would.
 * @param {string} query
 * @param {Record<string, unknown>} variables
 */
async function graphql(query, variables) {
  const response = await fetch(`${origin}/graphql`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

/** @param {Page} page */
function horizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

test("entry points: the header and the start page lead to the intro, which names its model", async () => {
  const opened = await open("/");
  const { page } = opened;
  await page.getByRole("link", { name: "Selbstcheck: Wie gut ist Ihr Betrieb geschützt?" }).click();
  await page.waitForURL(/\/selbstcheck$/);
  await expectFocusText(page, "Selbstcheck: Wie gut ist Ihr Betrieb geschützt?", "focus on the intro's heading");
  const nav = page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Selbstcheck" });
  assert.equal(await nav.getAttribute("aria-current"), "page");
  assert.equal(await nav.getAttribute("href"), "/selbstcheck");

  const model = page.getByRole("region", { name: "Vorbild: der CyberRisikoCheck nach DIN SPEC 27076" });
  await model.getByText(/^Vorbild für den Aufbau ist DIN SPEC 27076 \(CyberRisikoCheck\)/).waitFor();
  assert.ok(await model.getByText("Beispieldaten", { exact: true }).isVisible(), "the sample catalogue is marked");
  assert.match(await page.getByRole("region", { name: "Dauer" }).textContent() ?? "", /Etwa eine Stunde/);
  assert.match(await page.getByRole("region", { name: "Ohne Konto, ohne E-Mail-Adresse" }).textContent() ?? "", /kein Konto/);
  for (const label of ["Zahl der Beschäftigten (optional)", "Branche (optional)", "Ort Ihres Betriebs (optional)"]) {
    assert.equal(await page.getByLabel(label).inputValue(), "", `${label} is empty and optional`);
  }
  await assertAccessible(page, "selfcheck-intro");

  // A number that is none is refused before anything is sent.
  await page.getByLabel("Zahl der Beschäftigten (optional)").fill("acht");
  await page.getByRole("button", { name: "Selbstcheck starten" }).click();
  await page.locator("#check-employees-error").waitFor();
  assert.match(await page.locator("#check-employees-error").textContent() ?? "", /^Bitte geben Sie die Zahl der Beschäftigten als ganze Zahl ein/);
  assert.equal(await page.getByLabel("Zahl der Beschäftigten (optional)").getAttribute("aria-invalid"), "true");
  assert.equal(new URL(page.url()).search, "", "nothing started");
  await page.getByLabel("Zahl der Beschäftigten (optional)").fill("8");

  // An unknown place is refused at its field; an ambiguous one offers its municipalities.
  const place = page.getByLabel("Ort Ihres Betriebs (optional)");
  await place.fill("Xyzdorf");
  await page.getByRole("button", { name: "Selbstcheck starten" }).click();
  await page.locator("#check-place-error").waitFor();
  assert.match(await page.locator("#check-place-error").textContent() ?? "", /^Der Ort „Xyzdorf“ ist in Nordrhein-Westfalen nicht bekannt/);
  assert.equal(await place.getAttribute("aria-invalid"), "true");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "check-place", "back at the field");
  await place.fill("40721");
  await page.getByRole("button", { name: "Selbstcheck starten" }).click();
  await expectFocusText(page, "Welchen Ort meinen Sie?", "the choice takes the focus");
  await page.getByRole("button", { name: "Hilden", exact: true }).click();
  assert.equal(await place.inputValue(), "Hilden");
  await page.getByText("Gewählt: Hilden. Starten Sie jetzt den Selbstcheck.").waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), "check-place", "the focus is back at the field");
  assert.equal(new URL(page.url()).search, "", "nothing started");
  await close(opened);
});

test("start in Kalletal, the resume link, status questions, requirements one per screen, back, keyboard, pause", async () => {
  const opened = await open("/selbstcheck");
  const { page } = opened;
  await page.getByLabel("Ort Ihres Betriebs (optional)").fill("Kalletal");
  await page.getByRole("button", { name: "Selbstcheck starten" }).click();

  // The resume link: prominent, complete, in the address too.
  await page.waitForURL(/\/selbstcheck\?token=[\w-]{43}&schritt=link$/);
  token = new URL(page.url()).searchParams.get("token") ?? "";
  await expectFocusText(page, "Ihr Link zum Weitermachen", "focus on the link screen's heading");
  const resume = page.getByLabel("Link zum Weitermachen");
  assert.equal(await resume.inputValue(), `${origin}/selbstcheck?token=${token}`);
  assert.equal(await resume.getAttribute("readonly"), "");
  await page.getByText(/einzige Weg zurück.*Cyberlotse speichert den Link nicht/).waitFor();
  await page.getByRole("button", { name: "Link kopieren" }).click();
  await page.getByText(/^Der Link (ist in die Zwischenablage kopiert|konnte nicht kopiert werden)/).waitFor();
  assert.deepEqual(await page.evaluate(() => [localStorage.length, sessionStorage.length]), [0, 0], "nothing in storage");

  // The status questions.
  await page.getByRole("button", { name: "Mit den Fragen beginnen" }).click();
  for (const [i, label] of statusAnswers.entries()) {
    await expectKicker(page, `Vorab-Frage ${i + 1} von 5`);
    await answerButton(page, label).click();
  }

  // The requirements, 11–14 and 22 skipped as the server says.
  for (const [i, [number, label]] of plan.entries()) {
    if (number > pauseAfter) break;
    await expectKicker(page, requirementKicker(i, number));
    assert.equal(new URL(page.url()).searchParams.get("schritt"), String(number));
    assert.equal(await page.evaluate(() => document.activeElement?.id), "page-heading", "the question takes the focus");
    if (number === 1) {
      // A TOP requirement with its explanation, progress and area.
      assert.match(await page.locator("#question-top").textContent() ?? "", /^TOP-Anforderung: besonders wichtig\. Erfüllt zählt sie \+3 Punkte, nicht erfüllt −3/);
      const progress = page.getByRole("progressbar", { name: "5 von 27 Fragen beantwortet" });
      assert.equal(await progress.getAttribute("value"), "5");
      assert.equal(await progress.getAttribute("max"), "27");
      await page.getByText("Bereich 1 von 6: Organisation und Sensibilisierung – Frage 1 von 7 in diesem Bereich").waitFor();
      assert.equal(await page.getByRole("group", { name: /Kümmert sich die Geschäftsleitung selbst um die IT-Sicherheit/ }).count(), 1);
      await assertAccessible(page, "selfcheck-question");
    }
    if (number === 5) {
      // Keyboard only: Tab from the focused question to "Nein", Enter.
      for (let tabs = 0; tabs < 6 && (await page.evaluate(() => document.activeElement?.textContent)) !== "Nein"; tabs++) {
        await page.keyboard.press("Tab");
      }
      await expectFocusText(page, "Nein", "Tab reaches the answer");
      await page.keyboard.press("Enter");
      await page.getByRole("status").filter({ hasText: "Gespeichert: Nein (Anforderung 5)." }).waitFor();
      continue;
    }
    await answerButton(page, label).click();
  }

  // Back to 8 (and forward with the browser): its answer is marked; on with "Weiter".
  await expectKicker(page, "Frage 9 von 22 · Anforderung 9 TOP");
  await page.getByRole("link", { name: "Zurück" }).click();
  await expectKicker(page, "Frage 8 von 22 · Anforderung 8");
  await page.goBack();
  await expectKicker(page, "Frage 9 von 22 · Anforderung 9 TOP");
  await page.getByRole("link", { name: "Zurück" }).click();
  await expectKicker(page, "Frage 8 von 22 · Anforderung 8");
  assert.equal(await page.locator(".answers").getByRole("button", { name: "Ja bisherige Antwort" }).count(), 1);
  await page.getByRole("link", { name: "Weiter" }).click();
  await expectKicker(page, "Frage 9 von 22 · Anforderung 9 TOP");

  // Pause: the answers are kept, the link shown again.
  await page.getByRole("button", { name: "Später weitermachen" }).click();
  await expectHeading(page, "Ihre Antworten sind gespeichert");
  assert.equal(await page.getByLabel("Link zum Weitermachen").inputValue(), `${origin}/selbstcheck?token=${token}`);
  assert.equal(await page.getByRole("progressbar").getAttribute("value"), "13");
  await close(opened);
});

test("resume with the link in a new browser, finish, result with score, profile, recommendations and next actions", async () => {
  assert.ok(token, "the check was started");
  const opened = await openInNewBrowser(`/selbstcheck?token=${token}`);
  const { page } = opened;
  await expectHeading(page, "Willkommen zurück");
  await page.getByText("Ihr Selbstcheck ist unterbrochen. Alle Antworten sind gespeichert.").waitFor();
  await page.getByRole("progressbar", { name: "13 von 27 Fragen beantwortet" }).waitFor();
  await page.getByRole("button", { name: "Weitermachen" }).click();

  for (const [i, [number, label]] of plan.entries()) {
    if (number <= pauseAfter) continue;
    await expectKicker(page, requirementKicker(i, number));
    await answerButton(page, label).click();
  }

  await expectHeading(page, "Alle Fragen beantwortet");
  const review = page.getByRole("region", { name: "Ihre Antworten" }).getByRole("listitem");
  assert.equal(await review.count(), 5 + 22 + 1, "status questions, the asked requirements and 11 implied");
  assert.match(await review.last().textContent() ?? "", /^Anforderung 11 .*Nein \(keine Datensicherung\)$/);
  await page.getByRole("button", { name: "Abschließen und auswerten" }).click();

  await expectHeading(page, "Ihr Ergebnis");
  await expectFocusText(page, "Ihr Ergebnis", "focus on the result's heading");
  const score = page.getByRole("region", { name: "Gesamtergebnis" });
  assert.equal(await score.locator(".score-percent").textContent(), expected.percent);
  assert.equal(await score.locator(".score-points").textContent(), expected.score);

  const rows = page.getByRole("table", { name: "Punkte und Ergebnis je Bereich" }).locator("tbody tr");
  assert.equal(await rows.count(), 6);
  for (const [i, [area, met, points, percent]] of expected.areas.entries()) {
    const row = rows.nth(i);
    assert.match(await row.locator("th").textContent() ?? "", new RegExp(`^${area}`));
    const cells = await row.locator("td").allTextContents();
    assert.ok(cells[0]?.startsWith(met), `${area}: met ${cells[0]}`);
    assert.equal(cells[1], points, `${area}: points`);
    assert.equal(cells[2], percent, `${area}: percent`);
  }
  assert.match(await rows.nth(2).locator("td").first().textContent() ?? "", /3 entfallen$/);

  const recommendations = page.getByRole("region", { name: "Empfehlungen, die dringendste zuerst" }).locator("li.recommendation");
  assert.equal(await recommendations.count(), expected.recommendations.length);
  const headings = await recommendations.locator("h3").allTextContents();
  assert.deepEqual(
    headings.map((h) => Number(/^\d+\. Anforderung (\d+):/.exec(h)?.[1])),
    expected.recommendations,
  );
  const backup = recommendations.first();
  assert.match(headings[0] ?? "", /^1\. Anforderung 11: Werden alle geschäftswichtigen Daten regelmäßig und automatisch gesichert\? TOP$/);
  await backup.getByText("Nicht gefragt: Sie haben angegeben, dass Sie keine Datensicherung haben.", { exact: false }).waitFor();

  // The next actions in Kalletal for the backup gap, each with its reason.
  const events = backup.getByRole("region", { name: "Veranstaltungen zu Anforderung 11" });
  const eveningTitle = "Infoabend Cybersicherheit für Kalletaler Betriebe: Notfallkarte und Basisschutz";
  const evening = events.getByRole("link", { name: eveningTitle });
  assert.equal(await evening.getAttribute("href"), "/veranstaltungen/kalletal-infoabend-2027-03-18");
  const eveningCard = events.locator("article").filter({ has: page.getByRole("link", { name: eveningTitle }) });
  assert.match(await eveningCard.textContent() ?? "", /Donnerstag, 18\. März 2027, 18:00.*am Ort/);
  assert.match(await eveningCard.textContent() ?? "", /Passt zu Ihrem Thema Datensicherung \(Backup\)/);
  await events.getByRole("link", { name: "Lunchtalk: Backup, das im Ernstfall wirklich hilft" }).waitFor();
  const offers = backup.getByRole("region", { name: "Angebote zu Anforderung 11" });
  const funding = offers.locator("li").filter({ has: page.getByRole("heading", { name: /^MID-Digitale Sicherheit, Schwerpunkt C: .*IT-Basisschutz/ }) });
  assert.equal(await funding.count(), 1, "the state's funding for basic protection");
  assert.match(await funding.textContent() ?? "", /Förderprogramm: kann die Umsetzung bezuschussen/);
  assert.match(await funding.textContent() ?? "", /Quelle: .*mittelstand-innovativ-digital\.nrw/);
  const contacts = backup.getByRole("region", { name: "Ansprechstellen zu Anforderung 11" });
  const municipality = contacts.locator("li.card").filter({ has: page.getByRole("heading", { name: /^Gemeindeverwaltung Kalletal/ }) });
  assert.equal(await municipality.getByRole("link", { name: "+49 5264 644-0 anrufen" }).getAttribute("href"), "tel:+4952646440");
  assert.equal(await municipality.getByRole("link", { name: "info@kalletal.de" }).getAttribute("href"), "mailto:info@kalletal.de");
  await municipality.getByText("Ansprechstelle Ihrer Gemeinde Kalletal").waitFor();
  await backup.getByRole("region", { name: "Maßnahmen in Ihrer Region zu Anforderung 11" }).waitFor();
  // Next actions for the five most urgent gaps only.
  assert.equal(await recommendations.nth(4).locator(".next-actions").count(), 1);
  assert.equal(await recommendations.nth(5).locator(".next-actions").count(), 0);

  await screenshot(page, "selfcheck-result.png");
  await assertAccessible(page, "selfcheck-result");

  // The printed report: no navigation, no buttons; "Bericht drucken" prints.
  await page.evaluate(() => {
    // @ts-expect-error a counter of the test
    window.printed = 0;
    // @ts-expect-error a counter of the test
    window.print = () => window.printed++;
  });
  await page.getByRole("button", { name: "Bericht drucken" }).click();
  // @ts-expect-error a counter of the test
  assert.equal(await page.evaluate(() => window.printed), 1);
  // Printing opens the next actions of every gap, and closes them afterwards.
  const disclosures = page.locator("details.next-actions");
  assert.deepEqual(await disclosures.evaluateAll((ds) => ds.map((d) => d.hasAttribute("open"))), [true, false, false, false, false]);
  await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
  assert.deepEqual(await disclosures.evaluateAll((ds) => ds.map((d) => d.hasAttribute("open"))), [true, true, true, true, true]);
  await page.evaluate(() => window.dispatchEvent(new Event("afterprint")));
  assert.deepEqual(await disclosures.evaluateAll((ds) => ds.map((d) => d.hasAttribute("open"))), [true, false, false, false, false]);
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator(".site-header").isVisible(), false, "no header in print");
  assert.equal(await page.getByRole("button", { name: "Bericht drucken" }).isVisible(), false, "no buttons in print");
  assert.ok(await page.locator(".score-percent").isVisible(), "the result in print");
  assert.match(await page.locator(".print-only").textContent() ?? "", /^Bericht erstellt am /);
  await page.emulateMedia({ media: "screen" });

  // Export as JSON.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Als Datei herunterladen (JSON)" }).click(),
  ]);
  assert.equal(download.suggestedFilename(), "cyberlotse-selbstcheck.json");
  const doc = JSON.parse(await readFile((await download.path()) ?? "", "utf8"));
  assert.equal(doc.format, "cyberlotse-selbstcheck/1");
  assert.equal(doc.status, "FINISHED");
  assert.equal(doc.catalogue.modelledOn, "DIN SPEC 27076 (CyberRisikoCheck)");
  assert.equal(doc.company.place, "Kalletal");
  assert.deepEqual([doc.result.points, doc.result.minPoints, doc.result.maxPoints, doc.result.percent], [12, -18, 35, 57]);
  assert.equal(doc.statusAnswers.length, 5);
  assert.equal(doc.answers.length, 22);
  assert.deepEqual(doc.recommendations.map((/** @type {{ number: number }} */ r) => r.number), expected.recommendations);
  assert.ok(!JSON.stringify(doc).includes(token), "no key in the export");
  await page.getByText("Ihr Selbstcheck wurde als Datei heruntergeladen.").waitFor();

  // Share a read-only link.
  await page.getByRole("button", { name: "Link zum Ansehen erstellen" }).click();
  const share = page.getByLabel("Link zum Ansehen (nur lesen)");
  await share.waitFor();
  shareUrl = await share.inputValue();
  assert.match(shareUrl, new RegExp(`^${origin}/selbstcheck/ansicht\\?token=[\\w-]{43}$`));
  assert.ok(!shareUrl.includes(token), "the share link is no resume link");
  await close(opened);
});

test("the shared link opens the result read only; unshared it opens nothing", async () => {
  assert.ok(shareUrl, "the check was shared");
  const path = shareUrl.slice(origin.length);
  const opened = await open(path);
  const { page } = opened;
  await expectHeading(page, "Ergebnis eines Selbstchecks");
  const score = page.getByRole("region", { name: "Gesamtergebnis" });
  await score.locator(".score-percent").waitFor();
  assert.equal(await score.locator(".score-percent").textContent(), expected.percent);
  assert.equal(await page.getByRole("table", { name: "Punkte und Ergebnis je Bereich" }).locator("tbody tr").count(), 6);
  const recommendations = page.locator("li.recommendation");
  assert.equal(await recommendations.count(), expected.recommendations.length);
  await recommendations.first().getByRole("link", { name: /^Infoabend Cybersicherheit für Kalletaler Betriebe/ }).waitFor();
  // Nothing to change: no answers, no owner actions, no fields.
  assert.deepEqual(await page.locator("main").getByRole("button").allTextContents(), ["Bericht drucken"]);
  assert.equal(await page.locator("main input, main form").count(), 0);
  await assertAccessible(page, "selfcheck-shared");
  await close(opened);

  // The owner takes the link back.
  const owner = await open(`/selbstcheck?token=${token}`);
  await expectHeading(owner.page, "Ihr Ergebnis");
  await owner.page.getByText(/^Es gibt einen Link zum Ansehen\./).waitFor();
  await owner.page.getByRole("button", { name: "Link zum Ansehen aufheben" }).click();
  await owner.page.getByText("Der Link zum Ansehen ist aufgehoben.").waitFor();
  await close(owner);

  const gone = await open(path);
  await gone.page.getByRole("alert").filter({ hasText: /^Zu diesem Link gibt es keinen Selbstcheck \(mehr\)\./ }).waitFor();
  await close(gone);
});

test("delete: confirmed in a dialog; afterwards the resume link opens nothing", async () => {
  assert.ok(token, "the check was started");
  const opened = await open(`/selbstcheck?token=${token}`);
  const { page } = opened;
  await expectHeading(page, "Ihr Ergebnis");
  await page.getByRole("button", { name: "Selbstcheck löschen" }).click();
  const dialog = page.getByRole("dialog", { name: "Selbstcheck löschen?" });
  await dialog.waitFor();
  await expectFocusText(page, "Abbrechen", "Abbrechen first");
  await dialog.getByRole("button", { name: "Ja, endgültig löschen" }).click();
  await expectHeading(page, "Selbstcheck gelöscht");
  await page.getByText("Ihr Selbstcheck ist gelöscht. Die Links zu ihm funktionieren nicht mehr.").waitFor();

  await page.goto(`${origin}/selbstcheck?token=${token}`);
  await page.getByRole("alert").filter({ hasText: /^Zu diesem Link gibt es keinen Selbstcheck \(mehr\)\. Bitte verwenden Sie den vollständigen Link/ }).waitFor();
  await page.getByRole("link", { name: "Einen neuen Selbstcheck beginnen" }).waitFor();
  await close(opened);
});

test("phone width: a question fills the screen; a check finished without a place gets one on its result", async () => {
  const phone = { width: 375, height: 740 };
  const opened = await open("/selbstcheck", phone);
  const { page } = opened;
  await expectHeading(page, "Selbstcheck: Wie gut ist Ihr Betrieb geschützt?");
  assert.ok((await horizontalOverflow(page)) <= 0, "the intro fits");
  await page.getByRole("button", { name: "Selbstcheck starten" }).click();
  await page.waitForURL(/schritt=link$/);
  const phoneToken = new URL(page.url()).searchParams.get("token") ?? "";
  assert.ok((await horizontalOverflow(page)) <= 0, "the link screen fits");
  await page.getByRole("button", { name: "Mit den Fragen beginnen" }).click();
  for (let i = 1; i <= 5; i++) {
    await expectKicker(page, `Vorab-Frage ${i} von 5`);
    await answerButton(page, "Ja").click();
  }
  await expectKicker(page, "Frage 1 von 27 · Anforderung 1 TOP");
  assert.ok((await horizontalOverflow(page)) <= 0, "the question fits the width");
  // The whole question and its answers are on the first screen: nothing to scroll to answer.
  const last = await answerButton(page, "Weiß nicht").boundingBox();
  assert.ok(last && last.y + last.height <= phone.height, `the last answer ends at ${last?.y}+${last?.height}, below ${phone.height}`);
  const first = await answerButton(page, "Ja").boundingBox();
  assert.ok(first && first.width >= 300, `answers are large: ${first?.width}px wide`);
  await screenshot(page, "selfcheck-question.png");

  // Everything else answered at once through the API; finished on the page.
  const answers = Array.from({ length: 27 }, (_, i) => ({ number: i + 1, answer: i % 3 === 0 ? "NO" : "YES" }));
  await graphql(
    "mutation($token: String!, $input: SelfCheckAnswersInput!) { answerSelfCheck(token: $token, input: $input) { status } }",
    { token: phoneToken, input: { answers } },
  );
  await page.goto(`${origin}/selbstcheck?token=${phoneToken}&schritt=fertig`);
  await page.getByRole("button", { name: "Abschließen und auswerten" }).click();
  await expectHeading(page, "Ihr Ergebnis");
  assert.ok((await horizontalOverflow(page)) <= 0, "the result fits the width");
  await page.getByText(/^Geben Sie den Ort Ihres Unternehmens an/).waitFor();
  assert.equal(await page.locator(".next-actions").count(), 0, "no next actions without a place");
  await page.getByLabel("Ort Ihres Betriebs (optional)").fill("32689");
  await page.getByRole("button", { name: "Ort speichern" }).click();
  await expectFocusText(page, "Ort gespeichert: Kalletal. Die nächsten Schritte sind jetzt geladen.", "the answer takes the focus");
  await page.locator(".next-actions").first().waitFor();
  assert.equal(await page.getByText(/^Geben Sie den Ort Ihres Unternehmens an/).count(), 0, "the hint is gone");
  assert.match(await page.locator(".result > .meta").first().textContent() ?? "", /Ort: Kalletal/);
  await close(opened);

  await graphql("mutation($token: String!) { deleteSelfCheck(token: $token) }", { token: phoneToken });
});
