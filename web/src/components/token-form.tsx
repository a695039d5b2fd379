// The sign-in form of a page that needs a bearer token (the officers'
// pages, the live moderation): the token checked by `check` (which signs
// in), refusals shown at the field, the service being down above it, and
// how to make a token locally.
import { useRef, useState } from "preact/hooks";
import { useAction } from "../async";
import { cleanToken } from "../session";
import { texts } from "../texts";
import { LiveStatus, Notice } from "./notice";

export function TokenForm({ check, forbidden, localCommand }: {
  check: (token: string) => Promise<void>;
  forbidden: string; // the field's message for a token without the role or scope
  localCommand: string;
}) {
  const [value, setValue] = useState("");
  const [missing, setMissing] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const [state, run] = useAction(check);
  // Refused tokens (UNAUTHENTICATED, FORBIDDEN) are about the field; the
  // service being down is not.
  const refused = state.status === "error" && ["UNAUTHENTICATED", "FORBIDDEN"].includes(state.error.code);
  const fieldError = missing
    ? texts.signIn.missing
    : state.status === "error" && refused
      ? state.error.code === "FORBIDDEN"
        ? forbidden
        : state.error.message
      : null;
  const otherError = state.status === "error" && !refused ? state.error : null;
  const submit = (event: Event) => {
    event.preventDefault();
    const token = cleanToken(value);
    setMissing(!token);
    if (!token) {
      input.current?.focus();
      return;
    }
    run(token).then(() => input.current?.focus());
  };
  return (
    <>
      <form class="sign-in" onSubmit={submit} noValidate>
        {otherError && <Notice kind="error">{otherError.message}</Notice>}
        <div class="field">
          <label for="token">{texts.signIn.token}</label>
          <p id="token-hint" class="hint">
            {texts.signIn.tokenHint}
          </p>
          {fieldError && (
            <p id="token-error" class="field-error" role="alert">
              {fieldError}
            </p>
          )}
          <input
            ref={input}
            id="token"
            name="token"
            type="password"
            autoComplete="off"
            spellcheck={false}
            value={value}
            onInput={(e) => setValue(e.currentTarget.value)}
            aria-describedby={fieldError ? "token-hint token-error" : "token-hint"}
            aria-invalid={fieldError ? true : undefined}
          />
        </div>
        <button type="submit" disabled={state.status === "loading"}>
          {texts.signIn.submit}
        </button>
        <LiveStatus message={state.status === "loading" ? texts.signIn.checking : ""} />
      </form>
      <section aria-labelledby="local-token-heading">
        <h2 id="local-token-heading">{texts.signIn.localHeading}</h2>
        <pre class="command">
          <code>{localCommand}</code>
        </pre>
        <p class="hint">{texts.signIn.localAfter}</p>
      </section>
    </>
  );
}
