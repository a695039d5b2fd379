// The participant's pages of a live session: the join form (/live) and the
// session itself (/live/<code or event id>): ask, upvote, vote in the
// current poll; everything updates through the subscription.
import { useEffect, useRef, useState } from "preact/hooks";
import { messageAtField } from "../api";
import { useAction } from "../async";
import { PollResults } from "../components/live-results";
import { LiveStatus, Notice } from "../components/notice";
import { Page } from "../components/page";
import { AskLiveQuestionDocument, JoinLiveDocument, UpvoteLiveQuestionDocument, VoteLivePollDocument } from "../gql/graphql";
import {
  choiceOf,
  cleanCode,
  liveRequest,
  livePaths,
  pollOptions,
  shownPoll,
  storedParticipation,
  storeParticipation,
  useLiveFeed,
  type LivePoll,
  type LiveQuestion,
  type LiveView,
  type Participation,
} from "../live";
import { Link, navigate, type Location } from "../router";
import { texts } from "../texts";

export function LiveJoinPage({ params }: Location) {
  const [code, setCode] = useState(params.get("code") ?? "");
  const [missing, setMissing] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const submit = (event: Event) => {
    event.preventDefault();
    const clean = cleanCode(code);
    setMissing(!clean);
    if (!clean) {
      input.current?.focus();
      return;
    }
    navigate(livePaths.participant(clean));
  };
  return (
    <Page heading={texts.live.joinHeading}>
      <p class="lead">{texts.live.joinIntro}</p>
      <form class="sign-in" onSubmit={submit} noValidate>
        <div class="field">
          <label for="live-code">{texts.live.codeLabel}</label>
          <p id="live-code-hint" class="hint">
            {texts.live.codeHint}
          </p>
          {missing && (
            <p id="live-code-error" class="field-error" role="alert">
              {texts.live.codeMissing}
            </p>
          )}
          <input
            ref={input}
            id="live-code"
            type="text"
            class="live-code-input"
            autoComplete="off"
            autoCapitalize="characters"
            spellcheck={false}
            maxLength={12}
            value={code}
            onInput={(e) => setCode(e.currentTarget.value)}
            aria-describedby={missing ? "live-code-hint live-code-error" : "live-code-hint"}
            aria-invalid={missing ? true : undefined}
          />
        </div>
        <button type="submit">{texts.live.join}</button>
      </form>
    </Page>
  );
}

export function LiveParticipantPage({ codeOrId }: { codeOrId: string }) {
  const [participation, setParticipation] = useState<Participation | null>(() => storedParticipation(codeOrId));
  const [joining, join] = useAction(async () => {
    const answer = await liveRequest(JoinLiveDocument, { eventIdOrCode: codeOrId });
    const p = { eventId: answer.joinLiveSession.session.eventId, token: answer.joinLiveSession.token };
    storeParticipation(codeOrId, p);
    setParticipation(p);
    return answer.joinLiveSession.session;
  });
  useEffect(() => {
    if (!participation) join();
  }, [participation]);
  const [feed, accept] = useLiveFeed(participation?.eventId ?? null, { token: participation?.token });
  // A token the server no longer takes (expired, the session reopened): join again.
  useEffect(() => {
    if (feed.error?.code === "UNAUTHENTICATED") {
      storeParticipation(codeOrId, null);
      setParticipation(null);
    }
  }, [feed.error]);
  useEffect(() => {
    if (joining.status === "done") accept(joining.data);
  }, [joining]);
  const view = feed.view;
  return (
    <Page heading={texts.live.heading} kicker={texts.live.kicker} ready={view !== null || joining.status === "error"}>
      <p class="lead">{texts.live.anonymous}</p>
      {joining.status === "error" && (
        <Notice kind="error">
          <p>{joining.error.message}</p>
          <p class="actions-inline">
            <button type="button" onClick={() => join()}>
              {texts.live.notOpenRetry}
            </button>
            <Link href={livePaths.join}>{texts.live.toJoin}</Link>
          </p>
        </Notice>
      )}
      {feed.error && feed.error.code !== "UNAUTHENTICATED" && <Notice kind="error">{feed.error.message}</Notice>}
      <LiveStatus message={joining.status === "loading" ? texts.live.joining : participation && !feed.connected && view ? texts.live.reconnecting : ""} />
      {view && participation && <Session view={view} participation={participation} accept={accept} />}
    </Page>
  );
}

type SessionProps = { view: LiveView; participation: Participation; accept: (v: LiveView) => void };

function Session({ view, participation, accept }: SessionProps) {
  return (
    <>
      <Announcer view={view} />
      {!view.open && (
        <div class="notice notice-info">
          <p>{texts.live.closed}</p>
        </div>
      )}
      <div class="live-columns">
        <div>
          {view.open && <AskForm view={view} participation={participation} accept={accept} />}
          <PollSection view={view} participation={participation} accept={accept} />
        </div>
        <Questions view={view} participation={participation} accept={accept} />
      </div>
    </>
  );
}

