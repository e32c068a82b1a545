import type { ReactNode } from 'react';
import { LOCALES, type Locale, useLocale } from './locale.ts';

/**
 * The language buttons: a fieldset (its legend for screen readers only) with one toggle button per
 * language, the chosen one pressed. Each app decides what a button shows (`children`).
 */
export function LanguageSwitch(props: {
  legend: string;
  optionClassName?: string;
  children(option: Locale): ReactNode;
  /** Told when the person picks a language (e.g. to keep a signed-in customer's choice on the server). */
  onChoose?(option: Locale): void;
}): ReactNode {
  const { locale, setLocale } = useLocale();
  return (
    <fieldset className="lang-switch">
      <legend className="visually-hidden">{props.legend}</legend>
      {LOCALES.map((option) => (
        <button
          key={option}
          type="button"
          lang={option}
          className={props.optionClassName}
          aria-pressed={option === locale}
          onClick={() => {
            setLocale(option);
            props.onChoose?.(option);
          }}
        >
          {props.children(option)}
        </button>
      ))}
    </fieldset>
  );
}
