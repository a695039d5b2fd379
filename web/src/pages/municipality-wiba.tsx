// `/kommune/<ags>/wiba`: the municipality's WiBA checklists (the BSI's "Weg
// in die Basis-Absicherung") for its information security officer and
// admins: progress as text, one fieldset with a radio group per question,
// the history of changes, the anonymised comparison; and
// `/kommune/<ags>/wiba/bericht`, the printable report.
import { useState } from "preact/hooks";
import { latest, useAsync } from "../async";
import { LiveStatus, Notice } from "../components/notice";
import { OfficerNav, officerPaths, officerRequest, RequireOfficer } from "../components/officer";
import { Page } from "../components/page";
import { formatDateTime } from "../format";
import {
  AnswerWibaDocument,
  MunicipalityWibaDocument,
  WibaComparisonDocument,
  WibaHistoryDocument,
  type MunicipalityWibaQuery,
  type WibaAnswer,
  type WibaGroupFieldsFragment,
  type WibaHistoryQuery,
  type WibaProgressFieldsFragment,
} from "../gql/graphql";
import { Link } from "../router";
import { texts } from "../texts";

const t = texts.wiba;
const answers: WibaAnswer[] = ["YES", "NO", "NOT_APPLICABLE"];
const noteMax = 1000;
const historyPage = 10;

type State = MunicipalityWibaQuery["municipalityWiba"];
type QuestionState = State["questions"][number];
type Change = WibaHistoryQuery["wibaHistory"]["nodes"][number];

export function MunicipalityWibaPage({ ags, report }: { ags: string; report: boolean }) {
  return <RequireOfficer ags={ags}>{report ? <WibaReport ags={ags} /> : <WibaEditor ags={ags} />}</RequireOfficer>;
}

function applicable(p: WibaProgressFieldsFragment) {
  return p.questions - p.notApplicable;
}

/** The progress in words (never only as a bar). */
function ProgressText({ progress }: { progress: WibaProgressFieldsFragment }) {
  return (
    <ul class="wiba-progress">
      <li>{t.answered(progress.answered, progress.questions, progress.answeredPercent)}</li>
      <li>{t.fulfilled(progress.yes, applicable(progress), progress.fulfilledPercent)}</li>
      <li>{t.notApplicable(progress.notApplicable)}</li>
      <li>{t.openCount(progress.open)}</li>
    </ul>
  );
}

/** A bar beside the words; hidden from screen readers, which read the text. */
function Bar({ percent }: { percent: number }) {
  return (
    <span class="wiba-bar" aria-hidden="true">
      <span style={{ width: `${percent}%` }} />
    </span>
  );
}

function topicProgress(p: WibaProgressFieldsFragment) {
  return t.topicProgress(p.answered, p.questions, p.yes, applicable(p), p.fulfilledPercent);
}

function useWiba(ags: string) {
  const [state, reload] = useAsync(() => officerRequest(MunicipalityWibaDocument, { ags }), [ags]);
  return [state, reload] as const;
}

type Outcome = { kind: "success" | "error"; text: string; round: number };

function WibaEditor({ ags }: { ags: string }) {
  const [state, reload] = useWiba(ags);
  const [comparison, reloadComparison] = useAsync(() => officerRequest(WibaComparisonDocument, { ags }).then((d) => d.wibaComparison), [ags]);
  const [historyRound, setHistoryRound] = useState(0);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const data = latest(state);
  const wiba = data?.municipalityWiba;
  const report = (kind: Outcome["kind"], text: string) => setOutcome((o) => ({ kind, text, round: (o?.round ?? 0) + 1 }));
  const saved = (text: string) => {
    report("success", text);
    reload();
    reloadComparison();
    setHistoryRound((r) => r + 1);
  };
  const status = state.status === "loading" && !wiba ? t.loading : state.status === "error" ? state.error.message : "";

  return (
    <Page heading={t.heading} kicker={t.kicker(wiba?.municipalityName ?? "", ags)} ready={Boolean(wiba) || state.status === "error"}>
      <OfficerNav ags={ags} current="wiba" />
      <p class="lead">{t.intro}</p>
      <LiveStatus message={outcome ? outcome.text : status} />
      {outcome?.kind === "error" && (
        <Notice kind="error" key={outcome.round}>
          {outcome.text}
        </Notice>
      )}
      {state.status === "error" && <Notice kind="error">{state.error.message}</Notice>}
      {wiba && data && (
        <>
          <Summary wiba={wiba} catalogue={data.wibaCatalogue} />
          <p class="no-print">
            <Link href={officerPaths.wibaReport(ags)}>{t.reportLink}</Link>
          </p>
          <h2>{t.topicsHeading}</h2>
          <nav aria-label={t.contentsLabel}>
            <ol class="wiba-contents">
              {wiba.topics.map(({ topic, progress }) => (
                <li key={topic.key}>
                  <a href={`#thema-${topic.key}`}>{topic.title}</a>: {topicProgress(progress)}
                </li>
              ))}
            </ol>
          </nav>
          {wiba.topics.map(({ topic, progress }) => (
            <section key={topic.key} id={`thema-${topic.key}`} class="wiba-topic" aria-labelledby={`titel-${topic.key}`}>
              <h3 id={`titel-${topic.key}`}>
                {topic.number}. {topic.title}
              </h3>
              {!topic.titleConfirmed && <p class="hint">{t.unconfirmedTitle}</p>}
              <p class="wiba-topic-progress">
                <Bar percent={progress.answeredPercent} /> {topicProgress(progress)}
              </p>
              {wiba.questions
                .filter((q) => q.question.topicKey === topic.key)
                .map((q) => (
                  <QuestionForm key={q.question.key} ags={ags} state={q} onSaved={saved} onError={(m) => report("error", m)} />
                ))}
            </section>
          ))}
          <History ags={ags} round={historyRound} />
          <Comparison state={comparison.status === "done" ? comparison.data : undefined} error={comparison.status === "error" ? comparison.error.message : ""} />
        </>
      )}
    </Page>
  );
}

