// Hands a file fetched from the API to the browser as a download, under the file's own name.
import type { Download } from './api/client.ts'

export function saveBlob(file: Download): void {
  const url = URL.createObjectURL(file.blob)
  const link = document.createElement('a')
  link.href = url
  link.download = file.filename
  document.body.append(link)
  link.click()
  link.remove()
  // Revoked later: the browser may still be reading the blob after the click returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
