// Svelte 5 in runes mode everywhere; TypeScript in components is handled by the compiler itself.
export default {
  compilerOptions: { runes: true },
}
