import { useEffect, useRef, useState } from "preact/hooks";
import { managerRequest, messageAtField, type ApiError } from "../api";
import { asApiError, useAsync } from "../async";
import { SampleBadge } from "../components/badges";
import { FieldError } from "../components/field-error";
import { Notice } from "../components/notice";
import { Progress, StatusIcon } from "../components/rollout-status";
import { formatDateTime, statusLabel } from "../format";
import { RolloutHistoryDocument, UpdateRolloutDocument, type RolloutStatus } from "../gql/graphql";
import { texts } from "../texts";
import type { Cell, Row } from "./rollout";

type Props = {
  region: Row["region"];
  cell: Cell;
  /** Closed without saving; the page returns the focus to the cell. */
  onClose: () => void;
  onSaved: (cell: Cell) => void;
  /** Loads the cell again after a conflict; the page updates its table. */
  onConflict: () => Promise<Cell | null>;
};

const t = texts.rolloutDetail;

/**
 * The detail of one cell as a modal <dialog>: current state, the form to
 * change it, and the history. The browser keeps the focus inside and closes
 * it on Escape; the heading takes the focus when it opens.
 */
export function RolloutDialog({ region, cell, onClose, onSaved, onConflict }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const [notice, setNotice] = useState<{ kind: "error" | "info"; text: string; round: number } | null>(null);
  // The change note survives reloading the form after a conflict.
  const [note, setNote] = useState("");
  const code = cell.measure.code;
  const [history] = useAsync(
    () => managerRequest(RolloutHistoryDocument, { regionId: region.id, measureCode: code }),
    [region.id, code, cell.version],
  );

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    heading.current?.focus();
    return () => d?.close();
  }, []);

  // Closes the <dialog> first: while it is modal, the page outside cannot take the focus.
  const finish = (then: () => void) => {
    dialog.current?.close();
    then();
  };

  const conflict = async () => {
    try {
      const fresh = await onConflict();
      setNotice((n) => ({ kind: "error", text: fresh ? texts.rollout.conflict : texts.rollout.reloadFailed, round: (n?.round ?? 0) + 1 }));
    } catch (error) {
      setNotice((n) => ({ kind: "error", text: asApiError(error).message, round: (n?.round ?? 0) + 1 }));
    }
  };

  return (
    <dialog
      ref={dialog}
      class="rollout-dialog"
      aria-labelledby="rollout-dialog-title"
      onCancel={(e) => {
        e.preventDefault();
        finish(onClose);
      }}
    >
      <div class="dialog-head">
        <div>
          <h2 id="rollout-dialog-title" ref={heading} tabIndex={-1}>
            {t.heading(code, cell.measure.title)} <SampleBadge isSample={cell.measure.isSample} />
          </h2>
          <p class="meta">
            {region.name} · {texts.manager.regionKinds[region.kind]}
          </p>
        </div>
        <button type="button" class="button-secondary" onClick={() => finish(onClose)}>
          {t.close}
        </button>
      </div>
      {notice && (
        <Notice kind={notice.kind} key={notice.round}>
          {notice.text}
        </Notice>
      )}
      <Current region={region} cell={cell} />
      <RolloutForm
        key={cell.version}
        region={region}
        cell={cell}
        note={note}
        onNote={setNote}
        onCancel={() => finish(onClose)}
        onSaved={(saved) => finish(() => onSaved(saved))}
        onConflict={conflict}
      />
      <section aria-labelledby="history-heading" class="history">
        <h3 id="history-heading">{t.historyHeading}</h3>
        {history.status === "loading" && <p>{t.historyLoading}</p>}
        {history.status === "error" && <p class="field-error">{history.error.message}</p>}
        {history.status === "done" && history.data.rolloutHistory.length === 0 && <p>{t.historyNone}</p>}
        {history.status === "done" && history.data.rolloutHistory.length > 0 && (
          <ol class="history-list">
            {history.data.rolloutHistory.map((change, i) => (
              <li key={`${change.at}-${i}`}>
                <p class="meta">
                  <time dateTime={change.at}>{formatDateTime(change.at)}</time> {t.historyBy(change.by)}
                </p>
                <p>
                  {t.statusChange(statusLabel(change.from), statusLabel(change.to))};{" "}
                  {t.progressChange(change.progressFrom, change.progressTo)}
                </p>
                {change.note && <p class="history-note">{change.note}</p>}
              </li>
            ))}
          </ol>
        )}
      </section>
    </dialog>
  );
}

