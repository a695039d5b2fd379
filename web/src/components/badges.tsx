import { texts } from "../texts";

export function SampleBadge({ isSample }: { isSample: boolean }) {
  return isSample ? <span class="badge badge-sample">{texts.badges.sample}</span> : null;
}

export function CancelledBadge({ status }: { status: string }) {
  return status === "CANCELLED" ? <span class="badge badge-cancelled">{texts.badges.cancelled}</span> : null;
}

/** Why something was suggested, as the API explains it. */
export function Reasons({ reasons }: { reasons: { text: string }[] }) {
  if (reasons.length === 0) return null;
  return (
    <ul class="reasons" aria-label={texts.contact.reasonsLabel}>
      {reasons.map((r) => (
        <li key={r.text}>{r.text}</li>
      ))}
    </ul>
  );
}
