// The result of a self-check: score, profile per area, recommendations with
// the next actions near the company. The owner (resume token) also adds a
// place, downloads, prints, shares and deletes; the read-only view
// (/selbstcheck/ansicht, share token) shows the same without any of that.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { request } from "../api";
import { asApiError, useAsync } from "../async";
import { ActionButton } from "../components/action-button";
import { Reasons, SampleBadge } from "../components/badges";
import { ConfirmDialog } from "../components/confirm-dialog";
import { ContactCard } from "../components/contact-card";
import { CopyLink } from "../components/copy-link";
import { EventCard } from "../components/event-card";
import { LiveStatus, Notice } from "../components/notice";
import { Page } from "../components/page";
import { Candidates, isAmbiguous, PlaceField, placeMessage } from "../components/place-search";
import { saveFile } from "../download";
import { formatDate, statusLabel } from "../format";
import {
  DeleteSelfCheckDocument,
  SelfCheckExportDocument,
  SelfCheckActionsDocument,
  ShareSelfCheckDocument,
  SharedSelfCheckDocument,
  UnshareSelfCheckDocument,
  UpdateSelfCheckProfileDocument,
  type CheckActionsFieldsFragment,
  type PlaceInput,
} from "../gql/graphql";
import { placeInput } from "../place";
import { Link, paths } from "../router";
import { loadCatalogue, shareLink, type Catalogue, type CheckState } from "../selfcheck";
import { texts } from "../texts";

type Actions = CheckActionsFieldsFragment;