function Current({ region, cell }: { region: Row["region"]; cell: Cell }) {
  const reach = cell.reach;
  return (
    <section aria-labelledby="current-heading">
      <h3 id="current-heading">{t.current}</h3>
      <dl class="details">
        <dt>{t.status}</dt>
        <dd class={`current-status status-${cell.recorded ? cell.status.toLowerCase() : "unrecorded"}`}>
          <StatusIcon status={cell.recorded ? cell.status : null} />
          {cell.recorded ? texts.rolloutStatus[cell.status] : texts.rollout.notRecorded}
        </dd>
        {cell.recorded && (
          <>
            <dt>{t.progress}</dt>
            <dd>
              <Progress value={cell.progress} />
            </dd>
          </>
        )}
        {reach && (
          <>
            <dt>{t.reach}</dt>
            <dd>
              {[
                texts.rollout.reach.events(reach.events),
                texts.rollout.reach.registrations(reach.registrations),
                texts.rollout.reach.companies(reach.companies),
                ...(region.kind === "MODEL_REGION" ? [texts.rollout.reach.satellites(reach.satellites)] : []),
              ].join(", ")}
            </dd>
          </>
        )}
        {cell.responsibleContact && (
          <>
            <dt>{t.responsible}</dt>
            <dd>{cell.responsibleContact.name}</dd>
          </>
        )}
        {cell.updatedAt && (
          <>
            <dt>{t.updated}</dt>
            <dd>
              <time dateTime={cell.updatedAt}>
                {cell.updatedBy ? t.updatedBy(formatDateTime(cell.updatedAt), cell.updatedBy) : formatDateTime(cell.updatedAt)}
              </time>
            </dd>
          </>
        )}
        <dt>{t.version}</dt>
        <dd>{cell.version}</dd>
      </dl>
    </section>
  );
}

type Field = "status" | "progress" | "notes" | "milestones" | "note";
type Problems = Partial<Record<Field, string>>;
type Milestone = { key: number; title: string; due: string; done: boolean };

const fieldIds: Record<Field, string> = {
  status: "rollout-status",
  progress: "rollout-progress",
  notes: "rollout-notes",
  milestones: "rollout-milestones",
  note: "rollout-note",
};

let milestoneKeys = 0;

type FormProps = {
  region: Row["region"];
  cell: Cell;
  note: string;
  onNote: (note: string) => void;
  onCancel: () => void;
  onSaved: (cell: Cell) => void;
  onConflict: () => void;
};

