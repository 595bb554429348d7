import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          // chDB binds one data directory per process: every test file runs in its own process.
          pool: 'forks',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/unit/dashboard/**', '**/node_modules/**'],
        },
      },
      {
        // The dashboard's state classes use Svelte runes: compiled by the Svelte plugin for the
        // client, with Svelte's browser runtime (its server build does not run effects).
        extends: true,
        plugins: [svelte({ configFile: false, compilerOptions: { runes: true } })],
        resolve: { conditions: ['browser'] },
        test: {
          name: 'dashboard',
          pool: 'forks',
          include: ['tests/unit/dashboard/**/*.test.ts'],
          environment: './tests/unit/dashboard/client-environment.ts',
        },
      },
    ],
  },
})
