#!/usr/bin/env node
// The local Worker behind `npm run dev` and the CLI tests: wrangler's own dev server (its programmatic
// `unstable_startWorker`, the engine of `wrangler dev`: same wrangler.toml, .dev.vars, [build], local
// D1/KV/Queues, live reload), with the DevTools inspector off unless DEV_INSPECTOR=1. Why: with the
// inspector attached, wrangler instruments every subrequest (each D1 query is one) with four DevTools
// network events relayed through Node and appended to its debug log file; that tax (about 3 ms of CPU
// per D1 call on a 2-core machine) made local latency a measure of the debugger, not of the Worker.
//
// As a module: `startDevWorker({ port, persistTo, vars })`. As a script (used by the CLI tests):
//   node scripts/dev-worker.mjs --port 8900 [--persist-to DIR] [--var NAME:value]...
import { unstable_startWorker } from 'wrangler';

// Offline and non-interactive (docs/development.md): no metrics, no Request.cf fetch, no banner.
Object.assign(process.env, { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true' });

/**
 * Starts the Worker on 127.0.0.1:`port` and resolves once it serves. `vars` are plain-text bindings
 * over wrangler.toml's [vars] and .dev.vars (as `wrangler dev --var` would be); `persistTo` the local
 * state directory (default .wrangler/state); `config` the wrangler configuration (default
 * wrangler.toml; `npm run dev` with SHARDS makes one that adds the data databases).
 */
export async function startDevWorker({ port, persistTo, vars = {}, config = 'wrangler.toml', inspector = process.env.DEV_INSPECTOR === '1' }) {
  const worker = await unstable_startWorker({
    config: new URL(`../${config}`, import.meta.url).pathname,
    bindings: Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, { type: 'plain_text', value: String(value) }])),
    dev: {
      server: { hostname: '127.0.0.1', port },
      inspector: inspector ? { port: Number(process.env.DEV_INSPECTOR_PORT ?? 9229) } : false,
      // POST /__scheduled?cron=… runs the cron handler by hand (docs/operations.md).
      testScheduled: true,
      persist: persistTo,
      logLevel: 'log',
    },
  });
  await worker.ready;
  return worker;
}

function argsOf(argv) {
  const options = { vars: {} };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag}: a value is required`);
    if (flag === '--port') options.port = Number(value);
    else if (flag === '--persist-to') options.persistTo = value;
    else if (flag === '--var') {
      const at = value.indexOf(':');
      if (at < 1) throw new Error(`--var ${value}: expected NAME:value`);
      options.vars[value.slice(0, at)] = value.slice(at + 1);
    } else throw new Error(`unknown option ${flag}`);
  }
  if (!Number.isInteger(options.port)) throw new Error('--port is required');
  return options;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const worker = await startDevWorker(argsOf(process.argv.slice(2)));
  const stop = async () => {
    await worker.dispose().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
