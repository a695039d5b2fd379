import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, messageAtField } from "../api";
import { asApiError, useAsync } from "../async";
import { LiveStatus, Notice } from "../components/notice";
import { OfficerNav, officerRequest, RequireOfficer } from "../components/officer";
import { Page } from "../components/page";
import {
  AdvisoryAlertSettingsDocument,
  MunicipalityProductsDocument,
  ProductSuggestionsDocument,
  RemoveAdvisoryAlertsDocument,
  SetAdvisoryAlertsDocument,
  SetMunicipalityProductsDocument,
  type ProductSuggestionsQuery,
} from "../gql/graphql";
import { texts } from "../texts";

const t = texts.products;
const fields = ["vendor", "name", "version", "cpe", "purl"] as const;
type Field = (typeof fields)[number];
type Row = Record<Field, string> & { key: number };
type RowErrors = Partial<Record<Field, string>>;
type Suggestion = ProductSuggestionsQuery["productSuggestions"][number];

let nextKey = 1;
const emptyRow = (): Row => ({ key: nextKey++, vendor: "", name: "", version: "", cpe: "", purl: "" });
const fieldId = (row: Row, field: Field) => `p${row.key}-${field}`;
const label: Record<Field, string> = { vendor: t.vendor, name: t.name, version: t.version, cpe: t.cpe, purl: t.purl };

/** `/kommune/<ags>/produkte`: the product list editor and the alert settings. */
export function MunicipalityProductsPage({ ags }: { ags: string }) {
  return (
    <RequireOfficer ags={ags}>
      <Page heading={t.heading} kicker={texts.advisories.kicker(ags)}>
        <OfficerNav ags={ags} current="products" />
        <p class="lead">{t.intro}</p>
        <ProductEditor ags={ags} />
        <AlertSettings ags={ags} />
      </Page>
    </RequireOfficer>
  );
}

/** What the server or the check before sending found, by row and field. */
function validate(rows: Row[]): Map<number, RowErrors> {
  const errors = new Map<number, RowErrors>();
  for (const row of rows) {
    if (!row.cpe.trim() && !row.purl.trim() && (!row.vendor.trim() || !row.name.trim()))
      errors.set(row.key, row.vendor.trim() ? { name: t.needsName } : { vendor: t.needsName });
  }
  return errors;
}

/**
 * The server's BAD_USER_INPUT for a product list at its row and field:
 * extensions.field "products.N.cpe" when the server names it, else the row
 * whose CPE or PURL the message quotes.
 */
function serverErrors(rows: Row[], error: ApiError): Map<number, RowErrors> | null {
  const errors = new Map<number, RowErrors>();
  const at = /^products\.(\d+)\.(\w+)$/.exec(error.field ?? "");
  const named = at ? rows[Number(at[1])] : undefined;
  if (at && named && (fields as readonly string[]).includes(at[2] ?? "")) {
    errors.set(named.key, { [at[2] as Field]: messageAtField(error) });
    return errors;
  }
  for (const row of rows) {
    for (const field of ["cpe", "purl"] as const) {
      const value = row[field].trim();
      if (value && error.message.includes(`„${value}“`)) {
        errors.set(row.key, { [field]: error.message });
        return errors;
      }
    }
  }
  return null;
}

