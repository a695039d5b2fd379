import { useEffect, useRef } from "preact/hooks";
import { texts } from "../texts";

type Props = {
  open: boolean;
  title: string;
  text: string;
  confirmLabel: string;
  onConfirm: () => void;
  onDismiss: () => void;
};

/**
 * "Are you sure?" as a modal <dialog>: the browser keeps the focus inside and
 * closes it on Escape. "Abbrechen" comes first and so has the focus; when
 * dismissed, the focus returns to the button that opened the dialog.
 */
export function ConfirmDialog({ open, title, text, confirmLabel, onConfirm, onDismiss }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) {
      opener.current = document.activeElement as HTMLElement | null;
      d.showModal();
    }
    if (!open && d.open) d.close();
  }, [open]);

  const dismiss = () => {
    onDismiss();
    opener.current?.focus();
  };

  return (
    <dialog
      ref={dialog}
      class="confirm"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-text"
      onCancel={(e) => {
        e.preventDefault();
        dismiss();
      }}
    >
      <h2 id="confirm-title">{title}</h2>
      <p id="confirm-text">{text}</p>
      <div class="actions">
        <button type="button" class="button-secondary" onClick={dismiss}>
          {texts.manage.dismiss}
        </button>
        <button type="button" class="button-danger" onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
