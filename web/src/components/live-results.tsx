import { choiceOf, percent, pollOptions, type LivePoll } from "../live";
import { texts } from "../texts";

/**
 * A poll's result: per answer its words, votes and percent of the voters in
 * text, and a bar beside them (SVG, hidden from screen readers: the numbers
 * say the same, so nothing is told by length or colour alone).
 */
export function PollResults({ poll, headingLevel = 3, big = false }: { poll: LivePoll; headingLevel?: 2 | 3; big?: boolean }) {
  const H = headingLevel === 2 ? "h2" : "h3";
  const options = pollOptions(poll);
  const voters = poll.result.voters;
  const mine = new Set(poll.myVote ?? []);
  return (
    <div class={big ? "live-results live-results-big" : "live-results"}>
      <H>{texts.live.resultsHeading}</H>
      <p>
        {texts.live.voters(voters)}
        {poll.result.mean != null && ` · ${texts.live.mean(poll.result.mean.toLocaleString("de-DE", { maximumFractionDigits: 1 }))}`}
      </p>
      <ul class="live-bars">
        {options.map((option, i) => {
          const n = poll.result.counts[i] ?? 0;
          const pct = percent(n, voters);
          return (
            <li key={i}>
              <span class="live-bar-label">
                {option}
                {mine.has(choiceOf(poll, i)) && <span class="badge live-badge-mine">{texts.live.yourChoice}</span>}
              </span>
              <span class="live-bar-figures">{texts.live.share(n, pct)}</span>
              <svg class="live-bar" aria-hidden="true" focusable="false" viewBox="0 0 100 10" preserveAspectRatio="none">
                <rect class="live-bar-track" x="0" y="0" width="100" height="10" />
                <rect class="live-bar-fill" x="0" y="0" width={pct} height="10" />
              </svg>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
