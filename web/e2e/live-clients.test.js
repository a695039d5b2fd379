// Live sessions with the reference clients (pinned): graphql-ws over
// WebSocket and graphql-sse over Server-Sent Events follow one session on
// the real server; a question asked and votes cast over HTTP reach both,
// hidden questions vanish, the moderation sees the code and the pending
// questions with its bearer token in connection_init.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createClient as createWsClient } from "graphql-ws";
import { createClient as createSseClient } from "graphql-sse";
import { needsBinary, serverToken } from "./tokens.js";
import WebSocket from "ws";

const base = process.env.BASE_URL ?? "";
const skip = needsBinary;

/**
 * POSTs an operation and returns its data; fails on errors.
 * @param {string} query
 * @param {Record<string, unknown>} variables
 * @param {string} [bearer]
 */
async function gql(query, variables, bearer) {
  const res = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

/**
 * Collects a subscription's events; `until` resolves with the first
 * event that satisfies a condition (within 10 s).
 * @param {(sink: {next: (v: any) => void, error: (e: unknown) => void, complete: () => void}) => () => void} subscribe
 */
function follow(subscribe) {
  /** @type {any[]} */
  const seen = [];
  /** @type {{ok: (v: any) => boolean, resolve: (v: any) => void}[]} */
  const waiting = [];
  const stop = subscribe({
    next: (v) => {
      seen.push(v);
      for (const w of [...waiting]) if (w.ok(v)) { waiting.splice(waiting.indexOf(w), 1); w.resolve(v); }
    },
    error: (e) => { throw e; },
    complete: () => {},
  });
  return {
    stop,
    /** @param {(v: any) => boolean} ok */
    until(ok) {
      const hit = seen.find(ok);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching event within 10 s; last: ${JSON.stringify(seen.at(-1))}`)), 10_000);
        waiting.push({ ok, resolve: (v) => { clearTimeout(timer); resolve(v); } });
      });
    },
  };
}

const sessionFields = `eventId open mode code version questions { id text votes state mine }
  currentPoll { id question result { counts voters } }`;
const subscription = `subscription($e: ID!, $t: String) { liveSession(eventId: $e, token: $t) { ${sessionFields} } }`;

test("live session: graphql-ws and graphql-sse follow questions, votes and moderation", { skip }, async () => {
  const orga = serverToken("ORGANIZER", ["--org", "gemeinde-kalletal"]);
  const created = await gql(`mutation($input: EventInput!) { createEvent(input: $input) { slug } }`, {
    input: { title: `Lunchtalk live ${Date.now()}`, startsAt: "2099-06-01T12:00:00+02:00", format: "LUNCHTALK",
      mode: "ONLINE", onlineUrl: "https://example.org/lunchtalk", organizer: "gemeinde-kalletal" },
  }, orga);
  const eventId = created.createEvent.slug;
  try {
    const opened = await gql(`mutation($e: ID!) { openLiveSession(eventId: $e, mode: PREMODERATED) { code open mode } }`, { e: eventId }, orga);
    assert.match(opened.openLiveSession.code, /^[A-Z2-9]{6}$/);
    assert.equal(opened.openLiveSession.mode, "PREMODERATED");
    const join = async () => (await gql(`mutation($c: String!) { joinLiveSession(eventIdOrCode: $c) { token } }`,
      { c: opened.openLiveSession.code })).joinLiveSession.token;
    const [asker, wsViewer, sseViewer] = [await join(), await join(), await join()];

    const ws = createWsClient({ url: `${base.replace(/^http/, "ws")}/graphql`, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0 });
    const sse = createSseClient({ url: `${base}/graphql`, retryAttempts: 0 });
    const moderation = createWsClient({ url: `${base.replace(/^http/, "ws")}/graphql`, webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${orga}` }, retryAttempts: 0 });
    const wsFeed = follow((sink) => ws.subscribe({ query: subscription, variables: { e: eventId, t: wsViewer } }, sink));
    const sseFeed = follow((sink) => sse.subscribe({ query: subscription, variables: { e: eventId, t: sseViewer } }, sink));
    const modFeed = follow((sink) => moderation.subscribe({ query: subscription, variables: { e: eventId } }, sink));
    try {
      const first = await wsFeed.until((v) => v.data?.liveSession?.open === true);
      assert.equal(first.data.liveSession.code, null, "participants do not get the code");
      await sseFeed.until((v) => v.data?.liveSession?.open === true);

      // Pre-moderated: the moderation sees the question at once, the others after approval.
      const asked = await gql(`mutation($e: ID!, $t: String!) { askQuestion(eventId: $e, token: $t, text: "Wer hilft, wenn nachts alles verschlüsselt ist?") { questions { id state mine } } }`,
        { e: eventId, t: asker });
      const q = asked.askQuestion.questions[0];
      assert.deepEqual([q.state, q.mine], ["PENDING", true]);
      const pending = await modFeed.until((v) => v.data?.liveSession?.questions?.length === 1);
      assert.equal(pending.data.liveSession.code, opened.openLiveSession.code);
      assert.equal(pending.data.liveSession.questions[0].state, "PENDING");
      await gql(`mutation($e: ID!, $q: ID!) { moderateQuestion(eventId: $e, questionId: $q, action: APPROVE) { version } }`, { e: eventId, q: q.id }, orga);
      await gql(`mutation($e: ID!, $t: String!, $q: ID!) { upvoteQuestion(eventId: $e, token: $t, questionId: $q) { version } }`,
        { e: eventId, t: wsViewer, q: q.id });
      for (const feed of [wsFeed, sseFeed]) {
        const v = await feed.until((v) => v.data?.liveSession?.questions?.[0]?.votes === 1);
        assert.equal(v.data.liveSession.questions[0].text, "Wer hilft, wenn nachts alles verschlüsselt ist?");
        assert.equal(v.data.liveSession.questions[0].mine, false);
      }

      // A poll: votes through HTTP, results live on both transports.
      const started = await gql(`mutation($e: ID!) { startPoll(eventId: $e, poll: {kind: SINGLE_CHOICE, question: "Backup schon getestet?", options: ["Ja", "Nein"]}) { currentPoll { id } } }`,
        { e: eventId }, orga);
      const poll = started.startPoll.currentPoll.id;
      for (const [t, choice] of [[asker, 0], [wsViewer, 0], [sseViewer, 1]]) {
        await gql(`mutation($e: ID!, $t: String!, $p: ID!, $c: [Int!]!) { votePoll(eventId: $e, token: $t, pollId: $p, choices: $c) { version } }`,
          { e: eventId, t, p: poll, c: [choice] });
      }
      for (const feed of [wsFeed, sseFeed]) {
        const v = await feed.until((v) => v.data?.liveSession?.currentPoll?.result?.voters === 3);
        assert.deepEqual(v.data.liveSession.currentPoll.result.counts, [2, 1]);
      }

      // Hidden: gone for participants at once.
      await gql(`mutation($e: ID!, $q: ID!) { moderateQuestion(eventId: $e, questionId: $q, action: HIDE) { version } }`, { e: eventId, q: q.id }, orga);
      await wsFeed.until((v) => v.data?.liveSession?.questions?.length === 0);
      await sseFeed.until((v) => v.data?.liveSession?.questions?.length === 0);

      // A forged token ends the subscription with UNAUTHENTICATED.
      const forged = follow((sink) => sse.subscribe({ query: subscription, variables: { e: eventId, t: "Zm9yZ2Vk.bGluaw" } }, sink));
      const refused = await forged.until((v) => Array.isArray(v.errors));
      assert.equal(refused.errors[0].extensions.code, "UNAUTHENTICATED");
      assert.match(refused.errors[0].message, /Live-Fragerunde/);
    } finally {
      wsFeed.stop(); sseFeed.stop(); modFeed.stop();
      await ws.dispose(); await moderation.dispose(); sse.dispose();
    }
    const closed = await gql(`mutation($e: ID!) { closeLiveSession(eventId: $e) { questions polls { question result { counts } } } }`, { e: eventId }, orga);
    assert.deepEqual(closed.closeLiveSession.polls, [{ question: "Backup schon getestet?", result: { counts: [2, 1] } }]);
  } finally {
    await gql(`mutation($e: ID!) { cancelEvent(id: $e, reason: "Test beendet") { status } }`, { e: eventId }, orga);
  }
});