/**
 * Reads out politely what others did: new questions, a poll started or
 * ended, the session closed; not every vote.
 */
function Announcer({ view }: { view: LiveView }) {
  const [message, setMessage] = useState("");
  const seen = useRef<Set<string> | null>(null);
  const poll = useRef<{ id: string; open: boolean } | null | undefined>(undefined);
  const open = useRef(view.open);
  useEffect(() => {
    const parts: string[] = [];
    const ids = new Set(view.byTime.filter((q) => q.state === "VISIBLE" && !q.mine).map((q) => q.id));
    if (seen.current) {
      const fresh = [...ids].filter((id) => !seen.current?.has(id)).length;
      if (fresh > 0) parts.push(texts.live.announceQuestions(fresh));
    }
    seen.current = new Set([...(seen.current ?? []), ...ids]);
    const shown = shownPoll(view);
    const current = shown ? { id: shown.id, open: shown.open } : null;
    if (poll.current !== undefined) {
      if (current && current.open && current.id !== poll.current?.id) parts.push(texts.live.announcePoll(shown?.question ?? ""));
      else if (poll.current?.open && (!current || (current.id === poll.current.id && !current.open))) parts.push(texts.live.announcePollEnded);
    }
    poll.current = current;
    if (open.current && !view.open) parts.push(texts.live.announceClosed);
    open.current = view.open;
    if (parts.length > 0) setMessage(parts.join(" "));
  }, [view]);
  return (
    <p class="visually-hidden" aria-live="polite" aria-atomic="true">
      {message}
    </p>
  );
}

function AskForm({ view, participation, accept }: SessionProps) {
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [sent, setSent] = useState("");
  const field = useRef<HTMLTextAreaElement>(null);
  const premoderated = view.mode === "PREMODERATED";
  const [asking, ask] = useAction(async (question: string) => {
    const answer = await liveRequest(AskLiveQuestionDocument, { ...participation, text: question });
    accept(answer.askQuestion);
    setText("");
    setSent(texts.live.asked(premoderated));
  });
  useEffect(() => {
    if (asking.status === "error") {
      setProblem(asking.error.code === "BAD_USER_INPUT" ? messageAtField(asking.error) : asking.error.message);
      field.current?.focus();
    }
  }, [asking]);
  const length = [...text.trim()].length;
  const submit = (event: Event) => {
    event.preventDefault();
    setSent("");
    const local = length < 3 ? texts.live.tooShort : length > 300 ? texts.live.tooLong : null;
    setProblem(local);
    if (local) {
      field.current?.focus();
      return;
    }
    ask(text.trim());
  };
  return (
    <section aria-labelledby="live-ask-heading" class="live-panel">
      <h2 id="live-ask-heading">{texts.live.askHeading}</h2>
      <form onSubmit={submit} noValidate>
        <div class="field">
          <label for="live-question">{texts.live.askLabel}</label>
          <p id="live-question-hint" class="hint">
            {texts.live.askHint(premoderated)}
          </p>
          {problem && (
            <p id="live-question-error" class="field-error">
              {problem}
            </p>
          )}
          <textarea
            ref={field}
            id="live-question"
            rows={3}
            value={text}
            onInput={(e) => {
              setText(e.currentTarget.value);
              setSent("");
            }}
            aria-describedby={`live-question-hint live-question-count${problem ? " live-question-error" : ""}`}
            aria-invalid={problem ? true : undefined}
          />
          <p id="live-question-count" class={length > 300 ? "hint live-count live-count-over" : "hint live-count"}>
            {texts.live.charsLeft(300 - length)}
          </p>
        </div>
        <button type="submit" disabled={asking.status === "loading"}>
          {texts.live.ask}
        </button>
        <LiveStatus message={sent} />
      </form>
    </section>
  );
}

