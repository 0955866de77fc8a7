// The counts on the phone's 应急巡查 and 应急调度 tiles: the open patrol tasks
// and the call-ups to acknowledge, as GET /api/tasks counts them for the
// user, read again whenever a notice arrives (new tasks and call-ups are told
// there) while a page shows them.
import { computed, reactive } from 'vue';
import { get, orElse } from '../../../api.js';
import { useLive } from '../../../live.js';

const counts = reactive({ 'emergency.patrol': 0, 'emergency.callup': 0 });
let asked = 0;
async function recount() {
  const mine = ++asked;
  const r = await orElse(get('/api/tasks', null, { quiet: true }));
  if (!r || mine !== asked) return;
  for (const k of Object.keys(counts)) counts[k] = r.items.find((x) => x.key === k)?.count || 0;
}
function badge(key) {
  recount();
  useLive(() => 'inbox', recount);
  return computed(() => counts[key]);
}
export const patrolBadge = () => badge('emergency.patrol');
export const callupBadge = () => badge('emergency.callup');
