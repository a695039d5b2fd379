import { useState } from "preact/hooks";
import { ApiError } from "../api";
import { asApiError, latest, useAsync } from "../async";
import { LiveStatus, Notice } from "../components/notice";
import { OfficerNav, officerPaths, officerRequest, RequireOfficer } from "../components/officer";
import { Page } from "../components/page";
import { formatDate, formatDateTime } from "../format";
import {
  ClearAdvisoryMarkDocument,
  MarkAdvisoryDocument,
  MunicipalityAdvisoriesDocument,
  type AdvisoryHandling,
  type AdvisoryMarkState,
  type AdvisoryMatchItemFragment,
  type Severity,
} from "../gql/graphql";
import { href, Link, navigate, type Location } from "../router";
import { texts } from "../texts";

const pageSize = 10;
const t = texts.advisories;

// The filters in the address, in German: ?stufe=kritisch,hoch&bearbeitung=erledigt
const severities: Severity[] = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "NONE"];
const severityParam: Record<Severity, string> = {
  CRITICAL: "kritisch",
  HIGH: "hoch",
  MEDIUM: "mittel",
  LOW: "niedrig",
  NONE: "ohne",
};
const handlings: AdvisoryHandling[] = ["OPEN", "HANDLED", "NOT_AFFECTED", "ALL"];
const handlingParam: Record<AdvisoryHandling, string> = {
  OPEN: "offen",
  HANDLED: "erledigt",
  NOT_AFFECTED: "nicht-betroffen",
  ALL: "alle",
};

type Filters = { severity: Severity[]; handling: AdvisoryHandling; cursors: string[] };

function readFilters(params: URLSearchParams): Filters {
  const wanted = (params.get("stufe") ?? "").split(",");
  const severity = severities.filter((s) => wanted.includes(severityParam[s]));
  const handling = handlings.find((h) => handlingParam[h] === params.get("bearbeitung")) ?? "OPEN";
  // The cursors of the pages before this one (page 1 has none), so the
  // previous page is a link as well and every page can be bookmarked.
  const cursors = (params.get("nach") ?? "").split(" ").filter(Boolean);
  return { severity, handling, cursors };
}

function filterHref(ags: string, f: Filters): string {
  return href(officerPaths.advisories(ags), {
    stufe: f.severity.map((s) => severityParam[s]).join(","),
    bearbeitung: f.handling === "OPEN" ? null : handlingParam[f.handling],
    nach: f.cursors.join(" "),
  });
}

/** `/kommune/<ags>/warnungen`: the advisories matched to the municipality's products. */
export function MunicipalityAdvisoriesPage({ ags, params }: { ags: string } & Location) {
  return (
    <RequireOfficer ags={ags}>
      <AdvisoryList ags={ags} filters={readFilters(params)} />
    </RequireOfficer>
  );
}

type Outcome = { kind: "success" | "error"; text: string; round: number };

function AdvisoryList({ ags, filters }: { ags: string; filters: Filters }) {
  const after = filters.cursors.at(-1);
  const [state, reload] = useAsync(
    () =>
      officerRequest(MunicipalityAdvisoriesDocument, {
        ags,
        filter: { severity: filters.severity.length ? filters.severity : null, handled: filters.handling },
        first: pageSize,
        after: after ?? null,
      }).then((d) => d.municipalityAdvisories),
    [ags, filters.severity.join(), filters.handling, after],
  );
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const data = latest(state);
  const items = data?.edges ?? [];
  const status =
    state.status === "loading"
      ? t.loading
      : state.status === "error"
        ? state.error.message
        : data
          ? t.loaded(data.totalCount, items.length)
          : "";

  const report = (kind: Outcome["kind"], text: string) => setOutcome((o) => ({ kind, text, round: (o?.round ?? 0) + 1 }));

  return (
    <Page heading={t.heading} kicker={t.kicker(ags)}>
      <OfficerNav ags={ags} current="advisories" />
      <p class="lead">{t.intro}</p>
      {/* Keyed by the address, so the back button resets the boxes too. */}
      <FilterForm key={filterHref(ags, { ...filters, cursors: [] })} ags={ags} filters={filters} />
      <LiveStatus message={outcome ? `${outcome.text} ${status}` : status} />
      {outcome && (
        <Notice kind={outcome.kind} key={outcome.round}>
          {outcome.text}
        </Notice>
      )}
      {state.status === "error" && <Notice kind="error">{state.error.message}</Notice>}
      {data && items.length === 0 && (
        <div class="empty">
          <p>{t.empty}</p>
          <p>
            <Link href={officerPaths.products(ags)}>{t.emptyProducts}</Link>
          </p>
        </div>
      )}
      {items.length > 0 && (
        <ol class="advisory-list" aria-label={t.listName}>
          {items.map(({ node, cursor }) => (
            <li key={`${node.advisory.key}|${cursor}`}>
              <AdvisoryItem ags={ags} match={node} onDone={(kind, text) => {
                report(kind, text);
                if (kind === "success") reload();
              }} />
            </li>
          ))}
        </ol>
      )}
      {data && (filters.cursors.length > 0 || data.pageInfo.hasNextPage) && (
        <nav class="pager" aria-label={t.pagination}>
          <p>{t.pageOf(filters.cursors.length + 1)}</p>
          <ul>
            {filters.cursors.length > 0 && (
              <li>
                <Link href={filterHref(ags, { ...filters, cursors: filters.cursors.slice(0, -1) })}>{t.previous}</Link>
              </li>
            )}
            {data.pageInfo.hasNextPage && data.pageInfo.endCursor && (
              <li>
                <Link href={filterHref(ags, { ...filters, cursors: [...filters.cursors, data.pageInfo.endCursor] })}>{t.next}</Link>
              </li>
            )}
          </ul>
        </nav>
      )}
    </Page>
  );
}

