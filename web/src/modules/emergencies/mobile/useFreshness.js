// A phone page that must not show stale emergency work: `reload()` when a
// notice arrives (new tasks and call-ups are told in the inbox), when a board
// the user may follow changes (the topics `topics()` names, for those who hold
// emergency.read), when the page is shown again, and every minute meanwhile.
import { onBeforeUnmount, onMounted } from 'vue';
import { useSession } from '../../../session.js';
import { useLive } from '../../../live.js';

export function useFreshness(reload, topics = () => []) {
  const session = useSession();
  useLive(() => 'inbox', () => reload());
  useLive(() => (session.can('emergency.read') ? topics() : []), () => reload());
  const visible = () => document.visibilityState === 'visible' && reload();
  let timer = null;
  onMounted(() => {
    document.addEventListener('visibilitychange', visible);
    timer = setInterval(() => document.visibilityState === 'visible' && reload(), 60000);
  });
  onBeforeUnmount(() => {
    document.removeEventListener('visibilitychange', visible);
    clearInterval(timer);
  });
}
