/**
 * A self-contained page that renders /api/1/swagger.json: every operation with its parameters, body and
 * responses. No external script or stylesheet, so it works offline and under a strict CSP.
 */
export const API_DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Portail API</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem 2rem; color: #1e1e1e; }
  h1 { margin-bottom: 0 } .lead { color: #555 }
  details.op { border: 1px solid #ddd; border-radius: 6px; margin: .4rem 0; }
  details.op > summary { cursor: pointer; padding: .5rem .75rem; list-style: none; display: flex; gap: .75rem; align-items: baseline; }
  .method { font: bold 12px monospace; padding: .15rem .45rem; border-radius: 4px; color: #fff; min-width: 3.5rem; text-align: center; }
  .GET { background: #1f6feb } .POST { background: #2da44e } .PUT { background: #bf8700 } .DELETE { background: #cf222e } .PATCH { background: #8250df }
  code, pre { font-family: ui-monospace, monospace; font-size: 13px } pre { background: #f6f8fa; padding: .75rem; overflow: auto; border-radius: 4px }
  .body { padding: 0 .75rem .75rem } table { border-collapse: collapse } td, th { text-align: left; padding: .2rem .6rem .2rem 0; vertical-align: top }
</style>
</head>
<body>
<h1>Portail API</h1>
<p class="lead" id="lead">Loading <a href="swagger.json">swagger.json</a>…</p>
<main id="ops"></main>
<script>
const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
fetch('swagger.json').then((r) => r.json()).then((doc) => {
  document.getElementById('lead').innerHTML = esc(doc.info.description) + ' <a href="swagger.json">OpenAPI 3.1 document</a>.';
  const byTag = {};
  for (const [path, ops] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(ops)) (byTag[op.tags?.[0] ?? 'other'] ??= []).push({ path, method: method.toUpperCase(), op });
  const html = [];
  for (const [tag, ops] of Object.entries(byTag)) {
    html.push('<h2>' + esc(tag) + '</h2>');
    for (const { path, method, op } of ops) {
      const params = (op.parameters ?? []).map((p) => '<tr><td><code>' + esc(p.name) + '</code></td><td>' + esc(p.in) + (p.required ? ', required' : '') + '</td><td>' + esc(p.description ?? '') + '</td></tr>').join('');
      const body = op.requestBody ? '<h4>Body</h4><pre>' + esc(JSON.stringify(op.requestBody.content['application/json'].schema, null, 2)) + '</pre>' : '';
      const responses = Object.entries(op.responses).map(([s, r]) => '<tr><td><code>' + esc(s) + '</code></td><td>' + esc(r.description) + '</td></tr>').join('');
      html.push('<details class="op"><summary><span class="method ' + method + '">' + method + '</span><code>' + esc(path) + '</code><span>' + esc(op.summary) + '</span></summary><div class="body">' +
        (op.description ? '<p>' + esc(op.description) + '</p>' : '') +
        (params ? '<h4>Parameters</h4><table>' + params + '</table>' : '') + body + '<h4>Responses</h4><table>' + responses + '</table></div></details>');
    }
  }
  document.getElementById('ops').innerHTML = html.join('');
}).catch((e) => { document.getElementById('lead').textContent = 'Could not load the OpenAPI document: ' + e; });
</script>
</body>
</html>`;
