// Dates, times, phone numbers and addresses as people in Germany read them.
// Times are always shown in Europe/Berlin, wherever the browser is.
import { texts } from "./texts";

const zone = "Europe/Berlin";
const longDate = new Intl.DateTimeFormat("de-DE", {
  timeZone: zone,
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
});
const shortDate = new Intl.DateTimeFormat("de-DE", { timeZone: zone, day: "numeric", month: "long", year: "numeric" });
const clock = new Intl.DateTimeFormat("de-DE", { timeZone: zone, hour: "2-digit", minute: "2-digit" });
const offsetName = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
const isoParts = new Intl.DateTimeFormat("en-US", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" });

/** "Mittwoch, 9. Dezember 2026, 12:00 bis 13:00 Uhr" */
export function formatWhen(startsAt: string, endsAt?: string | null): string {
  const start = new Date(startsAt);
  const from = `${longDate.format(start)}, ${clock.format(start)}`;
  if (!endsAt) return `${from} ${texts.time.clock}`;
  const end = new Date(endsAt);
  if (isoDate(start) === isoDate(end)) return `${from} ${texts.time.until} ${clock.format(end)} ${texts.time.clock}`;
  return `${from} ${texts.time.clock} ${texts.time.until} ${longDate.format(end)}, ${clock.format(end)} ${texts.time.clock}`;
}

/** "23. November 2026" */
export function formatDate(at: string): string {
  return shortDate.format(new Date(at));
}

/** The calendar day of an instant in Berlin, as YYYY-MM-DD (the value of <input type="date">). */
export function isoDate(at: Date): string {
  const part = (type: string) => isoParts.formatToParts(at).find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/** Midnight of a YYYY-MM-DD day in Berlin as RFC 3339 with offset. */
export function startOfDay(day: string): string {
  // Berlin changes its offset at 01:00 UTC, so at 00:00 UTC of the day the
  // offset is still the one of local midnight.
  const name = offsetName.formatToParts(new Date(`${day}T00:00:00Z`)).find((p) => p.type === "timeZoneName");
  const offset = name?.value.replace("GMT", "") || "+00:00";
  return `${day}T00:00:00${offset}`;
}

export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, "")}`;
}

/** "https://lka.polizei.nrw/" → "lka.polizei.nrw" */
export function displayUrl(url: string): string {
  return url.replace(/^https?:\/\//, "").replace(/\/$/, "");
}

const dateTime = new Intl.DateTimeFormat("de-DE", {
  timeZone: zone,
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

/** "23. November 2026 um 14:05" */
export function formatDateTime(at: string): string {
  return dateTime.format(new Date(at));
}

/** The German label of a rollout status; unknown values as they are. */
export function statusLabel(status: string): string {
  return (texts.rolloutStatus as Record<string, string | undefined>)[status] ?? status;
}
