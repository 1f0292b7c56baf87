import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { setApiLang } from '../api/client.ts';
import { type MessageKey, messageOf } from './messages.ts';

export type Lang = 'zh' | 'en';
const STORAGE_KEY = 'eduatlas.lang';

function storedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

/** Applies a language everywhere outside React: API header, dayjs, the page's lang attribute. */
function applyLang(lang: Lang): void {
  setApiLang(lang);
  dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translate(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  const text = messageOf(lang, key);
  if (text === undefined) {
    // The key's bundle was not imported by the file that uses it (see i18n/messages.ts).
    if (import.meta.env.DEV) console.warn(`message ${key} is not loaded`);
    return key;
  }
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

interface LangState {
  lang: Lang;
  setLang(lang: Lang): void;
  t: Translate;
  /** Picks the text of a `{ zh, en }` pair from the server. */
  pick(text: { zh: string; en: string }): string;
}

const LangContext = createContext<LangState | null>(null);

export function LangProvider({
  children,
  onChange,
}: {
  children: ReactNode;
  onChange?: (lang: Lang) => void;
}) {
  const [lang, setLangState] = useState<Lang>(() => {
    const l = storedLang();
    applyLang(l);
    return l;
  });
  const setLang = useCallback(
    (l: Lang) => {
      try {
        localStorage.setItem(STORAGE_KEY, l);
      } catch {
        // private mode: the choice lasts for this page only
      }
      applyLang(l);
      setLangState(l);
      onChange?.(l);
    },
    [onChange],
  );
  const value = useMemo<LangState>(
    () => ({
      lang,
      setLang,
      t: (key, vars) => translate(lang, key, vars),
      pick: (text) => (lang === 'zh' ? text.zh : text.en || text.zh),
    }),
    [lang, setLang],
  );
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>;
}

export function useLang(): LangState {
  const v = useContext(LangContext);
  if (!v) throw new Error('useLang outside LangProvider');
  return v;
}
