import { reassignTokens } from '../auth/lifecycle';
import type { Executor } from '../store/executor';
import { MoveStore, type MoveRow } from '../store/moves';
import { CONTROL } from '../store/shards';
import { ALL_TABLES, REMOVAL_ORDER, TenantCopy } from '../store/tenant-copy';
import { TenantStore, type Tenant } from '../store/tenants';
import { adminConflict, adminNotFound, invalidRequest } from './admin-error';
import { insertStatements } from './tenant-transfer';

// Moving a tenant between databases (README "Shards"; issue 15). The tenant is read-only on its
// source while its rows are copied a page at a time, each page read back from the target and
// compared; then every table's rows, stored bytes and versions are summed on both and compared, the placement flips (directory,
// both databases' rows, token records), and the source's rows are deleted once every cached route
// to it has expired. Each call does a bounded amount of work and saves where it is, so a move
// interrupted anywhere is resumed by calling again (or rolled back before the flip). A write
// during the move is refused (503), never acknowledged and lost.

export interface MoveDeps {
  control: Executor;
  database: (shard: string) => Executor | undefined;
  shards: string[];
  kv: KVNamespace;
  now?: () => number;
  /** Pages copied (or chunks deleted) per call: D1 allows 1,000 queries per invocation. */
  pagesPerCall?: number;
  /** The tenant's directory row when the caller has read it already (the admin route has). */
  tenant?: Tenant;
  /** Fails the move at the named step (tests of interrupted moves). */
  interruptAt?: (step: string) => void;
}

export interface MoveStatus {
  tenant: string;
  from: string;
  to: string;
  state: 'copying' | 'verifying' | 'flipping' | 'done' | 'failed';
  /** Rows copied per table so far (and, once verified, the counts on both sides). */
  tables: { name: string; copied: number }[];
  copied: number;
  /** The source's rows: kept until every cached route to it has expired, then deleted. */
  sourceRows: 'kept' | 'deleted';
  cleanupAfter: string | null;
  error: string | null;
  started: string;
  updated: string;
}

const PAGE_ROWS = 500;
/** After the flip, how long a request may still be routed to the source (tokens: KV's 30 s plus an isolate's 30 s; docs/tokens.md). */
const ROUTES_EXPIRE_MS = 65_000;
const ACTIVE = new Set(['copying', 'verifying', 'flipping']);

/** Rows copied so far, per table (JSON in tenant_moves.progress). */
type Progress = Record<string, number>;

function statusOf(move: MoveRow): MoveStatus {
  const progress = JSON.parse(move.progress) as Progress;
  const tables = ALL_TABLES.filter((t) => progress[t] !== undefined).map((name) => ({ name, copied: progress[name]! }));
  return {
    tenant: move.tenantId,
    from: move.source,
    to: move.target,
    state: move.state as MoveStatus['state'],
    tables,
    copied: tables.reduce((n, t) => n + t.copied, 0),
    sourceRows: move.cleaned ? 'deleted' : 'kept',
    cleanupAfter: move.cleanupAfter,
    error: move.error,
    started: move.started,
    updated: move.updated,
  };
}

function databaseOf(deps: MoveDeps, shard: string): Executor {
  const exec = deps.shards.includes(shard) ? deps.database(shard) : undefined;
  if (!exec) throw invalidRequest(`to: no database '${shard}'; there are ${deps.shards.join(', ')}.`);
  return exec;
}

/**
 * 409 while a move of the tenant is under way: an admin change of its data (webhooks, declarations,
 * an import) made on the source after its table was copied would be lost with the source's rows.
 */
export async function refuseDuringMove(control: Executor, tenantId: string): Promise<void> {
  const move = await new MoveStore(control).get(tenantId);
  if (move && ACTIVE.has(move.state)) throw adminConflict(`Tenant '${tenantId}' is being moved to ${move.target}: change it once the move is done (GET …/move).`);
}

/** `GET /admin/tenants/{t}/move`: the latest move of the tenant (404 without one). */
export async function moveStatus(deps: MoveDeps, tenantId: string): Promise<MoveStatus> {
  const move = await new MoveStore(deps.control).get(tenantId);
  if (!move) throw adminNotFound(`Tenant '${tenantId}' has not been moved.`);
  return statusOf(move);
}

/**
 * `POST /admin/tenants/{t}/move {"to"}`: starts a move, or resumes the one under way to the same
 * database, and takes it as far as one call may. Call again until `state` is `done`.
 */
