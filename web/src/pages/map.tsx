import type { ComponentChildren, JSX } from "preact";
import { managerRequest, request } from "../api";
import { useAsync } from "../async";
import { CancelledBadge, SampleBadge } from "../components/badges";
import { ManagerNav } from "../components/manager-nav";
import { LiveStatus, Notice } from "../components/notice";
import { Page } from "../components/page";
import { formatDateTime } from "../format";
import { ManagerRegionsDocument, MapEventsDocument, type ManagerRegionsQuery, type MapEventsQuery } from "../gql/graphql";
import { project, type MapData } from "../map-geometry";
import { Link, paths } from "../router";
import { texts } from "../texts";

type Region = ManagerRegionsQuery["rolloutMatrix"][number]["region"];
type Event = MapEventsQuery["events"]["nodes"][number];
type Place = { ags: string; name: string; x: number; y: number };

const maxEvents = 100;
const t = texts.map;

/** The district outlines: a chunk of their own, loaded by this page only. */
const loadMap = (): Promise<MapData> => import("virtual:nrw-districts").then((module) => module.default);

/**
 * NRW's districts with the manager's regions highlighted and the upcoming
 * events as dots. The SVG is one image with a title and a description;
 * everything it shows is also in the two tables below it.
 */
export function MapPage() {
  const [map] = useAsync(loadMap, []);
  const [regions] = useAsync(() => managerRequest(ManagerRegionsDocument, {}), []);
  const [events] = useAsync(
    () => request(MapEventsDocument, { filter: { from: new Date().toISOString() }, first: maxEvents }),
    [],
  );

  const error = [regions, events, map].find((s) => s.status === "error");
  const ready = map.status === "done" && regions.status === "done" && events.status === "done";
  let status = "";
  let content = null;
  if (!ready && !error) status = t.loading;
  if (ready) {
    const ownRegions = regions.data.rolloutMatrix.map((row) => row.region);
    const list = events.data.events;
    const places = placesOf(map.data, list.nodes);
    status = t.loaded(ownRegions.length, places.length);
    content = (
      <>
        <NrwMap map={map.data} regions={ownRegions} places={places} />
        <RegionsTable regions={ownRegions} />
        <EventsTable events={list.nodes} total={list.totalCount} />
      </>
    );
  }

  return (
    <Page heading={t.heading}>
      <ManagerNav current={paths.map} />
      <p class="lead">{t.intro}</p>
      <LiveStatus message={status} />
      {error?.status === "error" && <Notice kind="error">{error.error.message}</Notice>}
      {content}
    </Page>
  );
}

/** One dot per place with scheduled events (online events have no place). */
function placesOf(map: MapData, events: Event[]): Place[] {
  const places = new Map<string, Place>();
  for (const e of events) {
    const m = e.municipality;
    if (!m || e.status === "CANCELLED" || places.has(m.ags)) continue;
    places.set(m.ags, { ags: m.ags, name: m.name, ...project(map, m.location.lat, m.location.lon) });
  }
  return [...places.values()];
}

function districtsOf(regions: Region[], kind: Region["kind"]): Set<string> {
  return new Set(regions.filter((r) => r.kind === kind).flatMap((r) => r.members.map((m) => m.district.key)));
}

function districtNames(region: Region): string {
  return [...new Set(region.members.map((m) => m.district.name))].join(", ");
}

function NrwMap({ map, regions, places }: { map: MapData; regions: Region[]; places: Place[] }) {
  const model = districtsOf(regions, "MODEL_REGION");
  const satellite = districtsOf(regions, "SATELLITE");
  const highlighted = regions.map((r) => t.regionDistricts(r.name, districtNames(r))).join("; ");
  const districtClass = (key: string) =>
    model.has(key) ? "district district-model" : satellite.has(key) ? "district district-satellite" : "district";
  return (
    <figure class="map">
      <svg
        class="nrw-map"
        viewBox={`0 0 ${map.width} ${map.height}`}
        role="img"
        aria-labelledby="map-title map-desc"
        focusable="false"
      >
        <title id="map-title">{t.title}</title>
        <desc id="map-desc">{t.description(highlighted, places.length)}</desc>
        <defs>
          <Hatch id="hatch" />
        </defs>
        <g>
          {map.districts.map((d) => (
            <path key={d.key} d={d.path} class={districtClass(d.key)} data-key={d.key} />
          ))}
        </g>
        <g>
          {places.map((p) => (
            <circle key={p.ags} class="event-dot" cx={p.x} cy={p.y} r="8" data-ags={p.ags} />
          ))}
        </g>
      </svg>
      <figcaption>
        <MapLegend />
        <p class="hint">{t.attribution}</p>
      </figcaption>
    </figure>
  );
}

