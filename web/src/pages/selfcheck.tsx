// /selbstcheck: the intro without a token; with ?token=… the check itself,
// one screen at a time (?schritt=…), and when finished its result.
// /selbstcheck/ansicht?token=…: the read-only view of a shared check.
// The token stays in the address, so a bookmark (or the copied link) brings
// the person back after closing the browser; nothing is kept in storage.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { request } from "../api";
import { asApiError, useAsync, type Async } from "../async";
import { CopyLink } from "../components/copy-link";
import { LiveStatus, Notice } from "../components/notice";
import { Page } from "../components/page";
import {
  AnswerSelfCheckDocument,
  FinishSelfCheckDocument,
  PauseSelfCheckDocument,
  ResumeSelfCheckDocument,
  SelfCheckDocument,
  type CheckActionsFieldsFragment,
  type CheckAnswer,
  type SelfCheckAnswersInput,
} from "../gql/graphql";
import { Link, navigate, paths, useLocation } from "../router";
import {
  answerOf,
  askedRequirements,
  afterAnswer,
  firstOpen,
  loadCatalogue,
  neighbours,
  parseStep,
  position,
  progress,
  questions,
  resumeLink,
  stepHref,
  type Catalogue,
  type CheckState,
  type Question,
  type Step,
} from "../selfcheck";
import { texts } from "../texts";
import { SelfCheckIntro } from "./selfcheck-intro";
import { OwnerResult, SharedSelfCheckPage } from "./selfcheck-result";

/** The pages of the self-check (a chunk of their own, loaded on first use). */
export function SelfCheckRoute() {
  const { path, params } = useLocation();
  const token = params.get("token");
  if (path === paths.selfCheckView) return <SharedSelfCheckPage token={token} />;
  return token ? <CheckPage key={token} token={token} step={params.get("schritt")} /> : <SelfCheckIntro />;
}

type Loaded = { cat: Catalogue; check: CheckState };

/** What a screen shows: its h1 (with a kicker line), and below it the rest. */
type Screen = { heading: string; kicker?: ComponentChildren; title?: string; body: ComponentChildren };

function CheckPage({ token, step: stepValue }: { token: string; step: string | null }) {
  const [loaded, reload] = useAsync(
    () => Promise.all([loadCatalogue(), request(SelfCheckDocument, { token })]).then(([cat, d]) => ({ cat, check: d.selfCheck })),
    [token],
  );
  // The check as the last mutation returned it (newer than the loaded one).
  const [latest, setLatest] = useState<CheckState | null>(null);
  const [actions, setActions] = useState<CheckActionsFieldsFragment | null>(null);
  const [deleted, setDeleted] = useState(false);
  const [said, say] = useState("");

  let screen: Screen;
  let key = stepValue ?? "";
  if (deleted) {
    key = "deleted";
    screen = { heading: texts.selfCheck.deletedHeading, body: <Deleted /> };
  } else if (loaded.status !== "done") {
    screen = { heading: texts.selfCheck.title, body: <Loading state={loaded} /> };
  } else {
    const cat = loaded.data.cat;
    const check = latest ?? loaded.data.check;
    const update = (next: CheckState, nextActions?: CheckActionsFieldsFragment) => {
      setLatest(next);
      if (nextActions) setActions(nextActions);
    };
    if (check.status === "FINISHED") {
      key = "result";
      screen = {
        heading: texts.selfCheck.resultHeading,
        title: texts.selfCheck.resultTitle,
        body: (
          <OwnerResult
            token={token}
            cat={cat}
            check={check}
            actions={actions}
            onChange={update}
            onDeleted={() => setDeleted(true)}
          />
        ),
      };
    } else {
      // Loaded again (a conflict): what the server says now counts, not the last mutation's answer.
      const reloadCheck = () => {
        setLatest(null);
        reload();
      };
      screen = checkScreen(parseStep(stepValue, cat), { token, cat, check, update, reload: reloadCheck, say });
    }
  }
  return (
    <Page
      heading={screen.heading}
      kicker={screen.kicker}
      title={screen.title ?? `${texts.selfCheck.title}: ${screen.heading}`}
      ready={loaded.status !== "loading"}
      focusKey={key}
    >
      <LiveStatus message={said} />
      {screen.body}
    </Page>
  );
}

function Loading({ state }: { state: Async<Loaded> }) {
  return (
    <>
      <LiveStatus message={state.status === "loading" ? texts.selfCheck.loading : ""} />
      {state.status === "error" && (
        <>
          <Notice kind="error">{state.error.message}</Notice>
          <p>
            <Link href={paths.selfCheck}>{texts.selfCheck.newCheck}</Link>
          </p>
        </>
      )}
    </>
  );
}

