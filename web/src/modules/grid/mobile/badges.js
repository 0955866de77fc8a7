// The count on the phone's 网格 tile: the households still to visit in the
// user's grid (待走访住户), as GET /api/tasks counts them, read each time a
// page showing the tile is opened.
import { ref } from 'vue';
import { get, orElse } from '../../../api.js';

export function visitBadge() {
  const n = ref(0);
  orElse(get('/api/tasks', null, { quiet: true })).then((r) => {
    if (r) n.value = r.items.find((x) => x.key === 'campaign.visit')?.count || 0;
  });
  return n;
}
