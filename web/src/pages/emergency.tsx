import { request } from "../api";
import { latest, useAsync } from "../async";
import { ContactLinks } from "../components/contact-links";
import { LiveStatus, Notice } from "../components/notice";
import { Page } from "../components/page";
import { isPlaceError, PlaceSearch } from "../components/place-search";
import { EmergencyHelpDocument, type EmergencyHelpQuery, type EmergencyKind } from "../gql/graphql";
import { placeInput } from "../place";
import { href, navigate, paths, type Location } from "../router";
import { SampleBadge } from "../components/badges";
import { offerStatusTexts, texts } from "../texts";

// The kind as it stands in the URL (?art=…).
const kindSlugs: Record<EmergencyKind, string> = {
  COMPANY: "unternehmen",
  MUNICIPALITY: "kommune",
  CITIZEN: "privatperson",
};
const kinds = Object.keys(kindSlugs) as EmergencyKind[];

export function EmergencyPage({ params }: Location) {
  const ort = params.get("ort") ?? "";
  const ags = params.get("ags");
  const kind = kinds.find((k) => kindSlugs[k] === params.get("art")) ?? "COMPANY";
  const emergencyHref = (o: string, a?: string | null, k: EmergencyKind = kind) =>
    href(paths.emergency, { ort: o, ags: a, art: k === "COMPANY" ? null : kindSlugs[k] });

  const [help] = useAsync(
    ort || ags ? () => request(EmergencyHelpDocument, { place: placeInput(ort, ags), kind }) : null,
    [ort, ags, kind],
  );
  const error = help.status === "error" ? help.error : null;
  const shown = latest(help);

  let status = "";
  if (help.status === "loading") status = texts.emergency.loading;
  // Place errors are read out here; other errors by their Notice.
  if (isPlaceError(error)) status = error?.candidates.length ? texts.place.candidatesIntro(ort) : (error?.message ?? "");
  if (help.status === "done") {
    status = texts.emergency.loaded(help.data.emergencyHelp.municipality.name, texts.emergency.kinds[kind]);
  }

  return (
    <Page heading={texts.emergency.heading}>
      <p class="call-110">
        {texts.emergency.call110}{" "}
        <a class="button button-emergency" href="tel:110">
          {texts.contact.call("110")}
        </a>
      </p>
      <LiveStatus message={status} />
      {error && !isPlaceError(error) && <Notice kind="error">{error.message}</Notice>}
      {shown && <Help help={shown.emergencyHelp} />}
      <section aria-labelledby="situation-heading" class="situation">
        <h2 id="situation-heading" class={help.status === "idle" ? "visually-hidden" : undefined}>
          {texts.emergency.situationHeading}
        </h2>
        {help.status === "idle" && <p>{texts.emergency.intro}</p>}
        <fieldset class="kinds">
          <legend>{texts.emergency.kindLegend}</legend>
          {kinds.map((k) => (
            <label key={k} class="radio">
              <input
                type="radio"
                name="art"
                value={k}
                checked={k === kind}
                onChange={() => navigate(emergencyHref(ort, ags, k), { replace: true })}
              />
              {texts.emergency.kinds[k]}
            </label>
          ))}
        </fieldset>
        <PlaceSearch
          ort={ort}
          submitLabel={texts.emergency.submit}
          error={error}
          searchHref={emergencyHref}
          onSearch={navigate}
        />
      </section>
    </Page>
  );
}

function Help({ help }: { help: EmergencyHelpQuery["emergencyHelp"] }) {
  return (
    <div class="results emergency">
      <p class="results-place">
        <strong>{texts.emergency.placeLine(help.municipality.name)}</strong>
      </p>
      <section aria-labelledby="steps-heading">
        <h2 id="steps-heading">{texts.emergency.stepsHeading}</h2>
        <ol class="steps">
          {help.steps.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="call-heading">
        <h2 id="call-heading">{texts.emergency.contactsHeading}</h2>
        <ol class="cards">
          {help.contacts.map((c) => (
            <li key={c.name} class="card">
              <h3 class="card-title">{c.name}</h3>
              <p class="meta">{c.reason.text}</p>
              {c.offer && (
                <p class="offer-status">
                  {offerStatusTexts.status[c.offer.status]}
                  {c.offer.statusDate && ` (${offerStatusTexts.asOf(c.offer.statusDate)})`}
                </p>
              )}
              {c.role && <p>{c.role}</p>}
              <ContactLinks phone={c.phone} email={c.email} website={c.phone ? null : c.website} availability={c.availability} />
            </li>
          ))}
        </ol>
      </section>
      {help.notYetAvailable.length > 0 && (
        <section aria-labelledby="not-yet-heading" class="not-yet">
          <h2 id="not-yet-heading">{offerStatusTexts.notYetHeading}</h2>
          <p>{offerStatusTexts.notYetIntro}</p>
          <ul class="plain">
            {help.notYetAvailable.map((o) => (
              <li key={o.slug} class="not-yet-offer">
                <h3 class="card-title">
                  {o.name} <SampleBadge isSample={o.isSample} />
                </h3>
                <p class="offer-status">
                  <strong>{offerStatusTexts.status[o.status]}</strong>
                  {o.statusDate && ` (${offerStatusTexts.asOf(o.statusDate)})`}
                </p>
                {o.description && <p>{o.description}</p>}
                {o.statusSource && <p class="hint">{offerStatusTexts.source(o.statusSource)}</p>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
