// A list the phone pages fill page by page ("load more"): `fetch(offset,
// limit)` answers {items, total}. A failed first page leaves the list empty.
import { ref } from 'vue';

export function useMorePages(fetch, pageSize = 20) {
  const items = ref([]);
  const total = ref(0);
  const more = ref(false);
  async function load(offset = 0) {
    try {
      const r = await fetch(offset, pageSize);
      items.value = offset ? [...items.value, ...r.items] : r.items;
      total.value = r.total ?? r.items.length;
      return r;
    } catch {
      if (!offset) items.value = [];
      return null;
    }
  }
  async function loadMore() {
    more.value = true;
    await load(items.value.length);
    more.value = false;
  }
  return { items, total, more, load, loadMore };
}