function ProductEditor({ ags }: { ags: string }) {
  const [rows, setRows] = useState<Row[] | null>(null);
  const [errors, setErrors] = useState<Map<number, RowErrors>>(new Map());
  const [outcome, setOutcome] = useState<{ kind: "success" | "error"; text: string; round: number } | null>(null);
  const [status, setStatus] = useState(t.loading);
  const [busy, setBusy] = useState(false);
  const summary = useRef<HTMLDivElement>(null);

  const [loaded] = useAsync(() => officerRequest(MunicipalityProductsDocument, { ags }).then((d) => d.municipalityProducts), [ags]);
  useEffect(() => {
    if (loaded.status === "done") {
      setRows(loaded.data.map((p) => ({ ...emptyRow(), vendor: p.vendor ?? "", name: p.name ?? "", version: p.version ?? "", cpe: p.cpe ?? "", purl: p.purl ?? "" })));
      setStatus(t.loaded(loaded.data.length));
    }
    if (loaded.status === "error") setStatus(loaded.error.message);
  }, [loaded.status]);

  const report = (kind: "success" | "error", text: string) => setOutcome((o) => ({ kind, text, round: (o?.round ?? 0) + 1 }));
  const change = (key: number, field: Field, value: string) =>
    setRows((list) => list?.map((r) => (r.key === key ? { ...r, [field]: value } : r)) ?? null);
  const pick = (key: number, s: Suggestion) =>
    setRows((list) => list?.map((r) => (r.key === key ? { ...r, vendor: s.vendor, name: s.name } : r)) ?? null);
  const add = () => {
    const row = emptyRow();
    setRows((list) => [...(list ?? []), row]);
    setTimeout(() => document.getElementById(fieldId(row, "vendor"))?.focus());
  };
  const remove = (index: number) => {
    if (!rows) return;
    const rest = rows.filter((_, i) => i !== index);
    setRows(rest);
    setStatus(t.removed(index + 1));
    // The focus goes to the row that took its place, or to "add".
    const target = rest[index] ?? rest[index - 1];
    setTimeout(() => document.getElementById(target ? fieldId(target, "vendor") : "add-product")?.focus());
  };

  const save = async (event: Event) => {
    event.preventDefault();
    if (!rows) return;
    const found = validate(rows);
    setErrors(found);
    if (found.size > 0) {
      setOutcome(null);
      setTimeout(() => summary.current?.focus());
      return;
    }
    setBusy(true);
    setStatus(t.saving);
    try {
      const products = rows.map((r) => ({
        vendor: r.vendor.trim() || null,
        name: r.name.trim() || null,
        version: r.version.trim() || null,
        cpe: r.cpe.trim() || null,
        purl: r.purl.trim() || null,
      }));
      const { setMunicipalityProducts: saved } = await officerRequest(SetMunicipalityProductsDocument, { ags, products });
      setRows(saved.map((p) => ({ ...emptyRow(), vendor: p.vendor ?? "", name: p.name ?? "", version: p.version ?? "", cpe: p.cpe ?? "", purl: p.purl ?? "" })));
      setStatus(t.saved(saved.length));
      report("success", t.saved(saved.length));
    } catch (error) {
      const e = asApiError(error);
      const at = e.code === "BAD_USER_INPUT" ? serverErrors(rows, e) : null;
      if (at) {
        setErrors(at);
        setOutcome(null);
        setStatus(texts.advisories.failed(e.message));
        setTimeout(() => summary.current?.focus());
      } else {
        setStatus(texts.advisories.failed(e.message));
        report("error", texts.advisories.failed(e.message));
      }
    } finally {
      setBusy(false);
    }
  };

  const errorList = rows ? rows.flatMap((row, i) => fields.filter((f) => errors.get(row.key)?.[f]).map((f) => ({ row, i, f, text: errors.get(row.key)?.[f] ?? "" }))) : [];

  return (
    <section aria-labelledby="products-heading">
      <h2 id="products-heading">{t.listHeading}</h2>
      <p id="suggest-hint" class="hint">
        {t.suggestionsHint}
      </p>
      {loaded.status === "error" && <Notice kind="error">{loaded.error.message}</Notice>}
      {outcome && (
        <Notice kind={outcome.kind} key={outcome.round}>
          {outcome.text}
        </Notice>
      )}
      {errorList.length > 0 && (
        <div ref={summary} class="notice notice-error error-summary" role="alert" tabIndex={-1}>
          <p>{t.errorsHeading}</p>
          <ul>
            {errorList.map(({ row, i, f, text }) => (
              <li key={`${row.key}-${f}`}>
                <a href={`#${fieldId(row, f)}`}>
                  {t.row(i + 1)}, {label[f]}: {text}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
      {rows && (
        <form class="product-editor" onSubmit={save} noValidate>
          {rows.length === 0 && <p>{t.empty}</p>}
          {rows.map((row, i) => (
            <fieldset key={row.key} class="product-row">
              <legend>{t.row(i + 1)}</legend>
              <div class="product-fields">
                <TextField row={row} field="vendor" error={errors.get(row.key)?.vendor} onInput={change} autoComplete="organization" />
                <ProductCombobox row={row} error={errors.get(row.key)?.name} onInput={change} onPick={pick} />
                <TextField row={row} field="version" error={errors.get(row.key)?.version} onInput={change} />
                <TextField row={row} field="cpe" hint={t.cpeHint} error={errors.get(row.key)?.cpe} onInput={change} />
                <TextField row={row} field="purl" hint={t.purlHint} error={errors.get(row.key)?.purl} onInput={change} />
              </div>
              <button type="button" class="button-secondary" onClick={() => remove(i)}>
                {t.remove(i + 1)}
              </button>
            </fieldset>
          ))}
          <p class="actions-inline">
            <button type="button" id="add-product" class="button-secondary" onClick={add}>
              {t.add}
            </button>
            <button type="submit" disabled={busy}>
              {t.save}
            </button>
          </p>
        </form>
      )}
      <LiveStatus message={status} />
    </section>
  );
}

type FieldProps = {
  row: Row;
  field: Field;
  hint?: string;
  error: string | undefined;
  onInput: (key: number, field: Field, value: string) => void;
  autoComplete?: string;
};

function TextField({ row, field, hint, error, onInput, autoComplete = "off" }: FieldProps) {
  const id = fieldId(row, field);
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return (
    <div class="field">
      <label for={id}>{label[field]}</label>
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      )}
      <input
        id={id}
        type="text"
        autoComplete={autoComplete}
        spellcheck={false}
        value={row[field]}
        onInput={(e) => onInput(row.key, field, e.currentTarget.value)}
        aria-describedby={described}
        aria-invalid={error ? true : undefined}
      />
    </div>
  );
}

/**
 * The product name as an ARIA 1.2 combobox: from 2 characters the products
 * seen in advisories whose vendor or name start so; arrow keys move through
 * them, Enter takes one (vendor and product), Escape closes the list.
 */
function ProductCombobox({
  row,
  error,
  onInput,
  onPick,
}: {
  row: Row;
  error: string | undefined;
  onInput: FieldProps["onInput"];
  onPick: (key: number, s: Suggestion) => void;
}) {
  const id = fieldId(row, "name");
  const listId = `${id}-list`;
  const [query, setQuery] = useState<string | null>(null);
  const [options, setOptions] = useState<Suggestion[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [said, setSaid] = useState("");

  useEffect(() => {
    if (query === null || query.trim().length < 2) {
      setOptions([]);
      setOpen(false);
      return;
    }
    let current = true;
    // Asks once typing pauses, not for every key.
    const timer = setTimeout(() => {
      officerRequest(ProductSuggestionsDocument, { prefix: query.trim() }).then(
        ({ productSuggestions }) => {
          if (!current) return;
          setOptions(productSuggestions);
          setActive(-1);
          setOpen(productSuggestions.length > 0);
          setSaid(t.suggestions(productSuggestions.length));
        },
        () => current && setOpen(false),
      );
    }, 200);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query]);

  const take = (s: Suggestion) => {
    onPick(row.key, s);
    setOpen(false);
    setQuery(null);
    setActive(-1);
  };
  const keyDown = (event: KeyboardEvent) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open && options.length) setOpen(true);
      setActive((a) => (options.length ? (a + 1) % options.length : -1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (!open && options.length) setOpen(true);
      setActive((a) => (options.length ? (a <= 0 ? options.length - 1 : a - 1) : -1));
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      const s = options[active];
      if (s) take(s);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      setOpen(false);
      setActive(-1);
    }
  };
  const described = ["suggest-hint", error && `${id}-error`].filter(Boolean).join(" ");
  return (
    <div class="field combobox">
      <label for={id}>{label.name}</label>
      {error && (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      )}
      <input
        id={id}
        type="text"
        role="combobox"
        autoComplete="off"
        spellcheck={false}
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open && active >= 0 ? `${listId}-${active}` : undefined}
        aria-describedby={described}
        aria-invalid={error ? true : undefined}
        value={row.name}
        onInput={(e) => {
          onInput(row.key, "name", e.currentTarget.value);
          setQuery(e.currentTarget.value);
        }}
        onKeyDown={keyDown}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
      />
      <ul id={listId} role="listbox" aria-label={t.suggestionsLabel} class="suggestions" hidden={!open}>
        {options.map((s, i) => (
          <li
            key={`${s.vendor}|${s.name}`}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            class={i === active ? "active" : undefined}
            onMouseDown={(e) => {
              e.preventDefault();
              take(s);
            }}
          >
            {t.suggestion(s.vendor, s.name, s.advisories)}
          </li>
        ))}
      </ul>
      <p class="visually-hidden" aria-live="polite">
        {open ? said : ""}
      </p>
    </div>
  );
}

function AlertSettings({ ags }: { ags: string }) {
  const [state, reload] = useAsync(() => officerRequest(AdvisoryAlertSettingsDocument, { ags }).then((d) => d.advisoryAlertSettings), [ags]);
  const [email, setEmail] = useState("");
  const [minCvss, setMinCvss] = useState("0");
  const [immediate, setImmediate] = useState(true);
  const [fieldErrors, setFieldErrors] = useState<{ email?: string; minCvss?: string }>({});
  const [outcome, setOutcome] = useState<{ kind: "success" | "error"; text: string; round: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const report = (kind: "success" | "error", text: string) => setOutcome((o) => ({ kind, text, round: (o?.round ?? 0) + 1 }));

  const submit = async (event: Event) => {
    event.preventDefault();
    const errors: { email?: string; minCvss?: string } = {};
    const min = Number(minCvss.trim().replace(",", "."));
    if (!email.trim()) errors.email = t.emailMissing;
    if (minCvss.trim() === "" || Number.isNaN(min)) errors.minCvss = t.minCvssBad;
    setFieldErrors(errors);
    const first = errors.email ? "alert-email" : errors.minCvss ? "alert-min" : null;
    if (first) {
      document.getElementById(first)?.focus();
      return;
    }
    setBusy(true);
    try {
      const { setAdvisoryAlerts: saved } = await officerRequest(SetAdvisoryAlertsDocument, { ags, email: email.trim(), minCvss: min, immediate });
      report("success", t.alertsSaved(saved.email));
      setEmail("");
      reload();
    } catch (error) {
      const e = asApiError(error);
      if (e.code === "BAD_USER_INPUT" && (e.field === "email" || e.field === "minCvss")) {
        // The server's sentence names the API's field (minCvss); ours names the box.
        setFieldErrors(e.field === "email" ? { email: messageAtField(e) } : { minCvss: t.minCvssBad });
        setOutcome(null);
        document.getElementById(e.field === "email" ? "alert-email" : "alert-min")?.focus();
      } else report("error", texts.advisories.failed(e.message));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (address: string) => {
    try {
      await officerRequest(RemoveAdvisoryAlertsDocument, { ags, email: address });
      report("success", t.alertRemoved(address));
      reload();
    } catch (error) {
      report("error", texts.advisories.failed(asApiError(error).message));
    }
  };
  const subs = state.status === "done" ? state.data : state.status === "loading" ? state.stale : undefined;
  return (
    <section aria-labelledby="alerts-heading">
      <h2 id="alerts-heading">{t.alertsHeading}</h2>
      <p>{t.alertsIntro}</p>
      {state.status === "error" && <Notice kind="error">{state.error.message}</Notice>}
      {outcome && (
        <Notice kind={outcome.kind} key={outcome.round}>
          {outcome.text}
        </Notice>
      )}
      {subs && subs.length === 0 && <p>{t.alertsNone}</p>}
      {subs && subs.length > 0 && (
        <ul class="plain alert-list" aria-label={t.alertsList}>
          {subs.map((s) => (
            <li key={s.id}>
              <span>{t.alertLine(s.email, s.minCvss, s.immediate)}</span>{" "}
              <button type="button" class="button-secondary" onClick={() => remove(s.email)}>
                {t.removeAlert(s.email)}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="alert-form" onSubmit={submit} noValidate>
        <div class="field">
          <label for="alert-email">{t.email}</label>
          <p id="alert-email-hint" class="hint">
            {t.emailHint}
          </p>
          {fieldErrors.email && (
            <p id="alert-email-error" class="field-error">
              {fieldErrors.email}
            </p>
          )}
          <input
            id="alert-email"
            type="email"
            autoComplete="email"
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
            aria-describedby={fieldErrors.email ? "alert-email-hint alert-email-error" : "alert-email-hint"}
            aria-invalid={fieldErrors.email ? true : undefined}
          />
        </div>
        <div class="field">
          <label for="alert-min">{t.minCvss}</label>
          <p id="alert-min-hint" class="hint">
            {t.minCvssHint}
          </p>
          {fieldErrors.minCvss && (
            <p id="alert-min-error" class="field-error">
              {fieldErrors.minCvss}
            </p>
          )}
          <input
            id="alert-min"
            type="text"
            inputMode="decimal"
            autoComplete="off"
            value={minCvss}
            onInput={(e) => setMinCvss(e.currentTarget.value)}
            aria-describedby={fieldErrors.minCvss ? "alert-min-hint alert-min-error" : "alert-min-hint"}
            aria-invalid={fieldErrors.minCvss ? true : undefined}
          />
        </div>
        <div class="field">
          <label class="check">
            <input type="checkbox" checked={immediate} onChange={(e) => setImmediate(e.currentTarget.checked)} aria-describedby="alert-immediate-hint" />
            {t.immediate}
          </label>
          <p id="alert-immediate-hint" class="hint">
            {t.immediateHint}
          </p>
        </div>
        <button type="submit" disabled={busy}>
          {t.saveAlerts}
        </button>
      </form>
    </section>
  );
}
