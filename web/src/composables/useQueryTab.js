// The tab a page shows, kept in its address (?tab=…), so that coming back to
// the page finds it again: one of `tabs`, the first when the address names
// none (and then left out of it). Returns the tab as a ref.
import { ref, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';

export function useQueryTab(tabs) {
  const route = useRoute();
  const router = useRouter();
  const tab = ref(tabs.includes(route.query.tab) ? route.query.tab : tabs[0]);
  watch(tab, (v) => router.replace({ query: v === tabs[0] ? {} : { tab: v } }));
  return tab;
}
