import type { ComponentChildren } from "preact";
import { useEffect } from "preact/hooks";
import { Link, paths } from "../router";
import { signOut, useSignedIn } from "../session";
import { texts } from "../texts";

const links = [
  { href: paths.rollout, label: texts.manager.rollout },
  { href: paths.map, label: texts.manager.map },
  { href: paths.regionAdvisories, label: texts.regionAdvisories.nav },
];

/** The navigation inside the manager area: rollout, map, sign-out. */
export function ManagerNav({ current }: { current: string }) {
  return (
    <nav class="manager-nav" aria-label={texts.manager.navLabel}>
      <ul>
        {links.map((link) => (
          <li key={link.href}>
            <Link href={link.href} aria-current={current === link.href ? "page" : undefined}>
              {link.label}
            </Link>
          </li>
        ))}
        <li>
          <button type="button" class="button-secondary" onClick={() => signOut({ kind: "info", text: texts.manager.signedOut }, null)}>
            {texts.manager.signOut}
          </button>
        </li>
      </ul>
    </nav>
  );
}

/**
 * Shows its children only to a signed-in manager; everyone else goes to the
 * sign-in page, which brings them back here afterwards.
 */
export function RequireSignIn({ children }: { children: ComponentChildren }) {
  const signedIn = useSignedIn();
  useEffect(() => {
    const here = location.pathname;
    if (!signedIn && here.startsWith("/verwaltung/") && here !== paths.signIn) signOut(null);
  }, [signedIn]);
  return signedIn ? <>{children}</> : null;
}
