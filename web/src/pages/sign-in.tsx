import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, request } from "../api";
import { useAction } from "../async";
import { LiveStatus, Notice } from "../components/notice";
import { Page } from "../components/page";
import { ManagerCheckDocument } from "../gql/graphql";
import { Link, navigate, type Location } from "../router";
import {
  cleanToken,
  returnPath,
  signIn,
  signOut,
  takeSignInNotice,
  useSignedIn,
  type SignInNotice,
} from "../session";
import { texts } from "../texts";

/**
 * The sign-in of the regional management: one field for the bearer token.
 * The token is checked against the server before it is stored; a refused
 * token (invalid, expired, without the role) is explained at the field.
 */
export function SignInPage({ params }: Location) {
  const signedIn = useSignedIn();
  // A sign-out or a refused token says why, once.
  const [notice, setNotice] = useState<SignInNotice | null>(takeSignInNotice);
  useEffect(() => {
    const latest = takeSignInNotice();
    if (latest) setNotice(latest);
  }, [signedIn]);
  const next = returnPath(params.get("weiter"));
  return (
    <Page heading={texts.signIn.heading}>
      <p class="lead">{texts.signIn.intro}</p>
      {notice && (
        <Notice kind={notice.kind} key={notice.text}>
          {notice.text}
        </Notice>
      )}
      {signedIn ? <SignedIn next={next} /> : <SignInForm next={next} />}
      <section aria-labelledby="local-token-heading">
        <h2 id="local-token-heading">{texts.signIn.localHeading}</h2>
        <p>{texts.signIn.localText}</p>
        <pre class="command">
          <code>{texts.signIn.localCommand}</code>
        </pre>
        <p class="hint">{texts.signIn.localAfter}</p>
      </section>
    </Page>
  );
}

function SignedIn({ next }: { next: string }) {
  return (
    <div class="signed-in">
      <p>{texts.signIn.signedIn}</p>
      <p class="actions-inline">
        <Link class="button" href={next}>
          {texts.signIn.toRollout}
        </Link>
        <button type="button" class="button-secondary" onClick={() => signOut({ kind: "info", text: texts.manager.signedOut }, null)}>
          {texts.manager.signOut}
        </button>
      </p>
    </div>
  );
}

function SignInForm({ next }: { next: string }) {
  const [value, setValue] = useState("");
  const [shown, setShown] = useState(false);
  const [missing, setMissing] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const [check, run] = useAction(async (token: string) => {
    await request(ManagerCheckDocument, {}, token);
    signIn(token);
    navigate(next);
  });

  // Refused tokens (UNAUTHENTICATED, FORBIDDEN) are about the field; the
  // service being down is not.
  const refused = check.status === "error" && ["UNAUTHENTICATED", "FORBIDDEN"].includes(check.error.code);
  const fieldError = missing ? texts.signIn.missing : refused && check.status === "error" ? check.error.message : null;
  const otherError: ApiError | null = check.status === "error" && !refused ? check.error : null;

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
        <div class="field-row">
          <input
            ref={input}
            id="token"
            name="token"
            type={shown ? "text" : "password"}
            autoComplete="off"
            autoCapitalize="off"
            spellcheck={false}
            required
            value={value}
            onInput={(e) => setValue(e.currentTarget.value)}
            aria-describedby={fieldError ? "token-hint token-error" : "token-hint"}
            aria-invalid={fieldError ? true : undefined}
          />
          <button type="button" class="button-secondary" aria-pressed={shown} aria-controls="token" onClick={() => setShown((s) => !s)}>
            {texts.signIn.show}
          </button>
        </div>
      </div>
      <button type="submit" disabled={check.status === "loading"}>
        {texts.signIn.submit}
      </button>
      <LiveStatus message={check.status === "loading" ? texts.signIn.checking : ""} />
    </form>
  );
}