function FilterForm({ ags, filters }: { ags: string; filters: Filters }) {
  const [severity, setSeverity] = useState<Severity[]>(filters.severity);
  const [handling, setHandling] = useState<AdvisoryHandling>(filters.handling);
  const submit = (event: Event) => {
    event.preventDefault();
    navigate(filterHref(ags, { severity: severities.filter((s) => severity.includes(s)), handling, cursors: [] }));
  };
  const toggle = (s: Severity, on: boolean) => setSeverity((list) => (on ? [...list, s] : list.filter((x) => x !== s)));
  return (
    <form class="filters advisory-filters" onSubmit={submit} aria-labelledby="filter-heading">
      <h2 id="filter-heading">{t.filterHeading}</h2>
      <fieldset>
        <legend>{t.severityLegend}</legend>
        <div class="checks">
          {severities.map((s) => (
            <label key={s} class="check">
              <input type="checkbox" name="stufe" value={severityParam[s]} checked={severity.includes(s)} onChange={(e) => toggle(s, e.currentTarget.checked)} />
              {t.severity[s]}
            </label>
          ))}
        </div>
      </fieldset>
      <div class="field">
        <label for="bearbeitung">{t.handlingLabel}</label>
        <select id="bearbeitung" name="bearbeitung" value={handling} onChange={(e) => setHandling(e.currentTarget.value as AdvisoryHandling)}>
          {handlings.map((h) => (
            <option key={h} value={h}>
              {t.handling[h]}
            </option>
          ))}
        </select>
      </div>
      <p class="actions-inline">
        <button type="submit">{t.apply}</button>
        <Link href={officerPaths.advisories(ags)}>{t.reset}</Link>
      </p>
    </form>
  );
}

/** A severity in symbol, words and number: never colour alone. */
export function SeverityBadge({ severity, score }: { severity: Severity; score: number }) {
  return (
    <span class={`severity severity-${severity.toLowerCase()}`}>
      <span aria-hidden="true">{t.severitySymbol[severity]} </span>
      {t.severity[severity]} · {t.cvss(score)}
    </span>
  );
}

