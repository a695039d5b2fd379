/**
 * What is wrong with one form field, right above it; the field points to
 * it with aria-describedby="ID-error".
 */
export function FieldError({ id, message }: { id: string; message: string | null | undefined }) {
  return message ? (
    <p id={`${id}-error`} class="field-error">
      {message}
    </p>
  ) : null;
}
