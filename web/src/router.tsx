// History routing in a few lines: paths of the pages, navigate(), <Link>,
// and useLocation(). The Go server (and Vite) answer unknown paths with
// index.html, so every route can be opened directly and bookmarked.
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";

export const paths = {
  start: "/",
  events: "/veranstaltungen",
  event: (slug: string) => `/veranstaltungen/${encodeURIComponent(slug)}`,
  emergency: "/notfall",
  selfCheck: "/selbstcheck",
  selfCheckView: "/selbstcheck/ansicht",
  manage: "/anmeldung",
  signIn: "/verwaltung/anmelden",
  rollout: "/verwaltung/umsetzung",
  map: "/verwaltung/karte",
  regionAdvisories: "/verwaltung/warnungen",
  live: "/live",
  handover: "/uebergabe",
};

/** A path with its query, leaving out empty values. */
export function href(path: string, query: Record<string, string | null | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

export type Location = { path: string; params: URLSearchParams };

const listeners = new Set<() => void>();
let lastPath = location.pathname;
// Set when a navigation opened another page; that page then moves the focus
// to its heading (see Page), so screen readers hear where they are.
let pageChanged = false;

function changed(newPage = false) {
  pageChanged = newPage || location.pathname !== lastPath;
  if (pageChanged) window.scrollTo(0, 0);
  lastPath = location.pathname;
  listeners.forEach((listener) => listener());
}

window.addEventListener("popstate", () => changed());

/**
 * Goes to another address. newPage: the address is on the same path but
 * shows another page (the self-check once started), whose heading then
 * takes the focus as after any change of page.
 */
export function navigate(to: string, options: { replace?: boolean; newPage?: boolean } = {}) {
  if (options.replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  changed(options.newPage);
}

/** Whether the page now shown was opened by a navigation; asks only once. */
export function takePageChange(): boolean {
  const result = pageChanged;
  pageChanged = false;
  return result;
}

function current(): Location {
  return { path: decodeURI(location.pathname), params: new URLSearchParams(location.search) };
}

export function useLocation(): Location {
  const [loc, setLoc] = useState(current);
  const rendered = useRef(location.pathname + location.search);
  useEffect(() => {
    const update = () => setLoc(current());
    listeners.add(update);
    // A child may have navigated before this effect subscribed (children's
    // effects run first, e.g. a redirect to the sign-in): catch up.
    if (location.pathname + location.search !== rendered.current) update();
    return () => listeners.delete(update);
  }, []);
  return loc;
}

type LinkProps = Omit<JSX.HTMLAttributes<HTMLAnchorElement>, "href" | "onClick"> & { href: string };

/** An internal link: a real <a href>, followed without reloading the page. */
export function Link({ href: to, ...rest }: LinkProps) {
  const follow = (event: MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={follow} {...rest} />;
}
