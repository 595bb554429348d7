// `npm start` runs this first: it builds the dashboard when dashboard/dist/index.html is missing,
// so that `npm install && npm start` serves the dashboard. A built dashboard is left as it is
// (`npm run build` rebuilds it).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const index = fileURLToPath(new URL('../dashboard/dist/index.html', import.meta.url))
if (!existsSync(index)) {
  process.stderr.write('dashboard/dist is missing: building the dashboard (vite build)…\n')
  const result = spawnSync(
    'npx',
    ['vite', 'build', '--config', 'dashboard/vite.config.ts', '--logLevel', 'warn'],
    {
      stdio: 'inherit',
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    },
  )
  if (result.status !== 0) {
    process.stderr.write('the dashboard could not be built; the server will show its landing page instead\n')
  }
}
