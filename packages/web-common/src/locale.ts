import { createContext, createElement, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';

/** Drop speaks Norwegian Bokmål (the default) and English. */
export type Locale = 'nb' | 'en';
export const LOCALES: readonly Locale[] = ['nb', 'en'];
export const DEFAULT_LOCALE: Locale = 'nb';

export function isLocale(value: unknown): value is Locale {
  return value === 'nb' || value === 'en';
}

interface LocaleState {
  locale: Locale;
  setLocale(locale: Locale): void;
}

const LocaleContext = createContext<LocaleState | undefined>(undefined);

function storedLocale(storageKey: string): Locale {
  try {
    const value = localStorage.getItem(storageKey);
    return isLocale(value) ? value : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

/**
 * Holds the chosen language, remembers it in localStorage under `storageKey`, and keeps
 * `<html lang>` (and the document title, when `title` is given) in step with it.
 */
export function LocaleProvider(props: { storageKey: string; title?: (locale: Locale) => string; children?: ReactNode }): ReactNode {
  const { storageKey, title } = props;
  const [locale, setLocaleState] = useState<Locale>(() => storedLocale(storageKey));
  const setLocale = useCallback(
    (next: Locale) => {
      setLocaleState(next);
      try {
        localStorage.setItem(storageKey, next);
      } catch {
        // Private mode or storage disabled: the choice lasts for this page only.
      }
    },
    [storageKey],
  );
  useEffect(() => {
    document.documentElement.lang = locale;
    if (title) document.title = title(locale);
  }, [locale, title]);
  const value = useMemo<LocaleState>(() => ({ locale, setLocale }), [locale, setLocale]);
  return createElement(LocaleContext.Provider, { value }, props.children);
}

export function useLocale(): LocaleState {
  const value = useContext(LocaleContext);
  if (!value) throw new Error('useLocale() outside <LocaleProvider>');
  return value;
}
