// Two faces, one build: the staff console (index.html → /) and the mobile
// pages (m/index.html → /m/). The C++ server serves web/dist from memory with
// a CSP of script-src 'self', so the build must emit no inline script.
import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

// Vant's stylesheet names a CDN copy of its icon font (at.alicdn.com) as a
// fallback after the embedded one. The app must fetch nothing from third
// parties (and the CSP forbids it), so the remote source is dropped.
function dropRemoteFontSources() {
  return {
    name: 'xinghuo:drop-remote-font-sources',
    enforce: 'pre',
    transform(code, id) {
      if (!/node_modules.*\.css($|\?)/.test(id)) return null;
      const out = code.replace(/,\s*url\((?:https?:)?\/\/[^)]+\)\s*format\([^)]*\)/g, '');
      return out === code ? null : { code: out, map: null };
    },
  };
}

export default defineConfig({
  plugins: [vue(), dropRemoteFontSources()],
  base: '/',
  define: {
    // vue-i18n's esm-bundler flags: Composition API only, no devtools.
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Element Plus and ECharts are large; they are split into their own chunks below.
    chunkSizeWarningLimit: 1200,
    // Keep every asset a file: no data: URIs for scripts, nothing inline.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: { console: here('index.html'), mobile: here('m/index.html') },
      output: {
        // Libraries in their own long-cached chunks; each face loads only its own UI kit.
        codeSplitting: {
          groups: [
            // Vue and its plugins first (highest priority), so both faces share them.
            { name: 'vue', test: /node_modules[\\/](@?vue|@vue[\\/].*|vue-router|pinia|vue-i18n|@intlify)[\\/]/, priority: 4 },
            { name: 'element-plus', test: /node_modules[\\/](element-plus|@element-plus)[\\/]/, priority: 3 },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 3 },
            { name: 'vant', test: /node_modules[\\/](vant|@vant)[\\/]/, priority: 3 },
            // The app's own shared code (API client, i18n and its messages, session, the server's declaration, composables).
            { name: 'app', test: /[\\/]src[\\/](api|i18n|session|format|meta)\.js|[\\/]src[\\/](locales|composables)[\\/]/, priority: 2 },
          ],
        },
      },
    },
  },
  server: {
    // `npm run dev` proxies the API to a locally running server.
    proxy: { '/api': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080' },
  },
});
