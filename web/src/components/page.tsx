import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { takePageChange } from "../router";
import { texts } from "../texts";

type Props = {
  heading: string;
  /** The document title; the heading when not given. */
  title?: string;
  /** False while the heading is a placeholder: focus waits for the real one. */
  ready?: boolean;
  children?: ComponentChildren;
};

/**
 * A page with its h1. After a navigation the h1 takes the focus, so keyboard
 * and screen-reader users start at the new page's top, and the document
 * title names the page.
 */
export function Page({ heading, title, ready = true, children }: Props) {
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
  return (
    <>
      <h1 ref={h1} tabIndex={-1}>
        {heading}
      </h1>
      {children}
    </>
  );
}
