// Label lists the server translates (partner kinds, need/resource categories).
import { ref } from 'vue';
import { get } from '../api.js';

// Returns a ref of [{key, label}] filled from `path`, and a lookup function.
export function useServerLabels(path) {
  const items = ref([]);
  get(path, null, { quiet: true }).then(
    (r) => (items.value = r.items),
    () => {},
  );
  const label = (key) => items.value.find((i) => i.key === key)?.label || key;
  return { items, label };
}
