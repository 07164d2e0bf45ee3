#!/usr/bin/env node
// Copies Swagger UI (the pinned swagger-ui-dist package) into public/docs, the Worker's static
// assets (wrangler.toml [assets]): /docs/ is served by the Worker, no third-party CDN. Run by
// wrangler's [build] before `wrangler dev` and `wrangler deploy`, and by the test config.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function buildDocsAssets(root = join(dirname(fileURLToPath(import.meta.url)), '..')) {
  const require = createRequire(join(root, 'package.json'));
  const dist = dirname(require.resolve('swagger-ui-dist/package.json'));
  const out = join(root, 'public', 'docs');
  mkdirSync(out, { recursive: true });
  for (const file of ['swagger-ui-bundle.js', 'swagger-ui.css', 'favicon-32x32.png']) copyFileSync(join(dist, file), join(out, file));
  writeFileSync(join(out, 'swagger-initializer.js'), "window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui' });\n");
  writeFileSync(
    join(out, 'index.html'),
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>edge-scim API</title>
<link rel="icon" href="favicon-32x32.png"><link rel="stylesheet" href="swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="swagger-ui-bundle.js"></script>
<script src="swagger-initializer.js"></script>
</body></html>
`,
  );
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildDocsAssets();
