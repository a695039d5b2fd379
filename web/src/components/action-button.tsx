type ActionButtonProps = { id: string; label: string; hint: string; busy: boolean; danger?: boolean; onClick: () => void };

/** An action of the person on their own data, with a hint tied to its button. */
export function ActionButton({ id, label, hint, busy, danger, onClick }: ActionButtonProps) {
  return (
    <div class="action">
      <button type="button" class={danger ? "button-danger" : "button-secondary"} aria-describedby={`${id}-hint`} disabled={busy} onClick={onClick}>
        {label}
      </button>
      <p id={`${id}-hint`} class="hint">
        {hint}
      </p>
    </div>
  );
}
