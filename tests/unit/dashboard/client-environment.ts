// A Node environment whose modules Vite transforms as for the browser: the Svelte plugin then
// compiles runes for the client runtime, where state, derived values and effects are live (the
// default Node environment would compile them for server rendering, where effects never run).
import type { Environment } from 'vitest/environments'

const clientEnvironment: Environment = {
  name: 'svelte-client',
  viteEnvironment: 'client',
  setup: () => ({ teardown() {} }),
}

export default clientEnvironment
