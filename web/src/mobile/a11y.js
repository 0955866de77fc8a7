// Names for the parts Vant renders without one — its stars, its file input —
// and its tabs' reference to panels a page does not render: `rules` are
// [selector, (element) => void] pairs applied to `root`'s subtree now and on
// every change of it (an observer of added nodes only, so the fixes
// themselves do not trigger it again).
import { onBeforeUnmount, onMounted } from 'vue';

export function fixParts(root, rules) {
  let observer = null;
  const apply = () => {
    for (const [selector, fix] of rules) root.value?.querySelectorAll(selector).forEach((el) => fix(el));
  };
  onMounted(() => {
    apply();
    if (!root.value) return;
    observer = new MutationObserver(apply);
    observer.observe(root.value, { childList: true, subtree: true });
  });
  onBeforeUnmount(() => observer?.disconnect());
}

// Sets `name` as the element's accessible name, unless it has it already.
export const named = (name) => (el) => {
  const n = typeof name === 'function' ? name(el) : name;
  if (el.getAttribute('aria-label') !== n) el.setAttribute('aria-label', n);
};

// Tabs that switch one list, not panels of their own: no reference to a panel that is not there.
export const tabsWithoutPanels = ['.van-tab[aria-controls]', (el) => !document.getElementById(el.getAttribute('aria-controls')) && el.removeAttribute('aria-controls')];