/** Score, profile, recommendations and next actions; the same for owner and reader. */
function ResultView({
  cat,
  check,
  actions,
  placeForm,
}: {
  cat: Catalogue;
  check: CheckState;
  actions: Actions | null;
  /** The owner's form to add a place, where the next actions need one. */
  placeForm?: ComponentChildren;
}) {
  const r = check.result;
  const facts = [
    check.finishedAt && texts.selfCheck.finishedOn(formatDate(check.finishedAt)),
    check.municipality && texts.selfCheck.forPlace(check.municipality.name),
    check.employees != null && texts.selfCheck.employeesLine(check.employees),
    check.sector && texts.selfCheck.sectorLine(check.sector),
  ].filter(Boolean);
  useEffect(() => {
    // Printed, every gap shows its next actions; afterwards as before.
    let closed: HTMLDetailsElement[] = [];
    const before = () => {
      closed = [...document.querySelectorAll<HTMLDetailsElement>("details.next-actions:not([open])")];
      closed.forEach((d) => (d.open = true));
    };
    const after = () => closed.forEach((d) => (d.open = false));
    window.addEventListener("beforeprint", before);
    window.addEventListener("afterprint", after);
    return () => {
      window.removeEventListener("beforeprint", before);
      window.removeEventListener("afterprint", after);
    };
  }, []);
  const byRequirement = new Map((actions?.actions ?? []).map((a) => [a.recommendation.requirement.number, a]));
  const areaTitle = (area: string) => cat.areas.find((a) => a.area === area)?.title ?? area;
  return (
    <div class="result">
      {facts.length > 0 && <p class="meta">{facts.join(" · ")}</p>}
      <p class="hint">
        {texts.selfCheck.reportModel(cat.modelledOn)} {cat.isSample && <SampleBadge isSample />}{" "}
        {cat.isSample && texts.selfCheck.sampleNote}
      </p>

      <section aria-labelledby="score-heading">
        <h2 id="score-heading">{texts.selfCheck.scoreHeading}</h2>
        <p class="score">
          <span class="score-percent">{texts.selfCheck.percent(r.percent)}</span>{" "}
          <span class="score-points">{texts.selfCheck.scoreLine(r.points, r.minPoints, r.maxPoints)}</span>
        </p>
        <Bar percent={r.percent} wide />
        {!r.complete && <p>{texts.selfCheck.incomplete(r.answered, r.applicable)}</p>}
        <p class="hint">{texts.selfCheck.scoreExplained}</p>
      </section>

      <section aria-labelledby="profile-table-heading">
        <h2 id="profile-table-heading">{texts.selfCheck.profileTableHeading}</h2>
        <div class="table-scroll" role="region" aria-labelledby="profile-caption" tabIndex={0}>
          <table class="data-table profile-table">
            <caption id="profile-caption" class="visually-hidden">
              {texts.selfCheck.profileCaption}
            </caption>
            <thead>
              <tr>
                <th scope="col">{texts.selfCheck.area}</th>
                <th scope="col">{texts.selfCheck.met}</th>
                <th scope="col">{texts.selfCheck.points}</th>
                <th scope="col">{texts.selfCheck.result}</th>
              </tr>
            </thead>
            <tbody>
              {r.areas.map((a) => {
                const info = cat.areas.find((x) => x.area === a.area);
                return (
                  <tr key={a.area}>
                    <th scope="row">
                      {a.title}
                      {info && <span class="meta cell-note">{texts.selfCheck.areaRange(info.first, info.last)}</span>}
                    </th>
                    <td>
                      {texts.selfCheck.metOf(a.met, a.applicable)}
                      {a.notApplicable > 0 && <span class="meta cell-note">{texts.selfCheck.notApplicable(a.notApplicable)}</span>}
                    </td>
                    <td>{texts.selfCheck.pointsOf(a.points, a.minPoints, a.maxPoints)}</td>
                    <td class="percent-cell">
                      <span class="percent-value">{texts.selfCheck.percent(a.percent)}</span>
                      <Bar percent={a.percent} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="recommendations-heading">
        <h2 id="recommendations-heading">{texts.selfCheck.recommendationsHeading}</h2>
        {r.recommendations.length === 0 ? (
          <p>{texts.selfCheck.noRecommendations}</p>
        ) : (
          <>
            <p>{texts.selfCheck.recommendationsIntro}</p>
            {actions?.hint && (
              <div class="notice notice-info place-hint">
                <p>{actions.hint}</p>
                {placeForm}
              </div>
            )}
            {actions?.municipality && (
              <p class="meta">
                {texts.selfCheck.actionsFor(actions.municipality.name, actions.regions.map((x) => x.name).join(", "))}
              </p>
            )}
            <ol class="recommendations">
              {r.recommendations.map((rec) => {
                const next = byRequirement.get(rec.requirement.number);
                return (
                  <li key={rec.requirement.number} class="recommendation">
                    <h3>
                      {texts.selfCheck.recommendationHeading(rec.rank, rec.requirement.number, rec.requirement.question)}{" "}
                      {rec.requirement.top && <span class="badge badge-top">{texts.selfCheck.top}</span>}
                    </h3>
                    <p class="meta">
                      {areaTitle(rec.requirement.area)} ·{" "}
                      {rec.implied ? texts.selfCheck.impliedAnswer : texts.selfCheck.yourAnswer(texts.selfCheck.answers[rec.answer])}
                    </p>
                    <p>
                      <strong>{texts.selfCheck.whatToDo}</strong> {rec.text}
                    </p>
                    {next && <NextActions actions={next} id={`next-${rec.requirement.number}`} open={rec.rank === 1} />}
                  </li>
                );
              })}
            </ol>
          </>
        )}
      </section>
    </div>
  );
}

/** A bar of 0–100 % (SVG attributes: the CSP allows no inline styles); the number beside it says the same. */
function Bar({ percent, wide }: { percent: number; wide?: boolean }) {
  const width = Math.max(0, Math.min(100, percent));
  return (
    <svg class={wide ? "score-bar score-bar-wide" : "score-bar"} viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
      <rect class="progress-track" x="0" y="0" width="100" height="10" />
      <rect class="progress-value" x="0" y="0" width={width} height="10" />
    </svg>
  );
}

/**
 * The next actions of one gap, in a disclosure (open for the most urgent,
 * and all of them when printed).
 */
function NextActions({ actions: a, id, open }: { actions: Actions["actions"][number]; id: string; open: boolean }) {
  // Each list is a region named by its heading; the hidden words make the
  // names unique across the recommendations ("Veranstaltungen zu Anforderung 11").
  const about = <span class="visually-hidden"> {texts.selfCheck.about(a.recommendation.requirement.number)}</span>;
  return (
    <details class="next-actions" open={open}>
      <summary>
        <strong>{texts.selfCheck.nextHeading}</strong>{" "}
        {texts.selfCheck.nextSummary(a.events.length, a.contacts.length, a.offers.length, a.measures.length)}
      </summary>
      <section aria-labelledby={`${id}-events`}>
        <h4 id={`${id}-events`}>
          {texts.selfCheck.eventsHeading}
          {about}
        </h4>
        {a.events.length === 0 ? (
          <p>{texts.selfCheck.noEvents}</p>
        ) : (
          <ul class="cards">
            {a.events.map(({ event, distanceKm, reasons }) => (
              <li key={event.id}>
                <EventCard event={event} level={5} distanceKm={distanceKm}>
                  <Reasons reasons={reasons} />
                </EventCard>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby={`${id}-contacts`}>
        <h4 id={`${id}-contacts`}>
          {texts.selfCheck.contactsHeading}
          {about}
        </h4>
        {a.contacts.length === 0 ? (
          <p>{texts.selfCheck.noContacts}</p>
        ) : (
          <ul class="cards">
            {a.contacts.map(({ contact, reasons }) => (
              <ContactCard key={contact.id} contact={contact} reasons={reasons} level={5} />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby={`${id}-offers`}>
        <h4 id={`${id}-offers`}>
          {texts.selfCheck.offersHeading}
          {about}
        </h4>
        {a.offers.length === 0 ? (
          <p>{texts.selfCheck.noOffers}</p>
        ) : (
          <ul class="cards">
            {a.offers.map(({ offer, reasons }) => (
              <li key={offer.id} class="card">
                <h5 class="card-title">
                  {offer.url ? <a href={offer.url}>{offer.name}</a> : offer.name} <SampleBadge isSample={offer.isSample} />
                </h5>
                <p class="meta">{texts.start.offerBy(offer.provider.name)}</p>
                {offer.description && <p>{offer.description}</p>}
                <Reasons reasons={reasons} />
                {offer.source && <p class="hint source">{texts.selfCheck.offerSource(offer.source)}</p>}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby={`${id}-measures`}>
        <h4 id={`${id}-measures`}>
          {texts.selfCheck.measuresHeading}
          {about}
        </h4>
        {a.measures.length === 0 ? (
          <p>{texts.selfCheck.noMeasures}</p>
        ) : (
          <ul class="cards">
            {a.measures.map(({ measure, rolloutStatus, reasons }) => (
              <li key={measure.code} class="card">
                <h5 class="card-title">
                  {measure.code}: {measure.title} <SampleBadge isSample={measure.isSample} />
                </h5>
                {measure.summary && <p>{measure.summary}</p>}
                {rolloutStatus && <p class="meta">{texts.start.rolloutStatus(statusLabel(rolloutStatus))}</p>}
                <Reasons reasons={reasons} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </details>
  );
}

type OwnerProps = {
  token: string;
  cat: Catalogue;
  check: CheckState;
  /** The next actions if a mutation brought them (finishing); else they are loaded. */
  actions: Actions | null;
  onChange: (check: CheckState, actions?: Actions) => void;
  onDeleted: () => void;
};

/** The owner's result: the view, the place form where it is missing, and export, print, share, delete. */
export function OwnerResult({ token, cat, check, actions, onChange, onDeleted }: OwnerProps) {
  const [loaded] = useAsync(actions ? null : () => request(SelfCheckActionsDocument, { token }), [token, !!actions]);
  const shown = actions ?? (loaded.status === "done" ? loaded.data.selfCheck.nextActions : null);
  // The place form goes with the hint once a place is saved; the answer stays here.
  const [placeSaved, setPlaceSaved] = useState("");
  const placed = (next: CheckState, nextActions?: Actions) => {
    onChange(next, nextActions);
    setPlaceSaved(texts.selfCheck.placeAdded(next.municipality?.name ?? ""));
  };
  return (
    <>
      <LiveStatus message={loaded.status === "loading" ? texts.selfCheck.actionsLoading : ""} />
      {loaded.status === "error" && <Notice kind="error">{loaded.error.message}</Notice>}
      {placeSaved && <Notice kind="success">{placeSaved}</Notice>}
      <ResultView
        cat={cat}
        check={check}
        actions={shown}
        placeForm={<AddPlace token={token} check={check} onChange={placed} />}
      />
      <OwnerActions token={token} check={check} onChange={onChange} onDeleted={onDeleted} />
      <p class="print-only">{texts.selfCheck.reportFooter(formatDate(new Date().toISOString()))}</p>
    </>
  );
}

/** The place of a check without one, so that its next actions can be found. */
function AddPlace({ token, check, onChange }: Pick<OwnerProps, "token" | "check" | "onChange">) {
  const [value, setValue] = useState("");
  const [missing, setMissing] = useState(false);
  const [state, setState] = useState<{ busy: boolean; error: ReturnType<typeof asApiError> | null }>({ busy: false, error: null });
  const input = useRef<HTMLInputElement>(null);
  const save = async (place: PlaceInput) => {
    setState({ busy: true, error: null });
    try {
      const { updateSelfCheckProfile: next } = await request(UpdateSelfCheckProfileDocument, {
        token,
        profile: { employees: check.employees, sector: check.sector, place },
      });
      onChange(next, next.nextActions);
    } catch (e) {
      setState({ busy: false, error: asApiError(e) });
    }
  };
  const submit = (event: Event) => {
    event.preventDefault();
    const typed = value.trim();
    setMissing(!typed);
    if (typed) save(placeInput(typed, null));
  };
  const message = placeMessage(state.error, missing);
  useEffect(() => {
    if (message) input.current?.focus();
  }, [state.error, missing]);
  return (
    <>
      <LiveStatus message={state.busy ? texts.selfCheck.addingPlace : ""} />
      {state.error && !message && !isAmbiguous(state.error) && <Notice kind="error">{state.error.message}</Notice>}
      <form class="place-search no-print" onSubmit={submit} noValidate>
        <PlaceField id="add-place" label={texts.selfCheck.place} hint={texts.selfCheck.placeHint} value={value} onInput={setValue} message={message} inputRef={input}>
          <button type="submit" disabled={state.busy}>
            {texts.selfCheck.addPlace}
          </button>
        </PlaceField>
      </form>
      {isAmbiguous(state.error) && state.error && (
        <Candidates
          input={value}
          error={state.error}
          link={(c) => (
            <button type="button" class="button-secondary" onClick={() => save({ ags: c.ags })}>
              {c.name}
            </button>
          )}
          onGone={() => input.current?.focus()}
        />
      )}
    </>
  );
}

type OwnerAction = "export" | "share" | "unshare" | "delete";

function OwnerActions({ token, check, onChange, onDeleted }: Omit<OwnerProps, "cat" | "actions">) {
  const [confirming, setConfirming] = useState(false);
  const [shareUrl, setShareUrl] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ kind: "success" | "error"; text: string; round: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (action: OwnerAction) => {
    setConfirming(false);
    setBusy(true);
    try {
      const text = await perform(action);
      setOutcome((o) => (text ? { kind: "success", text, round: (o?.round ?? 0) + 1 } : null));
    } catch (e) {
      setOutcome((o) => ({ kind: "error", text: asApiError(e).message, round: (o?.round ?? 0) + 1 }));
    } finally {
      setBusy(false);
    }
  };
  const perform = async (action: OwnerAction): Promise<string> => {
    switch (action) {
      case "export": {
        const { selfCheckExport } = await request(SelfCheckExportDocument, { token });
        saveFile(texts.selfCheck.exportFile, selfCheckExport);
        return texts.selfCheck.exported;
      }
      case "share": {
        const { shareSelfCheck } = await request(ShareSelfCheckDocument, { token });
        setShareUrl(shareLink(shareSelfCheck.shareToken));
        onChange({ ...check, shared: true });
        return texts.selfCheck.shareCreated;
      }
      case "unshare": {
        await request(UnshareSelfCheckDocument, { token });
        setShareUrl(null);
        onChange({ ...check, shared: false });
        return texts.selfCheck.unshared;
      }
      case "delete":
        await request(DeleteSelfCheckDocument, { token });
        onDeleted();
        return "";
    }
  };
  return (
    <section aria-labelledby="owner-heading" class="actions-list no-print">
      <h2 id="owner-heading">{texts.selfCheck.ownerHeading}</h2>
      <p>{texts.selfCheck.ownerIntro}</p>
      <LiveStatus message={busy ? texts.selfCheck.working : ""} />
      {outcome && (
        <Notice kind={outcome.kind} key={outcome.round}>
          {outcome.text}
        </Notice>
      )}
      <ActionButton id="print" label={texts.selfCheck.print} hint={texts.selfCheck.printHint} busy={busy} onClick={() => window.print()} />
      <ActionButton id="export" label={texts.selfCheck.export} hint={texts.selfCheck.exportHint} busy={busy} onClick={() => run("export")} />
      <div class="share">
        {shareUrl && <CopyLink id="share-link" label={texts.selfCheck.shareLabel} url={shareUrl} copyLabel={texts.selfCheck.copyShare} />}
        {check.shared && !shareUrl && <p>{texts.selfCheck.sharedExists}</p>}
        <ActionButton
          id="share"
          label={check.shared ? texts.selfCheck.shareAgain : texts.selfCheck.share}
          hint={texts.selfCheck.shareHint}
          busy={busy}
          onClick={() => run("share")}
        />
        {check.shared && (
          <ActionButton id="unshare" label={texts.selfCheck.unshare} hint={texts.selfCheck.unshareHint} busy={busy} onClick={() => run("unshare")} />
        )}
      </div>
      <ActionButton id="delete" label={texts.selfCheck.delete} hint={texts.selfCheck.deleteHint} busy={busy} danger onClick={() => setConfirming(true)} />
      <ConfirmDialog
        open={confirming}
        title={texts.selfCheck.deleteConfirmTitle}
        text={texts.selfCheck.deleteConfirmText}
        confirmLabel={texts.selfCheck.deleteConfirm}
        onConfirm={() => run("delete")}
        onDismiss={() => setConfirming(false)}
      />
    </section>
  );
}

/** /selbstcheck/ansicht?token=…: what the IT provider sees, read only. */
export function SharedSelfCheckPage({ token }: { token: string | null }) {
  const [loaded] = useAsync(
    token
      ? () => Promise.all([loadCatalogue(), request(SharedSelfCheckDocument, { token })]).then(([cat, d]) => ({ cat, check: d.sharedSelfCheck }))
      : null,
    [token],
  );
  return (
    <Page heading={texts.selfCheck.sharedHeading} ready={loaded.status !== "loading"}>
      <p class="lead">{texts.selfCheck.sharedIntro}</p>
      <LiveStatus message={loaded.status === "loading" ? texts.selfCheck.sharedLoading : ""} />
      {!token && <p class="notice notice-error">{texts.selfCheck.noToken}</p>}
      {loaded.status === "error" && <Notice kind="error">{loaded.error.message}</Notice>}
      {loaded.status === "done" && (
        <>
          <ResultView cat={loaded.data.cat} check={loaded.data.check} actions={loaded.data.check.nextActions} />
          <p class="no-print">
            <button type="button" class="button-secondary" onClick={() => window.print()}>
              {texts.selfCheck.print}
            </button>
          </p>
        </>
      )}
      {loaded.status === "error" && (
        <p>
          <Link href={paths.selfCheck}>{texts.selfCheck.whatIsIt}</Link>
        </p>
      )}
    </Page>
  );
}
