import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { takePageChange } from "../router";
import { texts } from "../texts";

type Props = {
  heading: string;
  /** A line above the heading's words, within the h1 ("Frage 8 von 22"). */
  kicker?: ComponentChildren;
  /** The document title; the heading when not given. */
  title?: string;
  /** False while the heading is a placeholder: focus waits for the real one. */
  ready?: boolean;
  /**
   * A screen of the page (one question of the self-check): when it changes,
   * the h1 takes the focus as after a navigation.
   */
  focusKey?: string;
  children?: ComponentChildren;
};

/**
 * A page with its h1. After a navigation the h1 takes the focus, so keyboard
 * and screen-reader users start at the new page's top, and the document
 * title names the page.
 */
export function Page({ heading, kicker, title, ready = true, focusKey, children }: Props) {
  const h1 = useRef<HTMLHeadingElement>(null);
  const focusPending = useRef(takePageChange());
  useEffect(() => {
    document.title = texts.app.pageTitle(title ?? heading);
  }, [title, heading]);
  useEffect(() => {
    if (ready && focusPending.current) {
      focusPending.current = false;
      h1.current?.focus();
    }
  }, [ready]);
  const screen = useRef(focusKey);
  useEffect(() => {
    if (focusKey === screen.current) return;
    screen.current = focusKey;
    h1.current?.focus();
  }, [focusKey]);
  return (
    <>
      <h1 ref={h1} id="page-heading" tabIndex={-1}>
        {kicker && <span class="kicker">{kicker} </span>}
        {heading}
      </h1>
      {children}
    </>
  );
}
