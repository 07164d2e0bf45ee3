import { app } from './app';
import type { Bindings } from './env';
import { backgroundExecutor } from './http/composition-root';
import { pruneEvents } from './service/retention';

export default {
  fetch: app.fetch,
  /** Cron (wrangler.toml [triggers]): prunes the change feed past its retention (docs/operations.md). */
  async scheduled(_controller: ScheduledController, env: Bindings, ctx: ExecutionContext): Promise<void> {
    ctx.waitUntil(pruneEvents(backgroundExecutor(env), env).then((deleted) => console.log(JSON.stringify({ scheduled: 'prune-events', deleted }))));
  },
} satisfies ExportedHandler<Bindings>;
