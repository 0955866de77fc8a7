// The web app's modules, one line each, in the order of the console menu and
// of the phone's home tiles. The console's routes and menu, the home page's
// figures, and the phone's routes, tiles and links are gathered from these
// declarations; nothing outside a module's folder names its pages.
//
// A module's folder holds its console/ and mobile/ views, its own helpers and
// its declaration (index.js), a plain object:
//
//   export default {
//     name: 'workorders',
//     console: {
//       pages: [route records under the console frame, with meta:
//               title    locale key of the menu item and page title
//               icon     an @element-plus/icons-vue component
//               group    the sub-menu it sits in (a key of `groups`)
//               perms    shown to holders of any of these permissions …
//               roles    … or of any of these roles (neither: to everyone)
//               hidden   no menu item; `activeMenu` is lit instead],
//       groups: { <group>: { title, icon } },
//       stats: [home-page figures: { key, label(t), to, perms, path, query, hideZero }],
//       header: [components in the header, by the user's menu: { key, component: () => import(…) }],
//       subjects: { <subject_type>: (id) => the path of that thing (a notice opens it) },
//     },
//     mobile: {
//       routes: [route records under /m/],
//       tiles: [home tiles: { key, icon (a Vant icon name), to }; the title is mobile.tile.<key>],
//       links: [cells of 我的 (and of the home page with `home`): { key, title, icon, to }],
//               A tile or link may show a count: `badge`, a composable called
//               in the page's setup that returns a ref of the number.
//       subjects: { <subject_type>: (id) => the path of that thing (a notice opens it) },
//     },
//     screens: { <live topic kind>: what a room's screen (投屏, /m/display) shows of
//               a thing of that kind: { label (locale key of the kind: 工单),
//               number (locale key of its number's name: 工单编号),
//               component: () => import(…) (props: view — the server's screen
//               view of the thing, GET /api/display/session — and topic) } },
//               The console's 投屏管理 offers these kinds.
//   };
const declarations = import.meta.glob('./*/index.js', { eager: true, import: 'default' });
function declared(name) {
  const m = declarations[`./${name}/index.js`];
  if (!m) throw new Error(`web module ${name}: no modules/${name}/index.js`);
  return m;
}

export const modules = [
  'places',
  'people',
  'partners',
  'workorders',
  'grid',
  'councils',
  'votes',
  'topics',
  'renovation',
  'volunteers',
  'emergencies',
  'events',
  'points',
  'live',
  'imports',
  'auth',
  'audit',
].map(declared);

// What a room's screen can show, by live topic kind (the modules' `screens`).
export const screens = Object.assign({}, ...modules.map((m) => m.screens || {}));
