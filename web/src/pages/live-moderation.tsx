// The moderation of a live session (/live/<event id>/moderation) and the
// presenter view for the big screen (/live/<event id>/praesentation), both
// with the organizer's bearer token (the same sessionStorage slot as the
// managers' and officers' token, signed in on the page itself).
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, messageAtField } from "../api";
import { useAction } from "../async";
import { PollResults } from "../components/live-results";
import { LiveStatus, Notice } from "../components/notice";
import { Page } from "../components/page";
import { TokenForm } from "../components/token-form";
import {
  CloseLiveDocument,
  EndLivePollDocument,
  LiveViewDocument,
  ModerateLiveQuestionDocument,
  OpenLiveDocument,
  SetLiveModeDocument,
  StartLivePollDocument,
  type LiveMode,
  type ModerationAction,
  type PollKind,
  type TypedDocumentString,
} from "../gql/graphql";
import { liveRequest, livePaths, shownPoll, useLiveFeed, type LiveQuestion, type LiveView } from "../live";
import { Link } from "../router";
import { currentToken, forgetToken, signIn, takeSignInNotice, useSignedIn, type SignInNotice } from "../session";
import { texts } from "../texts";

/** A request of the moderation; a refused token leads back to the sign-in form. */
async function moderate<R, V>(document: TypedDocumentString<R, V>, variables: V): Promise<R> {
  const token = currentToken();
  if (!token) throw new ApiError("UNAUTHENTICATED", undefined, texts.manager.signInFirst);
  try {
    return await liveRequest(document, variables, token);
  } catch (error) {
    if (error instanceof ApiError && error.code === "UNAUTHENTICATED") forgetToken({ kind: "error", text: error.message });
    if (error instanceof ApiError && error.code === "FORBIDDEN") throw new ApiError(error.code, error.reason, texts.live.forbidden);
    throw error;
  }
}

/** Its children for a signed-in organizer; else the sign-in form. */
function RequireModerator({ eventId, children }: { eventId: string; children: ComponentChildren }) {
  const signedIn = useSignedIn();
  return signedIn ? <>{children}</> : <ModeratorSignIn eventId={eventId} />;
}

function ModeratorSignIn({ eventId }: { eventId: string }) {
  const [notice] = useState<SignInNotice | null>(takeSignInNotice);
  const check = async (token: string) => {
    await liveRequest(LiveViewDocument, { eventId, token: null }, token);
    signIn(token);
  };
  return (
    <Page heading={texts.live.signInHeading} kicker={texts.live.kicker}>
      <p class="lead">{texts.live.signInIntro}</p>
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
      <TokenForm check={check} forbidden={texts.live.forbidden} localCommand={texts.live.localCommand} />
    </Page>
  );
}

/** The moderation's feed; a refused token clears it (the sign-in form returns). */
function useModerationFeed(eventId: string) {
  const [bearer] = useState(() => currentToken() ?? "");
  const [feed, accept] = useLiveFeed(eventId, { bearer });
  useEffect(() => {
    if (feed.error?.code === "UNAUTHENTICATED") forgetToken({ kind: "error", text: feed.error.message });
  }, [feed.error]);
  return [feed, accept] as const;
}

function joinLink(code: string): string {
  return `${location.origin}${livePaths.participant(code)}`;
}

export function LiveModerationPage({ eventId }: { eventId: string }) {
  return (
    <RequireModerator eventId={eventId}>
      <Moderation eventId={eventId} />
    </RequireModerator>
  );
}