function AdvisoryItem({
  ags,
  match,
  onDone,
}: {
  ags: string;
  match: AdvisoryMatchItemFragment;
  onDone: (kind: "success" | "error", text: string) => void;
}) {
  const { advisory: a, product, mark } = match;
  const id = `adv-${a.key.replace(/[^\w-]/g, "-")}`;
  const [note, setNote] = useState(mark?.note ?? "");
  const [busy, setBusy] = useState(false);
  const [noteError, setNoteError] = useState<string | null>(null);
  const productName = [product.vendor, product.name, product.version].filter(Boolean).join(" ") || product.cpe || product.purl || "";

  const run = async (action: () => Promise<string>) => {
    setBusy(true);
    try {
      onDone("success", await action());
    } catch (error) {
      const e = asApiError(error);
      if (e instanceof ApiError && e.code === "BAD_USER_INPUT") setNoteError(e.message);
      onDone("error", t.failed(e.message));
    } finally {
      setBusy(false);
    }
  };
  const markAs = (state: AdvisoryMarkState) => {
    if (note.length > 1000) {
      setNoteError(t.noteTooLong);
      document.getElementById(`${id}-note`)?.focus();
      return;
    }
    setNoteError(null);
    run(async () => {
      await officerRequest(MarkAdvisoryDocument, { ags, key: a.key, state, note: note.trim() || null });
      return t.marked(a.title, t.markStates[state]);
    });
  };
  const clear = () =>
    run(async () => {
      await officerRequest(ClearAdvisoryMarkDocument, { ags, key: a.key });
      return t.cleared(a.title);
    });

  return (
    <article class="advisory" aria-labelledby={`${id}-title`}>
      <p class="advisory-meta">
        <SeverityBadge severity={a.severity} score={a.cvssScore} />
        {a.withdrawn && <span class="badge">{t.withdrawn}</span>}
        <span class="hint">
          {a.trackingId} · {t.version(a.version)}
        </span>
      </p>
      <h2 id={`${id}-title`} lang={a.language ?? undefined}>
        {a.title}
      </h2>
      <dl class="advisory-facts">
        <dt>{t.product}</dt>
        <dd>{productName}</dd>
        <dt>{t.reason}</dt>
        <dd>{match.reason}</dd>
        {a.publishedAt && (
          <>
            <dt>{t.published}</dt>
            <dd>{formatDate(a.publishedAt)}</dd>
          </>
        )}
        {a.updatedAt && (
          <>
            <dt>{t.updated}</dt>
            <dd>{formatDateTime(a.updatedAt)}</dd>
          </>
        )}
        {a.cves.length > 0 && (
          <>
            <dt>{t.cves}</dt>
            <dd>{a.cves.join(", ")}</dd>
          </>
        )}
        {a.exploitStatus && (
          <>
            <dt>{t.exploit}</dt>
            <dd lang={a.language ?? undefined}>{a.exploitStatus}</dd>
          </>
        )}
        <dt>{t.remediations}</dt>
        <dd>
          {a.remediations.length === 0 ? (
            t.noRemediation
          ) : (
            <ul class="plain">
              {a.remediations.map((r, i) => (
                <li key={i}>
                  <strong>{t.remediationCategory[r.category] ?? r.category}</strong>
                  {r.details && (
                    <>
                      {": "}
                      <span lang={a.language ?? undefined}>{r.details}</span>
                    </>
                  )}
                  {r.url && (
                    <>
                      {" "}
                      <a href={r.url} rel="noopener noreferrer">
                        {t.remediationLink}
                      </a>
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
      {a.url && (
        <p>
          <a href={a.url} rel="noopener noreferrer" aria-describedby={`${id}-title`}>
            {t.source}
          </a>
          {a.publisherName && <span class="hint"> ({t.sourceHint(a.publisherName)})</span>}
        </p>
      )}
      <div class="advisory-mark" role="group" aria-labelledby={`${id}-mark`}>
        <h3 id={`${id}-mark`}>{t.markLegend}</h3>
        {mark && (
          <>
            <p class="mark-line">
              {t.markedBy(t.markStates[mark.state], mark.markedBy, formatDateTime(mark.markedAt), mark.markedVersion)}
              {mark.note && (
                <>
                  <br />
                  {mark.note}
                </>
              )}
            </p>
            {mark.advisoryChanged && <p class="notice notice-info mark-changed">{t.changed(a.version)}</p>}
          </>
        )}
        <div class="field">
          <label for={`${id}-note`}>{t.noteOf(a.title)}</label>
          <p id={`${id}-note-hint`} class="hint">
            {t.noteHint}
          </p>
          {noteError && (
            <p id={`${id}-note-error`} class="field-error">
              {noteError}
            </p>
          )}
          <textarea
            id={`${id}-note`}
            rows={2}
            value={note}
            onInput={(e) => setNote(e.currentTarget.value)}
            aria-describedby={noteError ? `${id}-note-hint ${id}-note-error` : `${id}-note-hint`}
            aria-invalid={noteError ? true : undefined}
          />
        </div>
        <p class="actions-inline">
          <button type="button" disabled={busy} onClick={() => markAs("HANDLED")} aria-describedby={`${id}-title`}>
            {t.markHandled}
          </button>
          <button type="button" class="button-secondary" disabled={busy} onClick={() => markAs("NOT_AFFECTED")} aria-describedby={`${id}-title`}>
            {t.markNotAffected}
          </button>
          {mark && (
            <button type="button" class="button-secondary" disabled={busy} onClick={clear} aria-describedby={`${id}-title`}>
              {t.clearMark}
            </button>
          )}
        </p>
      </div>
    </article>
  );
}
