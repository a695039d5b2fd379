import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { RequireSignIn } from "./components/manager-nav";
import { Notice } from "./components/notice";
import { EmergencyPage } from "./pages/emergency";
import { EventPage } from "./pages/event";
import { EventsPage } from "./pages/events";
import { ManagePage } from "./pages/manage";
import { NotFoundPage } from "./pages/not-found";
import { SignInPage } from "./pages/sign-in";
import { StartPage } from "./pages/start";
import { Link, paths, useLocation, type Location } from "./router";
import { useSignedIn } from "./session";
import { texts } from "./texts";

function route(location: Location) {
  const { path } = location;
  if (path === paths.start) return <StartPage {...location} />;
  if (path === paths.events) return <EventsPage {...location} />;
  if (path === paths.emergency) return <EmergencyPage {...location} />;
  if (path === paths.manage) return <ManagePage {...location} />;
  if (path === paths.signIn) return <SignInPage {...location} />;
  if (path === paths.rollout)
    return (
      <RequireSignIn>
        <Lazy load={() => import("./pages/rollout").then((m) => m.RolloutPage)} />
      </RequireSignIn>
    );
  if (path === paths.map)
    return (
      <RequireSignIn>
        <Lazy load={() => import("./pages/map").then((m) => m.MapPage)} />
      </RequireSignIn>
    );
  if (path === paths.regionAdvisories)
    return (
      <RequireSignIn>
        <Lazy load={() => import("./pages/region-advisories").then((m) => m.RegionAdvisoriesPage)} />
      </RequireSignIn>
    );
  const wiba = /^\/kommune\/(\d{8})\/wiba(\/bericht)?$/.exec(path);
  if (wiba?.[1])
    return (
      <Lazy load={() => import("./pages/municipality-wiba").then((m) => m.MunicipalityWibaPage)} props={{ ags: wiba[1], report: Boolean(wiba[2]) }} />
    );
  if (path === paths.handover) return <Lazy load={() => import("./pages/handover").then((m) => m.HandoverPage)} />;
  const notfall = /^\/kommune\/(\d{8})\/notfall$/.exec(path);
  if (notfall?.[1])
    return <Lazy load={() => import("./pages/municipality-emergency").then((m) => m.MunicipalityEmergencyPage)} props={{ ags: notfall[1] }} />;
  const municipality = /^\/kommune\/(\d{8})\/(warnungen|produkte|netzwerk)$/.exec(path);
  if (municipality?.[1]) {
    const ags = municipality[1];
    if (municipality[2] === "netzwerk")
      return <Lazy load={() => import("./pages/municipality-network").then((m) => m.MunicipalityNetworkPage)} props={{ ags }} />;
    return municipality[2] === "warnungen" ? (
      <Lazy load={() => import("./pages/municipality-advisories").then((m) => m.MunicipalityAdvisoriesPage)} props={{ ags, ...location }} />
    ) : (
      <Lazy load={() => import("./pages/municipality-products").then((m) => m.MunicipalityProductsPage)} props={{ ags }} />
    );
  }
  if (path === paths.selfCheck || path === paths.selfCheckView)
    return <Lazy load={() => import("./pages/selfcheck").then((m) => m.SelfCheckRoute)} />;
  if (path === paths.live) return <Lazy load={() => import("./pages/live").then((m) => m.LiveJoinPage)} props={location} />;
  const live = /^\/live\/([^/]+)(?:\/(moderation|praesentation))?$/.exec(path);
  if (live?.[1]) {
    const id = live[1];
    if (live[2] === "moderation")
      return <Lazy load={() => import("./pages/live-moderation").then((m) => m.LiveModerationPage)} props={{ eventId: id }} />;
    if (live[2] === "praesentation")
      return <Lazy load={() => import("./pages/live-moderation").then((m) => m.LivePresenterPage)} props={{ eventId: id }} />;
    return <Lazy load={() => import("./pages/live").then((m) => m.LiveParticipantPage)} props={{ codeOrId: id }} key={id} />;
  }
  const event = /^\/veranstaltungen\/([^/]+)$/.exec(path);
  if (event?.[1]) return <EventPage slug={event[1]} />;
  return <NotFoundPage />;
}

/**
 * A page loaded on first use: the manager pages are a chunk of their own,
 * so the public pages do not carry them. Until it is there, nothing is
 * shown (the page then takes the focus as any other).
 */
function Lazy<P extends object>({ load, props }: { load: () => Promise<ComponentType<P>>; props?: P }) {
  const [page, setPage] = useState<{ Component: ComponentType<P> } | "failed" | null>(null);
  useEffect(() => {
    load().then(
      (Component) => setPage({ Component }),
      () => setPage("failed"),
    );
  }, []);
  if (page === "failed") return <Notice kind="error">{texts.errors.network}</Notice>;
  return page ? <page.Component {...(props ?? ({} as P))} /> : null;
}

const nav: { href: string; label: string; area?: string }[] = [
  { href: paths.start, label: texts.app.nav.start },
  { href: paths.events, label: texts.app.nav.events },
  { href: paths.emergency, label: texts.app.nav.emergency },
  { href: paths.selfCheck, label: texts.app.nav.selfCheck, area: `${paths.selfCheck}/` },
];

function skipToContent(event: MouseEvent) {
  event.preventDefault();
  document.getElementById("inhalt")?.focus();
}

const managerArea = "/verwaltung/";

export function App() {
  const location = useLocation();
  // The presenter view fills the big screen: no header, navigation or footer.
  const presenter = /^\/live\/[^/]+\/praesentation$/.test(location.path);
  // The handover page stands alone: recipients get no navigation.
  const handover = location.path === paths.handover;
  const signedIn = useSignedIn();
  // "Für Regionalmanagement" leads to the sign-in, or when signed in to the rollout.
  const items = [
    ...nav,
    { href: signedIn ? paths.rollout : paths.signIn, label: texts.app.nav.manager, area: managerArea },
  ];
  // The page itself is "page"; elsewhere in the manager area its entry is "true".
  const current = (item: { href: string; area?: string }) =>
    location.path === item.href ? "page" : item.area && location.path.startsWith(item.area) ? "true" : undefined;
  return (
    <>
      {!presenter && !handover && (
        <>
          <a class="skip-link" href="#inhalt" onClick={skipToContent}>
            {texts.app.skipLink}
          </a>
          <header class="site-header">
            <div class="wrap header-row">
              <Link class="brand" href={paths.start}>
                {texts.app.name}
              </Link>
              <nav aria-label={texts.app.navLabel}>
                <ul>
                  {items.map((item) => (
                    <li key={item.label}>
                      <Link href={item.href} aria-current={current(item)}>
                        {item.label}
                      </Link>
                    </li>
                  ))}
                </ul>
              </nav>
            </div>
          </header>
        </>
      )}
      {/* Each path gets a fresh page (its own state, focus on its heading). */}
      <main
        id="inhalt"
        class={location.path === paths.rollout ? "wrap wrap-wide" : presenter ? "wrap-presenter" : "wrap"}
        tabIndex={-1}
        key={location.path}
      >
        {route(location)}
      </main>
      {!presenter && (
        <footer class="site-footer">
          <div class="wrap">
            <p>{texts.app.footer}</p>
            <p class="hint">{texts.app.sources}</p>
          </div>
        </footer>
      )}
    </>
  );
}
