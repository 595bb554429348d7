// The dashboard's own vite root: `vite build --config dashboard/vite.config.ts` writes dashboard/dist,
// which the server serves at `/`; `npm run dashboard:dev` proxies the API to a server on 8080.
import { fileURLToPath } from 'node:url'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))
const api = process.env.IMPLICATION_API ?? 'http://127.0.0.1:8080'

export default defineConfig({
  root,
  base: '/',
  plugins: [svelte()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // ECharts kinds and apache-arrow are split into chunks loaded on demand.
    chunkSizeWarningLimit: 700,
  },
  server: {
    port: 5173,
    proxy: Object.fromEntries(['/v1', '/docs', '/healthz', '/readyz'].map((p) => [p, { target: api }])),
  },
})
