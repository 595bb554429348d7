// What `/` shows until the dashboard is built: what this server is and how to send it events.
export function landingPage(baseUrl: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Implication</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;color:#1f2937}
code,pre{background:#f3f4f6;border-radius:4px;padding:.1rem .3rem}pre{padding:1rem;overflow:auto}</style></head>
<body><h1>Implication</h1>
<p>Adoption and Return-on-Implication analytics for enterprise collaboration platforms.</p>
<p>The ingest API is running. Send events with an ingest or admin token:</p>
<pre>curl -X POST ${baseUrl}/v1/events \\
  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/x-ndjson' \\
  --data-binary '{"id":"e1","type":"post.created","time":"2025-03-03T09:00:00Z","org":"demo","actor":"alice"}'</pre>
<p>API reference: <a href="/docs">/docs</a> · health: <a href="/healthz">/healthz</a>, <a href="/readyz">/readyz</a></p>
</body></html>`
}
