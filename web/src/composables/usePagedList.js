// A list endpoint read a page at a time, driven by filters: changing a filter
// goes back to the first page (after a short pause, so typing does not flood
// the server); changing the page loads it. Shown by PagedTable on the console.
//
// Pages are counted by offset when the endpoint answers {items, total}. An
// endpoint that sends no total is paged `countless`: one item more than a page
// is asked for, to know whether there is a next page; with `cursor` as well,
// the next page starts after the last item shown (the audit log's before_seq).
import { computed, reactive, ref, watch } from 'vue';
import { get } from '../api.js';
import { useLoad } from './useLoad.js';

// `path`: the endpoint, or a function giving it. `filters()`: the query's
// filters (empty ones are dropped by the API client). Options:
//   pageSize   items per page (default 20)
//   immediate  load the first page when the component is mounted (default true)
//   countless  the endpoint sends no total (see above)
//   cursor     `(lastItem) => query` for the page after `lastItem` (with countless)
//   loaded     `(answer)` after each page arrives
//   when       `() => boolean`: while false nothing is asked and the list is empty
export function usePagedList(path, filters = () => ({}), { pageSize: initialSize = 20, immediate = true, countless = false, cursor, loaded, when } = {}) {
  const pathOf = typeof path === 'function' ? path : () => path;
  const page = ref(1);
  // Items per page; the pager's size selector changes it (back to the first page).
  const pageSize = ref(initialSize);
  // The query of each page reached so far by cursor (the first page has none).
  const cursors = ref([{}]);
  const paging = computed(() => {
    const limit = countless ? pageSize.value + 1 : pageSize.value;
    if (cursor) return { ...cursors.value[page.value - 1], limit };
    return { limit, offset: (page.value - 1) * pageSize.value };
  });
  const query = computed(() => ({ ...filters(), ...paging.value }));

  const list = useLoad(
    async () => {
      if (when && !when()) return { items: [], total: 0 };
      const answer = await get(pathOf(), query.value);
      loaded?.(answer);
      return answer;
    },
    { initial: { items: [], total: 0 }, immediate },
  );
  const items = computed(() => (countless ? list.data.items.slice(0, pageSize.value) : list.data.items));

  function goTo(n) {
    if (cursor && n > cursors.value.length) cursors.value.push(cursor(items.value[items.value.length - 1]));
    if (page.value === n) return list.reload();
    page.value = n;
  }
  function restart() {
    cursors.value = [{}];
    return page.value === 1 ? list.reload() : (page.value = 1);
  }

  let timer = null;
  watch(
    () => JSON.stringify(filters()),
    () => {
      clearTimeout(timer);
      timer = setTimeout(restart, 250);
    },
  );
  watch(page, () => list.reload());
  watch(pageSize, () => restart());

  return reactive({
    path: computed(pathOf),
    filters: computed(filters),
    query,
    items,
    total: computed(() => list.data.total ?? 0),
    loading: computed(() => list.loading),
    page,
    pageSize,
    countless,
    hasPrev: computed(() => page.value > 1),
    hasNext: computed(() => (countless ? list.data.items.length > pageSize.value : page.value * pageSize.value < (list.data.total ?? 0))),
    next: () => goTo(page.value + 1),
    prev: () => goTo(page.value - 1),
    load: () => list.reload(),
    // Back to the first page, loaded afresh.
    restart,
  });
}