function RolloutForm({ region, cell, note, onNote, onCancel, onSaved, onConflict }: FormProps) {
  const [status, setStatus] = useState<RolloutStatus>(cell.status);
  const [progress, setProgress] = useState(String(cell.progress));
  const [notes, setNotes] = useState(cell.notes ?? "");
  const [milestones, setMilestones] = useState<Milestone[]>(() =>
    cell.milestones.map((m) => ({ key: ++milestoneKeys, title: m.title, due: m.due ?? "", done: m.done })),
  );
  const [problems, setProblems] = useState<Problems>({});
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const focusAfter = useRef<string | null>(null);

  useEffect(() => {
    if (focusAfter.current) document.getElementById(focusAfter.current)?.focus();
    focusAfter.current = null;
  }, [milestones]);

  const options = [cell.status, ...cell.nextStatuses.filter((s) => s !== cell.status)];

  const check = (): Problems => {
    const found: Problems = {};
    const value = progress.trim();
    if (!/^\d{1,3}$/.test(value) || Number(value) > 100) found.progress = t.progressInvalid;
    if (notes.length > 5000) found.notes = t.notesTooLong;
    if (milestones.some((m) => !m.title.trim() || m.title.trim().length > 200)) found.milestones = t.milestoneTitleMissing;
    if (note.length > 1000) found.note = t.noteTooLong;
    return found;
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = check();
    setProblems(found);
    setFailure(null);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length > 0) return;
    setSaving(true);
    try {
      const { updateRollout } = await managerRequest(UpdateRolloutDocument, {
        regionId: region.id,
        measureCode: cell.measure.code,
        input: {
          status,
          progress: Number(progress.trim()),
          notes,
          milestones: milestones.map((m) => ({ title: m.title.trim(), due: m.due || null, done: m.done })),
          note: note.trim() || null,
          expectedVersion: cell.version,
        },
      });
      onNote("");
      onSaved(updateRollout);
    } catch (error) {
      const e = asApiError(error);
      setSaving(false);
      if (e.code === "CONFLICT") return onConflict();
      const field = fieldOf(e);
      if (field) setProblems({ [field]: e.reason === "INVALID_TRANSITION" ? t.statusNotAllowed : messageAtField(e) });
      else setFailure(e);
    }
  };

  const describedBy = (field: Field, hint?: string) =>
    [hint, problems[field] && `${fieldIds[field]}-error`].filter(Boolean).join(" ") || undefined;
  const problemList = Object.entries(problems) as [Field, string][];
  const firstInvalidMilestone = milestones.find((m) => !m.title.trim() || m.title.trim().length > 200);
  const target = (field: Field) =>
    field === "milestones" && firstInvalidMilestone ? `milestone-title-${firstInvalidMilestone.key}` : fieldIds[field];

  const add = () => {
    const key = ++milestoneKeys;
    focusAfter.current = `milestone-title-${key}`;
    setMilestones((list) => [...list, { key, title: "", due: "", done: false }]);
  };
  const remove = (index: number) => {
    const after = milestones[index + 1] ?? milestones[index - 1];
    focusAfter.current = after ? `milestone-title-${after.key}` : "milestone-add";
    setMilestones((list) => list.filter((_, i) => i !== index));
  };
  const change = (index: number, part: Partial<Milestone>) =>
    setMilestones((list) => list.map((m, i) => (i === index ? { ...m, ...part } : m)));

  return (
    <section aria-labelledby="edit-heading">
      <h3 id="edit-heading">{t.editHeading}</h3>
      {problemList.length > 0 && (
        <Notice kind="error" key={attempt}>
          <p>{t.errorsHeading}</p>
          <ul>
            {problemList.map(([field, message]) => (
              <li key={field}>
                <a
                  href={`#${target(field)}`}
                  onClick={(e) => {
                    e.preventDefault();
                    document.getElementById(target(field))?.focus();
                  }}
                >
                  {message}
                </a>
              </li>
            ))}
          </ul>
        </Notice>
      )}
      {failure && (
        <Notice kind="error" key={attempt}>
          {failure.message}
        </Notice>
      )}
      <form class="rollout-form" onSubmit={submit} noValidate>
        <div class="field">
          <label for={fieldIds.status}>{t.statusLabel}</label>
          <p id="rollout-status-hint" class="hint">
            {t.statusHint}
          </p>
          <FieldError id={fieldIds.status} message={problems.status} />
          <select
            id={fieldIds.status}
            value={status}
            onChange={(e) => setStatus(e.currentTarget.value as RolloutStatus)}
            aria-invalid={problems.status ? true : undefined}
            aria-describedby={describedBy("status", "rollout-status-hint")}
          >
            {options.map((s) => (
              <option key={s} value={s}>
                {s === cell.status ? t.statusCurrent(texts.rolloutStatus[s]) : texts.rolloutStatus[s]}
              </option>
            ))}
          </select>
        </div>
        <div class="field field-narrow">
          <label for={fieldIds.progress}>{t.progressLabel}</label>
          <p id="rollout-progress-hint" class="hint">
            {t.progressHint}
          </p>
          <FieldError id={fieldIds.progress} message={problems.progress} />
          <input
            id={fieldIds.progress}
            type="number"
            inputMode="numeric"
            min={0}
            max={100}
            step={1}
            required
            value={progress}
            onInput={(e) => setProgress(e.currentTarget.value)}
            aria-invalid={problems.progress ? true : undefined}
            aria-describedby={describedBy("progress", "rollout-progress-hint")}
          />
        </div>
        <div class="field">
          <label for={fieldIds.notes}>{t.notesLabel}</label>
          <p id="rollout-notes-hint" class="hint">
            {t.notesHint}
          </p>
          <FieldError id={fieldIds.notes} message={problems.notes} />
          <textarea
            id={fieldIds.notes}
            rows={4}
            maxLength={5000}
            value={notes}
            onInput={(e) => setNotes(e.currentTarget.value)}
            aria-invalid={problems.notes ? true : undefined}
            aria-describedby={describedBy("notes", "rollout-notes-hint")}
          />
        </div>
        <fieldset id={fieldIds.milestones} class="milestones" tabIndex={-1} aria-describedby={describedBy("milestones")}>
          <legend>{t.milestones}</legend>
          <FieldError id={fieldIds.milestones} message={problems.milestones} />
          {milestones.length === 0 && <p class="hint">{t.milestonesNone}</p>}
          <ol class="milestone-list">
            {milestones.map((m, i) => {
              const invalid = Boolean(problems.milestones) && (!m.title.trim() || m.title.trim().length > 200);
              return (
                <li key={m.key}>
                  <fieldset class="milestone">
                    <legend>{t.milestone(i + 1)}</legend>
                    <div class="field">
                      <label for={`milestone-title-${m.key}`}>{t.milestoneTitle}</label>
                      <input
                        id={`milestone-title-${m.key}`}
                        type="text"
                        maxLength={200}
                        value={m.title}
                        onInput={(e) => change(i, { title: e.currentTarget.value })}
                        aria-invalid={invalid ? true : undefined}
                        aria-describedby={invalid ? "rollout-milestones-error" : undefined}
                      />
                    </div>
                    <div class="field">
                      <label for={`milestone-due-${m.key}`}>{t.milestoneDue}</label>
                      <input
                        id={`milestone-due-${m.key}`}
                        type="date"
                        value={m.due}
                        onInput={(e) => change(i, { due: e.currentTarget.value })}
                      />
                    </div>
                    <div class="field milestone-done">
                      <input
                        id={`milestone-done-${m.key}`}
                        type="checkbox"
                        checked={m.done}
                        onChange={(e) => change(i, { done: e.currentTarget.checked })}
                      />
                      <label for={`milestone-done-${m.key}`}>{t.milestoneDone}</label>
                    </div>
                    <button type="button" class="button-secondary" onClick={() => remove(i)}>
                      {t.milestoneRemove}
                      <span class="visually-hidden"> ({t.milestone(i + 1)})</span>
                    </button>
                  </fieldset>
                </li>
              );
            })}
          </ol>
          <button type="button" id="milestone-add" class="button-secondary" onClick={add}>
            {t.milestoneAdd}
          </button>
        </fieldset>
        <div class="field">
          <label for={fieldIds.note}>{t.noteLabel}</label>
          <p id="rollout-note-hint" class="hint">
            {t.noteHint}
          </p>
          <FieldError id={fieldIds.note} message={problems.note} />
          <textarea
            id={fieldIds.note}
            rows={2}
            maxLength={1000}
            value={note}
            onInput={(e) => onNote(e.currentTarget.value)}
            aria-invalid={problems.note ? true : undefined}
            aria-describedby={describedBy("note", "rollout-note-hint")}
          />
        </div>
        <div class="actions">
          <button type="button" class="button-secondary" onClick={onCancel}>
            {t.cancel}
          </button>
          <button type="submit" disabled={saving}>
            {saving ? t.saving : t.save}
          </button>
        </div>
      </form>
    </section>
  );
}

/** The field of the form a server error is about, if it is one of ours. */
function fieldOf(error: ApiError): Field | null {
  if (error.code !== "BAD_USER_INPUT" || !error.field) return null;
  return (Object.keys(fieldIds) as Field[]).find((f) => f === error.field) ?? null;
}
