import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "../api";
import { asApiError, latest, useAsync } from "../async";
import { ConfirmDialog } from "../components/confirm-dialog";
import { ContactLinks } from "../components/contact-links";
import { CopyLink } from "../components/copy-link";
import { LiveStatus, Notice } from "../components/notice";
import { OfficerNav, officerRequest, RequireOfficer } from "../components/officer";
import { Page } from "../components/page";
import { formatDateTime } from "../format";
import {
  CreateHandoverLinkDocument,
  CreateIncidentDocument,
  DeleteIncidentDocument,
  DigiSosDocument,
  IncidentsDocument,
  RevokeHandoverLinkDocument,
  UpdateIncidentDocument,
  type DigiSosFrameworkPartsFragment,
  type EmergencyContactPartsFragment,
  type IncidentParty,
  type IncidentPartsFragment,
} from "../gql/graphql";
import { texts } from "../texts";

const t = texts.digisos;
const parties: IncidentParty[] = ["CERT_NRW", "POLICE", "DIGISOS_PROVIDER", "IT_PROVIDER", "DATA_PROTECTION"];

// Times are entered as people in Germany write them ("23.11.2026 07:30"),
// always in Berlin time: a plain text field works the same with every
// keyboard and screen reader, unlike the browsers' date-time widgets.
const berlinParts = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Berlin",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
const berlinOffset = new Intl.DateTimeFormat("en-US", { timeZone: "Europe/Berlin", timeZoneName: "longOffset" });

