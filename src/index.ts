// The Worker module: only handlers may be exported from it (workerd refuses any other export).
import { app } from './app';
import type { Bindings } from './env';
import { backgroundMoveDeps, deliveryDepsOf, everyShard, tenantExecutor } from './http/composition-root';
import { cleanUpMoves } from './service/move';
import { recordOnShards } from './http/log-consumer';
import { handleMessage, sweep, type WebhookMessage } from './service/delivery';
import { pruneDeliveries, pruneEvents, pruneRequestLog } from './service/retention';
import type { LogEntry } from './service/request-log';
import type { Executor } from './store/executor';

/** wrangler.toml [triggers]: the hourly prune (feed, deliveries, log); every minute, the webhook sweep and move clean-ups. */
const PRUNE_CRON = '17 * * * *';

export default {
  fetch: app.fetch,
  async scheduled(controller: ScheduledController, env: Bindings, ctx: ExecutionContext): Promise<void> {
    // Every database a tenant may live on, one after another (docs/operations.md "Shards").
    const shards = everyShard(env);
    if (controller.cron === PRUNE_CRON) {
      ctx.waitUntil(
        (async () => {
          for (const { shard, exec } of shards) {
            const [deleted, deliveries, requests] = await Promise.all([pruneEvents(exec, env), pruneDeliveries(exec, env), pruneRequestLog(exec, env)]);
            console.log(JSON.stringify({ scheduled: 'prune', shard, events: deleted, deliveries, requests }));
          }
        })(),
      );
    } else {
      ctx.waitUntil(
        (async () => {
          for (const { shard, exec } of shards) console.log(JSON.stringify({ scheduled: 'webhook-sweep', shard, ...(await sweep(deliveryDepsOf(env, exec))) }));
          // Moves whose caller went away, and rows finished moves left on their sources once no cached route reaches them.
          const moves = await cleanUpMoves(backgroundMoveDeps(env));
          if (moves > 0) console.log(JSON.stringify({ scheduled: 'moves', moves }));
        })(),
      );
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
        await recordOnShards(env, batch.messages as readonly Message<LogEntry>[]);
      } catch (error) {
        console.log(JSON.stringify({ level: 'error', queue: 'request-log', entries: batch.messages.length, error: error instanceof Error ? error.message.slice(0, 200) : 'Error' }));
        batch.retryAll({ delaySeconds: 30 });
      }
      return;
    }
    // Each tenant's database from the directory, once per batch (it may have moved since the
    // messages were sent); a deleted tenant's messages have nothing left to deliver.
    const databases = new Map<string, Promise<Executor | undefined>>();
    for (const message of batch.messages) {
      try {
        const body = message.body as WebhookMessage;
        if (!databases.has(body.tenant)) databases.set(body.tenant, tenantExecutor(env, body.tenant));
        const exec = await databases.get(body.tenant);
        if (exec) await handleMessage(deliveryDepsOf(env, exec), body);
        message.ack();
      } catch (error) {
        console.log(JSON.stringify({ level: 'error', queue: 'webhooks', error: error instanceof Error ? error.name : 'Error' }));
        message.retry({ delaySeconds: 10 });
      }
    }
  },
} satisfies ExportedHandler<Bindings, WebhookMessage | LogEntry>;