function Deleted() {
  return (
    <>
      <Notice kind="success">{texts.selfCheck.deleted}</Notice>
      <p>
        <Link href={paths.selfCheck}>{texts.selfCheck.newCheck}</Link>
      </p>
    </>
  );
}

type Ctx = {
  token: string;
  cat: Catalogue;
  check: CheckState;
  /** The check as a mutation returned it, with its next actions when it was finished. */
  update: (check: CheckState, actions?: CheckActionsFieldsFragment) => void;
  reload: () => void;
  /** Says something in the page's status line, which stays from screen to screen ("Gespeichert: Nein."). */
  say: (message: string) => void;
};

function checkScreen(step: Step, ctx: Ctx): Screen {
  const { cat, check } = ctx;
  switch (step.kind) {
    case "link":
      return { heading: texts.selfCheck.linkHeading, body: <LinkScreen {...ctx} /> };
    case "pause":
      return { heading: texts.selfCheck.pausedHeading, body: <PauseScreen {...ctx} /> };
    case "done": {
      const open = check.result.openStatusQuestions.length + check.result.openRequirements.length;
      return { heading: open > 0 ? texts.selfCheck.reviewTitle : texts.selfCheck.doneHeading, body: <DoneScreen {...ctx} /> };
    }
    case "status": {
      const q = cat.statusQuestions[step.index];
      if (!q) break;
      return {
        heading: q.text,
        kicker: texts.selfCheck.statusPosition(step.index + 1, cat.statusQuestions.length),
        title: `${texts.selfCheck.title}: ${texts.selfCheck.statusPosition(step.index + 1, cat.statusQuestions.length)}`,
        body: <QuestionScreen {...ctx} question={step} key={`s${step.index}`} />,
      };
    }
    case "requirement": {
      const r = askedRequirements(cat, check).find((x) => x.number === step.number);
      if (!r) break; // not asked (a status answer excluded it): where the check stands
      const at = position(r.number, cat, check);
      const kicker = (
        <>
          {texts.selfCheck.requirementPosition(at.n, at.total)} · {texts.selfCheck.requirementNumber(r.number)}
          {r.top && (
            <>
              {" "}
              <span class="badge badge-top">{texts.selfCheck.top}</span>
            </>
          )}
        </>
      );
      return {
        heading: r.question,
        kicker,
        title: `${texts.selfCheck.title}: ${texts.selfCheck.requirementPosition(at.n, at.total)}`,
        body: <QuestionScreen {...ctx} question={step} key={`r${r.number}`} />,
      };
    }
  }
  return { heading: texts.selfCheck.welcomeHeading, body: <Overview {...ctx} /> };
}

/** The next screen to go on with: the first open question, or the end. */
function goOn(ctx: Ctx) {
  navigate(stepHref(ctx.token, firstOpen(ctx.cat, ctx.check) ?? { kind: "done" }));
}

/**
 * Runs a mutation of the check, saying in the status line what it does; its
 * error is shown by MutationError. A finished check (finished in another tab)
 * is loaded again.
 */
function useMutation(ctx: Ctx) {
  const [state, setState] = useState<{ busy: boolean; error: string | null; round: number }>({ busy: false, error: null, round: 0 });
  const run = async (doing: string, action: () => Promise<string>) => {
    setState((s) => ({ busy: true, error: null, round: s.round }));
    ctx.say(doing);
    try {
      ctx.say(await action());
      setState((s) => ({ busy: false, error: null, round: s.round }));
    } catch (e) {
      const error = asApiError(e);
      ctx.say("");
      if (error.code === "CONFLICT") ctx.reload();
      setState((s) => ({ busy: false, error: error.message, round: s.round + 1 }));
    }
  };
  return { ...state, run };
}

function MutationError({ error, round }: { error: string | null; round: number }) {
  return error ? (
    <Notice kind="error" key={round}>
      {error}
    </Notice>
  ) : null;
}

function ProgressLine({ cat, check }: { cat: Catalogue; check: CheckState }) {
  const { answered, total } = progress(cat, check);
  return (
    <div class="check-progress">
      <progress max={total} value={answered} aria-labelledby="check-progress-label" />
      <span id="check-progress-label">{texts.selfCheck.progress(answered, total)}</span>
    </div>
  );
}

function LinkScreen(ctx: Ctx) {
  return (
    <>
      <p class="lead">{texts.selfCheck.linkIntro}</p>
      <p class="notice notice-info">
        <strong>{texts.selfCheck.linkOnlyWay}</strong>
      </p>
      <CopyLink id="resume-link" label={texts.selfCheck.linkLabel} url={resumeLink(ctx.token)} hint={texts.selfCheck.linkSecret} />
      <p>
        <button type="button" class="button-start" onClick={() => goOn(ctx)}>
          {texts.selfCheck.begin}
        </button>
      </p>
    </>
  );
}

