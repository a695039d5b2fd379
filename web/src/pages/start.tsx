import { request } from "../api";
import { latest, useAsync } from "../async";
import { Reasons, SampleBadge } from "../components/badges";
import { ContactCard } from "../components/contact-card";
import { EventCard } from "../components/event-card";
import { LiveStatus, Notice } from "../components/notice";
import { Page } from "../components/page";
import { isPlaceError, PlaceSearch } from "../components/place-search";
import { statusLabel } from "../format";
import { MatchmakingDocument, type MatchmakingQuery } from "../gql/graphql";
import { placeInput } from "../place";
import { href, Link, navigate, paths, type Location } from "../router";
import { texts } from "../texts";

const searchHref = (ort: string, ags?: string) => href(paths.start, { ort, ags });

export function StartPage({ params }: Location) {
  const ort = params.get("ort") ?? "";
  const ags = params.get("ags");
  const [result] = useAsync(
    ort || ags ? () => request(MatchmakingDocument, { input: { place: placeInput(ort, ags) } }) : null,
    [ort, ags],
  );
  const error = result.status === "error" ? result.error : null;
  const shown = latest(result);

  let status = "";
  if (result.status === "loading") status = texts.start.searching(ort);
  // Place errors are read out here; other errors by their Notice.
  if (isPlaceError(error)) status = error?.candidates.length ? texts.place.candidatesIntro(ort) : (error?.message ?? "");
  if (result.status === "done") {
    const m = result.data.matchmaking;
    status = texts.start.found(m.municipality.name, m.contacts.length, m.events.length);
  }

  return (
    <Page heading={texts.start.heading} title={texts.app.name}>
      <p class="lead">{texts.start.intro}</p>
      <p class="emergency-cta">
        <Link class="button button-emergency" href={href(paths.emergency, { ort, ags })}>
          {texts.start.emergencyButton}
        </Link>
        <span class="hint">{texts.start.emergencyHint}</span>
      </p>
      <PlaceSearch ort={ort} submitLabel={texts.start.submit} error={error} searchHref={searchHref} onSearch={navigate} />
      <p class="selfcheck-cta">
        <Link href={paths.selfCheck}>{texts.start.selfCheckLink}</Link>
        <span class="hint">{texts.start.selfCheckHint}</span>
      </p>
      <LiveStatus message={status} />
      {error && !isPlaceError(error) && <Notice kind="error">{error.message}</Notice>}
      {shown && <Results match={shown.matchmaking} />}
    </Page>
  );
}

function Results({ match }: { match: MatchmakingQuery["matchmaking"] }) {
  const place = match.municipality;
  const anySample =
    match.contacts.some((c) => c.contact.isSample) ||
    match.events.some((e) => e.event.isSample) ||
    match.measures.some((m) => m.measure.isSample) ||
    match.offers.some((o) => o.offer.isSample);
  return (
    <div class="results">
      <p class="results-place">
        <strong>{texts.start.resultsHeading(`${place.name} (${place.district.name})`)}</strong>
        {match.regions.length > 0 && ` · ${texts.start.regions} ${match.regions.map((r) => r.name).join(", ")}`}
      </p>
      {anySample && <p class="hint">{texts.badges.sampleExplained}</p>}

      <section aria-labelledby="contacts-heading">
        <h2 id="contacts-heading">{texts.start.contactsHeading}</h2>
        <ul class="cards">
          {match.contacts.map(({ contact, reasons }) => (
            <ContactCard key={contact.id} contact={contact} reasons={reasons} level={3} />
          ))}
        </ul>
      </section>

      <section aria-labelledby="events-heading">
        <h2 id="events-heading">{texts.start.eventsHeading}</h2>
        {match.events.length === 0 && <p>{texts.start.noEvents}</p>}
        <ul class="cards">
          {match.events.map(({ event, reasons }) => (
            <li key={event.id}>
              <EventCard event={event} level={3}>
                <Reasons reasons={reasons} />
              </EventCard>
            </li>
          ))}
        </ul>
        <p>
          <Link href={paths.events}>{texts.start.allEvents}</Link>
        </p>
      </section>

      <section aria-labelledby="measures-heading">
        <h2 id="measures-heading">{texts.start.measuresHeading}</h2>
        <ul class="cards">
          {match.measures.map(({ measure, rolloutStatus, reasons }) => (
            <li key={measure.code} class="card">
              <h3 class="card-title">
                {measure.code}: {measure.title} <SampleBadge isSample={measure.isSample} />
              </h3>
              {measure.summary && <p>{measure.summary}</p>}
              {rolloutStatus && (
                <p class="meta">{texts.start.rolloutStatus(statusLabel(rolloutStatus))}</p>
              )}
              <Reasons reasons={reasons} />
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="offers-heading">
        <h2 id="offers-heading">{texts.start.offersHeading}</h2>
        <ul class="cards">
          {match.offers.map(({ offer, reasons }) => (
            <li key={offer.id} class="card">
              <h3 class="card-title">
                {offer.url ? <a href={offer.url}>{offer.name}</a> : offer.name} <SampleBadge isSample={offer.isSample} />
              </h3>
              <p class="meta">{texts.start.offerBy(offer.provider.name)}</p>
              {offer.description && <p>{offer.description}</p>}
              <Reasons reasons={reasons} />
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
