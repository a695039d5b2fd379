// The one way the web talks to the server: POST /graphql with a typed
// document. Errors become ApiError with a German message a person can act on;
// nothing raw from the wire is ever shown.
import type { TypedDocumentString } from "./gql/graphql";
import { currentToken, signOut } from "./session";
import { texts } from "./texts";

export type PlaceCandidate = { ags: string; name: string };

export class ApiError extends Error {
  constructor(
    /** extensions.code of the server, or NETWORK when it was not reached. */
    readonly code: string,
    /** extensions.reason, e.g. AMBIGUOUS_PLACE, EVENT_PAST. */
    readonly reason: string | undefined,
    message: string,
    /** extensions.candidates of an AMBIGUOUS_PLACE error. */
    readonly candidates: PlaceCandidate[] = [],
    /** The input field a BAD_USER_INPUT error is about (status, progress …), if known. */
    readonly field?: string,
  ) {
    super(message);
  }
}

export type WireError = {
  message?: unknown;
  extensions?: { code?: unknown; reason?: unknown; candidates?: unknown; field?: unknown };
};

/**
 * Sends a typed operation; with `token`, as that bearer token
 * (`Authorization: Bearer …`). Public pages send none.
 */
export async function request<R, V>(document: TypedDocumentString<R, V>, variables: V, token?: string): Promise<R> {
  let body: { data?: R | null; errors?: WireError[] };
  const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    const response = await fetch("/graphql", {
      method: "POST",
      headers,
      body: JSON.stringify({ query: document.toString(), variables }),
    });
    body = await response.json();
  } catch {
    throw new ApiError("NETWORK", undefined, texts.errors.network);
  }
  const first = body.errors?.[0];
  if (first) throw toApiError(first);
  if (!body.data) throw new ApiError("INTERNAL", undefined, texts.errors.generic);
  return body.data;
}

/**
 * A request of the regional management, with the signed-in manager's token.
 * When the server refuses the token (expired, invalid: UNAUTHENTICATED) the
 * token is cleared and the sign-in page shows the server's German reason.
 */
export async function managerRequest<R, V>(document: TypedDocumentString<R, V>, variables: V): Promise<R> {
  const token = currentToken();
  if (!token) {
    const error = new ApiError("UNAUTHENTICATED", undefined, texts.manager.signInFirst);
    leaveManagerArea(error);
    throw error;
  }
  try {
    return await request(document, variables, token);
  } catch (error) {
    if (error instanceof ApiError && error.code === "UNAUTHENTICATED") leaveManagerArea(error);
    throw error;
  }
}

function leaveManagerArea(error: ApiError) {
  // Only while the person is still in the manager area: an answer that
  // arrives after they went to a public page does not pull them back.
  if (location.pathname.startsWith("/verwaltung/")) signOut({ kind: "error", text: error.message });
}

// BAD_USER_INPUT names its field in extensions.field or, from the domain's
// Invalid(), as the prefix "Ungültige Eingabe für <field>: <reason>".
const invalidPrefix = /^Ungültige Eingabe für (\w+): (.+)$/s;

/** The message of an error shown at its field: the reason alone ("Der Fortschritt liegt …"). */
export function messageAtField(error: ApiError): string {
  const reason = invalidPrefix.exec(error.message)?.[2];
  return reason ? reason.charAt(0).toUpperCase() + reason.slice(1) : error.message;
}

export function toApiError(error: WireError): ApiError {
  const ext = error.extensions ?? {};
  const code = typeof ext.code === "string" ? ext.code : "INTERNAL";
  const reason = typeof ext.reason === "string" ? ext.reason : undefined;
  const serverMessage = typeof error.message === "string" ? error.message : "";
  let field: string | undefined;
  if (code === "BAD_USER_INPUT") {
    field = typeof ext.field === "string" ? ext.field : invalidPrefix.exec(serverMessage)?.[1];
    if (reason === "INVALID_TRANSITION") field ??= "status";
  }
  return new ApiError(code, reason, message(code, reason, serverMessage), candidates(ext.candidates), field);
}

// The server's messages are German and meant for people, except for
// internal errors and malformed queries (a bug of ours, not the person's).
function message(code: string, reason: string | undefined, serverMessage: string): string {
  if (code === "RATE_LIMITED") return texts.errors.rateLimited;
  if (reason === "EVENT_PAST") return texts.errors.eventPast;
  if (reason === "EVENT_CANCELLED") return texts.errors.eventCancelled;
  if (code === "FORBIDDEN") return texts.manager.forbidden(serverMessage);
  if (code === "CONFLICT" && reason === "VERSION_MISMATCH") return texts.rollout.conflict;
  const ours = code === "INTERNAL" || reason?.startsWith("GRAPHQL_") || reason?.endsWith("_LIMIT_EXCEEDED");
  return ours || !serverMessage ? texts.errors.generic : serverMessage;
}

function candidates(value: unknown): PlaceCandidate[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (c): c is PlaceCandidate => typeof c?.ags === "string" && typeof c?.name === "string",
  );
}
