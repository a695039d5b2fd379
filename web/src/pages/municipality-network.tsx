import { useEffect, useRef, useState } from "preact/hooks";
import { messageAtField } from "../api";
import { asApiError, useAsync } from "../async";
import { Reasons } from "../components/badges";
import { ConfirmDialog } from "../components/confirm-dialog";
import { FieldError } from "../components/field-error";
import { LiveStatus, Notice } from "../components/notice";
import { OfficerNav, officerRequest, RequireOfficer } from "../components/officer";
import { Page } from "../components/page";
import {
  DeleteIsbProfileDocument,
  IsbPeersDocument,
  MyIsbProfileDocument,
  SaveIsbProfileDocument,
  type IsbFunction,
  type IsbPeersQuery,
  type IsbProfileFieldsFragment,
  type IsbShare,
  type PeerCriterion,
} from "../gql/graphql";
import { networkTexts, texts } from "../texts";

const t = networkTexts;
const functions = Object.keys(t.functions) as IsbFunction[];
const shareKeys = Object.keys(t.shares) as IsbShare[];
const criteria = Object.keys(t.by) as PeerCriterion[];
type Peer = IsbPeersQuery["isbPeers"]["nodes"][number];
type Form = { function: IsbFunction; topics: string[]; shares: IsbShare[]; displayName: string; contact: string };
type FormField = "function" | "topics" | "shares" | "displayName" | "contact";
const emptyForm: Form = { function: "ISB", topics: [], shares: [], displayName: "", contact: "" };

const formOf = (p: IsbProfileFieldsFragment): Form => ({
  function: p.function,
  topics: p.topics.map((x) => x.slug),
  shares: p.shares,
  displayName: p.displayName ?? "",
  contact: p.contact ?? "",
});

/** `/kommune/<ags>/netzwerk`: the own profile and the peers with their reasons. */
export function MunicipalityNetworkPage({ ags }: { ags: string }) {
  return (
    <RequireOfficer ags={ags}>
      <Page heading={t.heading} kicker={texts.advisories.kicker(ags)}>
        <OfficerNav ags={ags} current="network" />
        <p class="lead">{t.intro}</p>
        <NetworkBody ags={ags} />
      </Page>
    </RequireOfficer>
  );
}

function NetworkBody({ ags }: { ags: string }) {
  const [loaded] = useAsync(() => officerRequest(MyIsbProfileDocument, { ags }), [ags]);
  const [searchRound, setSearchRound] = useState(0);
  if (loaded.status === "error") return <Notice kind="error">{loaded.error.message}</Notice>;
  if (loaded.status !== "done") return <LiveStatus message={t.loading} />;
  const topics = loaded.data.topics;
  return (
    <>
      <ProfileForm ags={ags} initial={loaded.data.myIsbProfile ?? null} topics={topics} onChange={() => setSearchRound((n) => n + 1)} />
      <Peers ags={ags} topics={topics} round={searchRound} />
    </>
  );
}

