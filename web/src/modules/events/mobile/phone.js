// What the phone's event pages share: a date's day and hours in short, with
// its weekday; the places left on a date; a ticket's code in groups of four
// and drawn as a QR; where a date stands for me (报名, 候补, 已报名 …); and a
// clock that ticks, so a date that starts or ends while the page is open
// shows it; an organisation's invitation declined.
import { onBeforeUnmount, ref } from 'vue';
import QRCode from 'qrcode';
import { showSuccessToast } from 'vant';
import { post } from '../../../api.js';
import { currentLanguage } from '../../../i18n.js';
import { confirmed } from '../../../mobile/confirm.js';
import { when } from '../events.js';

const WEEKDAY = new Map();
// "周二" / "Tue" of a time, in Beijing and in the UI language.
function weekday(at) {
  const lang = currentLanguage() === 'en' ? 'en' : 'zh-CN';
  if (!WEEKDAY.has(lang)) WEEKDAY.set(lang, new Intl.DateTimeFormat(lang, { timeZone: 'Asia/Shanghai', weekday: 'short' }));
  return WEEKDAY.get(lang).format(new Date(at));
}
// "12-08 周二 09:00–21:00": a date's day and hours; one that ends on another
// day names both ("12-08 周二 09:00 – 12-09 周三 12:00").
export function dayHours(starts, ends) {
  if (!starts) return '';
  const a = when(starts);
  const b = when(ends);
  const day = (at, text) => `${text.slice(5, 10)} ${weekday(at)}`;
  if (a.slice(0, 10) === b.slice(0, 10)) return `${day(starts, a)} ${a.slice(11, 16)}–${b.slice(11, 16)}`;
  return `${day(starts, a)} ${a.slice(11, 16)} – ${day(ends, b)} ${b.slice(11, 16)}`;
}

// The colour of an event's kind, alike on its card and its page.
const KIND_COLOURS = { festival: '#b83a0c', ceremony: '#a01217', activity: '#1f6fd1' };
export const kindColour = (kind) => KIND_COLOURS[kind] || '#646566';

// Places left on a date (never below nothing).
export const placesLeft = (d) => Math.max(0, (d?.capacity || 0) - (d?.taken || 0));

// A ticket's code in groups of four, easier to read out at the desk.
export const grouped = (code) => (code || '').replace(/(.{4})(?=.)/g, '$1 ');

// The QR of a text as an SVG string (a ticket's code: what the desk and the stations scan).
export const qrSvg = (text) => QRCode.toString(String(text), { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });

// My place on a date as a registration holds it ({status, position}): 'registered',
// 'waiting', or '' for none that holds a place or a turn.
export const holding = (r) => (r && (r.status === 'registered' || r.status === 'waiting') ? r.status : '');

// Date.now() as a ref, every `ms` while the component lives.
export function useNow(ms = 30000) {
  const now = ref(Date.now());
  const timer = setInterval(() => (now.value = Date.now()), ms);
  onBeforeUnmount(() => clearInterval(timer));
  return now;
}

// 婉拒: my organisation declines its invitation, once I confirm. Resolves to
// the answered ticket, or null when I did not confirm (or the server refused,
// which it says).
export async function declineInvitation(ticket, t) {
  const sure = await confirmed({
    title: t('mevt.decline'),
    message: t('mevt.declineAsk', { org: ticket.org?.name || ticket.name, title: ticket.title }),
    confirmButtonText: t('mevt.decline'),
    cancelButtonText: t('common.cancel'),
  });
  if (!sure) return null;
  const answer = await post(`/api/event-registrations/${ticket.id}/rsvp`, { accept: false });
  showSuccessToast(t('mevt.declinedToast'));
  return answer;
}
