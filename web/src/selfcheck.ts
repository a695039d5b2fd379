// The readiness self-check in the browser: the catalogue (loaded once), the
// screens of a check as they stand in the URL (?schritt=…), and the order of
// the questions. What is open and what comes next is the server's answer
// (result.openStatusQuestions, result.openRequirements, nextStatusQuestion,
// nextRequirement); the order of the questions asked follows the schema's
// rules needsStatus and notMetWithout.
import { request } from "./api";
import {
  SelfCheckCatalogueDocument,
  type CheckAnswer,
  type SelfCheckCatalogueQuery,
  type SelfCheckStateFragment,
} from "./gql/graphql";
import { href, paths } from "./router";

export type Catalogue = SelfCheckCatalogueQuery["selfCheckCatalogue"];
export type Requirement = Catalogue["requirements"][number];
export type CheckState = SelfCheckStateFragment;

let catalogue: Promise<Catalogue> | null = null;

/** The catalogue: the same for every check, so loaded once per page load. */
export function loadCatalogue(): Promise<Catalogue> {
  catalogue ??= request(SelfCheckCatalogueDocument, {}).then(
    (data) => data.selfCheckCatalogue,
    (error) => {
      catalogue = null; // the next try asks again
      throw error;
    },
  );
  return catalogue;
}

/** One question: a status question (its index in the catalogue) or a requirement (its number). */
export type Question = { kind: "status"; index: number } | { kind: "requirement"; number: number };

/**
 * A screen of a check. Without ?schritt= the check shows where it stands
 * (welcome back, or the result of a finished check).
 */
export type Step = { kind: "overview" } | { kind: "link" } | { kind: "pause" } | { kind: "done" } | Question;

/** ?schritt= → Step: link, pause, fertig, vorab-1 … vorab-5, 1 … 27. */
export function parseStep(value: string | null, cat: Catalogue): Step {
  if (value === "link") return { kind: "link" };
  if (value === "pause") return { kind: "pause" };
  if (value === "fertig") return { kind: "done" };
  const status = /^vorab-(\d)$/.exec(value ?? "");
  if (status) {
    const index = Number(status[1]) - 1;
    if (index >= 0 && index < cat.statusQuestions.length) return { kind: "status", index };
  }
  if (/^\d{1,2}$/.test(value ?? "")) {
    const number = Number(value);
    if (cat.requirements.some((r) => r.number === number)) return { kind: "requirement", number };
  }
  return { kind: "overview" };
}

export function stepParam(step: Step): string | null {
  switch (step.kind) {
    case "overview":
      return null;
    case "link":
      return "link";
    case "pause":
      return "pause";
    case "done":
      return "fertig";
    case "status":
      return `vorab-${step.index + 1}`;
    case "requirement":
      return String(step.number);
  }
}

/** The address of a screen of the check with this resume token. */
export function stepHref(token: string, step: Step): string {
  return href(paths.selfCheck, { token, schritt: stepParam(step) });
}

/** The resume link as the person keeps it: this site's address, no screen. */
export function resumeLink(token: string): string {
  return location.origin + href(paths.selfCheck, { token });
}

export function shareLink(shareToken: string): string {
  return location.origin + href(paths.selfCheckView, { token: shareToken });
}

/** The status questions answered "no" so far. */
function answeredNo(state: CheckState): Set<string> {
  return new Set(state.statusAnswers.filter((s) => !s.answer).map((s) => s.question));
}

/**
 * The requirements that are asked: those whose status question is not
 * answered "no" (needsStatus: not applicable; notMetWithout: counts as not
 * met without being asked).
 */
export function askedRequirements(cat: Catalogue, state: CheckState): Requirement[] {
  const no = answeredNo(state);
  return cat.requirements.filter(
    (r) => !(r.needsStatus && no.has(r.needsStatus)) && !(r.notMetWithout && no.has(r.notMetWithout)),
  );
}

/** Every question asked, in order: the status questions, then the requirements. */
export function questions(cat: Catalogue, state: CheckState): Question[] {
  return [
    ...cat.statusQuestions.map((_, index): Question => ({ kind: "status", index })),
    ...askedRequirements(cat, state).map((r): Question => ({ kind: "requirement", number: r.number })),
  ];
}

const same = (a: Question, b: Question) =>
  a.kind === "status" ? b.kind === "status" && a.index === b.index : b.kind === "requirement" && a.number === b.number;

/** Whether the server lists the question as open. */
export function isOpen(q: Question, cat: Catalogue, state: CheckState): boolean {
  if (q.kind === "status") {
    const question = cat.statusQuestions[q.index]?.question;
    return state.result.openStatusQuestions.some((s) => s === question);
  }
  return state.result.openRequirements.some((r) => r.number === q.number);
}

/** The server's next open question: status questions first, then requirements. */
export function firstOpen(cat: Catalogue, state: CheckState): Question | null {
  if (state.nextStatusQuestion) {
    const index = cat.statusQuestions.findIndex((s) => s.question === state.nextStatusQuestion);
    if (index >= 0) return { kind: "status", index };
  }
  return state.nextRequirement ? { kind: "requirement", number: state.nextRequirement.number } : null;
}

/**
 * Where to go after answering q: the next open question after it (going on
 * where one left off after changing an earlier answer), else the first
 * open one, else the end.
 */
export function afterAnswer(q: Question, cat: Catalogue, state: CheckState): Step {
  const all = questions(cat, state);
  const at = all.findIndex((x) => same(x, q));
  const later = all.slice(at + 1).find((x) => isOpen(x, cat, state));
  return later ?? firstOpen(cat, state) ?? { kind: "done" };
}

/** The question before and after q in the order asked (null at the ends). */
export function neighbours(q: Question, cat: Catalogue, state: CheckState): { previous: Question | null; next: Question | null } {
  const all = questions(cat, state);
  const at = all.findIndex((x) => same(x, q));
  if (at < 0) return { previous: null, next: null };
  return { previous: all[at - 1] ?? null, next: all[at + 1] ?? null };
}

/** The answer given to q, if any. */
export function answerOf(q: Question, cat: Catalogue, state: CheckState): CheckAnswer | boolean | undefined {
  if (q.kind === "status") {
    const question = cat.statusQuestions[q.index]?.question;
    return state.statusAnswers.find((s) => s.question === question)?.answer;
  }
  return state.answers.find((a) => a.requirement.number === q.number)?.answer;
}

/**
 * How far the check is: the questions asked and how many of them have an
 * answer (a requirement that counts as not met without being asked is no
 * question the person answered).
 */
export function progress(cat: Catalogue, state: CheckState): { answered: number; total: number } {
  const all = questions(cat, state);
  return { answered: all.filter((q) => answerOf(q, cat, state) !== undefined).length, total: all.length };
}

/**
 * Where a requirement stands among those asked: overall, and within its
 * area (with the area's place among the six).
 */
export function position(number: number, cat: Catalogue, state: CheckState) {
  const asked = askedRequirements(cat, state);
  const requirement = cat.requirements.find((r) => r.number === number);
  const inArea = asked.filter((r) => r.area === requirement?.area);
  const areaIndex = cat.areas.findIndex((a) => a.area === requirement?.area);
  return {
    n: asked.findIndex((r) => r.number === number) + 1,
    total: asked.length,
    area: cat.areas[areaIndex],
    areaIndex: areaIndex + 1,
    areas: cat.areas.length,
    nInArea: inArea.findIndex((r) => r.number === number) + 1,
    totalInArea: inArea.length,
  };
}
