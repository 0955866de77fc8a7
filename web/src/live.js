// Live updates (PRODUCT §8), for both faces: one WebSocket per page
// (/api/live, authenticated by the session cookie, or on a room's screen by
// its display cookie), shared by every subscription, opened with the first and
// closed soon after the last.
//
// subscribe(topic, handler) follows a topic ("inbox", "work_order:12") and
// returns the function that stops following it. `handler(message)` gets
//   {op: 'event', id, topic, kind, data}   each event once, though the server
//                                          may repeat it around a reconnect;
//   {op: 'reload', topic, why}             read the thing again: too much was
//                                          missed (why 'reload'), the server
//                                          lost events ('resync'), or the user
//                                          may no longer follow it ('revoked':
//                                          the page's own GET says why).
// A dropped connection comes back after about 1 s, 2 s, 4 s … at most 30 s
// (with jitter) and resumes every topic after the last event seen on it. The
// server's close for an ended session (4401) ends the retries until a page
// subscribes to something new (the next API call sends the user to sign in).
// Heartbeats are the server's pings, which the browser answers by itself.
// onConnection(fn) tells `fn('open')` each time the connection is welcomed and
// `fn('closed', code)` each time it drops (a room's screen shows it, and takes
// 4401 for its display revoked). asScreen() makes the connection a room's
// screen's (its display cookie counts even where someone is signed in).
import { onScopeDispose, watch } from 'vue';
import { currentLanguage } from './i18n.js';

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30000;
const IDLE_CLOSE_MS = 2000; // a page change unsubscribes and subscribes again: keep the connection meanwhile
const SESSION_ENDED = 4401;
const SEEN_KEPT = 500;

// topic → { handlers, since: the newest event id known for it (null before the first welcome), refused }
const topics = new Map();
const seen = new Set(); // the latest event ids delivered, oldest first
let socket = null;
let welcomed = false;
let head = 0; // the newest event id when the connection was welcomed
let failures = 0;
let retryTimer = null;
let screen = false;
let idleTimer = null;
const watchers = new Set(); // onConnection's

function address() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  // The server words its error messages in this language.
  return `${scheme}//${location.host}/api/live?lang=${currentLanguage() === 'en' ? 'en' : 'zh-CN'}${screen ? '&screen=1' : ''}`;
}

function send(message) {
  socket.send(JSON.stringify(message));
}

function sendSubscribe(topic, t) {
  send(t.since === null ? { op: 'subscribe', topic } : { op: 'subscribe', topic, since: t.since });
  // Resumed after this connection's head at the latest: a reconnect replays rather than misses.
  t.since ??= head;
}

function connect() {
  clearTimeout(retryTimer);
  retryTimer = null;
  welcomed = false;
  const ws = new WebSocket(address());
  socket = ws;
  ws.onmessage = (e) => socket === ws && received(JSON.parse(e.data));
  ws.onclose = (e) => socket === ws && dropped(e.code);
}

function dropped(code) {
  socket = null;
  welcomed = false;
  for (const fn of [...watchers]) fn('closed', code);
  if (code === SESSION_ENDED || !topics.size) return;
  const delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** failures++);
  retryTimer = setTimeout(connect, delay / 2 + (Math.random() * delay) / 2);
}

// Closes the connection: nobody follows anything any more.
function hangUp() {
  clearTimeout(retryTimer);
  retryTimer = null;
  const ws = socket;
  socket = null;
  welcomed = false;
  if (!ws) return;
  // Closing a socket still connecting makes the browser log an error: it closes once open instead.
  if (ws.readyState === WebSocket.CONNECTING) ws.onopen = () => ws.close(1000);
  else ws.close(1000);
}

function tell(topic, message) {
  for (const handler of [...(topics.get(topic)?.handlers || [])]) handler(message);
}

function received(m) {
  const t = topics.get(m.topic);
  switch (m.op) {
    case 'welcome':
      welcomed = true;
      failures = 0;
      head = m.last_id;
      for (const [topic, tp] of topics) if (!tp.refused) sendSubscribe(topic, tp);
      for (const fn of [...watchers]) fn('open');
      break;
    case 'event':
      if (!t || seen.has(m.id)) return;
      seen.add(m.id);
      if (seen.size > SEEN_KEPT) seen.delete(seen.values().next().value);
      t.since = Math.max(t.since ?? 0, m.id);
      tell(m.topic, m);
      break;
    case 'reload':
      tell(m.topic, { op: 'reload', topic: m.topic, why: 'reload' });
      break;
    case 'resync':
      for (const topic of topics.keys()) tell(topic, { op: 'reload', topic, why: 'resync' });
      break;
    case 'revoked':
      if (t) t.refused = true;
      tell(m.topic, { op: 'reload', topic: m.topic, why: 'revoked' });
      break;
    case 'error':
      // Not allowed, or no such topic: the page's own GET tells the user; live updates just do not come.
      if (t) t.refused = true;
      console.warn(`live: ${m.topic || 'message'}: ${m.code} ${m.message}`);
      break;
  }
}

// Follows `topic`: `handler(message)` on each of its events and reloads (see
// above). Returns the function that stops following it.
export function subscribe(topic, handler) {
  clearTimeout(idleTimer);
  let t = topics.get(topic);
  if (!t) {
    topics.set(topic, (t = { handlers: new Set(), since: null, refused: false }));
    if (welcomed) sendSubscribe(topic, t);
    else if (!socket && !retryTimer) connect();
  }
  t.handlers.add(handler);
  return () => {
    if (!t.handlers.delete(handler) || t.handlers.size) return;
    topics.delete(topic);
    if (welcomed) send({ op: 'unsubscribe', topic });
    if (!topics.size) idleTimer = setTimeout(hangUp, IDLE_CLOSE_MS);
  };
}

// This page is a room's screen (投屏): its connections are the screen's.
export function asScreen() {
  screen = true;
}

// Tells `fn('open')` when the connection is welcomed and `fn('closed', code)`
// when it drops (the close code: 4401 for an ended session or a revoked
// display, 1006 for a refused or broken connection). Returns the function that
// stops telling it.
export function onConnection(fn) {
  watchers.add(fn);
  return () => watchers.delete(fn);
}

// For a component (or any effect scope): follows the topics `source()` names
// — one, a list, or none — as they change, until the component is gone.
export function useLive(source, handler) {
  const following = new Map();
  const follow = (wanted) => {
    const next = new Set([wanted].flat().filter(Boolean));
    for (const [topic, stop] of following) {
      if (next.has(topic)) continue;
      stop();
      following.delete(topic);
    }
    for (const topic of next) if (!following.has(topic)) following.set(topic, subscribe(topic, handler));
  };
  watch(source, follow, { immediate: true });
  onScopeDispose(() => follow([]));
}
