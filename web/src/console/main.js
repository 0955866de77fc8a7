// The staff console (served at /).
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import ElementPlus, { ElMessage } from 'element-plus';
import 'element-plus/dist/index.css';
import './console.css';
import { i18n, t } from '../i18n.js';
import { setErrorReporter, setUnauthenticatedHandler } from '../api.js';
import { useSession } from '../session.js';
import { loadMeta } from '../meta.js';
import App from './App.vue';
import { registerIcons } from './icons.js';
import { router } from './router.js';

const app = createApp(App);
app.use(createPinia()).use(i18n).use(ElementPlus);
registerIcons(app);

setErrorReporter((message) => ElMessage({ type: 'error', message, grouping: true, showClose: true }));
setUnauthenticatedHandler(() => {
  const session = useSession();
  if (!session.me) return;
  session.forget();
  ElMessage({ type: 'warning', message: t('login.sessionEnded'), grouping: true });
  router.push({ name: 'login', query: { redirect: router.currentRoute.value.fullPath } });
});

// The server's labels, roles and limits come first: every page, and the
// router's permission checks from the first navigation on, use them.
loadMeta().then(() => app.use(router).mount('#app'));
