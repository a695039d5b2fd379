// The live questions and polls: the participant's anonymous token (per event,
// in sessionStorage), requests with the live sessions' own error texts, and
// the subscription as GraphQL over Server-Sent Events (the graphql-sse
// protocol's distinct connections mode: POST with Accept: text/event-stream),
// read with fetch's stream, so no client library is in the bundle and the
// moderation sends its bearer token as an ordinary header.
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, request, toApiError, type WireError } from "./api";
import { asApiError } from "./async";
import { LiveFeedDocument, type LiveSessionFieldsFragment, type TypedDocumentString } from "./gql/graphql";
import { texts } from "./texts";

export type LiveView = LiveSessionFieldsFragment;
export type LiveQuestion = LiveView["byVotes"][number];
export type LivePoll = NonNullable<LiveView["currentPoll"]>;

export const livePaths = {
  join: "/live",
  participant: (codeOrId: string) => `/live/${encodeURIComponent(codeOrId)}`,
  moderation: (eventId: string) => `/live/${encodeURIComponent(eventId)}/moderation`,
  presenter: (eventId: string) => `/live/${encodeURIComponent(eventId)}/praesentation`,
};

/** A code as people type it: capitals, without blanks and dashes. */
export function cleanCode(input: string): string {
  return input.replace(/[\s-]/g, "").toUpperCase();
}

export type Participation = { eventId: string; token: string };
const storagePrefix = "cyberlotse.live.";

/** The participation stored for a code or event id of the address, if any. */
export function storedParticipation(key: string): Participation | null {
  try {
    const raw = sessionStorage.getItem(storagePrefix + key);
    const value = raw ? (JSON.parse(raw) as Partial<Participation>) : null;
    return value && typeof value.eventId === "string" && typeof value.token === "string"
      ? { eventId: value.eventId, token: value.token }
      : null;
  } catch {
    return null;
  }
}

/** Keeps the token under the address's key and the event id (a code and the id lead to the same). */
export function storeParticipation(key: string, participation: Participation | null) {
  try {
    for (const k of new Set([key, participation?.eventId ?? key])) {
      if (participation) sessionStorage.setItem(storagePrefix + k, JSON.stringify(participation));
      else sessionStorage.removeItem(storagePrefix + k);
    }
  } catch {
    // Storage blocked: the participation lasts as long as the page.
  }
}

/** request() with the live sessions' words for a rate limit. */
export async function liveRequest<R, V>(document: TypedDocumentString<R, V>, variables: V, bearer?: string): Promise<R> {
  try {
    return await request(document, variables, bearer);
  } catch (error) {
    if (error instanceof ApiError && error.code === "RATE_LIMITED") throw new ApiError(error.code, error.reason, texts.live.tooFast);
    throw error;
  }
}

export type FeedState = {
  view: LiveView | null;
  /** Whether the stream is connected (else it is being re-established). */
  connected: boolean;
  /** A refusal of the subscription (forged or expired token, no right): final. */
  error: ApiError | null;
};

/**
 * Follows the session of eventId: as a participant with token, as the
 * moderation with bearer. The stream sends the whole view at once and after
 * every change; when it breaks it is opened again (1 s, 2 s … 10 s). `accept`
 * lets the page put in a mutation's answer; only a newer version replaces
 * what is shown.
 */
export function useLiveFeed(eventId: string | null, auth: { token?: string; bearer?: string }) {
  const [state, setState] = useState<FeedState>({ view: null, connected: false, error: null });
  const accept = (view: LiveView) =>
    setState((s) => (s.view && s.view.version > view.version ? s : { ...s, view }));
  const key = `${eventId}|${auth.token ?? ""}|${auth.bearer ?? ""}`;
  const acceptRef = useRef(accept);
  acceptRef.current = accept;
  useEffect(() => {
    if (!eventId) return;
    const abort = new AbortController();
    let delay = 1000;
    let timer: number | undefined;
    const connect = async () => {
      try {
        await stream(eventId, auth, abort.signal, (view) => {
          delay = 1000;
          setState((s) => ({ ...s, connected: true, error: null }));
          acceptRef.current(view);
        });
      } catch (error) {
        if (abort.signal.aborted) return;
        if (error instanceof ApiError && error.code !== "NETWORK" && error.code !== "UNAVAILABLE") {
          setState((s) => ({ ...s, connected: false, error }));
          return;
        }
      }
      if (abort.signal.aborted) return;
      setState((s) => ({ ...s, connected: false }));
      timer = window.setTimeout(connect, delay);
      delay = Math.min(delay * 2, 10_000);
    };
    connect();
    return () => {
      abort.abort();
      window.clearTimeout(timer);
    };
  }, [key]);
  return [state, accept] as const;
}

async function stream(
  eventId: string,
  auth: { token?: string; bearer?: string },
  signal: AbortSignal,
  onView: (view: LiveView) => void,
) {
  const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "text/event-stream" };
  if (auth.bearer) headers.Authorization = `Bearer ${auth.bearer}`;
  let response: Response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers,
      body: JSON.stringify({ query: LiveFeedDocument.toString(), variables: { eventId, token: auth.token ?? null } }),
      signal,
    });
  } catch {
    throw new ApiError("NETWORK", undefined, texts.errors.network);
  }
  if (!response.ok || !response.body) {
    // A refusal before the stream (429: too many streams from this address).
    let body: { errors?: WireError[] } = {};
    try {
      body = await response.json();
    } catch {
      throw new ApiError("NETWORK", undefined, texts.errors.network);
    }
    const first = body.errors?.[0];
    throw first ? streamError(first) : new ApiError("NETWORK", undefined, texts.errors.network);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    let chunk: ReadableStreamReadResult<string>;
    try {
      chunk = await reader.read();
    } catch {
      throw new ApiError("NETWORK", undefined, texts.errors.network);
    }
    if (chunk.done) return;
    buffer += chunk.value.replace(/\r\n/g, "\n");
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = "message";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (event === "complete") return;
      if (event !== "next" || data.length === 0) continue;
      const payload = JSON.parse(data.join("\n")) as { data?: { liveSession?: LiveView } | null; errors?: WireError[] };
      const first = payload.errors?.[0];
      if (first) throw streamError(first);
      if (payload.data?.liveSession) onView(payload.data.liveSession);
    }
  }
}

function streamError(error: WireError): ApiError {
  const e = asApiError(toApiError(error));
  return e.code === "RATE_LIMITED" ? new ApiError(e.code, e.reason, texts.live.tooManyStreams) : e;
}

/** The value sent (and counted) for the i-th answer: its index, or 1 … 5 on a scale. */
export function choiceOf(poll: Pick<LivePoll, "kind">, i: number): number {
  return poll.kind === "SCALE" ? i + 1 : i;
}

/** The poll to show: the running one, else the last one ended (its result stays). */
export function shownPoll(view: LiveView): LivePoll | null {
  return view.currentPoll ?? view.polls.at(-1) ?? null;
}

/** Percent of part in whole, rounded, 0 for an empty whole. */
export function percent(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 100) : 0;
}

/** The answers of a poll: its options, or 1 … 5 for a scale. */
export function pollOptions(poll: Pick<LivePoll, "kind" | "options">): string[] {
  return poll.kind === "SCALE" ? ["1", "2", "3", "4", "5"] : poll.options;
}
