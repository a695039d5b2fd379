// The one way the web talks to the server: POST /graphql with a typed
// document. Errors become ApiError with a German message a person can act on;
// nothing raw from the wire is ever shown.
import type { TypedDocumentString } from "./gql/graphql";
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
  ) {
    super(message);
  }
}

type WireError = { message?: unknown; extensions?: { code?: unknown; reason?: unknown; candidates?: unknown } };

export async function request<R, V>(document: TypedDocumentString<R, V>, variables: V): Promise<R> {
  let body: { data?: R | null; errors?: WireError[] };
  try {
    const response = await fetch("/graphql", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
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

function toApiError(error: WireError): ApiError {
  const ext = error.extensions ?? {};
  const code = typeof ext.code === "string" ? ext.code : "INTERNAL";
  const reason = typeof ext.reason === "string" ? ext.reason : undefined;
  const serverMessage = typeof error.message === "string" ? error.message : "";
  return new ApiError(code, reason, message(code, reason, serverMessage), candidates(ext.candidates));
}

// The server's messages are German and meant for people, except for
// internal errors and malformed queries (a bug of ours, not the person's).
function message(code: string, reason: string | undefined, serverMessage: string): string {
  if (code === "RATE_LIMITED") return texts.errors.rateLimited;
  if (reason === "EVENT_PAST") return texts.errors.eventPast;
  if (reason === "EVENT_CANCELLED") return texts.errors.eventCancelled;
  const ours = code === "INTERNAL" || reason?.startsWith("GRAPHQL_") || reason?.endsWith("_LIMIT_EXCEEDED");
  return ours || !serverMessage ? texts.errors.generic : serverMessage;
}

function candidates(value: unknown): PlaceCandidate[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (c): c is PlaceCandidate => typeof c?.ags === "string" && typeof c?.name === "string",
  );
}
