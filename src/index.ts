// The Worker module: only handlers may be exported from it (workerd refuses any other export).
import { app } from './app';
import type { Bindings } from './env';
import { backgroundExecutor, deliveryDepsOf } from './http/composition-root';
import { handleMessage, sweep, type WebhookMessage } from './service/delivery';
import { pruneDeliveries, pruneEvents, pruneRequestLog } from './service/retention';
import { recordRequests, type LogEntry } from './service/request-log';

/** wrangler.toml [triggers]: the hourly prune of the change feed; every other minute, the webhook sweep. */
const PRUNE_CRON = '17 * * * *';

export default {
  fetch: app.fetch,
  async scheduled(controller: ScheduledController, env: Bindings, ctx: ExecutionContext): Promise<void> {
    if (controller.cron === PRUNE_CRON) {
      const exec = backgroundExecutor(env);
      ctx.waitUntil(
        Promise.all([pruneEvents(exec, env), pruneDeliveries(exec, env), pruneRequestLog(exec, env)]).then(([deleted, deliveries, requests]) =>
          console.log(JSON.stringify({ scheduled: 'prune', events: deleted, deliveries, requests })),
        ),
      );
    } else {
      ctx.waitUntil(sweep(deliveryDepsOf(env)).then((done) => console.log(JSON.stringify({ scheduled: 'webhook-sweep', ...done }))));
    }
  },
  /**
   * The provisioning log's entries, a batch per D1 call; webhook dispatch and delivery
   * (service/delivery.ts). A message that throws is retried by the queue.
   */
  async queue(batch: MessageBatch<WebhookMessage | LogEntry>, env: Bindings): Promise<void> {
    // Told apart by shape (webhook messages have `kind`), whatever the queues are named.
    if (batch.messages.length > 0 && !('kind' in (batch.messages[0]!.body as object))) {
      try {
        await recordRequests(backgroundExecutor(env), batch.messages.map((m) => m.body as LogEntry));
        batch.ackAll();
      } catch (error) {
        console.log(JSON.stringify({ level: 'error', queue: 'request-log', entries: batch.messages.length, error: error instanceof Error ? error.message.slice(0, 200) : 'Error' }));
        batch.retryAll({ delaySeconds: 30 });
      }
      return;
    }
    const deps = deliveryDepsOf(env);
    for (const message of batch.messages) {
      try {
        await handleMessage(deps, message.body as WebhookMessage);
        message.ack();
      } catch (error) {
        console.log(JSON.stringify({ level: 'error', queue: 'webhooks', error: error instanceof Error ? error.name : 'Error' }));
        message.retry({ delaySeconds: 10 });
      }
    }
  },
} satisfies ExportedHandler<Bindings, WebhookMessage | LogEntry>;