export async function moveTenant(deps: MoveDeps, tenantId: string, to: string): Promise<MoveStatus> {
  const moves = new MoveStore(deps.control);
  const tenant = deps.tenant?.id === tenantId ? deps.tenant : await new TenantStore(deps.control).get(tenantId);
  if (!tenant) throw adminNotFound(`Tenant '${tenantId}' not found.`);
  let move = await moves.get(tenantId);
  if (move && ACTIVE.has(move.state)) {
    if (move.target !== to) throw adminConflict(`A move of '${tenantId}' to ${move.target} is under way: resume it or roll it back first.`);
  } else {
    if (tenant.shard === to) throw adminConflict(`Tenant '${tenantId}' is already on ${to}.`);
    // The record of a finished move is also its clean-up's: a new move to a third database waits for it.
    if (move && move.state === 'done' && !move.cleaned && move.source !== to) {
      throw adminConflict(`The rows the last move left on ${move.source} are deleted after ${move.cleanupAfter}: move '${tenantId}' again after that.`);
    }
    databaseOf(deps, to);
    databaseOf(deps, tenant.shard);
    const now = new Date(deps.now?.() ?? Date.now()).toISOString();
    move = { tenantId, source: tenant.shard, target: to, state: 'copying', copyingTable: ALL_TABLES[0]!, copiedUpTo: null, progress: '{}', cleanupAfter: null, cleaned: 0, error: null, started: now, updated: now };
    await moves.save(move);
  }
  return statusOf(await advance(deps, move));
}

/**
 * A move's first step, repeated until its first page is copied (so a start cut off anywhere is
 * finished by the next call): the source read-only, and the target cleared of whatever an earlier,
 * rolled-back move or a move away from it left, with the tenant's row there (read-only too).
 */
async function prepare(deps: MoveDeps, move: MoveRow): Promise<void> {
  const source = databaseOf(deps, move.source);
  const target = databaseOf(deps, move.target);
  await source.run(new TenantCopy(source, move.tenantId).stateStatement('read_only'));
  await clear(new TenantCopy(target, move.tenantId));
  if (move.target === CONTROL) return;
  const tenant = deps.tenant?.id === move.tenantId ? deps.tenant : (await new TenantStore(deps.control).get(move.tenantId))!;
  await new TenantStore(target).createDataRow({ ...tenant, shard: move.target }, 'read_only');
}

/** `POST /admin/tenants/{t}/move {"rollback":true}`: undoes a move that has not flipped; the tenant is writable on its source again. */
export async function rollbackMove(deps: MoveDeps, tenantId: string): Promise<MoveStatus> {
  const moves = new MoveStore(deps.control);
  const move = await moves.get(tenantId);
  if (!move || !ACTIVE.has(move.state)) throw adminConflict(`No move of '${tenantId}' is under way.`);
  if (move.state === 'flipping') throw adminConflict(`The move of '${tenantId}' has flipped its placement: finish it, then move the tenant back.`);
  return statusOf(await abandon(deps, move, 'rolled back'));
}

/** A move with no step for this long has lost its caller: the cron takes it on. */
const STALLED_MS = 120_000;

/**
 * The cron's minute sweep: takes a step of every move whose caller went away (a tenant is never
 * left read-only because a terminal closed), and deletes, after their delay, what finished moves
 * left on their sources.
 */
export async function cleanUpMoves(deps: MoveDeps): Promise<number> {
  const moves = new MoveStore(deps.control);
  const now = deps.now?.() ?? Date.now();
  const due = [...(await moves.stalled(new Date(now - STALLED_MS).toISOString())), ...(await moves.dueCleanups(new Date(now).toISOString()))];
  for (const move of due) await advance(deps, move);
  return due.length;
}

async function clear(copy: TenantCopy): Promise<void> {
  while (await copy.clearSome(REMOVAL_ORDER));
}

async function abandon(deps: MoveDeps, move: MoveRow, error: string): Promise<MoveRow> {
  const target = databaseOf(deps, move.target);
  const source = databaseOf(deps, move.source);
  const copy = new TenantCopy(target, move.tenantId);
  await clear(copy);
  if (move.target !== CONTROL) await copy.deleteTenantRow();
  await source.run(new TenantCopy(source, move.tenantId).stateStatement('active'));
  const failed = { ...move, state: 'failed', error, updated: new Date(deps.now?.() ?? Date.now()).toISOString() };
  await new MoveStore(deps.control).save(failed);
  return failed;
}

