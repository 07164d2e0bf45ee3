// The Worker module: only handlers may be exported from it (workerd refuses any other export).
import { app } from './app';
import type { Bindings } from './env';
import { backgroundExecutor, deliveryDepsOf } from './http/composition-root';
import { handleMessage, sweep, type WebhookMessage } from './service/delivery';
import { pruneDeliveries, pruneEvents, pruneRequestLog } from './service/retention';

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
  /** Webhook dispatch and delivery (service/delivery.ts); a message that throws is retried by the queue. */
  async queue(batch: MessageBatch<WebhookMessage>, env: Bindings): Promise<void> {
    const deps = deliveryDepsOf(env);
    for (const message of batch.messages) {
      try {
        await handleMessage(deps, message.body);
        message.ack();
      } catch (error) {
        console.log(JSON.stringify({ level: 'error', queue: 'webhooks', error: error instanceof Error ? error.name : 'Error' }));
        message.retry({ delaySeconds: 10 });
      }
    }
  },
} satisfies ExportedHandler<Bindings, WebhookMessage>;