function Overview(ctx: Ctx) {
  const m = useMutation(ctx);
  const { check } = ctx;
  const go = () =>
    m.run(texts.selfCheck.working, async () => {
      if (check.status === "PAUSED") {
        const { resumeSelfCheck } = await request(ResumeSelfCheckDocument, { token: ctx.token });
        ctx.update({ ...check, status: resumeSelfCheck.status });
        goOn(ctx);
      } else goOn(ctx);
      return "";
    });
  return (
    <>
      <p class="lead">{check.status === "PAUSED" ? texts.selfCheck.welcomePaused : texts.selfCheck.welcomeInProgress}</p>
      <ProgressLine {...ctx} />
      <MutationError error={m.error} round={m.round} />
      <p>
        <button type="button" class="button-start" disabled={m.busy} onClick={go}>
          {texts.selfCheck.continue}
        </button>
      </p>
      <CopyLink id="resume-link" label={texts.selfCheck.linkLabel} url={resumeLink(ctx.token)} hint={texts.selfCheck.linkOnlyWay} />
    </>
  );
}

function PauseScreen(ctx: Ctx) {
  const m = useMutation(ctx);
  const resume = () =>
    m.run(texts.selfCheck.working, async () => {
      const { resumeSelfCheck } = await request(ResumeSelfCheckDocument, { token: ctx.token });
      ctx.update({ ...ctx.check, status: resumeSelfCheck.status });
      goOn(ctx);
      return "";
    });
  return (
    <>
      <p class="lead">{texts.selfCheck.pausedText}</p>
      <p class="notice notice-info">
        <strong>{texts.selfCheck.linkOnlyWay}</strong>
      </p>
      <CopyLink id="resume-link" label={texts.selfCheck.linkLabel} url={resumeLink(ctx.token)} hint={texts.selfCheck.linkSecret} />
      <ProgressLine {...ctx} />
      <MutationError error={m.error} round={m.round} />
      <p>
        <button type="button" class="button-secondary" disabled={m.busy} onClick={resume}>
          {texts.selfCheck.resumeNow}
        </button>
      </p>
    </>
  );
}

const answerChoices: CheckAnswer[] = ["YES", "NO", "UNKNOWN"];

/** One question: the status question or requirement, its answers, back, next and pause. */
function QuestionScreen(ctx: Ctx & { question: Question }) {
  const { cat, check, token, question } = ctx;
  const m = useMutation(ctx);
  const given = answerOf(question, cat, check);
  const { previous, next } = neighbours(question, cat, check);
  const requirement = question.kind === "requirement" ? cat.requirements.find((r) => r.number === question.number) : null;
  const status = question.kind === "status" ? cat.statusQuestions[question.index] : null;
  const at = requirement ? position(requirement.number, cat, check) : null;

  const answer = (value: CheckAnswer | boolean, label: string) =>
    m.run(texts.selfCheck.saving, async () => {
      const input: SelfCheckAnswersInput =
        question.kind === "status" && status
          ? { statusAnswers: [{ question: status.question, answer: value === true }] }
          : { answers: [{ number: requirement?.number ?? 0, answer: value as CheckAnswer }] };
      const { answerSelfCheck } = await request(AnswerSelfCheckDocument, { token, input });
      ctx.update(answerSelfCheck);
      navigate(stepHref(token, afterAnswer(question, cat, answerSelfCheck)));
      const name =
        question.kind === "status"
          ? texts.selfCheck.statusPosition(question.index + 1, cat.statusQuestions.length)
          : texts.selfCheck.requirementNumber(question.number);
      return texts.selfCheck.saved(label, name);
    });
  const pause = () =>
    m.run(texts.selfCheck.pausing, async () => {
      const { pauseSelfCheck } = await request(PauseSelfCheckDocument, { token });
      ctx.update({ ...check, status: pauseSelfCheck.status });
      navigate(stepHref(token, { kind: "pause" }));
      return "";
    });

  const choices: { value: CheckAnswer | boolean; label: string }[] = status
    ? [
        { value: true, label: texts.selfCheck.statusAnswers.yes },
        { value: false, label: texts.selfCheck.statusAnswers.no },
      ]
    : answerChoices.map((a) => ({ value: a, label: texts.selfCheck.answers[a] }));
  const describedBy = ["question-hint", requirement?.top ? "question-top" : ""].filter(Boolean).join(" ");

  return (
    <div class="question">
      <p id="question-hint" class="question-hint">
        {requirement?.hint ?? status?.hint}
      </p>
      <MutationError error={m.error} round={m.round} />
      <div class="answers" role="group" aria-labelledby="page-heading" aria-describedby={describedBy}>
        {choices.map((c) => (
          <button
            key={String(c.value)}
            type="button"
            class={given === c.value ? "answer answer-current" : "answer"}
            disabled={m.busy}
            onClick={() => answer(c.value, c.label)}
          >
            {c.label}
            {given === c.value && (
              <span class="answer-note">
                <span aria-hidden="true">✓ </span>
                {texts.selfCheck.current}
              </span>
            )}
          </button>
        ))}
      </div>
      {requirement?.top && (
        <p id="question-top" class="hint top-note">
          {texts.selfCheck.topExplained}
        </p>
      )}
      <div class="question-nav">
        {previous && (
          <Link class="button button-secondary" href={stepHref(token, previous)}>
            {texts.selfCheck.back}
          </Link>
        )}
        {given !== undefined && (
          <Link class="button button-secondary" href={stepHref(token, next ?? { kind: "done" })}>
            {texts.selfCheck.next}
          </Link>
        )}
        <button type="button" class="button-secondary" disabled={m.busy} onClick={pause}>
          {texts.selfCheck.pause}
        </button>
      </div>
      <ProgressLine cat={cat} check={check} />
      {at?.area && (
        <p class="meta area-line">
          {texts.selfCheck.areaPosition(at.areaIndex, at.areas, at.area.title, at.nInArea, at.totalInArea)}
        </p>
      )}
      {status && <p class="meta area-line">{texts.selfCheck.statusIntro}</p>}
    </div>
  );
}

