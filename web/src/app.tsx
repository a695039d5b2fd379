import { EmergencyPage } from "./pages/emergency";
import { EventPage } from "./pages/event";
import { EventsPage } from "./pages/events";
import { ManagePage } from "./pages/manage";
import { NotFoundPage } from "./pages/not-found";
import { StartPage } from "./pages/start";
import { Link, paths, useLocation, type Location } from "./router";
import { texts } from "./texts";

function route(location: Location) {
  const { path } = location;
  if (path === paths.start) return <StartPage {...location} />;
  if (path === paths.events) return <EventsPage {...location} />;
  if (path === paths.emergency) return <EmergencyPage {...location} />;
  if (path === paths.manage) return <ManagePage {...location} />;
  const event = /^\/veranstaltungen\/([^/]+)$/.exec(path);
  if (event?.[1]) return <EventPage slug={event[1]} />;
  return <NotFoundPage />;
}

const nav = [
  { href: paths.start, label: texts.app.nav.start },
  { href: paths.events, label: texts.app.nav.events },
  { href: paths.emergency, label: texts.app.nav.emergency },
];

function skipToContent(event: MouseEvent) {
  event.preventDefault();
  document.getElementById("inhalt")?.focus();
}

export function App() {
  const location = useLocation();
  return (
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
              {nav.map((item) => (
                <li key={item.href}>
                  <Link href={item.href} aria-current={location.path === item.href ? "page" : undefined}>
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        </div>
      </header>
      {/* Each path gets a fresh page (its own state, focus on its heading). */}
      <main id="inhalt" class="wrap" tabIndex={-1} key={location.path}>
        {route(location)}
      </main>
      <footer class="site-footer">
        <div class="wrap">
          <p>{texts.app.footer}</p>
          <p class="hint">{texts.app.sources}</p>
        </div>
      </footer>
    </>
  );
}