/** Takes a move as far as one call's budget allows, saving after every step. */
async function advance(deps: MoveDeps, start: MoveRow): Promise<MoveRow> {
  const moves = new MoveStore(deps.control);
  const source = new TenantCopy(databaseOf(deps, start.source), start.tenantId);
  const target = new TenantCopy(databaseOf(deps, start.target), start.tenantId);
  const targetExec = databaseOf(deps, start.target);
  let move = start;
  let budget = deps.pagesPerCall ?? 60;
  const save = async (changes: Partial<MoveRow>) => {
    move = { ...move, ...changes, updated: new Date(deps.now?.() ?? Date.now()).toISOString() };
    await moves.save(move);
  };

  if (move.state === 'copying' && move.copyingTable === ALL_TABLES[0] && move.copiedUpTo === null && move.progress === '{}') await prepare(deps, move);
  while (move.state === 'copying' && budget-- > 0) {
    deps.interruptAt?.('copying');
    const table = move.copyingTable!;
    const after = move.copiedUpTo ? (JSON.parse(move.copiedUpTo) as unknown[]) : undefined;
    const rows = await source.page(table, after, PAGE_ROWS);
    const progress = JSON.parse(move.progress) as Progress;
    if (rows.length > 0) {
      const last = TenantCopy.keyOf(table, rows.at(-1)!);
      // A page copied by a call cut off before it saved is there already: the batch replaces it,
      // and reads back what it wrote (one round trip) so that every copied row is compared.
      const back = await targetExec.batchThen([target.rangeDeleteStatement(table, after, last), ...insertStatements(target, table, rows)], target.rangeRead(table, after, last));
      deps.interruptAt?.('copied');
      if (JSON.stringify(back) !== JSON.stringify(rows)) return abandon(deps, move, `verification failed: table ${table} differs on ${move.target} after its copy`);
      progress[table] = (progress[table] ?? 0) + rows.length;
      if (rows.length === PAGE_ROWS) {
        await save({ progress: JSON.stringify(progress), copiedUpTo: JSON.stringify(last) });
        continue;
      }
    } else progress[table] ??= 0;
    const next = ALL_TABLES[ALL_TABLES.indexOf(table) + 1];
    await save(next ? { progress: JSON.stringify(progress), copyingTable: next, copiedUpTo: null } : { progress: JSON.stringify(progress), state: 'verifying', copyingTable: null, copiedUpTo: null });
  }

  if (move.state === 'verifying') {
    deps.interruptAt?.('verifying');
    // Both databases summarised (counts, stored bytes, versions: one round trip each) and compared
    // with each other and with the rows copied.
    const progress = JSON.parse(move.progress) as Progress;
    const [onSource, onTarget] = await Promise.all([source.summary(ALL_TABLES), target.summary(ALL_TABLES)]);
    for (const table of ALL_TABLES) {
      const [from, to] = [onSource[table]!, onTarget[table]!];
      if (from.join() !== to.join() || from[0] !== (progress[table] ?? 0)) {
        return abandon(deps, move, `verification failed: ${table} has ${from[0]} rows (${from[1]} bytes) on ${move.source}, ${to[0]} (${to[1]} bytes) on ${move.target}, ${progress[table] ?? 0} copied`);
      }
    }
    await save({ state: 'flipping' });
  }

  if (move.state === 'flipping') {
    deps.interruptAt?.('flipping');
    // Every step is idempotent: an interrupted flip is finished by running it again.
    const version = await source.declarationsVersion();
    await targetExec.batch([target.raiseVersionStatement(version), target.stateStatement('active', move.target)]);
    // The directory's row (on the control database) names the new database, writable.
    await deps.control.run(new TenantCopy(deps.control, move.tenantId).stateStatement('active', move.target));
    if (move.source !== CONTROL) await databaseOf(deps, move.source).run(source.stateStatement('moved', move.target));
    deps.interruptAt?.('tokens');
    await reassignTokens(deps.kv, move.tenantId, move.target);
    await save({ state: 'done', cleanupAfter: new Date((deps.now?.() ?? Date.now()) + ROUTES_EXPIRE_MS).toISOString() });
  }

  if (move.state === 'done' && !move.cleaned && move.cleanupAfter && Date.parse(move.cleanupAfter) <= (deps.now?.() ?? Date.now())) {
    let more = true;
    while (more && budget-- > 0) more = await source.clearSome(REMOVAL_ORDER);
    if (more) return move;
    if (move.source !== CONTROL) await source.deleteTenantRow();
    await save({ cleaned: 1 });
  }
  return move;
}
