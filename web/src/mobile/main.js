// The mobile pages (served at /m/) for residents, volunteers and grid workers.
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import {
  ActionSheet,
  Badge,
  Button,
  Cell,
  CellGroup,
  Empty,
  Field,
  Form,
  Grid,
  GridItem,
  Icon,
  Image as VanImage,
  Loading,
  NavBar,
  Popup,
  Progress,
  Radio,
  RadioGroup,
  Rate,
  Search,
  Step,
  Steps,
  Switch,
  Tab,
  Tabbar,
  TabbarItem,
  Tabs,
  Tag,
  Uploader,
  showFailToast,
} from 'vant';
import 'vant/lib/index.css';
import './mobile.css';
import { i18n, t } from '../i18n.js';
import { setErrorReporter, setUnauthenticatedHandler } from '../api.js';
import { useSession } from '../session.js';
import { loadMeta } from '../meta.js';
import App from './App.vue';
import { router } from './router.js';

const app = createApp(App);
app.use(createPinia()).use(i18n);
for (const c of [ActionSheet, Badge, Button, Cell, CellGroup, Empty, Field, Form, Grid, GridItem, Icon, VanImage, Loading, NavBar, Popup, Progress, Radio, RadioGroup, Rate, Search, Step, Steps, Switch, Tab, Tabbar, TabbarItem, Tabs, Tag, Uploader]) app.use(c);

setErrorReporter((message) => showFailToast({ message, wordBreak: 'break-word' }));
setUnauthenticatedHandler(() => {
  const session = useSession();
  if (!session.me) return;
  session.forget();
  showFailToast(t('login.sessionEnded'));
  router.push({ name: 'login', query: { redirect: router.currentRoute.value.fullPath } });
});

// The server's labels, roles and limits come first: every page, and the
// router from the first navigation on, use them.
loadMeta().then(() => app.use(router).mount('#app'));