/** The satellite pattern: diagonal stripes, so the kind shows without colour. */
function Hatch({ id }: { id: string }) {
  return (
    <pattern id={id} patternUnits="userSpaceOnUse" width="10" height="10" patternTransform="rotate(45)">
      <rect class="hatch-ground" width="10" height="10" />
      <rect class="hatch-line" width="4" height="10" />
    </pattern>
  );
}

function MapLegend() {
  const swatch = (shape: JSX.Element) => (
    <svg class="swatch" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      {shape}
    </svg>
  );
  return (
    <ul class="map-legend" aria-label={t.legendHeading}>
      <li>
        {swatch(<rect class="district district-model" x="1" y="1" width="22" height="22" />)}
        {t.legendModel}
      </li>
      <li>
        {swatch(<rect class="district district-satellite" x="1" y="1" width="22" height="22" />)}
        {t.legendSatellite}
      </li>
      <li>
        {swatch(<circle class="event-dot" cx="12" cy="12" r="7" />)}
        {t.legendEvent}
      </li>
    </ul>
  );
}

function RegionsTable({ regions }: { regions: Region[] }) {
  return (
    <section aria-labelledby="map-regions-heading">
      <h2 id="map-regions-heading">{t.regionsHeading}</h2>
      <TableScroll labelledBy="map-regions-caption">
        <table class="data-table">
          <caption id="map-regions-caption" class="visually-hidden">
            {t.regionsCaption}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t.region}</th>
              <th scope="col">{t.kind}</th>
              <th scope="col">{t.municipalities}</th>
              <th scope="col">{t.districts}</th>
            </tr>
          </thead>
          <tbody>
            {regions.map((r) => (
              <tr key={r.id}>
                <th scope="row">{r.name}</th>
                <td>{texts.manager.regionKinds[r.kind]}</td>
                <td>{r.members.map((m) => m.name).join(", ")}</td>
                <td>{districtNames(r)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}

function EventsTable({ events, total }: { events: Event[]; total: number }) {
  return (
    <section aria-labelledby="map-events-heading">
      <h2 id="map-events-heading">{t.eventsHeading}</h2>
      {events.length === 0 && <p>{t.noEvents}</p>}
      {events.length > 0 && (
        <TableScroll labelledBy="map-events-caption">
          <table class="data-table">
            <caption id="map-events-caption" class="visually-hidden">
              {t.eventsCaption}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t.when}</th>
                <th scope="col">{t.event}</th>
                <th scope="col">{t.place}</th>
                <th scope="col">{t.district}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}>
                  <td>
                    <time dateTime={e.startsAt}>{formatDateTime(e.startsAt)}</time>
                  </td>
                  <th scope="row">
                    <Link href={paths.event(e.slug)}>{e.title}</Link> <SampleBadge isSample={e.isSample} />{" "}
                    <CancelledBadge status={e.status} />
                  </th>
                  <td>{e.municipality ? e.municipality.name : t.online}</td>
                  <td>{e.municipality?.district.name ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {total > events.length && (
        <p class="hint">
          {t.moreEvents(events.length, total)} <Link href={paths.events}>{t.allEvents}</Link>
        </p>
      )}
    </section>
  );
}

/**
 * A table that may scroll sideways on a narrow screen: the scroll box is a
 * region named by the table's caption and takes the focus, so it scrolls
 * with the keyboard too.
 */
function TableScroll({ labelledBy, children }: { labelledBy: string; children: ComponentChildren }) {
  return (
    <div class="table-scroll" role="region" aria-labelledby={labelledBy} tabIndex={0}>
      {children}
    </div>
  );
}
