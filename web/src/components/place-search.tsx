import type { ComponentChildren, Ref } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { ApiError, PlaceCandidate } from "../api";
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

/** Whether an error offers places to pick from (AMBIGUOUS_PLACE with candidates). */
export function isAmbiguous(error: ApiError | null): boolean {
  return error?.reason === "AMBIGUOUS_PLACE" && error.candidates.length > 0;
}

/** The message to show at the place field: the field is empty, or the place is unknown. */
export function placeMessage(error: ApiError | null, missing: boolean): string | null {
  if (missing) return texts.place.missing;
  return isPlaceError(error) && !isAmbiguous(error) ? (error?.message ?? null) : null;
}

type FieldProps = {
  id: string;
  value: string;
  onInput: (value: string) => void;
  /** What is wrong with the value, shown above the field. */
  message: string | null;
  label?: string;
  hint?: string;
  required?: boolean;
  inputRef?: Ref<HTMLInputElement>;
  /** A button beside the field (the search's submit). */
  children?: ComponentChildren;
};

/**
 * The field "Postleitzahl oder Ort" with its hint and error, for a form of
 * its own (PlaceSearch) or as one field among others (the self-check).
 */
export function PlaceField({ id, value, onInput, message, label, hint, required, inputRef, children }: FieldProps) {
  return (
    <>
      <label for={id}>{label ?? texts.place.label}</label>
      <p id={`${id}-hint`} class="hint">
        {hint ?? texts.place.hint}
      </p>
      <FieldError id={id} message={message} />
      <div class="field-row">
        <input
          ref={inputRef}
          id={id}
          name="ort"
          type="text"
          autoComplete="postal-code"
          required={required}
          value={value}
          onInput={(e) => onInput(e.currentTarget.value)}
          aria-describedby={message ? `${id}-hint ${id}-error` : `${id}-hint`}
          aria-invalid={message ? true : undefined}
        />
        {children}
      </div>
    </>
  );
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

  const submit = (event: Event) => {
    event.preventDefault();
    const trimmed = value.trim();
    setMissing(!trimmed);
    if (trimmed) onSearch(searchHref(trimmed));
  };

  return (
    <>
      <form class="place-search" role="search" onSubmit={submit} noValidate>
        <PlaceField id="place" value={value} onInput={setValue} message={placeMessage(error, missing)} required inputRef={input}>
          <button type="submit">{submitLabel}</button>
        </PlaceField>
      </form>
      {isAmbiguous(error) && error && (
        <Candidates
          input={ort}
          error={error}
          link={(c) => <Link href={searchHref(c.name, c.ags)}>{c.name}</Link>}
          onGone={() => input.current?.focus()}
        />
      )}
    </>
  );
}

type CandidatesProps = {
  input: string;
  error: ApiError;
  /** How a candidate is picked: a link to its search, or a button. */
  link: (candidate: PlaceCandidate) => ComponentChildren;
  /** Called when the list goes while it has the focus (a candidate was picked). */
  onGone: () => void;
};

/** "Welchen Ort meinen Sie?": the municipalities an ambiguous place may mean; takes the focus. */
export function Candidates({ input, error, link, onGone }: CandidatesProps) {
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
          <li key={c.ags}>{link(c)}</li>
        ))}
      </ul>
    </section>
  );
}
