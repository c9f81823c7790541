import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

// The web UI: built into controller/web/dist/ and served at / (old /next/ addresses redirect).
// scripts/build-web.mjs runs this through vite's build() on every npm install.
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))

export default defineConfig({
  root: here('.'),
  // Relative: works at / and behind a reverse proxy that mounts the controller on a sub-path.
  base: './',
  plugins: [vue()],
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
    // Element Plus is one big chunk; it is cached and served from the closed network.
    chunkSizeWarningLimit: 2000,
    // Everything is a file: no data: fonts, no inline scripts (the CSP has no 'unsafe-inline').
    assetsInlineLimit: 0,
  },
})
