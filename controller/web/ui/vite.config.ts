import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import Components from 'unplugin-vue-components/vite'
import { defineConfig } from 'vite'

// The web UI: built into controller/web/dist/ and served at / (old /next/ addresses redirect).
// scripts/build-web.mjs runs this through vite's build() on every npm install.
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))

export default defineConfig({
  root: here('.'),
  // Relative: works at / and behind a reverse proxy that mounts the controller on a sub-path.
  base: './',
  plugins: [
    vue(),
    // Element Plus a component at a time: each `<el-…>` (and `v-loading`) in a template is
    // imported where it is used, with its own CSS, instead of the whole library in the entry.
    // Only Element Plus is resolved (`dirs: []`): our own components are imported by hand.
    // No `components.d.ts` (`dts: false`): vue-tsc sees the `<el-…>` tags untyped, as it did
    // with `app.use(ElementPlus)`, so `npm run typecheck` needs no build first. Typing them
    // (`dts: 'src/components.d.ts'`) is a later step: it types every el-table slot's `row` as
    // Element Plus's `DefaultRow` (48 errors in 15 pages until each slot names its row type).
    Components({
      dirs: [],
      resolvers: [ElementPlusResolver({ importStyle: 'css' })],
      dts: false,
    }),
  ],
  logLevel: 'warn',
  // `npx vite controller/web/ui`: the app at http://localhost:5173/, its API calls to a
  // controller on the default port (`npm start`).
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
  clearScreen: false,
  build: {
    outDir: here('../dist'),
    emptyOutDir: true,
    // The controller never serves source maps (security-headers.ts servesStatic).
    sourcemap: false,
    target: 'es2022',
    // MapLibre (the map page only) is the one big chunk.
    chunkSizeWarningLimit: 1200,
    // Everything is a file: no data: fonts, no inline scripts (the CSP has no 'unsafe-inline').
    assetsInlineLimit: 0,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // Element Plus code that three or more pages share goes into one chunk; the rest
            // stays with the pages that use it. Without this group every component and every
            // style is a file of its own: the first page fetched 93 files (HTTP/1.1 fetches six
            // at a time, the page's API answers queued behind them), with it 33, and measured
            // faster (docs/benchmarks.md, session 6, webslim).
            {
              name: 'element-plus',
              minShareCount: 3,
              test: /[\\/]node_modules[\\/](element-plus|@element-plus|@floating-ui|@popperjs|@vueuse|@ctrl|lodash-es|lodash-unified|async-validator|dayjs|memoize-one|normalize-wheel-es|escape-html)[\\/]/,
            },
          ],
        },
      },
    },
  },
})