function Summary({ wiba, catalogue }: { wiba: State; catalogue: MunicipalityWibaQuery["wibaCatalogue"] }) {
  return (
    <section class="wiba-summary" aria-labelledby="wiba-stand">
      <h2 id="wiba-stand">{t.summaryHeading}</h2>
      <p>
        <Bar percent={wiba.overall.answeredPercent} />
      </p>
      <ProgressText progress={wiba.overall} />
      {wiba.lastAnsweredAt && <p>{t.lastAnswered(formatDateTime(wiba.lastAnsweredAt))}</p>}
      <p class="hint">{t.definition}</p>
      <p class="hint">
        {t.sampleNote} {t.source(catalogue.source, catalogue.sourceDate)}
      </p>
    </section>
  );
}

function QuestionForm({
  ags,
  state,
  onSaved,
  onError,
}: {
  ags: string;
  state: QuestionState;
  onSaved: (text: string) => void;
  onError: (text: string) => void;
}) {
  const q = state.question;
  const [answer, setAnswer] = useState<WibaAnswer | null>(state.answer ?? null);
  const [note, setNote] = useState(state.note ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const id = `frage-${q.key}`;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!answer) return setError(t.chooseAnswer);
    if (note.trim().length > noteMax) return setError(t.noteTooLong(note.trim().length));
    setError("");
    setBusy(true);
    try {
      const r = await officerRequest(AnswerWibaDocument, { ags, question: q.key, answer, note: note.trim() || null });
      setBusy(false);
      onSaved(r.answerWibaQuestion.changed ? t.saved(q.key, t.answers[answer]) : t.unchanged(q.key));
    } catch (err) {
      setBusy(false);
      const message = err instanceof Error ? err.message : String(err);
      setError(message);
      onError(message);
    }
  };
  return (
    <form class="wiba-question" onSubmit={submit} noValidate>
      <fieldset aria-describedby={error ? `${id}-fehler` : undefined}>
        <legend>
          <span class="wiba-key">{q.key}</span> {q.text}
        </legend>
        {q.hint && <p class="hint">{q.hint}</p>}
        <div class="wiba-radios">
          {answers.map((a) => (
            <label key={a}>
              <input type="radio" name={id} value={a} checked={answer === a} onChange={() => setAnswer(a)} /> {t.answers[a]}
            </label>
          ))}
        </div>
        <label for={`${id}-notiz`}>{t.noteLabel}</label>
        <textarea id={`${id}-notiz`} rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        {error && (
          <p class="field-error" id={`${id}-fehler`}>
            {error}
          </p>
        )}
        <p class="wiba-current">
          {state.answer
            ? t.current(t.answers[state.answer], formatDateTime(state.answeredAt ?? ""), t.roles[state.answeredByRole ?? ""] ?? "")
            : `${t.answerLegend}: ${t.open}`}
        </p>
        {/* Not disabled while saving: the button keeps the focus. */}
        <button type="submit" aria-disabled={busy ? "true" : undefined}>
          {busy ? t.saving : t.save}
          <span class="visually-hidden"> ({q.key})</span>
        </button>
      </fieldset>
    </form>
  );
}