function Moderation({ eventId }: { eventId: string }) {
  const [feed, accept] = useModerationFeed(eventId);
  const [said, setSaid] = useState("");
  const [action, run] = useAction(async (work: () => Promise<LiveView | string>, done: string) => {
    const result = await work();
    if (typeof result === "string") setSaid(result);
    else {
      accept(result);
      setSaid(done);
    }
  });
  const view = feed.view;
  const busy = action.status === "loading";
  const setMode = (mode: LiveMode) =>
    run(async () => (await moderate(SetLiveModeDocument, { eventId, mode })).setLiveMode, texts.live.modeSet(texts.live.modes[mode]));
  return (
    <Page heading={texts.live.moderationHeading} kicker={eventId} ready={view !== null || feed.error !== null}>
      <nav class="manager-nav" aria-label={texts.live.moderationHeading}>
        <ul>
          <li>
            <Link href={livePaths.presenter(eventId)}>{texts.live.presenterLink}</Link>
          </li>
          <li>
            <button type="button" class="button-secondary" onClick={() => forgetToken({ kind: "info", text: texts.manager.signedOut })}>
              {texts.manager.signOut}
            </button>
          </li>
        </ul>
      </nav>
      {feed.error && feed.error.code !== "UNAUTHENTICATED" && <Notice kind="error">{feed.error.message}</Notice>}
      {action.status === "error" && <Notice kind="error">{action.error.message}</Notice>}
      <LiveStatus message={said || (view && !feed.connected ? texts.live.reconnecting : "")} />
      {view && (
        <>
          <section aria-labelledby="live-session-heading" class="live-panel">
            <h2 id="live-session-heading">{texts.live.state(view.open)}</h2>
            <div class="live-controls">
              <div role="group" aria-label={texts.live.modeLabel} class="live-toggle">
                <span aria-hidden="true" class="hint">
                  {texts.live.modeLabel}:
                </span>
                {(["OPEN", "PREMODERATED"] as const).map((mode) => (
                  <button
                    key={mode}
                    type="button"
                    class="button-secondary"
                    aria-pressed={view.mode === mode}
                    disabled={busy}
                    onClick={() => view.mode !== mode && setMode(mode)}
                  >
                    {texts.live.modes[mode]}
                  </button>
                ))}
              </div>
              {view.open ? (
                <button
                  type="button"
                  class="button-danger"
                  disabled={busy}
                  onClick={() =>
                    run(async () => {
                      const sum = (await moderate(CloseLiveDocument, { eventId })).closeLiveSession;
                      return texts.live.closedSummary(sum.questions, sum.answered);
                    }, "")
                  }
                >
                  {texts.live.closeSession}
                </button>
              ) : (
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => run(async () => (await moderate(OpenLiveDocument, { eventId, mode: view.mode })).openLiveSession, texts.live.state(true))}
                >
                  {texts.live.openSession}
                </button>
              )}
            </div>
            {view.code && (
              <div class="live-code-box">
                <h3>{texts.live.codeHeading}</h3>
                <p class="live-code" aria-label={[...view.code].join(" ")}>
                  {view.code}
                </p>
                <p>
                  {texts.live.joinAt} <a href={livePaths.participant(view.code)}>{joinLink(view.code)}</a>
                </p>
              </div>
            )}
          </section>
          <div class="live-columns">
            <Queue view={view} eventId={eventId} run={run} busy={busy} />
            <PollControl view={view} eventId={eventId} run={run} busy={busy} />
          </div>
        </>
      )}
    </Page>
  );
}

type Run = (work: () => Promise<LiveView | string>, done: string) => Promise<void>;

