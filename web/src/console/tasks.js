// The signed-in user's 待办 (GET /api/tasks), shared by the menu's badge and
// the home page; refreshed on every page change. Each module's declaration
// says where its tasks open (`console.tasks`: key → the list behind it).
import { reactive } from 'vue';
import { get, orElse } from '../api.js';
import { label } from '../meta.js';
import { modules } from '../modules/index.js';

const routes = Object.assign({}, ...modules.map((m) => m.console?.tasks || {}));

export const tasks = reactive({ items: [], total: 0, loaded: false });

export async function refreshTasks() {
  const r = await orElse(get('/api/tasks', null, { quiet: true }), null);
  if (!r) return;
  tasks.items = r.items.map((t) => ({ ...t, label: label('task', t.key), to: routes[t.key] || null }));
  tasks.total = r.total;
  tasks.loaded = true;
}
