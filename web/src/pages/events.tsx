import { useEffect, useRef, useState } from "preact/hooks";
import { request, type ApiError } from "../api";
import { asApiError, useAsync } from "../async";
import { EventCard } from "../components/event-card";
import { LiveStatus, Notice } from "../components/notice";
import { Page } from "../components/page";
import { isoDate, startOfDay } from "../format";
import {
  EventsDocument,
  RegionsDocument,
  type EventFilter,
  type EventFormat,
  type EventsQuery,
  type RegionsQuery,
} from "../gql/graphql";
import { href, navigate, paths, type Location } from "../router";
import { texts } from "../texts";

const pageSize = 10;
const formats = Object.keys(texts.formats) as EventFormat[];

type Events = EventsQuery["events"];

const radii = [10, 25, 50, 100];
const defaultRadius = 25;

/** The radius in the URL, one of the offered ones. */
function radiusOf(params: URLSearchParams): number {
  const km = Number(params.get("umkreis"));
  return radii.includes(km) ? km : defaultRadius;
}

/**
 * The filter in the URL: ?ab=YYYY-MM-DD&format=…&region=…&nahe=…&umkreis=…;
 * without ab, from now on; nahe is a postcode or a town.
 */
function filterOf(params: URLSearchParams): EventFilter {
  const day = params.get("ab");
  const format = formats.find((f) => f === params.get("format"));
  const near = params.get("nahe")?.trim();
  return {
    from: day && /^\d{4}-\d{2}-\d{2}$/.test(day) ? startOfDay(day) : new Date().toISOString(),
    format: format ?? null,
    region: params.get("region") || null,
    near: near
      ? { place: /^\d{5}$/.test(near) ? { postcode: near } : { town: near }, radiusKm: radiusOf(params) }
      : null,
  };
}

export function EventsPage({ params }: Location) {
  const key = params.toString();
  const [pages, setPages] = useState<Events[]>([]);
  const [state, setState] = useState<"loading" | "idle" | ApiError>("loading");
  const list = useRef<HTMLOListElement>(null);
  const focusIndex = useRef<number | null>(null);
  const loadedKey = useRef(key);
  const [regions] = useAsync(() => request(RegionsDocument, {}), []);

  const load = async (after: string | null) => {
    setState("loading");
    try {
      const { events } = await request(EventsDocument, { filter: filterOf(params), first: pageSize, after });
      if (loadedKey.current !== key) return;
      setPages((before) => (after ? [...before, events] : [events]));
      setState("idle");
    } catch (error) {
      if (loadedKey.current === key) setState(asApiError(error));
    }
  };

  useEffect(() => {
    loadedKey.current = key;
    setPages([]);
    load(null);
  }, [key]);

  const items = pages.flatMap((p) => p.edges);
  const last = pages.at(-1);

  // After "Mehr laden" the focus goes to the first new event.
  useEffect(() => {
    if (focusIndex.current === null) return;
    list.current?.children[focusIndex.current]?.querySelector("a")?.focus();
    focusIndex.current = null;
  }, [pages]);

  const loadMore = () => {
    focusIndex.current = items.length;
    load(last?.pageInfo.endCursor ?? null);
  };

  let status = "";
  if (state === "loading") status = pages.length ? texts.events.loadingMore : texts.events.loading;
  else if (state === "idle" && last) status = texts.events.shown(items.length, last.totalCount);

  return (
    <Page heading={texts.events.heading}>
      <p class="lead">{texts.events.intro}</p>
      <Filters key={key} params={params} regions={regions.status === "done" ? regions.data.regions : []} />
      <LiveStatus message={status} />
      {state !== "idle" && state !== "loading" && <Notice kind="error">{state.message}</Notice>}
      {last && last.totalCount === 0 && <p>{texts.events.none}</p>}
      <ol class="cards" ref={list}>
        {items.map(({ node, distanceKm }) => (
          <li key={node.id}>
            <EventCard event={node} level={2} distanceKm={distanceKm} />
          </li>
        ))}
      </ol>
      {last?.pageInfo.hasNextPage && (
        <button type="button" class="button-secondary" onClick={loadMore} disabled={state === "loading"}>
          {texts.events.more}
        </button>
      )}
    </Page>
  );
}

type FiltersProps = { params: URLSearchParams; regions: RegionsQuery["regions"] };

function Filters({ params, regions }: FiltersProps) {
  const apply = (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const value = (name: string) => String(data.get(name) ?? "");
    const near = value("nahe").trim();
    navigate(
      href(paths.events, {
        ab: value("ab"),
        format: value("format"),
        region: value("region"),
        nahe: near,
        umkreis: near ? value("umkreis") : "",
      }),
    );
  };
  return (
    <form class="filters" onSubmit={apply} aria-labelledby="filters-heading">
      <h2 id="filters-heading" class="visually-hidden">
        {texts.events.filtersHeading}
      </h2>
      <div class="field">
        <label for="filter-from">{texts.events.from}</label>
        <input id="filter-from" name="ab" type="date" defaultValue={params.get("ab") ?? isoDate(new Date())} />
      </div>
      <div class="field">
        <label for="filter-format">{texts.events.format}</label>
        <select id="filter-format" name="format">
          <option value="">{texts.events.all}</option>
          {formats.map((f) => (
            <option key={f} value={f} selected={f === params.get("format")}>
              {texts.formats[f]}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="filter-region">{texts.events.region}</label>
        <select id="filter-region" name="region">
          <option value="">{texts.events.all}</option>
          {regions.map((r) => (
            <option key={r.slug} value={r.slug} selected={r.slug === params.get("region")}>
              {r.name}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="filter-near">{texts.events.near}</label>
        <input
          id="filter-near"
          name="nahe"
          type="text"
          autocomplete="postal-code"
          aria-describedby="filter-near-hint"
          defaultValue={params.get("nahe") ?? ""}
        />
        <p id="filter-near-hint" class="hint">
          {texts.events.nearHint}
        </p>
      </div>
      <div class="field">
        <label for="filter-radius">{texts.events.radius}</label>
        <select id="filter-radius" name="umkreis">
          {radii.map((km) => (
            <option key={km} value={km} selected={km === radiusOf(params)}>
              {texts.events.radiusKm(km)}
            </option>
          ))}
        </select>
      </div>
      <div class="field field-submit">
        <button type="submit">{texts.events.apply}</button>
      </div>
    </form>
  );
}
