import { useEffect, useRef, useState } from "preact/hooks";
import type { ApiError } from "../api";
import { Link } from "../router";
import { FieldError } from "./field-error";
import { texts } from "../texts";

type Props = {
  /** What the URL says was searched. */
  ort: string;
  submitLabel: string;
  /** The error of the last search, if any. */
  error: ApiError | null;
  /** Where a search for ort (with the ags of a picked candidate) leads. */
  searchHref: (ort: string, ags?: string) => string;
  onSearch: (href: string) => void;
};

/** Whether an error is about the place typed (shown at the field) rather than the service. */
export function isPlaceError(error: ApiError | null): boolean {
  return error?.code === "BAD_USER_INPUT";
}

/**
 * The one field "Postleitzahl oder Ort" with its errors; for an ambiguous
 * place the candidates to pick from.
 */
export function PlaceSearch({ ort, submitLabel, error, searchHref, onSearch }: Props) {
  const [value, setValue] = useState(ort);
  const [missing, setMissing] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => setValue(ort), [ort]);

  const ambiguous = error?.reason === "AMBIGUOUS_PLACE" && error.candidates.length > 0;
  const message = missing ? texts.place.missing : isPlaceError(error) && !ambiguous ? error?.message : null;

  const submit = (event: Event) => {
    event.preventDefault();
    const trimmed = value.trim();
    setMissing(!trimmed);
    if (trimmed) onSearch(searchHref(trimmed));
  };

  return (
    <>
      <form class="place-search" role="search" onSubmit={submit} noValidate>
        <label for="place">{texts.place.label}</label>
        <p id="place-hint" class="hint">
          {texts.place.hint}
        </p>
        <FieldError id="place" message={message} />
        <div class="field-row">
          <input
            ref={input}
            id="place"
            name="ort"
            type="text"
            autoComplete="postal-code"
            required
            value={value}
            onInput={(e) => setValue(e.currentTarget.value)}
            aria-describedby={message ? "place-hint place-error" : "place-hint"}
            aria-invalid={message ? true : undefined}
          />
          <button type="submit">{submitLabel}</button>
        </div>
      </form>
      {ambiguous && error && (
        <Candidates input={ort} error={error} searchHref={searchHref} onGone={() => input.current?.focus()} />
      )}
    </>
  );
}

type CandidatesProps = {
  input: string;
  error: ApiError;
  searchHref: Props["searchHref"];
  /** Called when the list goes while it has the focus (a candidate was picked). */
  onGone: () => void;
};

function Candidates({ input, error, searchHref, onGone }: CandidatesProps) {
  const section = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [error]);
  useEffect(() => {
    const list = section.current;
    return () => {
      if (list?.contains(document.activeElement)) onGone();
    };
  }, []);
  return (
    <section ref={section} class="candidates" aria-labelledby="candidates-heading">
      <h2 id="candidates-heading" ref={heading} tabIndex={-1}>
        {texts.place.candidatesHeading}
      </h2>
      <p>{texts.place.candidatesIntro(input)}</p>
      <ul>
        {error.candidates.map((c) => (
          <li key={c.ags}>
            <Link href={searchHref(c.name, c.ags)}>{c.name}</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
