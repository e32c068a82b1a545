import { BackLink as SharedBackLink } from '@drop/web-common/routing';
import type { ReactNode } from 'react';
import { BackIcon, CheckIcon } from './icons.tsx';

/** A card's head: its icon, its title (an h2 with `id`, for the card's `aria-labelledby`), and whatever sits beside them. */
export function CardHead(props: { icon: ReactNode; titleId: string; title: ReactNode; children?: ReactNode }): ReactNode {
  return (
    <div className="card-head">
      <span className="card-icon">{props.icon}</span>
      <h2 id={props.titleId} className="card-title">
        {props.title}
      </h2>
      {props.children}
    </div>
  );
}

/**
 * A row of steps (the `tracker` look): the first `done` steps are ticked, the one after them is the
 * current one, the rest are still to come.
 */
export function StepTracker(props: {
  steps: readonly string[];
  done: number;
  className?: string;
  label?: string;
  labelledBy?: string;
  testId?: string;
}): ReactNode {
  const { done } = props;
  return (
    <ol
      className={props.className ? `tracker ${props.className}` : 'tracker'}
      aria-label={props.label}
      aria-labelledby={props.labelledBy}
      data-testid={props.testId}
    >
      {props.steps.map((step, index) => (
        <li key={step} className={index < done ? 'done' : index === done ? 'current' : undefined}>
          <span className="tracker-dot" aria-hidden="true">
            {index < done && <CheckIcon />}
          </span>
          {step}
        </li>
      ))}
    </ol>
  );
}

/** The "← back" link above a page's head. */
export function BackLink(props: { to: string; label: string }): ReactNode {
  return <SharedBackLink {...props} icon={<BackIcon />} />;
}

/**
 * A page's head: the eyebrow, the h1 and the lead under it (or, as `children`, whatever stands there
 * instead). With an `action` (a button) the text and the action sit side by side.
 */
export function PageHead(props: {
  eyebrow: ReactNode;
  title: ReactNode;
  titleTestId?: string;
  lead?: ReactNode;
  action?: ReactNode;
  children?: ReactNode;
}): ReactNode {
  const text = (
    <>
      <p className="eyebrow">{props.eyebrow}</p>
      <h1 data-testid={props.titleTestId}>{props.title}</h1>
      {props.lead !== undefined && <p className="page-lead">{props.lead}</p>}
      {props.children}
    </>
  );
  if (props.action === undefined) return <div className="page-head">{text}</div>;
  return (
    <div className="page-head page-head-action">
      <div>{text}</div>
      {props.action}
    </div>
  );
}

/** A step's large primary button; while its work runs (`busy`) it says so to assistive technology. */
export function BigButton(props: { onClick(): void; disabled: boolean; busy: boolean; testId?: string; children: ReactNode }): ReactNode {
  return (
    <button
      type="button"
      className="button button-primary button-large"
      onClick={props.onClick}
      disabled={props.disabled}
      aria-busy={props.busy}
      data-testid={props.testId}
    >
      {props.children}
    </button>
  );
}
