import { useEffect, useRef, useState } from "preact/hooks";
import { request } from "../api";
import { useAction, useAsync } from "../async";
import { SampleBadge } from "../components/badges";
import { FieldError } from "../components/field-error";
import { LiveStatus, Notice } from "../components/notice";
import { Page } from "../components/page";
import { Candidates, isAmbiguous, isPlaceError, PlaceField, placeMessage } from "../components/place-search";
import { StartSelfCheckDocument, type SelfCheckProfileInput } from "../gql/graphql";
import { placeInput } from "../place";
import { navigate } from "../router";
import { loadCatalogue, stepHref } from "../selfcheck";
import { texts } from "../texts";

type Field = "employees" | "sector";
type Problems = Partial<Record<Field, string>>;

function check(employees: string, sector: string): Problems {
  const problems: Problems = {};
  const n = employees.trim();
  if (n && !(/^\d{1,7}$/.test(n) && Number(n) <= 1_000_000)) problems.employees = texts.selfCheck.employeesInvalid;
  if (sector.trim().length > 20) problems.sector = texts.selfCheck.sectorInvalid;
  return problems;
}

/** /selbstcheck: what the check is, the optional profile, and the start. */
export function SelfCheckIntro() {
  const [catalogue] = useAsync(loadCatalogue, []);
  const cat = catalogue.status === "done" ? catalogue.data : null;
  return (
    <Page heading={texts.selfCheck.heading} title={texts.selfCheck.title}>
      <p class="lead">{texts.selfCheck.intro}</p>
      <section aria-labelledby="how-heading">
        <h2 id="how-heading">{texts.selfCheck.howHeading}</h2>
        <ol class="steps">
          {texts.selfCheck.how.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="duration-heading">
        <h2 id="duration-heading">{texts.selfCheck.durationHeading}</h2>
        <p>{texts.selfCheck.duration}</p>
      </section>
      <section aria-labelledby="account-heading">
        <h2 id="account-heading">{texts.selfCheck.accountHeading}</h2>
        <p>{texts.selfCheck.account}</p>
      </section>
      <section aria-labelledby="model-heading">
        <h2 id="model-heading">{texts.selfCheck.modelHeading}</h2>
        <LiveStatus message={catalogue.status === "loading" ? texts.selfCheck.catalogueLoading : ""} />
        {catalogue.status === "error" && <Notice kind="error">{catalogue.error.message}</Notice>}
        {cat && (
          <>
            <p>{texts.selfCheck.model(cat.modelledOn)}</p>
            {cat.isSample && (
              <p>
                <SampleBadge isSample /> {texts.selfCheck.sampleNote}
              </p>
            )}
            <p class="hint source">{texts.selfCheck.source(cat.source)}</p>
          </>
        )}
      </section>
      <StartForm />
    </Page>
  );
}

function StartForm() {
  const [employees, setEmployees] = useState("");
  const [sector, setSector] = useState("");
  const [place, setPlace] = useState("");
  // The municipality picked among the candidates of an ambiguous place.
  const [picked, setPicked] = useState<{ ags: string; name: string } | null>(null);
  const [problems, setProblems] = useState<Problems>({});
  const [attempt, setAttempt] = useState(0);
  const placeRef = useRef<HTMLInputElement>(null);
  const [started, start] = useAction(async (profile: SelfCheckProfileInput) => {
    const { startSelfCheck } = await request(StartSelfCheckDocument, { profile });
    navigate(stepHref(startSelfCheck.token, { kind: "link" }), { newPage: true });
    return startSelfCheck.token;
  });
  const error = started.status === "error" ? started.error : null;
  // The server names a bad number or sector in extensions.field.
  const serverProblem = (field: Field) => (error?.field === field ? error.message : undefined);
  const shown: Problems = {
    employees: problems.employees ?? serverProblem("employees"),
    sector: problems.sector ?? serverProblem("sector"),
  };
  const placeProblem = placeMessage(error, false);
  // An unknown place: back to the field, where the message is.
  useEffect(() => {
    if (placeProblem) placeRef.current?.focus();
  }, [error]);

  const submit = (event: Event) => {
    event.preventDefault();
    const found = check(employees, sector);
    setProblems(found);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length > 0) return;
    const typed = place.trim();
    start({
      employees: employees.trim() ? Number(employees.trim()) : null,
      sector: sector.trim() || null,
      place: picked && picked.name === typed ? { ags: picked.ags } : typed ? placeInput(typed, null) : null,
    });
  };
  const list = (Object.entries(shown) as [Field, string | undefined][]).filter((e): e is [Field, string] => !!e[1]);
  const otherError = error && !isPlaceError(error) ? error : null;

  return (
    <section aria-labelledby="profile-heading" class="register">
      <h2 id="profile-heading">{texts.selfCheck.profileHeading}</h2>
      <p>{texts.selfCheck.profileIntro}</p>
      {list.length > 0 && (
        <Notice kind="error" key={attempt}>
          <p>{texts.selfCheck.errorsHeading}</p>
          <ul>
            {list.map(([field, message]) => (
              <li key={field}>
                <a href={`#check-${field}`} onClick={focusField(field)}>
                  {message}
                </a>
              </li>
            ))}
          </ul>
        </Notice>
      )}
      {otherError && list.length === 0 && (
        <Notice kind="error" key={attempt}>
          {otherError.code === "RATE_LIMITED" ? texts.selfCheck.rateLimited : otherError.message}
        </Notice>
      )}
      <form onSubmit={submit} noValidate>
        <div class="field field-narrow">
          <label for="check-employees">{texts.selfCheck.employees}</label>
          <p id="check-employees-hint" class="hint">
            {texts.selfCheck.employeesHint}
          </p>
          <FieldError id="check-employees" message={shown.employees} />
          <input
            id="check-employees"
            type="text"
            inputMode="numeric"
            value={employees}
            onInput={(e) => setEmployees(e.currentTarget.value)}
            aria-invalid={shown.employees ? true : undefined}
            aria-describedby={shown.employees ? "check-employees-hint check-employees-error" : "check-employees-hint"}
          />
        </div>
        <div class="field field-narrow">
          <label for="check-sector">{texts.selfCheck.sector}</label>
          <p id="check-sector-hint" class="hint">
            {texts.selfCheck.sectorHint}
          </p>
          <FieldError id="check-sector" message={shown.sector} />
          <input
            id="check-sector"
            type="text"
            value={sector}
            onInput={(e) => setSector(e.currentTarget.value)}
            aria-invalid={shown.sector ? true : undefined}
            aria-describedby={shown.sector ? "check-sector-hint check-sector-error" : "check-sector-hint"}
          />
        </div>
        <div class="field">
          <PlaceField
            id="check-place"
            label={texts.selfCheck.place}
            hint={picked && picked.name === place.trim() ? texts.selfCheck.placePicked(picked.name) : texts.selfCheck.placeHint}
            value={place}
            onInput={setPlace}
            message={placeProblem}
            inputRef={placeRef}
          />
        </div>
        {isAmbiguous(error) && error && !(picked && picked.name === place.trim()) && (
          <Candidates
            input={place}
            error={error}
            link={(c) => (
              <button type="button" class="button-secondary" onClick={() => {
                  setPicked(c);
                  setPlace(c.name);
                }}>
                {c.name}
              </button>
            )}
            onGone={() => placeRef.current?.focus()}
          />
        )}
        <button type="submit" class="button-start" disabled={started.status === "loading"}>
          {started.status === "loading" ? texts.selfCheck.starting : texts.selfCheck.start}
        </button>
      </form>
    </section>
  );
}

const focusField = (field: Field) => (event: MouseEvent) => {
  event.preventDefault();
  document.getElementById(`check-${field}`)?.focus();
};
