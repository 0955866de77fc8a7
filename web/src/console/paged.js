// A paged list endpoint ({items, total}) driven by filters: changing a filter
// goes back to page 1 (after a short pause, so typing does not flood the
// server); changing the page loads it.
import { computed, ref, watch } from 'vue';
import { get } from '../api.js';

// `filters` is a function returning the query's filters (empty ones are dropped).
export function usePagedList(path, filters, pageSize = 20) {
  const page = ref(1);
  const list = ref({ items: [], total: 0 });
  const loading = ref(false);
  const query = computed(() => ({ ...filters(), limit: pageSize, offset: (page.value - 1) * pageSize }));

  async function load() {
    loading.value = true;
    try {
      list.value = await get(path, query.value);
    } catch {
      list.value = { items: [], total: 0 };
    } finally {
      loading.value = false;
    }
  }

  let timer = null;
  watch(
    () => JSON.stringify(filters()),
    () => {
      clearTimeout(timer);
      timer = setTimeout(() => (page.value === 1 ? load() : (page.value = 1)), 250);
    },
  );
  watch(page, load);
  return { list, loading, page, query, load, pageSize };
}