function ProfileForm({
  ags,
  initial,
  topics,
  onChange,
}: {
  ags: string;
  initial: IsbProfileFieldsFragment | null;
  topics: { slug: string; name: string }[];
  onChange: () => void;
}) {
  const [exists, setExists] = useState(initial !== null);
  const [form, setForm] = useState<Form>(initial ? formOf(initial) : emptyForm);
  const [errors, setErrors] = useState<Partial<Record<FormField, string>>>({});
  const [outcome, setOutcome] = useState<{ kind: "success" | "error"; text: string; round: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const report = (kind: "success" | "error", text: string) => setOutcome((o) => ({ kind, text, round: (o?.round ?? 0) + 1 }));
  const toggle = <K extends "topics" | "shares">(key: K, value: Form[K][number]) =>
    setForm((f) => {
      const list = f[key] as string[];
      return { ...f, [key]: list.includes(value) ? list.filter((v) => v !== value) : [...list, value] };
    });
  const focusField = (field: FormField) => {
    const id = field === "topics" ? `topic-${form.topics[0] ?? topics[0]?.slug}` : field === "shares" ? `share-${shareKeys[0]}` : `isb-${field}`;
    setTimeout(() => document.getElementById(id)?.focus());
  };

  const save = async (event: Event) => {
    event.preventDefault();
    if (form.topics.length > 10) {
      setErrors({ topics: t.topicsHint });
      focusField("topics");
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const { saveIsbProfile: saved } = await officerRequest(SaveIsbProfileDocument, {
        ags,
        input: { ...form, displayName: form.displayName.trim() || null, contact: form.contact.trim() || null },
      });
      setForm(formOf(saved));
      setExists(true);
      report("success", t.saved);
      onChange();
    } catch (error) {
      const e = asApiError(error);
      const field = e.field as FormField | undefined;
      if (e.code === "BAD_USER_INPUT" && field && ["function", "topics", "shares", "displayName", "contact"].includes(field)) {
        setErrors({ [field]: messageAtField(e) });
        setOutcome(null);
        focusField(field);
      } else report("error", t.failed(e.message));
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    setConfirming(false);
    try {
      await officerRequest(DeleteIsbProfileDocument, { ags });
      setForm(emptyForm);
      setExists(false);
      report("success", t.deleted);
      onChange();
      setTimeout(() => document.getElementById("isb-function")?.focus());
    } catch (error) {
      report("error", t.deleteFailed(asApiError(error).message));
    }
  };
  const describedBy = (id: string, hint: boolean, error: string | undefined) =>
    [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;

  return (
    <section aria-labelledby="profile-heading">
      <h2 id="profile-heading">{t.profileHeading}</h2>
      {!exists && <p>{t.noProfile}</p>}
      {outcome && (
        <Notice kind={outcome.kind} key={outcome.round}>
          {outcome.text}
        </Notice>
      )}
      <form class="isb-profile" onSubmit={save} noValidate>
        <div class="field">
          <label for="isb-function">{t.function}</label>
          <FieldError id="isb-function" message={errors.function} />
          <select
            id="isb-function"
            value={form.function}
            onChange={(e) => setForm((f) => ({ ...f, function: e.currentTarget.value as IsbFunction }))}
            aria-describedby={describedBy("isb-function", false, errors.function)}
            aria-invalid={errors.function ? true : undefined}
          >
            {functions.map((f) => (
              <option key={f} value={f}>
                {t.functions[f]}
              </option>
            ))}
          </select>
        </div>
        <fieldset class="checks" aria-describedby={describedBy("isb-topics", true, errors.topics)}>
          <legend>{t.topicsLegend}</legend>
          <p id="isb-topics-hint" class="hint">
            {t.topicsHint}
          </p>
          <FieldError id="isb-topics" message={errors.topics} />
          <div class="check-grid">
            {topics.map((topic) => (
              <label key={topic.slug} class="check">
                <input
                  id={`topic-${topic.slug}`}
                  type="checkbox"
                  checked={form.topics.includes(topic.slug)}
                  onChange={() => toggle("topics", topic.slug)}
                />
                {topic.name}
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset class="checks" aria-describedby={describedBy("isb-shares", true, errors.shares)}>
          <legend>{t.sharesLegend}</legend>
          <p id="isb-shares-hint" class="hint">
            {t.sharesHint}
          </p>
          <FieldError id="isb-shares" message={errors.shares} />
          {shareKeys.map((s) => (
            <label key={s} class="check">
              <input id={`share-${s}`} type="checkbox" checked={form.shares.includes(s)} onChange={() => toggle("shares", s)} />
              {t.shares[s]}
            </label>
          ))}
        </fieldset>
        {(["displayName", "contact"] as const).map((field) => (
          <div class="field" key={field}>
            <label for={`isb-${field}`}>{t[field]}</label>
            <p id={`isb-${field}-hint`} class="hint">
              {field === "displayName" ? t.displayNameHint : t.contactHint}
            </p>
            <FieldError id={`isb-${field}`} message={errors[field]} />
            <input
              id={`isb-${field}`}
              type="text"
              autoComplete={field === "displayName" ? "name" : "email"}
              maxLength={field === "displayName" ? 80 : 200}
              value={form[field]}
              onInput={(e) => setForm((f) => ({ ...f, [field]: e.currentTarget.value }))}
              aria-describedby={describedBy(`isb-${field}`, true, errors[field])}
              aria-invalid={errors[field] ? true : undefined}
            />
          </div>
        ))}
        <p class="actions-inline">
          <button type="submit" disabled={busy}>
            {t.save}
          </button>
          {exists && (
            <button type="button" class="button-secondary" onClick={() => setConfirming(true)}>
              {t.delete}
            </button>
          )}
        </p>
      </form>
      <LiveStatus message={busy ? t.saving : ""} />
      <ConfirmDialog
        open={confirming}
        title={t.deleteTitle}
        text={t.deleteText}
        confirmLabel={t.delete}
        onConfirm={remove}
        onDismiss={() => setConfirming(false)}
      />
    </section>
  );
}

function Peers({ ags, topics, round }: { ags: string; topics: { slug: string; name: string }[]; round: number }) {
  const [by, setBy] = useState<PeerCriterion[]>([]);
  const [topic, setTopic] = useState("");
  const [query, setQuery] = useState<{ by: PeerCriterion[]; topic: string; round: number }>({ by: [], topic: "", round: 0 });
  const [peers, setPeers] = useState<Peer[]>([]);
  const [page, setPage] = useState<{ hasNextPage: boolean; endCursor?: string | null; sizeClass: string } | null>(null);
  const [status, setStatus] = useState("");
  const [error, setError] = useState<string | null>(null);
  const firstNew = useRef<number | null>(null);

  const fetchPage = async (after: string | null) => {
    const vars = {
      ags,
      by: query.by.length ? query.by : null,
      topic: query.topic && (query.by.length === 0 || query.by.includes("TOPIC")) ? query.topic : null,
      first: 10,
      after,
    };
    setStatus(t.searching);
    setError(null);
    try {
      const { isbPeers } = await officerRequest(IsbPeersDocument, vars);
      setPage({ hasNextPage: isbPeers.pageInfo.hasNextPage, endCursor: isbPeers.pageInfo.endCursor, sizeClass: isbPeers.sizeClass });
      if (after) {
        firstNew.current = peers.length;
        setPeers((list) => [...list, ...isbPeers.nodes]);
        setStatus(t.loadedMore(isbPeers.nodes.length));
      } else {
        firstNew.current = null;
        setPeers(isbPeers.nodes);
        setStatus(t.found(isbPeers.nodes.length, isbPeers.pageInfo.hasNextPage));
      }
    } catch (e) {
      const err = asApiError(e);
      setError(err.message);
      setStatus("");
    }
  };
  useEffect(() => {
    fetchPage(null);
  }, [ags, query, round]);
  useEffect(() => {
    if (firstNew.current !== null) document.getElementById(`peer-${firstNew.current}`)?.focus();
    firstNew.current = null;
  }, [peers]);

  const search = (event: Event) => {
    event.preventDefault();
    setQuery((q) => ({ by, topic, round: q.round + 1 }));
  };
  return (
    <section aria-labelledby="peers-heading">
      <h2 id="peers-heading">{t.peersHeading}</h2>
      <form class="peer-search" onSubmit={search}>
        <fieldset class="checks" aria-describedby="peer-by-hint">
          <legend>{t.peersLegend}</legend>
          <p id="peer-by-hint" class="hint">
            {t.byHint}
          </p>
          {criteria.map((c) => (
            <label key={c} class="check">
              <input
                type="checkbox"
                checked={by.includes(c)}
                onChange={() => setBy((list) => (list.includes(c) ? list.filter((x) => x !== c) : [...list, c]))}
              />
              {t.by[c]}
            </label>
          ))}
        </fieldset>
        <div class="field">
          <label for="peer-topic">{t.topic}</label>
          <select id="peer-topic" value={topic} onChange={(e) => setTopic(e.currentTarget.value)}>
            <option value="">{t.topicAny}</option>
            {topics.map((x) => (
              <option key={x.slug} value={x.slug}>
                {x.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t.search}</button>
      </form>
      {page && <p>{t.sizeClass(page.sizeClass)}</p>}
      {error && <Notice kind="error">{error}</Notice>}
      {page && peers.length === 0 && !error && <p>{t.none}</p>}
      {peers.length > 0 && (
        <ul class="cards peer-list" aria-label={t.peersList}>
          {peers.map((p, i) => (
            <li key={p.profile.municipality.ags} class="card">
              <h3 class="card-title" id={`peer-${i}`} tabIndex={-1}>
                {p.profile.municipality.name}
              </h3>
              <p class="meta">{t.functions[p.profile.function]}</p>
              <p class="visually-hidden">{t.why}</p>
              <Reasons reasons={p.reasons} />
              <dl class="peer-facts">
                {p.profile.topics.length > 0 && (
                  <>
                    <dt>{t.peerTopics}</dt>
                    <dd>{p.profile.topics.map((x) => x.name).join(", ")}</dd>
                  </>
                )}
                {p.profile.shares.length > 0 && (
                  <>
                    <dt>{t.peerShares}</dt>
                    <dd>{p.profile.shares.map((s) => t.shares[s]).join(", ")}</dd>
                  </>
                )}
                {p.profile.displayName && (
                  <>
                    <dt>{t.peerName}</dt>
                    <dd>{p.profile.displayName}</dd>
                  </>
                )}
                {p.profile.contact && (
                  <>
                    <dt>{t.peerContact}</dt>
                    <dd class="break">{p.profile.contact}</dd>
                  </>
                )}
              </dl>
              {p.profile.shares.length === 0 && !p.profile.displayName && !p.profile.contact && <p class="hint">{t.nothingShared}</p>}
            </li>
          ))}
        </ul>
      )}
      {page?.hasNextPage && (
        <p>
          <button type="button" class="button-secondary" onClick={() => fetchPage(page.endCursor ?? null)}>
            {t.more}
          </button>
        </p>
      )}
      <LiveStatus message={status} />
    </section>
  );
}