function Queue({ view, eventId, run, busy }: { view: LiveView; eventId: string; run: Run; busy: boolean }) {
  const act = (q: LiveQuestion, action: ModerationAction) =>
    run(async () => (await moderate(ModerateLiveQuestionDocument, { eventId, questionId: q.id, action })).moderateQuestion, texts.live.actionDone[action]);
  const groups: { key: string; heading: string; questions: LiveQuestion[]; actions: (q: LiveQuestion) => ModerationAction[] }[] = [
    { key: "pending", heading: texts.live.pendingHeading(0), questions: view.byTime.filter((q) => q.state === "PENDING"), actions: () => ["APPROVE", "HIDE"] },
    {
      key: "visible",
      heading: texts.live.visibleHeading(0),
      questions: view.byVotes.filter((q) => q.state === "VISIBLE"),
      actions: (q) => [q.pinned ? "UNPIN" : "PIN", q.answered ? "MARK_UNANSWERED" : "MARK_ANSWERED", "HIDE"],
    },
    { key: "hidden", heading: texts.live.hiddenHeading(0), questions: view.byTime.filter((q) => q.state === "HIDDEN"), actions: () => ["APPROVE"] },
  ];
  const heading = (key: string, n: number) =>
    key === "pending" ? texts.live.pendingHeading(n) : key === "visible" ? texts.live.visibleHeading(n) : texts.live.hiddenHeading(n);
  return (
    <section aria-labelledby="live-queue-heading" class="live-panel">
      <h2 id="live-queue-heading">{texts.live.queueHeading}</h2>
      {groups.map((group) => (
        <section key={group.key} aria-labelledby={`live-${group.key}-heading`} class={`live-queue live-queue-${group.key}`}>
          <h3 id={`live-${group.key}-heading`}>{heading(group.key, group.questions.length)}</h3>
          {group.questions.length === 0 ? (
            <p class="hint">{texts.live.none}</p>
          ) : (
            <ul class="live-questions">
              {group.questions.map((q) => (
                <li key={q.id} class="live-question">
                  <p class="live-question-text">{q.text}</p>
                  <p class="live-question-meta">
                    <span class="live-votes">{texts.live.votes(q.votes)}</span>
                    {q.pinned && <span class="badge">{texts.live.pinned}</span>}
                    {q.answered && <span class="badge badge-ok">{texts.live.answered}</span>}
                  </p>
                  <div class="actions-inline" role="group" aria-label={texts.live.questionActions(q.text)}>
                    {group.actions(q).map((a) => (
                      <button
                        key={a}
                        type="button"
                        class={a === "HIDE" ? "button-secondary live-action-hide" : "button-secondary"}
                        disabled={busy}
                        onClick={() => act(q, a)}
                      >
                        {texts.live.actions[a]}
                      </button>
                    ))}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </section>
  );
}

function PollControl({ view, eventId, run, busy }: { view: LiveView; eventId: string; run: Run; busy: boolean }) {
  const poll = shownPoll(view);
  const [kind, setKind] = useState<PollKind>("SINGLE_CHOICE");
  const [question, setQuestion] = useState("");
  const [options, setOptions] = useState("");
  const [errors, setErrors] = useState<{ question?: string; options?: string }>({});
  const questionField = useRef<HTMLInputElement>(null);
  const optionsField = useRef<HTMLTextAreaElement>(null);
  const submit = (event: Event) => {
    event.preventDefault();
    const list = options
      .split("\n")
      .map((o) => o.trim())
      .filter(Boolean);
    const found = {
      question: question.trim() ? undefined : texts.live.pollQuestionMissing,
      options: kind !== "SCALE" && list.length < 2 ? texts.live.pollOptionsMissing : undefined,
    };
    setErrors(found);
    if (found.question) return questionField.current?.focus();
    if (found.options) return optionsField.current?.focus();
    run(async () => {
      try {
        const answer = await moderate(StartLivePollDocument, {
          eventId,
          poll: { kind, question: question.trim(), options: kind === "SCALE" ? [] : list },
        });
        setQuestion("");
        setOptions("");
        return answer.startPoll;
      } catch (error) {
        if (error instanceof ApiError && error.code === "BAD_USER_INPUT") {
          const atOptions = /options/.test(error.field ?? "");
          setErrors(atOptions ? { options: messageAtField(error) } : { question: messageAtField(error) });
          (atOptions ? optionsField : questionField).current?.focus();
          return "";
        }
        throw error;
      }
    }, texts.live.pollStarted);
  };
  return (
    <section aria-labelledby="live-polls-heading" class="live-panel">
      <h2 id="live-polls-heading">{texts.live.pollHeading}</h2>
      {poll && (
        <div class="live-current-poll">
          <h3>{poll.open ? texts.live.currentPollHeading : texts.live.lastPollHeading}</h3>
          <p class="live-poll-question">
            {poll.question} <span class="hint">({texts.live.pollKinds[poll.kind]})</span>
          </p>
          {poll.open && (
            <button
              type="button"
              class="button-danger"
              disabled={busy}
              onClick={() => run(async () => (await moderate(EndLivePollDocument, { eventId, pollId: poll.id })).endPoll, texts.live.pollEnded)}
            >
              {texts.live.endPoll}
            </button>
          )}
          <PollResults poll={{ ...poll, myVote: null }} headingLevel={3} />
        </div>
      )}
      {!poll?.open && view.open && (
        <form onSubmit={submit} noValidate class="live-poll-form">
          <h3>{texts.live.pollFormHeading}</h3>
          <fieldset class="kinds">
            <legend>{texts.live.pollKind}</legend>
            {(["SINGLE_CHOICE", "MULTIPLE_CHOICE", "SCALE"] as const).map((k) => (
              <label class="radio" key={k}>
                <input type="radio" name="poll-kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
                {texts.live.pollKinds[k]}
              </label>
            ))}
          </fieldset>
          <div class="field">
            <label for="poll-question">{texts.live.pollQuestion}</label>
            {errors.question && (
              <p id="poll-question-error" class="field-error">
                {errors.question}
              </p>
            )}
            <input
              ref={questionField}
              id="poll-question"
              type="text"
              value={question}
              onInput={(e) => setQuestion(e.currentTarget.value)}
              aria-describedby={errors.question ? "poll-question-error" : undefined}
              aria-invalid={errors.question ? true : undefined}
            />
          </div>
          {kind !== "SCALE" && (
            <div class="field">
              <label for="poll-options">{texts.live.pollOptions}</label>
              <p id="poll-options-hint" class="hint">
                {texts.live.pollOptionsHint}
              </p>
              {errors.options && (
                <p id="poll-options-error" class="field-error">
                  {errors.options}
                </p>
              )}
              <textarea
                ref={optionsField}
                id="poll-options"
                rows={4}
                value={options}
                onInput={(e) => setOptions(e.currentTarget.value)}
                aria-describedby={errors.options ? "poll-options-hint poll-options-error" : "poll-options-hint"}
                aria-invalid={errors.options ? true : undefined}
              />
            </div>
          )}
          <button type="submit" disabled={busy}>
            {texts.live.startPoll}
          </button>
        </form>
      )}
    </section>
  );
}

export function LivePresenterPage({ eventId }: { eventId: string }) {
  return (
    <RequireModerator eventId={eventId}>
      <Presenter eventId={eventId} />
    </RequireModerator>
  );
}

/** The big screen: code and link, the top 5 questions, the current poll. No controls. */
function Presenter({ eventId }: { eventId: string }) {
  const [feed] = useModerationFeed(eventId);
  const view = feed.view;
  const top = (view?.byVotes ?? []).filter((q) => q.state === "VISIBLE").slice(0, 5);
  const poll = view ? shownPoll(view) : null;
  return (
    <div class="presenter">
      <Page heading={texts.live.presenterHeading} ready={view !== null || feed.error !== null}>
        {feed.error && feed.error.code !== "UNAUTHENTICATED" && <Notice kind="error">{feed.error.message}</Notice>}
        {view && (
          <div class="presenter-grid">
            <section aria-labelledby="presenter-join" class="presenter-join">
              <h2 id="presenter-join">{texts.live.codeHeading}</h2>
              {view.open && view.code ? (
                <>
                  <p class="live-code live-code-huge" aria-label={[...view.code].join(" ")}>
                    {view.code}
                  </p>
                  <p class="presenter-link">
                    {texts.live.joinAt}
                    <br />
                    <strong>{joinLink(view.code)}</strong>
                  </p>
                </>
              ) : (
                <p>{texts.live.closed}</p>
              )}
            </section>
            <section aria-labelledby="presenter-questions" class="presenter-questions">
              <h2 id="presenter-questions">{texts.live.topQuestions}</h2>
              {top.length === 0 ? (
                <p>{texts.live.noQuestions}</p>
              ) : (
                <ol>
                  {top.map((q) => (
                    <li key={q.id}>
                      <span class="presenter-question">{q.text}</span>{" "}
                      <span class="presenter-votes">{texts.live.votes(q.votes)}</span>
                      {q.answered && <span class="badge badge-ok">{texts.live.answered}</span>}
                    </li>
                  ))}
                </ol>
              )}
            </section>
            {poll && (
              <section aria-labelledby="presenter-poll" class="presenter-poll">
                <h2 id="presenter-poll">{poll.open ? texts.live.currentPollHeading : texts.live.lastPollHeading}</h2>
                <p class="presenter-poll-question">{poll.question}</p>
                <PollResults poll={{ ...poll, myVote: null }} headingLevel={3} big />
              </section>
            )}
          </div>
        )}
      </Page>
    </div>
  );
}
