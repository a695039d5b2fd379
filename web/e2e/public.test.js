// The public pages against a seeded Cyberlotse: find help, emergency help,
// the event list and an event page, with keyboard, phone width and axe.
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertAccessible, close, expectFocusHref, expectFocusText, open, screenshot } from "./harness.js";

const germanDate =
  /^(Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag), \d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \d{4}, \d{2}:\d{2}( bis \d{2}:\d{2})? Uhr$/;

test("start page: Kalletal shows its contacts with reasons, events, measures and offers", async () => {
  const opened = await open("/");
  const { page } = opened;
  assert.equal(await page.getAttribute("html", "lang"), "de");
  assert.equal(
    await page.getByRole("heading", { level: 1 }).textContent(),
    "Cyberlotse – Hilfe bei Cyberangriffen für Unternehmen in NRW",
  );
  await page.getByLabel("Postleitzahl oder Ort").fill("Kalletal");
  await page.getByLabel("Postleitzahl oder Ort").press("Enter");

  const contacts = page.getByRole("region", { name: "Ihre Ansprechstellen" });
  await contacts.getByRole("heading", { name: /^Regionalmanagement/ }).waitFor();
  await contacts.getByRole("heading", { name: "Interventionsteam Digitale Tatorte – Polizeipräsidium Bielefeld" }).waitFor();
  assert.match(await page.getByRole("status").textContent() ?? "", /^Ergebnisse für Kalletal: \d+ Ansprechstellen/);
  assert.ok(await page.getByText("Regionalmanagement für Ihre Region: Satellit Kalletal").isVisible(), "reason shown");
  const measures = page.getByRole("region", { name: "Was Sie zuerst tun können" });
  assert.ok((await measures.getByText("Beispieldaten", { exact: true }).count()) > 0, "sample measures are marked");
  assert.ok((await page.getByRole("region", { name: "Nächste Veranstaltungen" }).getByRole("link").count()) > 1);
  assert.ok((await page.getByRole("region", { name: "Angebote für Sie" }).getByRole("listitem").count()) > 0);
  assert.equal(new URL(page.url()).search, "?ort=Kalletal");

  await screenshot(page, "start-kalletal.png");
  await assertAccessible(page, "start-kalletal");
  await close(opened);
});

test("start page: the ambiguous postcode 40721 lets the person pick Hilden", async () => {
  const opened = await open("/");
  const { page } = opened;
  await page.getByLabel("Postleitzahl oder Ort").fill("40721");
  await page.getByRole("button", { name: "Hilfe finden" }).click();
  const candidates = page.getByRole("heading", { name: "Welchen Ort meinen Sie?" });
  await candidates.waitFor();
  await expectFocusText(page, "Welchen Ort meinen Sie?", "focus moves to the choice");
  await assertAccessible(page, "start-candidates");
  await page.getByRole("link", { name: "Hilden", exact: true }).click();
  await page.getByText("Hilfe für Hilden (Kreis Mettmann)").waitFor();
  assert.equal(await page.getByLabel("Postleitzahl oder Ort").inputValue(), "Hilden");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "place", "the focus stays in the search");
  await close(opened);
});

test("start page: an unknown place gets the German message at the field", async () => {
  const opened = await open("/?ort=Xyzdorf");
  const { page } = opened;
  const error = page.locator("#place-error");
  await error.waitFor();
  assert.match(await error.textContent() ?? "", /^Der Ort „Xyzdorf“ ist in Nordrhein-Westfalen nicht bekannt/);
  assert.equal(await page.getByLabel("Postleitzahl oder Ort").getAttribute("aria-invalid"), "true");
  await page.getByLabel("Postleitzahl oder Ort").fill("");
  await page.getByRole("button", { name: "Hilfe finden" }).click();
  assert.equal(await error.textContent(), "Bitte geben Sie eine Postleitzahl oder einen Ort ein.");
  await assertAccessible(page, "start-unknown-place");
  await close(opened);
});

