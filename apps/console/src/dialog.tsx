import { type ReactNode, useEffect, useId, useRef } from 'react';
import { useI18n } from './i18n.ts';

/**
 * Cancel and confirm at the foot of a dialog. Without `onConfirm` the confirm button submits the
 * dialog's form. While `busy`, both are disabled and the confirm button shows `busyLabel`.
 */
function DialogActions(props: {
  confirmLabel: string;
  busyLabel: string;
  busy: boolean;
  /** The confirm button's colour: red for what cannot be undone (the default), blue otherwise. */
  tone?: 'danger' | 'primary' | undefined;
  onConfirm?: () => void;
  onCancel(): void;
}): ReactNode {
  const { t } = useI18n();
  return (
    <div className="dialog-actions">
      <button type="button" className="button" onClick={props.onCancel} disabled={props.busy}>
        {t.cancel}
      </button>
      <button
        type={props.onConfirm ? 'button' : 'submit'}
        className={`button ${props.tone === 'primary' ? 'button-primary' : 'button-danger'}`}
        onClick={props.onConfirm}
        disabled={props.busy}
        aria-busy={props.busy}
        data-testid={props.onConfirm ? undefined : 'dialog-confirm'}
      >
        {props.busy ? props.busyLabel : props.confirmLabel}
      </button>
    </div>
  );
}

/** A modal confirmation on the native <dialog>: focus is trapped, Escape cancels. */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busyLabel: string;
  busy: boolean;
  onConfirm(): void;
  onCancel(): void;
  /** The confirm button's colour: red for what cannot be undone (the default), blue otherwise. */
  tone?: 'danger' | 'primary';
  testId?: string;
}): ReactNode {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="dialog-title" onClose={props.onCancel} data-testid={props.testId}>
      <h2 id="dialog-title">{props.title}</h2>
      <div className="dialog-body">{props.children}</div>
      <DialogActions {...props} />
    </dialog>
  );
}

/** A modal form on the native <dialog> (focus trapped, Escape cancels); confirming submits the form. */
export function FormDialog(props: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busyLabel: string;
  busy: boolean;
  tone: 'danger' | 'primary';
  onSubmit(): void;
  onCancel(): void;
  testId: string;
}): ReactNode {
  const id = useId();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog dialog-form"
      aria-labelledby={`${id}-title`}
      onCancel={(event) => {
        event.preventDefault();
        if (!props.busy) props.onCancel();
      }}
      data-testid={props.testId}
    >
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          props.onSubmit();
        }}
      >
        <h2 id={`${id}-title`}>{props.title}</h2>
        <div className="dialog-body form">{props.children}</div>
        <DialogActions {...props} />
      </form>
    </dialog>
  );
}

/** One fact of what a dialog is about, in its `dialog-facts` list: "Amount: 1 500,00 kr". */
export function DialogFact(props: { label: string; children: ReactNode; className?: string }): ReactNode {
  return (
    <div className="dialog-fact">
      <dt>{props.label}</dt>
      <dd className={props.className}>{props.children}</dd>
    </div>
  );
}
