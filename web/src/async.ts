// State of a request as the pages render it.
import { useEffect, useState } from "preact/hooks";
import { ApiError } from "./api";
import { texts } from "./texts";

export type Async<T> =
  | { status: "idle" }
  | { status: "loading"; stale?: T }
  | { status: "done"; data: T }
  | { status: "error"; error: ApiError };

/** The data to show: the answer, or while loading again the previous one (so nothing jumps). */
export function latest<T>(state: Async<T>): T | undefined {
  if (state.status === "done") return state.data;
  if (state.status === "loading") return state.stale;
  return undefined;
}

export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError("INTERNAL", undefined, texts.errors.generic);
}

/**
 * Runs load whenever deps change (nothing while load is null) and returns its
 * state and a function that runs it again. Answers to older runs are dropped.
 */
export function useAsync<T>(load: (() => Promise<T>) | null, deps: unknown[]): [Async<T>, () => void] {
  const [state, setState] = useState<Async<T>>(load ? { status: "loading" } : { status: "idle" });
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (!load) {
      setState({ status: "idle" });
      return;
    }
    let current = true;
    setState((before) => ({ status: "loading", stale: latest(before) }));
    load().then(
      (data) => current && setState({ status: "done", data }),
      (error) => current && setState({ status: "error", error: asApiError(error) }),
    );
    return () => {
      current = false;
    };
  }, [...deps, round]);
  return [state, () => setRound((r) => r + 1)];
}

/** An action started by the person (a mutation, a download): its state and a trigger. */
export function useAction<A extends unknown[], T>(
  action: (...args: A) => Promise<T>,
): [Async<T>, (...args: A) => Promise<void>] {
  const [state, setState] = useState<Async<T>>({ status: "idle" });
  const run = async (...args: A) => {
    setState({ status: "loading" });
    try {
      setState({ status: "done", data: await action(...args) });
    } catch (error) {
      setState({ status: "error", error: asApiError(error) });
    }
  };
  return [state, run];
}
