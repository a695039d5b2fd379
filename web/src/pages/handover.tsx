import { request } from "../api";
import { asApiError, useAsync } from "../async";
import { LiveStatus, Notice } from "../components/notice";
import { Page } from "../components/page";
import { formatDateTime } from "../format";
import { OpenHandoverDocument } from "../gql/graphql";
import { texts } from "../texts";
import { Framework, IncidentFacts } from "./municipality-emergency";

const t = texts.digisos;

/**
 * `/uebergabe#<Geheimnis>`: the read-only handover page of an incident for
 * the provider, CERT NRW or the police. The secret is in the fragment, so
 * it never reaches a server's log; the page asks for it once (one view).
 * No navigation: recipients have nothing else to do here.
 */
export function HandoverPage() {
  const token = location.hash.replace(/^#/, "");
  const [state] = useAsync(token ? () => request(OpenHandoverDocument, { token }).then((d) => d.openHandover) : null, [token]);

  if (!token || state.status === "error") {
    const error = state.status === "error" ? asApiError(state.error) : null;
    const heading = error ? (t.refusedHeading[error.code] ?? t.refusedHeadingOther) : t.refusedHeading.UNAUTHENTICATED;
    return (
      <Page heading={heading ?? t.refusedHeadingOther}>
        <Notice kind="error">{error ? error.message : t.noToken}</Notice>
        {error && <p class="hint error-code">{t.errorCode(error.code)}</p>}
      </Page>
    );
  }
  if (state.status !== "done") {
    return (
      <Page heading={t.handoverTitle} ready={false}>
        <LiveStatus message={t.handoverLoading} />
      </Page>
    );
  }
  const h = state.data;
  const place = h.municipality.district ? `${h.municipality.name} (${h.municipality.district.name})` : h.municipality.name;
  return (
    <Page heading={t.handoverTitle} kicker={t.handoverKicker(place)}>
      <div class="handover-page">
        <p class="lead">{t.handoverIntro(h.label, formatDateTime(h.expiresAt))}</p>
        <p class="no-print">
          <button type="button" onClick={() => window.print()}>
            {t.print}
          </button>
        </p>
        <section aria-labelledby="summary-heading">
          <h2 id="summary-heading">{t.handoverSummary}</h2>
          <IncidentFacts incident={h.incident} />
          <p class="hint">{t.updatedAtLine(formatDateTime(h.incident.updatedAt))}</p>
        </section>
        <Framework framework={h.framework} contacts={h.contacts} />
      </div>
    </Page>
  );
}
