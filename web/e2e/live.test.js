// The live questions and polls in the browser against the real server: an
// organizer of the Gemeinde Kalletal (token from `server token`) signs in on
// the moderation page of an online event created for this run and opens the
// session; two participants join (one by the code on /live, one by the
// event's link), ask, upvote and vote, each seeing the other's doings
// through the subscription; pre-moderation, approve, hide, pin, answered, a
// single-choice poll with a changed vote and a scale poll, the presenter view
// with the top questions and the results as bars with numbers and percents,
// and closing. The event is cancelled at the end.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { needsBinary, serverToken } from "./tokens.js";
import { assertAccessible, close, open, origin } from "./harness.js";

/** @typedef {import("playwright-core").Page} Page */

const skip = needsBinary;
const screenshots = fileURLToPath(new URL("../screenshots/", import.meta.url));
const live = { timeout: 5000 };

/**
 * POSTs an operation with the organizer's token and returns its data.
 * @param {string} query
 * @param {Record<string, unknown>} variables
 * @param {string} bearer
 */
async function gql(query, variables, bearer) {
  const res = await fetch(`${origin}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${bearer}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

/**
 * Signs in on a moderation or presenter page with the token.
 * @param {Page} page
 * @param {string} token
 */
async function signIn(page, token) {
  await page.getByRole("heading", { level: 1, name: /Anmeldung für die Moderation/ }).waitFor();
  await page.getByLabel("Zugangstoken").fill(token);
  await page.getByRole("button", { name: "Anmelden" }).click();
}

/**
 * The question texts shown in the participant's list, in order.
 * @param {Page} page
 */
function questionTexts(page) {
  return page.locator("#live-questions-heading ~ ul .live-question-text").allTextContents();
}

/**
 * Waits until the polite live region of the page has said `text` (its
 * update follows the render).
 * @param {Page} page
 * @param {string} text
 */
async function announced(page, text) {
  await page.waitForFunction((want) => document.querySelector("[aria-live=polite]")?.textContent?.includes(want), text, live);
}

/**
 * The list item of a question on a page.
 * @param {Page} page
 * @param {string} text
 */
function item(page, text) {
  return page.locator("li.live-question", { hasText: text });
}

test("live session: moderation, two participants, polls and the presenter view", { skip }, async (t) => {
  const token = serverToken("ORGANIZER", ["--org", "gemeinde-kalletal"]);
  const created = await gql(`mutation($input: EventInput!) { createEvent(input: $input) { slug } }`, {
    input: { title: `Lunchtalk live im Browser ${Date.now()}`, startsAt: "2099-06-01T12:00:00+02:00", format: "LUNCHTALK",
      mode: "ONLINE", onlineUrl: "https://example.org/lunchtalk", organizer: "gemeinde-kalletal" },
  }, token);
  const eventId = created.createEvent.slug;
  /** @type {{ page: Page, problems: string[] }[]} */
  const pages = [];
  try {
    // The moderation: sign-in (an invalid token is refused at the field), open.
    const mod = await open(`/live/${eventId}/moderation`);
    pages.push(mod);
    const m = mod.page;
    await assertAccessible(m, "live-sign-in");
    await signIn(m, "kein-gültiges-token");
    await m.locator("#token-error").waitFor();
    assert.equal(await m.getByLabel("Zugangstoken").getAttribute("aria-invalid"), "true");
    await signIn(m, token);
    await m.getByRole("heading", { level: 2, name: "Die Fragerunde ist nicht geöffnet." }).waitFor();
    await m.getByRole("button", { name: "Fragerunde öffnen" }).click();
    await m.getByRole("heading", { level: 2, name: "Die Fragerunde ist geöffnet." }).waitFor();
    const code = (await m.locator(".live-code").textContent())?.trim() ?? "";
    assert.match(code, /^[A-Z2-9]{6}$/);
    assert.equal(await m.locator(".live-code-box a").getAttribute("href"), `/live/${code}`);
    assert.equal(await m.getByRole("button", { name: "Offen: Fragen erscheinen sofort" }).getAttribute("aria-pressed"), "true");

    // Participant A joins by the code on /live (typed in lower case with a blank).
    const a = await open("/live");
    pages.push(a);
    await assertAccessible(a.page, "live-join");
    await a.page.getByRole("button", { name: "Beitreten" }).click();
    assert.equal(await a.page.locator("#live-code-error").textContent(), "Bitte geben Sie den Code der Fragerunde ein.");
    await a.page.getByLabel("Code").fill(`${code.slice(0, 3).toLowerCase()} ${code.slice(3)}`);
    await a.page.getByLabel("Code").press("Enter");
    await a.page.waitForURL(`${origin}/live/${code}`);
    await a.page.getByRole("heading", { level: 2, name: "Fragen (0)" }).waitFor();
    // Participant B by the event's link.
    const b = await open(`/live/${eventId}`);
    pages.push(b);
    await b.page.getByRole("heading", { level: 2, name: "Fragen (0)" }).waitFor();
    const stored = await b.page.evaluate((id) => sessionStorage.getItem(`cyberlotse.live.${id}`), eventId);
    assert.match(stored ?? "", /"token":"[^"]+"/, "B's token is kept in sessionStorage per event");

    // A asks by keyboard; the counter counts down; B sees the question within seconds.
    const first = "Wie oft sollten wir unsere Backups testen?";
    const field = a.page.getByLabel("Ihre Frage");
    await field.focus();
    await a.page.keyboard.type("Wi");
    assert.equal(await a.page.locator("#live-question-count").textContent(), "Noch 298 Zeichen");
    await a.page.keyboard.press("Enter"); // a new line, not a submit
    await a.page.keyboard.press("Tab");
    await a.page.keyboard.press("Enter");
    assert.equal(await a.page.locator("#live-question-error").textContent(), "Bitte schreiben Sie mindestens 3 Zeichen.");
    await field.fill(first);
    assert.equal(await a.page.locator("#live-question-count").textContent(), `Noch ${300 - first.length} Zeichen`);
    const askedAt = Date.now();
    await a.page.getByRole("button", { name: "Frage senden" }).click();
    const [own, other] = await Promise.all([
      a.page.getByRole("status").filter({ hasText: "Ihre Frage ist gesendet." }).waitFor().then(() => Date.now() - askedAt),
      item(b.page, first).waitFor(live).then(() => Date.now() - askedAt),
    ]);
    t.diagnostic(`question: the asker's answer after ${own} ms, on the other participant's page after ${other} ms (from the click)`);
    assert.equal(await field.inputValue(), "");
    await announced(b.page, "Eine neue Frage.");
    assert.equal(await item(a.page, first).locator(".badge").first().textContent(), "Ihre Frage");

    // B upvotes once: aria-pressed, 1 vote on both pages, and the button stays pressed.
    const upvote = item(b.page, first).locator("button.live-upvote");
    assert.equal(await upvote.getAttribute("aria-label"), null);
    assert.equal((await upvote.textContent())?.trim(), `▲ Unterstützen: ${first}`);
    assert.equal(await upvote.getAttribute("aria-pressed"), "false");
    await upvote.click();
    await b.page.waitForFunction(() => document.querySelector("button.live-upvote")?.getAttribute("aria-pressed") === "true", null, live);
    assert.equal((await upvote.textContent())?.trim(), `✓ Unterstützt: ${first}`);
    await upvote.click(); // once only: no second vote
    await item(a.page, first).locator(".live-votes", { hasText: "1 Stimme" }).waitFor(live);
    assert.equal(await item(b.page, first).locator(".live-votes").textContent(), "1 Stimme");

    // Pre-moderation: B's question waits; the moderation approves it.
    await m.getByRole("button", { name: "Vorab moderiert: erst nach Freigabe" }).click();
    await m.getByRole("status").filter({ hasText: "Modus: Vorab moderiert: erst nach Freigabe." }).waitFor();
    await b.page.getByText("3 bis 300 Zeichen. Die Moderation gibt Fragen frei, bevor alle sie sehen.").waitFor(live);
    const second = "Gibt es Hilfe für Vereine und kleine Kommunen?";
    await b.page.getByLabel("Ihre Frage").fill(second);
    await b.page.getByRole("button", { name: "Frage senden" }).click();
    await b.page.getByRole("status").filter({ hasText: "Ihre Frage ist gesendet und wartet auf Freigabe." }).waitFor();
    assert.equal(await item(b.page, second).locator(".badge-sample").textContent(), "wartet auf Freigabe");
    const pending = m.locator(".live-queue-pending li.live-question", { hasText: second });
    await pending.waitFor(live);
    assert.equal(await m.getByRole("heading", { level: 3, name: "Wartet auf Freigabe (1)" }).count(), 1);
    assert.deepEqual(await questionTexts(a.page), [first], "A does not see a pending question");
    await assertAccessible(b.page, "live-participant");
    await b.page.screenshot({ path: join(screenshots, "live-participant.png"), fullPage: true });
    await pending.getByRole("button", { name: "Freigeben" }).click();
    await item(a.page, second).waitFor(live);
    assert.equal(await item(b.page, second).locator(".badge-sample").count(), 0, "approved: no longer waiting");

    // Pin and mark answered: badges for the participants; order by time puts the newest first.
    const visible = (/** @type {string} */ text) => m.locator(".live-queue-visible li.live-question", { hasText: text });
    await visible(second).getByRole("button", { name: "Anheften" }).click();
    await item(a.page, second).locator(".badge", { hasText: "angeheftet" }).waitFor(live);
    assert.deepEqual(await questionTexts(a.page), [second, first], "pinned first");
    await visible(first).getByRole("button", { name: "Beantwortet" }).click();
    await item(a.page, first).locator(".badge", { hasText: "beantwortet" }).waitFor(live);
    await a.page.getByRole("button", { name: "Neueste" }).click();
    assert.equal(await a.page.getByRole("button", { name: "Neueste" }).getAttribute("aria-pressed"), "true");
    assert.equal(await a.page.getByRole("button", { name: "Meiste Stimmen" }).getAttribute("aria-pressed"), "false");

    // A poll: A and B vote, B changes its vote; results as numbers and percents.
    await m.getByLabel("Frage der Umfrage").fill("Haben Sie Ihr Backup schon einmal zurückgespielt?");
    await m.getByLabel("Antworten", { exact: true }).fill("Ja\nNein\nWeiß nicht");
    await m.getByRole("button", { name: "Umfrage starten" }).click();
    await m.getByRole("heading", { level: 3, name: "Laufende Umfrage" }).waitFor();
    for (const p of [a.page, b.page]) await p.getByRole("group", { name: "Haben Sie Ihr Backup schon einmal zurückgespielt?" }).waitFor(live);
    await announced(a.page, "Neue Umfrage: Haben Sie Ihr Backup schon einmal zurückgespielt?");
    await a.page.getByRole("button", { name: "Abstimmen" }).click();
    assert.equal(await a.page.locator(".live-poll .field-error").textContent(), "Bitte wählen Sie eine Antwort.");
    await a.page.getByRole("radio", { name: "Ja" }).check();
    await a.page.getByRole("button", { name: "Abstimmen" }).click();
    await a.page.getByRole("button", { name: "Stimme ändern" }).waitFor();
    await b.page.getByRole("radio", { name: "Nein" }).check();
    await b.page.getByRole("button", { name: "Abstimmen" }).click();
    await b.page.getByRole("button", { name: "Stimme ändern" }).waitFor();
    await a.page.getByText("2 Personen haben abgestimmt").waitFor(live);
    // B changes to "Ja" by keyboard (arrow keys in the radio group).
    await b.page.getByRole("radio", { name: "Nein" }).focus();
    await b.page.keyboard.press("ArrowUp");
    assert.equal(await b.page.getByRole("radio", { name: "Ja" }).isChecked(), true);
    const changedAt = Date.now();
    await b.page.getByRole("button", { name: "Stimme ändern" }).click();
    await a.page.locator(".live-bars li", { hasText: "Ja" }).locator(".live-bar-figures", { hasText: "2 Stimmen · 100 %" }).waitFor(live);
    t.diagnostic(`changed vote in the other participant's results after ${Date.now() - changedAt} ms (click to shown)`);
    assert.deepEqual(await a.page.locator(".live-bar-figures").allTextContents(), ["2 Stimmen · 100 %", "0 Stimmen · 0 %", "0 Stimmen · 0 %"]);
    assert.equal(await b.page.locator(".live-bars li", { hasText: "Ja" }).locator(".live-badge-mine").textContent(), "Ihre Wahl");
    await m.locator(".live-bar-figures", { hasText: "2 Stimmen · 100 %" }).waitFor(live);

    // The presenter view: code, link, top questions, the results.
    const pres = await open(`/live/${eventId}/praesentation`);
    pages.push(pres);
    const p = pres.page;
    await signIn(p, token);
    await p.getByRole("heading", { level: 1, name: "Live-Fragerunde" }).waitFor();
    assert.equal((await p.locator(".live-code").textContent())?.trim(), code);
    assert.equal((await p.locator(".presenter-link strong").textContent())?.trim(), `${origin}/live/${code}`);
    assert.deepEqual(await p.locator(".presenter-question").allTextContents(), [second, first]);
    assert.equal(await p.locator("header, nav, footer").count(), 0, "no header, navigation or footer");
    assert.equal(await p.getByRole("button").count(), 0, "no controls");
    assert.deepEqual(await p.locator(".live-bar-figures").allTextContents(), ["2 Stimmen · 100 %", "0 Stimmen · 0 %", "0 Stimmen · 0 %"]);
    assert.equal(await p.locator(".live-bar-fill").first().getAttribute("width"), "100");

    // A question asked meanwhile (pre-moderated) reaches the presenter only after approval.
    const third = "Was kostet ein Notfallplan für eine Kanzlei?";
    await a.page.getByLabel("Ihre Frage").fill(third);
    await a.page.getByRole("button", { name: "Frage senden" }).click();
    await m.locator(".live-queue-pending li.live-question", { hasText: third }).getByRole("button", { name: "Freigeben" }).click();
    await p.locator(".presenter-question", { hasText: third }).waitFor(live);
    // Pinned first, answered ones after the open ones.
    assert.deepEqual(await p.locator(".presenter-question").allTextContents(), [second, third, first]);
    await assertAccessible(p, "live-presenter");
    await p.screenshot({ path: join(screenshots, "live-presenter.png"), fullPage: true });

    // Hide: gone for the participants and the presenter at once.
    await visible(first).getByRole("button", { name: "Ausblenden" }).click();
    await m.locator(".live-queue-hidden li.live-question", { hasText: first }).waitFor(live);
    for (const page of [a.page, b.page]) await item(page, first).waitFor({ state: "detached", timeout: 5000 });
    await p.locator(".presenter-question", { hasText: first }).waitFor({ state: "detached", timeout: 5000 });
    assert.deepEqual((await questionTexts(b.page)).sort(), [second, third].sort());

    // End the poll; then a scale poll, voted by keyboard.
    await m.getByRole("button", { name: "Umfrage beenden" }).click();
    await a.page.locator(".live-panel").getByText("Die Umfrage ist beendet.").waitFor(live);
    await announced(a.page, "Die Umfrage ist beendet.");
    assert.equal(await a.page.getByRole("radio").count(), 0, "no voting in an ended poll");
    await m.getByRole("radio", { name: "Skala 1 bis 5" }).check();
    assert.equal(await m.getByLabel("Antworten", { exact: true }).count(), 0, "a scale has no answers to enter");
    await m.getByLabel("Frage der Umfrage").fill("Wie gut fühlen Sie sich vorbereitet?");
    await m.getByRole("button", { name: "Umfrage starten" }).click();
    await a.page.getByRole("group", { name: "Wie gut fühlen Sie sich vorbereitet?" }).waitFor(live);
    assert.equal(await a.page.getByRole("group", { name: "Wie gut fühlen Sie sich vorbereitet?" }).getAttribute("aria-describedby") !== null, true);
    await a.page.getByRole("radio", { name: "1" }).focus();
    await a.page.keyboard.press("Space");
    for (let i = 0; i < 3; i++) await a.page.keyboard.press("ArrowRight");
    assert.equal(await a.page.getByRole("radio", { name: "4" }).isChecked(), true);
    await a.page.getByRole("button", { name: "Abstimmen" }).click();
    await b.page.getByRole("radio", { name: "2" }).check();
    await b.page.getByRole("button", { name: "Abstimmen" }).click();
    await p.getByText("2 Personen haben abgestimmt · Mittelwert 3").waitFor(live);
    assert.deepEqual(await p.locator(".live-bar-figures").allTextContents(),
      ["0 Stimmen · 0 %", "1 Stimme · 50 %", "0 Stimmen · 0 %", "1 Stimme · 50 %", "0 Stimmen · 0 %"]);
    await assertAccessible(m, "live-moderation");
    await m.screenshot({ path: join(screenshots, "live-moderation.png"), fullPage: true });

    // Multiple choice: checkboxes, percent of the voters (so the sum may pass 100).
    await m.getByRole("button", { name: "Umfrage beenden" }).click();
    await m.getByRole("radio", { name: "Mehrere Antworten" }).check();
    await m.getByLabel("Frage der Umfrage").fill("Was haben Sie schon umgesetzt?");
    await m.getByLabel("Antworten", { exact: true }).fill("Backups\nZwei-Faktor-Anmeldung\n\nNotfallplan\n");
    await m.getByRole("button", { name: "Umfrage starten" }).click();
    const multi = a.page.getByRole("group", { name: "Was haben Sie schon umgesetzt?" });
    await multi.waitFor(live);
    await announced(a.page, "Neue Umfrage: Was haben Sie schon umgesetzt?");
    assert.equal(await multi.getByRole("checkbox").count(), 3, "the empty line is not an answer");
    await a.page.getByRole("checkbox", { name: "Backups" }).check();
    await a.page.getByRole("checkbox", { name: "Notfallplan" }).check();
    await a.page.getByRole("button", { name: "Abstimmen" }).click();
    await b.page.getByRole("group", { name: "Was haben Sie schon umgesetzt?" }).waitFor(live);
    await b.page.getByRole("checkbox", { name: "Backups" }).check();
    await b.page.getByRole("button", { name: "Abstimmen" }).click();
    await a.page.getByText("2 Personen haben abgestimmt").waitFor(live);
    assert.deepEqual(await a.page.locator(".live-bar-figures").allTextContents(), ["2 Stimmen · 100 %", "0 Stimmen · 0 %", "1 Stimme · 50 %"]);
    assert.deepEqual(await a.page.locator(".live-bars .live-badge-mine").count(), 2);
    // A phone: no horizontal scrolling.
    await a.page.setViewportSize({ width: 320, height: 800 });
    assert.equal(await a.page.evaluate(() => document.documentElement.scrollWidth), 320);

    // Close: the participants are told, asking is gone, the moderation has the summary.
    await m.getByRole("button", { name: "Fragerunde beenden" }).click();
    const summary = m.getByRole("status").filter({ hasText: /^Die Fragerunde ist beendet: / });
    await summary.waitFor();
    // The hidden (and answered) first question is not counted.
    assert.equal(await summary.textContent(), "Die Fragerunde ist beendet: 2 Fragen, davon 0 beantwortet.");
    for (const page of [a.page, b.page]) {
      await page.getByText("Die Fragerunde ist beendet. Vielen Dank fürs Mitmachen!").waitFor(live);
      assert.equal(await page.getByLabel("Ihre Frage").count(), 0);
    }
    await announced(b.page, "Die Fragerunde ist beendet.");
  } finally {
    for (const opened of pages) await close(opened);
    await gql(`mutation($e: ID!) { cancelEvent(id: $e, reason: "Test beendet") { status } }`, { e: eventId }, token);
  }
});

test("live session: an unknown code says so and offers another", { skip }, async () => {
  const opened = await open("/live/ZZZZZZ");
  const { page } = opened;
  await page.getByRole("alert").filter({ hasText: "Zu diesem Code gibt es keine Live-Fragerunde." }).waitFor();
  await page.getByRole("link", { name: "Anderen Code eingeben" }).click();
  await page.waitForURL(`${origin}/live`);
  await close(opened);
});
