import { useRef, useState } from "preact/hooks";
import { texts } from "../texts";

type Props = {
  id: string;
  label: string;
  url: string;
  /** Sentences about the link, read with the field (aria-describedby). */
  hint?: string;
  copyLabel?: string;
};

/**
 * A secret link to keep: shown in a read-only field (all of it, selectable)
 * with a button that copies it. Whether the copy worked is said next to the
 * button, in a status line screen readers announce.
 */
export function CopyLink({ id, label, url, hint, copyLabel = texts.selfCheck.copy }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setState("copied");
    } catch {
      // No clipboard (an insecure page, a refused permission): select the
      // text, so that Ctrl+C copies it.
      input.current?.focus();
      input.current?.select();
      setState("failed");
    }
  };
  return (
    <div class="copy-link">
      <label for={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      <div class="field-row">
        <input
          ref={input}
          id={id}
          type="text"
          readOnly
          value={url}
          spellcheck={false}
          aria-describedby={hint ? `${id}-hint` : undefined}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" class="button-secondary" onClick={copy}>
          {copyLabel}
        </button>
      </div>
      <p role="status" class="status">
        {state === "copied" ? texts.selfCheck.copied : state === "failed" ? texts.selfCheck.copyFailed : ""}
      </p>
    </div>
  );
}