function Questions({ view, participation, accept }: SessionProps) {
  const [order, setOrder] = useState<"votes" | "time">("votes");
  const [problem, setProblem] = useState<string | null>(null);
  const list = order === "votes" ? view.byVotes : view.byTime;
  const [, upvote] = useAction(async (question: LiveQuestion) => {
    try {
      const answer = await liveRequest(UpvoteLiveQuestionDocument, { ...participation, questionId: question.id });
      setProblem(null);
      accept(answer.upvoteQuestion);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : texts.errors.generic);
      throw error;
    }
  });
  return (
    <section aria-labelledby="live-questions-heading" class="live-panel">
      <h2 id="live-questions-heading">{texts.live.questionsHeading(list.length)}</h2>
      <div role="group" aria-label={texts.live.orderLabel} class="live-toggle">
        <span aria-hidden="true" class="hint">
          {texts.live.orderLabel}:
        </span>
        <button type="button" class="button-secondary" aria-pressed={order === "votes"} onClick={() => setOrder("votes")}>
          {texts.live.byVotes}
        </button>
        <button type="button" class="button-secondary" aria-pressed={order === "time"} onClick={() => setOrder("time")}>
          {texts.live.byTime}
        </button>
      </div>
      {problem && <Notice kind="error">{problem}</Notice>}
      {list.length === 0 ? (
        <p>{texts.live.noQuestions}</p>
      ) : (
        <ul class="live-questions">
          {list.map((q) => (
            <li key={q.id} class={q.state === "PENDING" ? "live-question live-question-pending" : "live-question"}>
              <p class="live-question-text">{q.text}</p>
              <p class="live-question-meta">
                <span class="live-votes">{texts.live.votes(q.votes)}</span>
                {q.pinned && <span class="badge">{texts.live.pinned}</span>}
                {q.answered && <span class="badge badge-ok">{texts.live.answered}</span>}
                {q.mine && <span class="badge">{texts.live.mine}</span>}
                {q.state === "PENDING" && <span class="badge badge-sample">{texts.live.pending}</span>}
              </p>
              {q.state === "VISIBLE" && view.open && (
                <button
                  type="button"
                  class="button-secondary live-upvote"
                  aria-pressed={q.upvotedByMe}
                  onClick={() => {
                    if (!q.upvotedByMe) upvote(q);
                  }}
                >
                  <span aria-hidden="true">{q.upvotedByMe ? "✓ " : "▲ "}</span>
                  {q.upvotedByMe ? texts.live.upvoted : texts.live.upvote}
                  <span class="visually-hidden">{texts.live.upvoteOf(q.text)}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function PollSection({ view, participation, accept }: SessionProps) {
  const poll = shownPoll(view);
  return (
    <section aria-labelledby="live-poll-heading" class="live-panel">
      <h2 id="live-poll-heading">{texts.live.pollHeading}</h2>
      {!poll ? (
        <p>{texts.live.noPoll}</p>
      ) : (
        <PollVote key={poll.id} poll={poll} participation={participation} accept={accept} eventOpen={view.open} />
      )}
    </section>
  );
}

function PollVote({
  poll,
  participation,
  accept,
  eventOpen,
}: {
  poll: LivePoll;
  participation: Participation;
  accept: (v: LiveView) => void;
  eventOpen: boolean;
}) {
  const [choices, setChoices] = useState<number[]>(poll.myVote ?? []);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState("");
  const [voting, vote] = useAction(async (picked: number[]) => {
    const answer = await liveRequest(VoteLivePollDocument, { ...participation, pollId: poll.id, choices: picked });
    accept(answer.votePoll);
    setDone(texts.live.voted);
  });
  useEffect(() => {
    if (voting.status === "error") setProblem(voting.error.message);
  }, [voting]);
  const options = pollOptions(poll);
  const multiple = poll.kind === "MULTIPLE_CHOICE";
  const canVote = poll.open && eventOpen;
  const submit = (event: Event) => {
    event.preventDefault();
    setDone("");
    if (choices.length === 0) {
      setProblem(texts.live.chooseFirst);
      return;
    }
    setProblem(null);
    vote([...choices].sort((a, b) => a - b));
  };
  const toggle = (choice: number, checked: boolean) => {
    setDone("");
    setChoices((before) => (multiple ? (checked ? [...before, choice] : before.filter((c) => c !== choice)) : [choice]));
  };
  const hintId = `poll-hint-${poll.id}`;
  return (
    <>
      {canVote ? (
        <form onSubmit={submit} noValidate>
          <fieldset
            class={poll.kind === "SCALE" ? "live-poll live-scale" : "live-poll"}
            aria-describedby={poll.kind !== "SINGLE_CHOICE" ? hintId : undefined}
          >
            <legend>{poll.question}</legend>
            {poll.kind === "SCALE" && (
              <p id={hintId} class="hint">
                {texts.live.scaleHint}
              </p>
            )}
            {multiple && (
              <p id={hintId} class="hint">
                {texts.live.multipleHint}
              </p>
            )}
            {problem && <p class="field-error">{problem}</p>}
            {options.map((option, i) => (
              <label class="radio" key={i}>
                <input
                  type={multiple ? "checkbox" : "radio"}
                  name={`poll-${poll.id}`}
                  value={String(choiceOf(poll, i))}
                  checked={choices.includes(choiceOf(poll, i))}
                  onChange={(e) => toggle(choiceOf(poll, i), e.currentTarget.checked)}
                />
                {option}
              </label>
            ))}
          </fieldset>
          <button type="submit" disabled={voting.status === "loading"}>
            {poll.myVote ? texts.live.changeVote : texts.live.vote}
          </button>
          <LiveStatus message={done} />
        </form>
      ) : (
        <>
          <p class="live-poll-question">{poll.question}</p>
          <p>{texts.live.pollEnded}</p>
        </>
      )}
      {(poll.myVote || !canVote) && <PollResults poll={poll} />}
    </>
  );
}