function DoneScreen(ctx: Ctx) {
  const { cat, check, token } = ctx;
  const m = useMutation(ctx);
  const open = firstOpen(cat, check);
  const openCount = check.result.openStatusQuestions.length + check.result.openRequirements.length;
  const finish = () =>
    m.run(texts.selfCheck.finishing, async () => {
      const { finishSelfCheck } = await request(FinishSelfCheckDocument, { token });
      ctx.update(finishSelfCheck, finishSelfCheck.nextActions);
      navigate(stepHref(token, { kind: "overview" }), { replace: true });
      return "";
    });
  const answerLabel = (q: Question) => {
    const a = answerOf(q, cat, check);
    if (a === undefined) return texts.selfCheck.notAnswered;
    if (typeof a === "boolean") return a ? texts.selfCheck.statusAnswers.yes : texts.selfCheck.statusAnswers.no;
    return texts.selfCheck.answers[a];
  };
  const implied = cat.requirements.filter((r) => r.notMetWithout && check.statusAnswers.some((s) => s.question === r.notMetWithout && !s.answer));
  return (
    <>
      <ProgressLine cat={cat} check={check} />
      <MutationError error={m.error} round={m.round} />
      {openCount > 0 && open ? (
        <>
          <p class="lead">{texts.selfCheck.openLeft(openCount)}</p>
          <p>
            <Link class="button" href={stepHref(token, open)}>
              {texts.selfCheck.toOpen}
            </Link>
          </p>
        </>
      ) : (
        <>
          <p class="lead">{texts.selfCheck.doneText}</p>
          <p>
            <button type="button" class="button-start" disabled={m.busy} onClick={finish}>
              {texts.selfCheck.finish}
            </button>
          </p>
        </>
      )}
      <section aria-labelledby="review-heading">
        <h2 id="review-heading">{texts.selfCheck.reviewHeading}</h2>
        <ol class="review">
          {questions(cat, check).map((q) => {
            const text = q.kind === "status" ? cat.statusQuestions[q.index]?.text : cat.requirements.find((r) => r.number === q.number)?.question;
            const name = q.kind === "status" ? texts.selfCheck.statusPosition(q.index + 1, cat.statusQuestions.length) : texts.selfCheck.requirementNumber(q.number);
            return (
              <li key={name}>
                <span class="review-name">{name}</span> {text}{" "}
                <strong class="review-answer">{answerLabel(q)}</strong>{" "}
                <Link href={stepHref(token, q)}>
                  {answerOf(q, cat, check) === undefined ? texts.selfCheck.answerNow : texts.selfCheck.change}
                  <span class="visually-hidden"> ({name})</span>
                </Link>
              </li>
            );
          })}
          {implied.map((r) => (
            <li key={`implied-${r.number}`}>
              <span class="review-name">{texts.selfCheck.requirementNumber(r.number)}</span> {r.question}{" "}
              <strong class="review-answer">{texts.selfCheck.implied}</strong>
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
