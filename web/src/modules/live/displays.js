// Room screens (投屏): what the screen page, the phone's pairing page and the
// console's 投屏管理 share — the screen's own secret token, the topic a
// display shows in words, and the addresses a screen and a pairing code open.
// What a kind of topic looks like on a screen is its module's (`screens` in
// its declaration, gathered in modules/index.js).
import { screens } from '../index.js';

const TOKEN_KEY = 'xh.display.token';

// 32 random bytes as base64url: 43 characters, as the server asks of a screen's token.
function randomToken() {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// This screen's token, kept in this browser; `fresh` replaces it (after the
// display was revoked: the old one is never paired again). Without storage the
// token lasts as long as the page.
let kept = null;
export function screenToken({ fresh = false } = {}) {
  if (!fresh) {
    try {
      kept ||= localStorage.getItem(TOKEN_KEY);
    } catch {
      // Storage unavailable: a token for this page only.
    }
    if (kept && /^[A-Za-z0-9_-]{43,128}$/.test(kept)) return kept;
  }
  kept = randomToken();
  try {
    localStorage.setItem(TOKEN_KEY, kept);
  } catch {
    // As above.
  }
  return kept;
}

// "work_order:12" → { kind: 'work_order', id: '12', screen: its module's declaration or undefined }.
export function topicParts(topic) {
  const [kind, id = ''] = String(topic || '').split(':');
  return { kind, id, screen: screens[kind] };
}
export const topicOf = (kind, id) => `${kind}:${id}`;

// What a display shows, in words: "工单 #12" (the topic itself for a kind no module declares).
export function topicLabel(t, topic) {
  const { id, screen } = topicParts(topic);
  return screen ? `${t(screen.label)} #${id}` : String(topic || '');
}

// The kinds a display may show, for choosing: [{ kind, label, number }] (locale keys).
export const screenKinds = () => Object.entries(screens).map(([kind, s]) => ({ kind, label: s.label, number: s.number }));

// Where a screen is opened, and where a code shown on it is confirmed.
export const screenAddress = () => `${location.origin}/m/display`;
export const pairAddress = (code) => `${location.origin}/m/pair/${code}`;