test("emergency page: steps in order, Polizeinotruf with tel:110, kind switch", async () => {
  const opened = await open("/?ort=Kalletal");
  const { page } = opened;
  await page.getByRole("link", { name: "Wir wurden angegriffen" }).click();
  await page.waitForURL(/\/notfall\?ort=Kalletal$/);
  await expectFocusText(page, "Wir wurden angegriffen – was jetzt?", "focus on the new page's heading");

  const steps = page.getByRole("region", { name: "Die ersten Schritte" }).locator("ol > li");
  await steps.first().waitFor();
  assert.ok((await steps.count()) >= 3);
  const calls = page.getByRole("region", { name: "Wen Sie jetzt anrufen" });
  const police = calls.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Polizeinotruf" }) });
  assert.equal(await police.getByRole("link", { name: "110 anrufen" }).getAttribute("href"), "tel:110");
  const zac = calls.getByRole("listitem").filter({ has: page.getByRole("heading", { name: /^Zentrale Ansprechstelle Cybercrime/ }) });
  assert.equal(await zac.getByRole("link").getAttribute("href"), "https://lka.polizei.nrw", "website when there is no phone");
  assert.equal(await page.getByRole("radio", { name: "Unternehmen" }).isChecked(), true);

  await screenshot(page, "emergency-kalletal.png");
  await assertAccessible(page, "emergency");

  await page.getByRole("radio", { name: "Kommune" }).check();
  await calls.getByRole("heading", { name: /^CERT NRW/ }).waitFor();
  assert.match(page.url(), /art=kommune/);
  await close(opened);
});

test("emergency page without a place asks for one and already shows 110", async () => {
  const opened = await open("/notfall");
  const { page } = opened;
  assert.equal(await page.getByRole("link", { name: "110 anrufen" }).getAttribute("href"), "tel:110");
  await page.getByRole("radio", { name: "Privatperson" }).check();
  await page.getByLabel("Postleitzahl oder Ort").fill("32689");
  await page.getByRole("button", { name: "Hilfe anzeigen" }).click();
  await page.getByText("Notfallhilfe für Privatperson in Kalletal geladen.").waitFor();
  await assertAccessible(page, "emergency-start");
  await close(opened);
});

test("event list: upcoming events, filters and 'Mehr laden'", async () => {
  const opened = await open("/veranstaltungen");
  const { page } = opened;
  const items = page.locator("main ol.cards > li");
  await items.first().waitFor();
  const first = await items.count();
  assert.equal(first, 10);
  const status = (await page.getByRole("status").textContent()) ?? "";
  const total = Number(/von (\d+) Veranstaltungen/.exec(status)?.[1]);
  assert.ok(total > 10, `more than one page of upcoming events (${status})`);
  for (const time of await page.locator("main ol.cards time").evaluateAll((els) => els.map((e) => e.getAttribute("datetime")))) {
    assert.ok(new Date(time ?? "") > new Date(Date.now() - 60_000), `upcoming only: ${time}`);
  }
  await assertAccessible(page, "events");

  await page.getByRole("button", { name: "Mehr laden" }).click();
  await page.getByText(`${total} von ${total} Veranstaltungen angezeigt.`).waitFor();
  assert.equal(await items.count(), total);
  await expectFocusHref(page, await items.nth(first).getByRole("link").getAttribute("href"), "focus on the first new event");
  assert.equal(await page.getByRole("button", { name: "Mehr laden" }).count(), 0);

  await page.getByLabel("Format").selectOption({ label: "Lunchtalk" });
  await page.getByRole("button", { name: "Anzeigen" }).click();
  await page.waitForURL(/format=LUNCHTALK/);
  await page.getByText(/^\d+ von \d+ Veranstaltungen? angezeigt\.$/).waitFor();
  const formats = await page.locator("main ol.cards p.meta:nth-of-type(2)").allTextContents();
  assert.ok(formats.length > 0 && formats.every((f) => f.startsWith("Lunchtalk")), formats.join(" | "));
  assert.equal(await page.getByLabel("Format").inputValue(), "LUNCHTALK", "the filter keeps its value");
  await close(opened);
});

test("event list: events near a place, with distances, and an unknown place explained", async () => {
  const opened = await open("/veranstaltungen");
  const { page } = opened;
  await page.locator("main ol.cards > li").first().waitFor();
  await page.getByLabel("In der Nähe von").fill("Kalletal");
  await page.getByLabel("Umkreis").selectOption({ label: "25 km" });
  await page.getByRole("button", { name: "Anzeigen" }).click();
  await page.waitForURL(/nahe=Kalletal&umkreis=25/);
  await page.getByText(/^\d+ von \d+ Veranstaltung(en)? angezeigt\.$/).waitFor();
  const places = await page.locator("main ol.cards p.meta:nth-of-type(2)").allTextContents();
  // The seeded information evening in Kalletal (March 2027); Bielefeld, 30 km away, is not.
  assert.ok(places.some((p) => p.includes("· Kalletal · am Ort")), places.join(" | "));
  assert.ok(places.every((p) => !p.includes("Bielefeld") && !p.includes("Online")), places.join(" | "));
  assert.equal(await page.getByLabel("In der Nähe von").inputValue(), "Kalletal", "the filter keeps its value");
  await assertAccessible(page, "events-near");

  await page.getByLabel("Umkreis").selectOption({ label: "50 km" });
  await page.getByRole("button", { name: "Anzeigen" }).click();
  await page.waitForURL(/umkreis=50/);
  await page.getByText(/· Bielefeld · \d+ km entfernt/).first().waitFor();

  await page.getByLabel("In der Nähe von").fill("Atlantis");
  await page.getByRole("button", { name: "Anzeigen" }).click();
  await page.getByText(/Atlantis/).first().waitFor();
  assert.match((await page.locator("main .notice").first().textContent()) ?? "", /Atlantis/);
  await close(opened);
});

