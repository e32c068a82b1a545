import type { ReactNode } from 'react';

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
