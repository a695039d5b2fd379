import type { ComponentChildren } from "preact";
import { formatWhen } from "../format";
import type { EventSummaryFragment } from "../gql/graphql";
import { Link, paths } from "../router";
import { texts } from "../texts";
import { CancelledBadge, SampleBadge } from "./badges";

type Props = {
  event: EventSummaryFragment;
  level: 2 | 3 | 4 | 5;
  /** Distance from the place the list is near to, when it is. */
  distanceKm?: number | null;
  children?: ComponentChildren;
};

/** One event in a list: title linking to its page, date, format, place. */
export function EventCard({ event, level, distanceKm, children }: Props) {
  const Heading = (["h2", "h3", "h4", "h5"] as const)[level - 2] ?? "h3";
  const where = event.mode === "ONLINE" ? texts.events.online : event.municipality?.name;
  return (
    <article class="card">
      <Heading class="card-title">
        <Link href={paths.event(event.slug)}>{event.title}</Link>
      </Heading>
      <p class="meta">
        <time dateTime={event.startsAt}>{formatWhen(event.startsAt, event.endsAt)}</time>
      </p>
      <p class="meta">
        {texts.formats[event.format]}
        {where && ` · ${where}`}
        {distanceKm != null && ` · ${texts.events.distance(distanceKm)}`} <SampleBadge isSample={event.isSample} />{" "}
        <CancelledBadge status={event.status} />
      </p>
      {children}
    </article>
  );
}
