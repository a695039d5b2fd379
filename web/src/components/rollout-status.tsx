import type { RolloutStatus } from "../gql/graphql";
import { texts } from "../texts";

/** The symbol of a status (null: not recorded); decoration next to the words. */
export function StatusIcon({ status }: { status: RolloutStatus | null }) {
  return <span class={`status-icon icon-${status ? status.toLowerCase() : "unrecorded"}`} aria-hidden="true" />;
}

/** Progress as a bar (drawn with SVG attributes: the CSP allows no inline styles) and in words. */
export function Progress({ value }: { value: number }) {
  const width = Math.max(0, Math.min(100, value));
  return (
    <span class="cell-progress">
      <svg class="progress-bar" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true" focusable="false">
        <rect class="progress-track" x="0" y="0" width="100" height="8" />
        <rect class="progress-value" x="0" y="0" width={width} height="8" />
      </svg>
      {texts.rollout.percent(value)}
    </span>
  );
}
