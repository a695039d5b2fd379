// The pages of a municipality's information security officer (role
// MUNICIPAL_ISB with the claim ags; admins too): the bearer token in the same
// sessionStorage slot as the managers', a sign-in form on the page itself
// (checked against the municipality's product list), and the navigation
// between the two pages.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiError, request } from "../api";
import { MunicipalityProductsDocument, type TypedDocumentString } from "../gql/graphql";
import { Link } from "../router";
import { currentToken, forgetToken, signIn, takeSignInNotice, useSignedIn, type SignInNotice } from "../session";
import { networkTexts, texts } from "../texts";
import { Notice } from "./notice";
import { TokenForm } from "./token-form";

export const officerPaths = {
  advisories: (ags: string) => `/kommune/${encodeURIComponent(ags)}/warnungen`,
  products: (ags: string) => `/kommune/${encodeURIComponent(ags)}/produkte`,
  wiba: (ags: string) => `/kommune/${encodeURIComponent(ags)}/wiba`,
  wibaReport: (ags: string) => `/kommune/${encodeURIComponent(ags)}/wiba/bericht`,
  network: (ags: string) => `/kommune/${encodeURIComponent(ags)}/netzwerk`,
  emergency: (ags: string) => `/kommune/${encodeURIComponent(ags)}/notfall`,
};

/**
 * A request of the officer with the stored token. A refused token
 * (UNAUTHENTICATED) is cleared and the page shows its sign-in form with the
 * server's reason; FORBIDDEN says who may see the page.
 */
export async function officerRequest<R, V>(document: TypedDocumentString<R, V>, variables: V): Promise<R> {
  const token = currentToken();
  if (!token) throw new ApiError("UNAUTHENTICATED", undefined, texts.manager.signInFirst);
  try {
    return await request(document, variables, token);
  } catch (error) {
    if (error instanceof ApiError && error.code === "UNAUTHENTICATED") forgetToken({ kind: "error", text: error.message });
    if (error instanceof ApiError && error.code === "FORBIDDEN")
      throw new ApiError(error.code, error.reason, texts.advisories.officerForbidden(error.message.split(" Die Umsetzung")[0] ?? ""));
    throw error;
  }
}

/** The officer's navigation: the open list, products and alerts, sign-out. */
export function OfficerNav({ ags, current }: { ags: string; current: "advisories" | "products" | "wiba" | "network" | "emergency" }) {
  const links = [
    { key: "advisories", href: officerPaths.advisories(ags), label: texts.advisories.listLink },
    { key: "products", href: officerPaths.products(ags), label: texts.advisories.productsLink },
    { key: "wiba", href: officerPaths.wiba(ags), label: texts.wiba.navLink },
    { key: "network", href: officerPaths.network(ags), label: networkTexts.link },
    { key: "emergency", href: officerPaths.emergency(ags), label: texts.digisos.navLink },
  ];
  return (
    <nav class="manager-nav" aria-label={texts.advisories.navLabel}>
      <ul>
        {links.map((link) => (
          <li key={link.key}>
            <Link href={link.href} aria-current={current === link.key ? "page" : undefined}>
              {link.label}
            </Link>
          </li>
        ))}
        <li>
          <button type="button" class="button-secondary" onClick={() => forgetToken({ kind: "info", text: texts.manager.signedOut })}>
            {texts.advisories.signOut}
          </button>
        </li>
      </ul>
    </nav>
  );
}

/** Its children for a signed-in person; else the sign-in form in their place. */
export function RequireOfficer({ ags, children }: { ags: string; children: ComponentChildren }) {
  const signedIn = useSignedIn();
  return signedIn ? <>{children}</> : <OfficerSignIn ags={ags} />;
}

function OfficerSignIn({ ags }: { ags: string }) {
  const [notice] = useState<SignInNotice | null>(takeSignInNotice);
  useEffect(() => {
    document.title = texts.app.pageTitle(texts.advisories.signInHeading);
  }, []);
  const check = async (token: string) => {
    await request(MunicipalityProductsDocument, { ags }, token);
    signIn(token);
  };
  return (
    <>
      <h1 id="page-heading" tabIndex={-1}>
        <span class="kicker">{texts.advisories.kicker(ags)} </span>
        {texts.advisories.signInHeading}
      </h1>
      <p class="lead">{texts.advisories.signInIntro(ags)}</p>
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
      <TokenForm check={check} forbidden={texts.advisories.officerForbidden("")} localCommand={texts.advisories.localCommand(ags)} />
    </>
  );
}
