// The props a Card takes from a Remote, so a page writes `{...remoteProps(adoption)}`.
import type { Remote, RemoteStatus } from '../state/remote.svelte.ts'

export function remoteProps<T>(remote: Remote<T>): {
  status: RemoteStatus
  error: Error | null
  retry: () => void
  refreshing: boolean
} {
  return {
    status: remote.status,
    error: remote.error,
    retry: () => remote.reload(),
    refreshing: remote.loading && remote.data !== undefined,
  }
}