test("event page: date and time in German, place, organizer", async () => {
  const opened = await open("/veranstaltungen");
  const { page } = opened;
  const link = page.locator("main ol.cards h2 a").first();
  const title = (await link.textContent()) ?? "";
  await link.click();
  await page.waitForURL(/\/veranstaltungen\/[a-z0-9-]+$/);
  await page.getByRole("heading", { level: 1, name: title }).waitFor();
  await expectFocusText(page, title);
  assert.equal(await page.title(), `${title} – Cyberlotse`);
  const when = (await page.locator("dl.details time").textContent()) ?? "";
  assert.match(when, germanDate);
  assert.ok(await page.getByRole("term").filter({ hasText: "Veranstalter" }).isVisible());
  await screenshot(page, "event.png");
  await assertAccessible(page, "event");
  await close(opened);
});

test("event page: an onsite event names venue and municipality", async () => {
  const opened = await open("/veranstaltungen/kalletal-infoabend-2027-03-18");
  const { page } = opened;
  await page.getByRole("heading", { level: 1, name: /^Infoabend Cybersicherheit/ }).waitFor();
  const where = page.locator("dl.details dd").nth(1);
  assert.match((await where.textContent()) ?? "", /Kalletal$/);
  assert.match((await page.locator("dl.details time").textContent()) ?? "", /^Donnerstag, 18\. März 2027, 18:00 (bis \d\d:\d\d )?Uhr$/);
  assert.ok(await page.getByText("Beispieldaten", { exact: true }).isVisible());
  await close(opened);
});

test("event page: a past event takes no registrations", async () => {
  const opened = await open("/veranstaltungen/kalletal-infoabend-2025-09-04");
  const { page } = opened;
  await page.getByText("Diese Veranstaltung hat bereits stattgefunden.").waitFor();
  assert.equal(await page.getByRole("button", { name: "Verbindlich anmelden" }).count(), 0);
  assert.equal(await page.locator("dl.details time").textContent(), "Donnerstag, 4. September 2025, 18:00 Uhr");
  await close(opened);
});

test("event page: an unknown event says so", async () => {
  const opened = await open("/veranstaltungen/gibt-es-nicht");
  const { page } = opened;
  await page.getByRole("heading", { level: 1, name: "Diese Veranstaltung gibt es nicht (mehr)." }).waitFor();
  await close(opened);
});

test("keyboard: the skip link comes first and leads to the content", async () => {
  const opened = await open("/");
  const { page } = opened;
  await page.getByRole("heading", { level: 1 }).waitFor();
  await page.keyboard.press("Tab");
  await expectFocusText(page, "Zum Inhalt springen");
  assert.ok(await page.getByRole("link", { name: "Zum Inhalt springen" }).isVisible(), "visible when focused");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "inhalt");
  await page.keyboard.press("Tab");
  await expectFocusText(page, "Wir wurden angegriffen", "next stop is the emergency button");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "place");
  await page.keyboard.type("Kalletal");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: /^Regionalmanagement/ }).waitFor();
  await close(opened);
});

test("phone width: no horizontal scrolling on start, emergency and event pages", async () => {
  for (const path of ["/?ort=Kalletal", "/notfall?ort=Kalletal", "/veranstaltungen", "/veranstaltungen/kalletal-infoabend-2027-03-18"]) {
    const opened = await open(path, { width: 360, height: 740 });
    const { page } = opened;
    await page.locator("main h2, main .card").first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${path} is ${overflow}px wider than the phone`);
    if (path === "/notfall?ort=Kalletal") await screenshot(page, "emergency-phone.png");
    await close(opened);
  }
});

test("unknown paths show the German not-found page", async () => {
  const opened = await open("/gibt/es/nicht");
  const { page } = opened;
  await page.getByRole("heading", { level: 1, name: "Seite nicht gefunden" }).waitFor();
  await assertAccessible(page, "not-found");
  await close(opened);
});

test("manage page without a token explains what to do", async () => {
  const opened = await open("/anmeldung");
  const { page } = opened;
  await page.getByText("Dieser Link ist unvollständig.", { exact: false }).waitFor();
  await assertAccessible(page, "manage-no-token");
  await close(opened);
});
