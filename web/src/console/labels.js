// Label lists the server translates (partner kinds, need/resource categories).
import { computed } from 'vue';
import { get } from '../api.js';
import { useLoad } from '../composables/useLoad.js';

// Returns a ref of [{key, label}] filled from `path`, and a lookup function;
// until the list comes (or if it does not), a key stands for itself.
export function useServerLabels(path) {
  const list = useLoad(async () => (await get(path, null, { quiet: true })).items, { initial: [], quiet: true });
  const items = computed(() => list.data);
  const label = (key) => list.data.find((i) => i.key === key)?.label || key;
  return { items, label };
}
