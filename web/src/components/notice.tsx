import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

/**
 * The live line of a page: loading, how many results, what went wrong. It is
 * always in the DOM (role="status" is a polite live region), so screen
 * readers hear each change.
 */
export function LiveStatus({ message }: { message: string }) {
  return (
    <p role="status" class="status">
      {message}
    </p>
  );
}

type NoticeProps = { kind: "success" | "error" | "info"; children: ComponentChildren };

/**
 * The answer to something the person did (registered, cancelled, failed).
 * It takes the focus when it appears, so it is read out at once and the
 * next Tab continues from it.
 */
export function Notice({ kind, children }: NoticeProps) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), []);
  return (
    <div ref={box} tabIndex={-1} class={`notice notice-${kind}`} role={kind === "error" ? "alert" : undefined}>
      {children}
    </div>
  );
}
