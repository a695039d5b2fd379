import { useState } from "preact/hooks";
import { request } from "../api";
import { useAction } from "../async";
import { FieldError } from "../components/field-error";
import { Notice } from "../components/notice";
import { RegisterDocument, type RegisterMutation } from "../gql/graphql";
import { texts } from "../texts";

type Props = { eventId: string; organizer: string; onRegistered: () => void };
type Field = "name" | "email" | "consent";
type Problems = Partial<Record<Field, string>>;

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function check(name: string, email: string, consent: boolean): Problems {
  const problems: Problems = {};
  if (!name.trim()) problems.name = texts.register.nameMissing;
  if (!emailPattern.test(email.trim())) problems.email = texts.register.emailInvalid;
  if (!consent) problems.consent = texts.register.consentMissing;
  return problems;
}

/** The registration form of an event and the answer to it. */
export function RegistrationForm({ eventId, organizer, onRegistered }: Props) {
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [company, setCompany] = useState("");
  const [consent, setConsent] = useState(false);
  const [problems, setProblems] = useState<Problems>({});
  const [attempt, setAttempt] = useState(0);
  const [result, register] = useAction(async () => {
    const data = await request(RegisterDocument, {
      eventId,
      attendee: { name: name.trim(), email: email.trim(), companyName: company.trim() || null },
      consent,
    });
    onRegistered();
    return data.registerForEvent;
  });

  if (result.status === "done") return <Registered payload={result.data} />;

  const submit = (event: Event) => {
    event.preventDefault();
    const found = check(name, email, consent);
    setProblems(found);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length === 0) register();
  };
  const describedBy = (field: Field, hint?: string) =>
    [hint, problems[field] && `${field}-error`].filter(Boolean).join(" ") || undefined;
  const problemList = Object.entries(problems) as [Field, string][];

  return (
    <section aria-labelledby="register-heading" class="register">
      <h2 id="register-heading">{texts.register.heading}</h2>
      <p>{texts.register.intro}</p>
      {problemList.length > 0 && (
        <Notice kind="error" key={attempt}>
          <p>{texts.register.errorsHeading}</p>
          <ul>
            {problemList.map(([field, message]) => (
              <li key={field}>
                <a href={`#register-${field}`} onClick={focusField(field)}>
                  {message}
                </a>
              </li>
            ))}
          </ul>
        </Notice>
      )}
      {result.status === "error" && problemList.length === 0 && (
        <Notice kind="error" key={attempt}>
          {result.error.message}
        </Notice>
      )}
      <form onSubmit={submit} noValidate>
        <div class="field">
          <label for="register-name">
            {texts.register.name} <span aria-hidden="true">*</span>
          </label>
          <FieldError id="name" message={problems.name} />
          <input
            id="register-name"
            type="text"
            autoComplete="name"
            required
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
            aria-invalid={problems.name ? true : undefined}
            aria-describedby={describedBy("name")}
          />
        </div>
        <div class="field">
          <label for="register-email">
            {texts.register.email} <span aria-hidden="true">*</span>
          </label>
          <p id="email-hint" class="hint">
            {texts.register.emailHint}
          </p>
          <FieldError id="email" message={problems.email} />
          <input
            id="register-email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
            aria-invalid={problems.email ? true : undefined}
            aria-describedby={describedBy("email", "email-hint")}
          />
        </div>
        <div class="field">
          <label for="register-company">{texts.register.company}</label>
          <input
            id="register-company"
            type="text"
            autoComplete="organization"
            value={company}
            onInput={(e) => setCompany(e.currentTarget.value)}
          />
        </div>
        <div class="field field-check">
          <FieldError id="consent" message={problems.consent} />
          <input
            id="register-consent"
            type="checkbox"
            required
            checked={consent}
            onChange={(e) => setConsent(e.currentTarget.checked)}
            aria-invalid={problems.consent ? true : undefined}
            aria-describedby={describedBy("consent")}
          />
          <label for="register-consent">
            {texts.register.consent(organizer)} <span aria-hidden="true">*</span>
          </label>
        </div>
        <button type="submit" disabled={result.status === "loading"}>
          {result.status === "loading" ? texts.register.sending : texts.register.submit}
        </button>
      </form>
    </section>
  );
}

const focusField = (field: Field) => (event: MouseEvent) => {
  event.preventDefault();
  document.getElementById(`register-${field}`)?.focus();
};

function statusLine({ registration, alreadyRegistered }: RegisterMutation["registerForEvent"]): string {
  const email = registration.attendee.email;
  switch (registration.status) {
    case "CONFIRMED":
      return alreadyRegistered ? texts.register.stillConfirmed : texts.register.confirmed(email);
    case "WAITLISTED":
      return texts.register.waitlisted(registration.position ?? 0, email);
    case "CANCELLED":
      return texts.register.cancelledBefore;
  }
}

function Registered({ payload }: { payload: RegisterMutation["registerForEvent"] }) {
  return (
    <Notice kind="success">
      {payload.alreadyRegistered && <p>{texts.register.already(payload.registration.attendee.email)}</p>}
      <p>{statusLine(payload)}</p>
      {payload.manageUrl ? (
        <p>
          <a href={payload.manageUrl}>{texts.register.manage}</a>
          {" – "}
          {texts.register.manageHint}
        </p>
      ) : (
        // An address registered before gets its link only by e-mail.
        <p>{texts.register.manageByMail}</p>
      )}
    </Notice>
  );
}
