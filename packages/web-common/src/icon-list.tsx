import type { ReactNode } from 'react';

/** A bulleted list whose bullet is an icon (each app passes its own check mark): selling points, reasons, promises. */
export function IconList(props: { items: readonly string[]; icon: ReactNode; className: string }): ReactNode {
  return (
    <ul className={props.className}>
      {props.items.map((item) => (
        <li key={item}>
          {props.icon}
          {item}
        </li>
      ))}
    </ul>
  );
}