function History({ ags, round }: { ags: string; round: number }) {
  const [pages, setPages] = useState<(string | null)[]>([null]);
  const [state] = useAsync(
    () =>
      Promise.all(pages.map((after) => officerRequest(WibaHistoryDocument, { ags, first: historyPage, after }).then((d) => d.wibaHistory))),
    [ags, round, pages.join(",")],
  );
  const loaded = latest(state);
  const items: Change[] = loaded?.flatMap((p) => p.nodes) ?? [];
  const last = loaded?.at(-1);
  const total = loaded?.[0]?.totalCount ?? 0;
  return (
    <section aria-labelledby="wiba-verlauf" class="wiba-history">
      <h2 id="wiba-verlauf">{t.historyHeading}</h2>
      {state.status === "error" && <Notice kind="error">{state.error.message}</Notice>}
      {loaded && items.length === 0 && <p>{t.historyEmpty}</p>}
      {items.length > 0 && (
        <>
          <p>{t.historyCount(items.length, total)}</p>
          <ol class="wiba-history-list">
            {items.map((c) => (
              <li key={c.id}>
                <strong>{t.historyChange(c.question.key, c.from ? t.answers[c.from] : null, t.answers[c.to])}</strong>
                <br />
                {t.historyBy(formatDateTime(c.at), t.roles[c.byRole] ?? c.byRole, c.by)}
                {c.note && (
                  <>
                    <br />
                    {t.historyNote(c.note)}
                  </>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
      {last?.pageInfo.hasNextPage && (
        <button type="button" class="button-secondary" onClick={() => setPages((p) => [...p, last.pageInfo.endCursor ?? null])}>
          {t.historyMore}
        </button>
      )}
    </section>
  );
}

type ComparisonData = {
  sizeClass: string;
  minimumGroupSize: number;
  own: { answeredPercent: number; fulfilledPercent?: number | null };
  district: WibaGroupFieldsFragment;
  similarSize: WibaGroupFieldsFragment;
};

function Comparison({ state, error }: { state?: ComparisonData; error: string }) {
  return (
    <section aria-labelledby="wiba-vergleich" class="wiba-comparison">
      <h2 id="wiba-vergleich">{t.comparisonHeading}</h2>
      {error && <Notice kind="error">{error}</Notice>}
      {state && (
        <>
          <p>{t.comparisonIntro(state.minimumGroupSize)}</p>
          <p>{t.own(state.own.answeredPercent, state.own.fulfilledPercent)}</p>
          <p>{t.sizeClass(state.sizeClass)}</p>
          <dl class="wiba-groups">
            {[state.district, state.similarSize].map((g) => (
              <div key={g.kind}>
                <dt>{g.label}</dt>
                <dd>{g.shown ? t.groupShown(g.municipalities ?? 0, g.answeredPercent, g.fulfilledPercent) : g.message}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
    </section>
  );
}

/** The printable report: the state, per topic and per question, and the comparison. */
function WibaReport({ ags }: { ags: string }) {
  const [state] = useWiba(ags);
  const [comparison] = useAsync(() => officerRequest(WibaComparisonDocument, { ags }).then((d) => d.wibaComparison), [ags]);
  const data = latest(state);
  const wiba = data?.municipalityWiba;
  return (
    <Page heading={t.reportHeading} kicker={t.kicker(wiba?.municipalityName ?? "", ags)} ready={Boolean(wiba) || state.status === "error"}>
      <div class="no-print">
        <OfficerNav ags={ags} current="wiba" />
        <p>
          <Link href={officerPaths.wiba(ags)}>{t.backToEdit}</Link>
        </p>
        <button type="button" onClick={() => window.print()}>
          {t.print}
        </button>
      </div>
      <LiveStatus message={state.status === "loading" && !wiba ? t.loading : state.status === "error" ? state.error.message : ""} />
      {state.status === "error" && <Notice kind="error">{state.error.message}</Notice>}
      {wiba && data && (
        <>
          <p>{t.reportStand(formatDateTime(new Date().toISOString()))}</p>
          <Summary wiba={wiba} catalogue={data.wibaCatalogue} />
          <div class="table-scroll">
            <table class="wiba-table">
              <caption>{t.reportTopicsCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.columns.number}</th>
                  <th scope="col">{t.columns.topic}</th>
                  <th scope="col">{t.columns.answered}</th>
                  <th scope="col">{t.columns.fulfilled}</th>
                </tr>
              </thead>
              <tbody>
                {wiba.topics.map(({ topic, progress }) => (
                  <tr key={topic.key}>
                    <td>{topic.number}</td>
                    <th scope="row">{topic.title}</th>
                    <td>
                      {progress.answered}/{progress.questions} ({progress.answeredPercent} %)
                    </td>
                    <td>{progress.fulfilledPercent == null ? "–" : `${progress.yes}/${applicable(progress)} (${progress.fulfilledPercent} %)`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>{t.reportAnswersHeading}</h2>
          {wiba.topics.map(({ topic }) => (
            <section key={topic.key} class="wiba-report-topic" aria-labelledby={`bericht-${topic.key}`}>
              <h3 id={`bericht-${topic.key}`}>
                {topic.number}. {topic.title}
              </h3>
              <dl>
                {wiba.questions
                  .filter((q) => q.question.topicKey === topic.key)
                  .map((q) => (
                    <div key={q.question.key}>
                      <dt>
                        {q.question.key} {q.question.text}
                      </dt>
                      <dd>
                        {q.answer ? t.answers[q.answer] : t.open}
                        {q.note ? ` – ${q.note}` : ""}
                      </dd>
                    </div>
                  ))}
              </dl>
            </section>
          ))}
          <Comparison state={comparison.status === "done" ? comparison.data : undefined} error={comparison.status === "error" ? comparison.error.message : ""} />
        </>
      )}
    </Page>
  );
}
