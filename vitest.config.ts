import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // chDB binds one data directory per process: every test file runs in its own process.
    pool: 'forks',
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
  },
})
