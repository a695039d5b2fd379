// The sign-in of a regional manager: the bearer token in sessionStorage, so
// it lives only as long as this browser tab and is never written to disk
// like localStorage. Signing out, or a token the server refuses, clears it
// and leads to the sign-in page with a message.
import { useEffect, useState } from "preact/hooks";
import { href, navigate, paths } from "./router";

const storageKey = "cyberlotse.managerToken";
const listeners = new Set<() => void>();
// Only when sessionStorage is blocked: the token then lives for this page.
let memory: string | null = null;

/** The token to send, or null when signed out. */
export function currentToken(): string | null {
  try {
    return sessionStorage.getItem(storageKey) ?? memory;
  } catch {
    return memory;
  }
}

function store(token: string | null) {
  memory = null;
  try {
    if (token) sessionStorage.setItem(storageKey, token);
    else sessionStorage.removeItem(storageKey);
  } catch {
    memory = token;
  }
  listeners.forEach((listener) => listener());
}

/** A token as people paste it: without "Bearer " and surrounding blanks. */
export function cleanToken(input: string): string {
  return input.trim().replace(/^Bearer\s+/i, "").trim();
}

export function signIn(token: string) {
  store(cleanToken(token));
}

/** What the sign-in page says once, after a sign-out or a refused token. */
export type SignInNotice = { kind: "info" | "error"; text: string };
let notice: SignInNotice | null = null;

export function takeSignInNotice(): SignInNotice | null {
  const result = notice;
  notice = null;
  return result;
}

/** Only pages of the manager area are places to return to after signing in. */
export function returnPath(value: string | null): string {
  return value && /^\/verwaltung\/(?!anmelden)[\w/-]*$/.test(value) ? value : paths.rollout;
}

/**
 * Clears the token and shows the sign-in page with `message`; `back` is the
 * page to return to after signing in again (the current one by default).
 */
export function signOut(message: SignInNotice | null, back: string | null = location.pathname) {
  if (message) notice = message;
  store(null);
  const next = back && back !== paths.signIn ? returnPath(back) : null;
  // A deliberate sign-out is a step in the history; being sent back (a
  // refused token, no token) replaces the page that could not be shown.
  navigate(href(paths.signIn, { weiter: next && next !== paths.rollout ? next : null }), { replace: message?.kind !== "info" });
}

/**
 * Clears a refused token where the page itself offers the sign-in (the
 * municipality's pages): the message is shown there once (takeSignInNotice).
 */
export function forgetToken(message: SignInNotice) {
  notice = message;
  store(null);
}

/** Whether a manager is signed in; re-renders on sign-in and sign-out. */
export function useSignedIn(): boolean {
  const [signedIn, setSignedIn] = useState(() => Boolean(currentToken()));
  useEffect(() => {
    const update = () => setSignedIn(Boolean(currentToken()));
    listeners.add(update);
    update(); // in case a child signed in or out before this effect ran
    return () => listeners.delete(update);
  }, []);
  return signedIn;
}
