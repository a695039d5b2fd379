import { managerRequest } from "../api";
import { useAsync } from "../async";
import { ManagerNav } from "../components/manager-nav";
import { LiveStatus, Notice } from "../components/notice";
import { Page } from "../components/page";
import { ManagerRegionsDocument, RegionAdvisorySummaryDocument } from "../gql/graphql";
import { paths } from "../router";
import { texts } from "../texts";

const t = texts.regionAdvisories;

async function load() {
  const { rolloutMatrix } = await managerRequest(ManagerRegionsDocument, {});
  return Promise.all(
    rolloutMatrix.map(async ({ region }) => ({
      region,
      summary: (await managerRequest(RegionAdvisorySummaryDocument, { regionId: region.slug })).regionAdvisorySummary,
    })),
  );
}

/**
 * `/verwaltung/warnungen`: per region of the manager, how many municipalities
 * have open critical or high advisories. Counts only.
 */
export function RegionAdvisoriesPage() {
  const [state] = useAsync(load, []);
  const rows = state.status === "done" ? state.data : [];
  return (
    <Page heading={t.heading}>
      <ManagerNav current={paths.regionAdvisories} />
      <p class="lead">{t.intro}</p>
      <LiveStatus message={state.status === "loading" ? t.loading : state.status === "done" ? t.loaded(rows.length) : ""} />
      {state.status === "error" && <Notice kind="error">{state.error.message}</Notice>}
      {state.status === "done" && (
        <div class="table-scroll" role="region" aria-labelledby="region-advisories-caption" tabIndex={0}>
          <table class="data-table">
            <caption id="region-advisories-caption">{t.caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.region}</th>
                <th scope="col">{t.municipalities}</th>
                <th scope="col">{t.withProducts}</th>
                <th scope="col">{t.openCritical}</th>
                <th scope="col">{t.openHigh}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ region, summary }) => (
                <tr key={region.id}>
                  <th scope="row">
                    {region.name}
                  </th>
                  <td>{summary.municipalities}</td>
                  <td>{summary.withProducts}</td>
                  <td>{summary.openCritical}</td>
                  <td>{summary.openHigh}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
