import { type ReactNode, useId, useRef } from 'react';
import { AlertIcon } from './icons.tsx';

/**
 * A button that asks first: it opens a modal dialog (the native <dialog>: focus trapped, Escape
 * cancels) with a warning, a "keep" button that closes it and a red button that confirms.
 * `onConfirm` gets `close`, to shut the dialog once the work is done.
 */
export function ConfirmButton(props: {
  /** The button that opens the dialog. */
  label: ReactNode;
  icon: ReactNode;
  className: string;
  testId: string;
  disabled: boolean;
  /** The dialog. */
  dialogTestId: string;
  title: ReactNode;
  text: ReactNode;
  keepLabel: ReactNode;
  confirmLabel: ReactNode;
  confirmTestId?: string;
  busy: boolean;
  onConfirm(close: () => void): void;
}): ReactNode {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const textId = useId();
  const close = () => dialog.current?.close();
  return (
    <>
      <button
        type="button"
        className={props.className}
        onClick={() => dialog.current?.showModal()}
        disabled={props.disabled}
        data-testid={props.testId}
      >
        {props.icon}
        {props.label}
      </button>
      <dialog ref={dialog} className="dialog" aria-labelledby={titleId} aria-describedby={textId} data-testid={props.dialogTestId}>
        <span className="dialog-icon" aria-hidden="true">
          <AlertIcon />
        </span>
        <h2 id={titleId}>{props.title}</h2>
        <p id={textId}>{props.text}</p>
        <div className="dialog-actions">
          <button type="button" className="button button-ghost" onClick={close} disabled={props.busy}>
            {props.keepLabel}
          </button>
          <button
            type="button"
            className="button button-danger"
            onClick={() => props.onConfirm(close)}
            disabled={props.busy}
            data-testid={props.confirmTestId}
          >
            {props.confirmLabel}
          </button>
        </div>
      </dialog>
    </>
  );
}
