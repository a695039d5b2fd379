import { request } from "../api";
import { latest, useAsync } from "../async";
import { CancelledBadge, SampleBadge } from "../components/badges";
import { Notice } from "../components/notice";
import { Page } from "../components/page";
import { displayUrl, formatWhen } from "../format";
import { EventDocument, EventPlacesDocument, type EventPlacesQuery, type EventQuery } from "../gql/graphql";
import { Link, paths } from "../router";
import { texts } from "../texts";
import { RegistrationForm } from "./event-registration";

type Event = NonNullable<EventQuery["event"]>;
type Places = NonNullable<EventPlacesQuery["event"]>;

export function EventPage({ slug }: { slug: string }) {
  const [event] = useAsync(() => request(EventDocument, { id: slug }), [slug]);
  const [places, reloadPlaces] = useAsync(() => request(EventPlacesDocument, { id: slug }), [slug]);

  if (event.status === "done" && event.data.event) {
    const e = event.data.event;
    const placesOf = latest(places)?.event ?? null;
    return (
      <Page heading={e.title}>
        <p>
          <SampleBadge isSample={e.isSample} /> <CancelledBadge status={e.status} />
        </p>
        <Details event={e} places={placesOf} />
        {placesOf && (
          <p>
            <a class="button button-secondary" href={placesOf.calendarUrl}>
              {texts.event.calendar}
            </a>
          </p>
        )}
        {places.status === "error" && <p class="hint">{texts.event.placesUnavailable}</p>}
        {e.isSample && <p class="hint">{texts.event.sampleNote}</p>}
        {e.description && <p class="lead">{e.description}</p>}
        {e.registrationNote && (
          <section aria-labelledby="note-heading">
            <h2 id="note-heading">{texts.event.registrationNote}</h2>
            <p>{e.registrationNote}</p>
          </section>
        )}
        {e.measures.length > 0 && (
          <section aria-labelledby="measures-heading">
            <h2 id="measures-heading">{texts.event.measures}</h2>
            <ul>
              {e.measures.map((m) => (
                <li key={m.code}>
                  {m.code}: {m.title}
                </li>
              ))}
            </ul>
          </section>
        )}
        <Registration event={e} onRegistered={reloadPlaces} />
        <p>
          <Link href={paths.events}>{texts.event.back}</Link>
        </p>
      </Page>
    );
  }

  const failed = event.status === "error" || (event.status === "done" && !event.data.event);
  return (
    <Page heading={failed ? texts.event.notFound : texts.event.loading} ready={failed}>
      {event.status === "error" && event.error.code !== "NOT_FOUND" && <Notice kind="error">{event.error.message}</Notice>}
      {failed && (
        <p>
          <Link href={paths.events}>{texts.event.back}</Link>
        </p>
      )}
    </Page>
  );
}

function Details({ event: e, places }: { event: Event; places: Places | null }) {
  const where = [e.venue, e.municipality?.name].filter(Boolean).join(", ");
  return (
    <dl class="details">
      <dt>{texts.event.when}</dt>
      <dd>
        <time dateTime={e.startsAt}>{formatWhen(e.startsAt, e.endsAt)}</time>
      </dd>
      <dt>{texts.event.where}</dt>
      <dd>
        {e.mode !== "ONLINE" && where}
        {e.mode !== "ONSITE" && (
          <>
            {e.mode === "HYBRID" && <br />}
            {e.onlineUrl ? <a href={e.onlineUrl}>{texts.event.onlineLink}</a> : texts.event.online}
          </>
        )}
      </dd>
      <dt>{texts.event.format}</dt>
      <dd>
        {texts.formats[e.format]}, {texts.modes[e.mode]}
      </dd>
      <dt>{texts.event.organizer}</dt>
      <dd>
        {e.organizer.name}
        {e.organizer.website && (
          <>
            {" – "}
            <a href={e.organizer.website}>{displayUrl(e.organizer.website)}</a>
          </>
        )}
      </dd>
      {places && (
        <>
          <dt>{texts.event.places}</dt>
          <dd>
            {places.freePlaces === null ? texts.event.placesUnlimited : texts.event.placesFree(places.freePlaces)}
            {places.waitlistCount > 0 && `, ${texts.event.waitlist(places.waitlistCount)}`}
          </dd>
        </>
      )}
    </dl>
  );
}

function Registration({ event: e, onRegistered }: { event: Event; onRegistered: () => void }) {
  if (e.status === "CANCELLED") return <p class="notice notice-info">{texts.event.cancelledNote}</p>;
  if (new Date(e.startsAt) <= new Date()) return <p class="notice notice-info">{texts.event.pastNote}</p>;
  return <RegistrationForm eventId={e.id} organizer={e.organizer.name} onRegistered={onRegistered} />;
}