/** "23.11.2026 07:30" for an instant, in Berlin. */
export function toLocalInput(at: string | Date): string {
  const p = Object.fromEntries(berlinParts.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  return `${p.day}.${p.month}.${p.year} ${p.hour}:${p.minute}`;
}

/** The instant of "23.11.2026 07:30" in Berlin as RFC 3339, or null. */
export function fromLocalInput(text: string): string | null {
  const m = /^\s*(\d{1,2})\.(\d{1,2})\.(\d{4}),?\s+(\d{1,2})[:.](\d{2})\s*$/.exec(text);
  if (!m) return null;
  const [day, month, year, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
  const pad = (n: number) => String(n).padStart(2, "0");
  const local = `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:00`;
  // The offset Berlin has at about that time (exact except in the hour of a change).
  const name = berlinOffset.formatToParts(new Date(`${local}Z`)).find((p) => p.type === "timeZoneName");
  const offset = name?.value.replace("GMT", "") || "+00:00";
  const iso = `${local}${offset}`;
  return Number.isNaN(Date.parse(iso)) || toLocalInput(iso) !== `${pad(day)}.${pad(month)}.${year} ${pad(hour)}:${pad(minute)}` ? null : iso;
}

type Outcome = { kind: "success" | "error"; text: string; round: number };

/** `/kommune/<ags>/notfall`: the incident record, handover links, steps and contacts of Digi-SOS. */
export function MunicipalityEmergencyPage({ ags }: { ags: string }) {
  return (
    <RequireOfficer ags={ags}>
      <Emergency ags={ags} />
    </RequireOfficer>
  );
}

function Emergency({ ags }: { ags: string }) {
  const [info] = useAsync(() => officerRequest(DigiSosDocument, { ags }), [ags]);
  const [list, reload] = useAsync(() => officerRequest(IncidentsDocument, { ags }).then((d) => d.incidents), [ags]);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<IncidentPartsFragment | null>(null);
  const incidents = latest(list) ?? [];
  const data = latest(info);
  const report = (kind: Outcome["kind"], text: string) => setOutcome((o) => ({ kind, text, round: (o?.round ?? 0) + 1 }));
  const status = list.status === "loading" ? t.loading : list.status === "error" ? list.error.message : "";

  return (
    <Page heading={t.heading} kicker={t.kicker(ags)}>
      <OfficerNav ags={ags} current="emergency" />
      <p class="lead">{t.intro}</p>
      <LiveStatus message={outcome ? outcome.text : status} />
      {outcome && (
        <Notice kind={outcome.kind} key={outcome.round}>
          {outcome.text}
        </Notice>
      )}
      {info.status === "error" && <Notice kind="error">{info.error.message}</Notice>}
      {list.status === "error" && <Notice kind="error">{list.error.message}</Notice>}
      {data && (
        <section aria-labelledby="eligibility-heading" class="digisos-eligibility">
          <h2 id="eligibility-heading">{t.eligibilityHeading}</h2>
          <p>
            <strong class={`badge eligibility-${data.digiSosEligibility.status.toLowerCase()}`}>{t.eligibility[data.digiSosEligibility.status]}</strong>{" "}
            {data.digiSosEligibility.reason}
          </p>
          {data.digiSosEligibility.check && (
            <p>
              <strong>{t.checkLabel}</strong> {data.digiSosEligibility.check}
            </p>
          )}
          <p class="hint">
            {t.sourceLabel} {data.digiSosEligibility.source}
          </p>
        </section>
      )}
      <section aria-labelledby="incidents-heading">
        <h2 id="incidents-heading" tabIndex={-1}>
          {t.incidentsHeading}
        </h2>
        {creating ? (
          <IncidentForm
            ags={ags}
            onCancel={() => setCreating(false)}
            onSaved={() => {
              setCreating(false);
              report("success", t.saved);
              reload();
            }}
          />
        ) : (
          <p>
            <button type="button" onClick={() => setCreating(true)}>
              {t.newIncident}
            </button>
          </p>
        )}
        {list.status === "done" && incidents.length === 0 && <p>{t.noIncidents}</p>}
        {incidents.map((inc) => (
          <IncidentCard key={inc.id} ags={ags} incident={inc} report={report} reload={reload} onDelete={() => setDeleting(inc)} />
        ))}
      </section>
      <ConfirmDialog
        open={deleting !== null}
        title={t.deleteTitle}
        text={deleting ? t.deleteText(t.incidentTitle(formatDateTime(deleting.since))) : ""}
        confirmLabel={t.deleteIncident}
        onDismiss={() => setDeleting(null)}
        onConfirm={async () => {
          const inc = deleting;
          setDeleting(null);
          if (!inc) return;
          try {
            await officerRequest(DeleteIncidentDocument, { id: inc.id });
            report("success", t.deleted);
            reload();
          } catch (error) {
            report("error", t.failed(asApiError(error).message));
          }
          document.getElementById("incidents-heading")?.focus();
        }}
      />
      {data && (
        <div class="digisos-page">
          <Framework framework={data.digiSosFramework} contacts={data.emergencyHelp.contacts} />
        </div>
      )}
    </Page>
  );
}

type FormErrors = Partial<Record<"what" | "since" | "systems" | "reached" | "reachedNote" | "form", string>>;

function IncidentForm({
  ags,
  incident,
  onSaved,
  onCancel,
}: {
  ags: string;
  incident?: IncidentPartsFragment;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const id = incident ? `inc-${incident.id}` : "inc-new";
  const [what, setWhat] = useState(incident?.what ?? "");
  const [since, setSince] = useState(incident ? toLocalInput(incident.since) : toLocalInput(new Date()));
  const [systems, setSystems] = useState(incident?.systems ?? "");
  const [note, setNote] = useState(incident?.reachedNote ?? "");
  const [reached, setReached] = useState<Partial<Record<IncidentParty, string>>>(
    Object.fromEntries((incident?.reached ?? []).map((r) => [r.party, toLocalInput(r.at)])),
  );
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLTextAreaElement>(null);
  useEffect(() => first.current?.focus(), []);

  const submit = async (event: Event) => {
    event.preventDefault();
    const found: FormErrors = {};
    const sinceIso = fromLocalInput(since);
    if (!what.trim()) found.what = t.whatHint;
    if (!sinceIso) found.since = texts.digisos.sinceFormat;
    const reachedInput = [];
    for (const p of parties) {
      const at = reached[p];
      if (at === undefined) continue;
      const iso = fromLocalInput(at);
      if (!iso) found.reached = `${t.parties[p]}: ${texts.digisos.sinceFormat}`;
      else reachedInput.push({ party: p, at: iso });
    }
    setErrors(found);
    if (Object.keys(found).length > 0) {
      document.getElementById(`${id}-${Object.keys(found)[0]}`)?.focus();
      return;
    }
    const input = { what, since: sinceIso as string, systems, reached: reachedInput, reachedNote: note };
    setBusy(true);
    try {
      if (incident) await officerRequest(UpdateIncidentDocument, { id: incident.id, input, version: incident.version });
      else await officerRequest(CreateIncidentDocument, { ags, input });
      onSaved();
    } catch (error) {
      const e = asApiError(error);
      const field = e instanceof ApiError && e.code === "BAD_USER_INPUT" ? (e.field as keyof FormErrors | undefined) : undefined;
      setErrors({ [field && field in fieldNames ? field : "form"]: e.message });
      document.getElementById(`${id}-${field && field in fieldNames ? field : "what"}`)?.focus();
    } finally {
      setBusy(false);
    }
  };
  const described = (field: keyof FormErrors, hint?: string) =>
    [hint, errors[field] ? `${id}-${field}-error` : undefined].filter(Boolean).join(" ") || undefined;
  const fieldError = (field: keyof FormErrors) =>
    errors[field] && (
      <p id={`${id}-${field}-error`} class="field-error">
        {errors[field]}
      </p>
    );

  return (
    <form class="incident-form" onSubmit={submit} aria-labelledby={`${id}-heading`} noValidate>
      <h3 id={`${id}-heading`}>{incident ? t.editHeading : t.formHeading}</h3>
      {errors.form && <Notice kind="error">{errors.form}</Notice>}
      <div class="field">
        <label for={`${id}-what`}>{t.what}</label>
        <p id={`${id}-what-hint`} class="hint">
          {t.whatHint}
        </p>
        {fieldError("what")}
        <textarea
          ref={first}
          id={`${id}-what`}
          rows={3}
          required
          value={what}
          onInput={(e) => setWhat(e.currentTarget.value)}
          aria-describedby={described("what", `${id}-what-hint`)}
          aria-invalid={errors.what ? true : undefined}
        />
      </div>
      <div class="field">
        <label for={`${id}-since`}>{t.since}</label>
        <p id={`${id}-since-hint`} class="hint">
          {texts.digisos.sinceFormat}
        </p>
        {fieldError("since")}
        <input
          id={`${id}-since`}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          required
          value={since}
          onInput={(e) => setSince(e.currentTarget.value)}
          aria-describedby={described("since", `${id}-since-hint`)}
          aria-invalid={errors.since ? true : undefined}
        />
      </div>
      <div class="field">
        <label for={`${id}-systems`}>{t.systems}</label>
        {fieldError("systems")}
        <textarea
          id={`${id}-systems`}
          rows={2}
          value={systems}
          onInput={(e) => setSystems(e.currentTarget.value)}
          aria-describedby={described("systems")}
          aria-invalid={errors.systems ? true : undefined}
        />
      </div>
      <fieldset id={`${id}-reached`} tabIndex={-1}>
        <legend>{t.reachedLegend}</legend>
        {fieldError("reached")}
        <ul class="plain reached-list">
          {parties.map((p) => (
            <li key={p}>
              <label class="check">
                <input
                  type="checkbox"
                  checked={reached[p] !== undefined}
                  onChange={(e) => {
                    const on = e.currentTarget.checked;
                    setReached((r) => {
                      const next = { ...r };
                      if (on) next[p] = toLocalInput(new Date());
                      else delete next[p];
                      return next;
                    });
                  }}
                />
                {t.parties[p]}
              </label>
              {reached[p] !== undefined && (
                <span class="reached-at">
                  <label for={`${id}-at-${p}`}>{t.reachedAt(t.parties[p])}</label>
                  <input
                    id={`${id}-at-${p}`}
                    type="text"
                    inputMode="numeric"
                    autoComplete="off"
                    value={reached[p]}
                    onInput={(e) => {
                      const v = e.currentTarget.value;
                      setReached((r) => ({ ...r, [p]: v }));
                    }}
                    aria-describedby={`${id}-since-hint`}
                  />
                </span>
              )}
            </li>
          ))}
        </ul>
      </fieldset>
      <div class="field">
        <label for={`${id}-reachedNote`}>{t.reachedNote}</label>
        {fieldError("reachedNote")}
        <textarea
          id={`${id}-reachedNote`}
          rows={2}
          value={note}
          onInput={(e) => setNote(e.currentTarget.value)}
          aria-describedby={described("reachedNote")}
          aria-invalid={errors.reachedNote ? true : undefined}
        />
      </div>
      <p class="actions-inline">
        <button type="submit" disabled={busy}>
          {t.save}
        </button>
        <button type="button" class="button-secondary" onClick={onCancel}>
          {t.cancelEdit}
        </button>
      </p>
    </form>
  );
}

const fieldNames = { what: 1, since: 1, systems: 1, reached: 1, reachedNote: 1 };

/** The incident as the page and the handover show it. */
export function IncidentFacts({ incident }: { incident: Pick<IncidentPartsFragment, "what" | "since" | "systems" | "reached" | "reachedNote"> }) {
  return (
    <dl class="incident-facts">
      <dt>{t.whatLabel}</dt>
      <dd class="pre-line">{incident.what}</dd>
      <dt>{t.sinceLabel}</dt>
      <dd>{formatDateTime(incident.since)}</dd>
      {incident.systems && (
        <>
          <dt>{t.systemsLabel}</dt>
          <dd class="pre-line">{incident.systems}</dd>
        </>
      )}
      <dt>{t.reachedLabel}</dt>
      <dd>
        {incident.reached.length === 0 ? (
          t.noneReached
        ) : (
          <ul class="plain">
            {incident.reached.map((r) => (
              <li key={r.party}>
                {t.parties[r.party]}: {formatDateTime(r.at)}
              </li>
            ))}
          </ul>
        )}
        {incident.reachedNote && <p class="pre-line">{incident.reachedNote}</p>}
      </dd>
    </dl>
  );
}

function IncidentCard({
  ags,
  incident,
  report,
  reload,
  onDelete,
}: {
  ags: string;
  incident: IncidentPartsFragment;
  report: (kind: "success" | "error", text: string) => void;
  reload: () => void;
  onDelete: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [label, setLabel] = useState("");
  const [labelError, setLabelError] = useState<string | null>(null);
  const [fresh, setFresh] = useState<{ label: string; url: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `inc-${incident.id}`;
  const title = t.incidentTitle(formatDateTime(incident.since));

  const makeLink = async (event: Event) => {
    event.preventDefault();
    if (!label.trim()) {
      setLabelError(t.labelHint);
      document.getElementById(`${id}-label`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const d = await officerRequest(CreateHandoverLinkDocument, { incidentId: incident.id, label });
      setFresh({ label: d.createHandoverLink.link.label, url: d.createHandoverLink.url });
      setLabel("");
      setLabelError(null);
      report("success", t.created(d.createHandoverLink.link.label));
      reload();
    } catch (error) {
      const e = asApiError(error);
      setLabelError(e.message);
      report("error", t.failed(e.message));
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (linkId: string, linkLabel: string) => {
    try {
      await officerRequest(RevokeHandoverLinkDocument, { id: linkId });
      report("success", t.revoked(linkLabel));
      reload();
    } catch (error) {
      report("error", t.failed(asApiError(error).message));
    }
  };

  return (
    <article class="incident card digisos-page" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} class="card-title">
        {title}
      </h3>
      {editing ? (
        <IncidentForm
          ags={ags}
          incident={incident}
          onCancel={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            report("success", t.saved);
            reload();
          }}
        />
      ) : (
        <>
          <IncidentFacts incident={incident} />
          <p class="hint">{t.updatedLine(formatDateTime(incident.updatedAt), texts.wiba.roles[incident.updatedBy] ?? incident.updatedBy, incident.version)}</p>
          <p>
            <button type="button" class="button-secondary" onClick={() => setEditing(true)} aria-describedby={`${id}-title`}>
              {t.editIncident}
            </button>{" "}
            <button type="button" class="button-secondary" onClick={onDelete} aria-describedby={`${id}-title`}>
              {t.deleteIncident}
            </button>
          </p>
        </>
      )}
      <section aria-labelledby={`${id}-links`}>
        <h4 id={`${id}-links`}>{t.linksHeading}</h4>
        <p class="hint">{t.linksIntro}</p>
        <form class="link-form" onSubmit={makeLink} noValidate>
          <div class="field">
            <label for={`${id}-label`}>{t.labelField}</label>
            <p id={`${id}-label-hint`} class="hint">
              {t.labelHint}
            </p>
            {labelError && (
              <p id={`${id}-label-error`} class="field-error">
                {labelError}
              </p>
            )}
            <div class="field-row">
              <input
                id={`${id}-label`}
                type="text"
                maxLength={80}
                value={label}
                onInput={(e) => setLabel(e.currentTarget.value)}
                aria-describedby={labelError ? `${id}-label-hint ${id}-label-error` : `${id}-label-hint`}
                aria-invalid={labelError ? true : undefined}
              />
              <button type="submit" disabled={busy}>
                {t.makeLink}
              </button>
            </div>
          </div>
        </form>
        {fresh && <CopyLink id={`${id}-new-link`} label={t.newLinkLabel(fresh.label)} url={fresh.url} hint={t.newLinkHint} copyLabel={t.copy} />}
        {incident.handoverLinks.length === 0 ? (
          <p>{t.noLinks}</p>
        ) : (
          <ul class="plain handover-links">
            {incident.handoverLinks.map((l) => (
              <li key={l.id} class="handover-link">
                <p>
                  <strong>{l.label}</strong>: {t.linkLine(l.state, formatDateTime(l.expiresAt))} · {t.views(l.viewCount)}
                </p>
                {l.views.length > 0 && (
                  <details>
                    <summary>{t.viewLog(l.label)}</summary>
                    <ol class="view-log">
                      {l.views.map((at) => (
                        <li key={at}>{formatDateTime(at)}</li>
                      ))}
                    </ol>
                  </details>
                )}
                {l.state === "ACTIVE" && (
                  <button type="button" class="button-secondary" onClick={() => revoke(l.id, l.label)}>
                    <span aria-hidden="true">{t.revoke}</span>
                    <span class="visually-hidden">{t.revokeFor(l.label)}</span>
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}

/** The framework's steps, providers and call-off, and the contacts. */
export function Framework({
  framework,
  contacts,
  level = 2,
}: {
  framework: DigiSosFrameworkPartsFragment;
  contacts: EmergencyContactPartsFragment[];
  level?: 2 | 3;
}) {
  const H = level === 2 ? "h2" : "h3";
  return (
    <>
      <section aria-labelledby="contacts-heading">
        <H id="contacts-heading">{t.contactsHeading}</H>
        <ol class="cards">
          {contacts.map((c) => (
            <li key={c.name} class="card">
              <p class="card-title">
                <strong>{c.name}</strong>
              </p>
              <p class="meta">{c.reason.text}</p>
              {c.role && <p>{c.role}</p>}
              <ContactLinks phone={c.phone} email={c.email} website={c.phone ? null : c.website} availability={c.availability} />
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="steps-heading">
        <H id="steps-heading">{t.stepsHeading}</H>
        <ol class="steps">
          {framework.steps.map((s) => (
            <li key={s.number}>
              <strong>{s.title}</strong>
              {s.isSample && (
                <>
                  {" "}
                  <span class="badge">{t.ownAdvice}</span>
                </>
              )}
              <br />
              {s.text}
              <br />
              <span class="hint">
                {t.sourceLabel} {s.source}
              </span>
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="calloff-heading">
        <H id="calloff-heading">{t.callOffHeading}</H>
        <p>{framework.callOff}</p>
      </section>
      <section aria-labelledby="providers-heading">
        <H id="providers-heading">{t.providersHeading}</H>
        <ul>
          {framework.providers.map((p) => (
            <li key={p.name}>{p.name}</li>
          ))}
        </ul>
        {framework.providers[0] && (
          <p class="hint">
            {t.sourceLabel} {framework.providers[0].source}
          </p>
        )}
      </section>
    </>
  );
}
