// The one vue-i18n instance both faces use: Simplified Chinese first,
// English second; the choice is kept in localStorage and sent to the server
// (Accept-Language) so its error messages and labels follow it.
import { createI18n } from 'vue-i18n';
import zhCN from './locales/zh-CN.json';
import en from './locales/en.json';

export const LANGUAGES = ['zh-CN', 'en'];
const STORAGE_KEY = 'xh.lang';

function storedLanguage() {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return LANGUAGES.includes(v) ? v : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export const i18n = createI18n({
  legacy: false,
  locale: storedLanguage(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
});

document.documentElement.lang = i18n.global.locale.value;

export function currentLanguage() {
  return i18n.global.locale.value;
}

// Switches the UI language and remembers it for the next visit.
export function setLanguage(lang) {
  if (!LANGUAGES.includes(lang)) return;
  i18n.global.locale.value = lang;
  document.documentElement.lang = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Private browsing: the choice lasts for this page only.
  }
}

export const t = (...args) => i18n.global.t(...args);
