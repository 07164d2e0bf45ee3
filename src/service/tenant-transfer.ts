import type { Executor, Query } from '../store/executor';
import { columnsOf, DIRECTORY_TABLES, isCopiedTable, REMOVAL_ORDER, TenantCopy, type Row } from '../store/tenant-copy';
import { adminConflict, invalidRequest } from './admin-error';

// A tenant as NDJSON (README "Export and import"): a header line, then one line per stored row,
// table by table in a fixed order, then an end line with the count of each table. An export is the
// directory (declarations, memberships, resources and their index rows); a move (service/move.ts)
// carries every table through the same two functions.

export const FORMAT = 'edge-scim-tenant/1';
const PAGE_ROWS = 500;
/** Rows of one insert statement, and their JSON's size: D1 keeps a statement's values under 1 MB. */
const INSERT_ROWS = 500;
const INSERT_BYTES = 512 * 1024;
/** Insert statements sent in one round trip. */
const STATEMENTS_PER_BATCH = 10;

interface Header {
  format: string;
  tenant: string;
  declarationsVersion: number;
  tables: string[];
  exported: string;
}

/** The lines of a tenant's export; `tables` in the fixed order (store/tenant-copy.ts). */
export async function* exportLines(exec: Executor, tenantId: string, tables: string[] = DIRECTORY_TABLES, onPage?: (table: string, rows: number) => void): AsyncGenerator<string> {
  const copy = new TenantCopy(exec, tenantId);
  const header: Header = { format: FORMAT, tenant: tenantId, declarationsVersion: await copy.declarationsVersion(), tables, exported: new Date().toISOString() };
  yield JSON.stringify(header);
  const rows: Record<string, number> = {};
  for (const table of tables) {
    rows[table] = 0;
    let after: unknown[] | undefined;
    for (;;) {
      const page = await copy.page(table, after, PAGE_ROWS);
      for (const row of page) yield JSON.stringify({ table, row });
      rows[table] += page.length;
      onPage?.(table, page.length);
      if (page.length < PAGE_ROWS) break;
      after = TenantCopy.keyOf(table, page.at(-1)!);
    }
  }
  yield JSON.stringify({ end: true, rows });
}

/** A stream of text split into lines (the last one without a newline included). */
export async function* linesOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let rest = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    rest += value;
    let at: number;
    while ((at = rest.indexOf('\n')) >= 0) {
      yield rest.slice(0, at);
      rest = rest.slice(at + 1);
    }
  }
  if (rest.length > 0) yield rest;
}

/** Columns holding JSON documents, which rendering parses: an import checks they do parse. */
const JSON_COLUMNS: Record<string, string[]> = { resources: ['data', 'folded', 'member_of'], declarations: ['body'] };
/** Columns every row needs as text (its key and identity). */
const TEXT_COLUMNS: Record<string, string[]> = { resources: ['resource_type', 'id', 'created', 'last_modified'], memberships: ['group_id', 'member_id'], declarations: ['kind', 'lookup'] };

/** The first column of a row that could not have come from this server's export, if any. */
function malformedColumn(table: string, row: Row): string | undefined {
  for (const column of TEXT_COLUMNS[table] ?? []) if (typeof row[column] !== 'string' || row[column] === '') return column;
  for (const column of JSON_COLUMNS[table] ?? []) {
    const value = row[column];
    if (value === null || value === undefined) continue;
    try {
      const document = typeof value === 'string' ? (JSON.parse(value) as unknown) : undefined;
      if (typeof document !== 'object' || document === null || Array.isArray(document)) return column;
    } catch {
      return column;
    }
  }
  return undefined;
}

function parsed(line: string, number: number): Record<string, unknown> {
  try {
    const value = JSON.parse(line) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {}
  throw invalidRequest(`line ${number}: not a JSON object.`);
}

/**
 * Loads an export into `tenantId`, which must hold no resource or declaration (409 otherwise).
 * Lines of tables outside `tables` are skipped (an import takes the directory only); a line of an
 * unknown table or column, tables out of their order, or a missing end line is 400, and whatever
 * was loaded is removed again: an import is whole or not at all. Answers the rows loaded per table
 * and the export's declarations version.
 */
export async function importLines(exec: Executor, tenantId: string, lines: AsyncIterable<string>, tables: string[] = DIRECTORY_TABLES): Promise<{ rows: Record<string, number>; declarationsVersion: number }> {
  const copy = new TenantCopy(exec, tenantId);
  if (!(await copy.isEmpty())) throw adminConflict(`Tenant '${tenantId}' is not empty: an import loads into a tenant without resources or declarations.`);
  try {
    return await load(exec, copy, lines, tables);
  } catch (error) {
    const loaded = REMOVAL_ORDER.filter((t) => tables.includes(t));
    while (await copy.clearSome(loaded));
    throw error;
  }
}

async function load(exec: Executor, copy: TenantCopy, lines: AsyncIterable<string>, tables: string[]) {
  const order = [...DIRECTORY_TABLES, ...tables.filter((t) => !DIRECTORY_TABLES.includes(t))];
  let header: Header | undefined;
  let ended: Record<string, number> | undefined;
  const rows: Record<string, number> = {};
  let current = -1;
  let pending: { table: string; rows: Row[] } | undefined;
  let statements: Query[] = [];
  let number = 0;
  const send = async () => {
    if (statements.length === 0) return;
    try {
      await exec.batch(statements);
    } catch (error) {
      // A row the database refuses (a required column missing, a key twice): the file's fault.
      throw invalidRequest(`The rows before line ${number + 1} could not be stored: ${(error as Error).message.replace(/^D1_ERROR:\s*/, '').slice(0, 300)}`);
    }
    statements = [];
  };
  const flush = async () => {
    if (pending) statements.push(...insertStatements(copy, pending.table, pending.rows));
    pending = undefined;
    if (statements.length >= STATEMENTS_PER_BATCH) await send();
  };
  for await (const line of lines) {
    number++;
    if (line.trim() === '') continue;
    if (ended) throw invalidRequest(`line ${number}: after the end line.`);
    const value = parsed(line, number);
    if (!header) {
      if (value.format !== FORMAT) throw invalidRequest(`line 1: not an export of this server (format '${FORMAT}' expected).`);
      header = value as unknown as Header;
      continue;
    }
    if (value.end === true) {
      ended = (value.rows ?? {}) as Record<string, number>;
      continue;
    }
    const table = value.table;
    if (typeof table !== 'string' || !isCopiedTable(table)) throw invalidRequest(`line ${number}: unknown table '${String(table)}'.`);
    const row = value.row;
    if (typeof row !== 'object' || row === null || Array.isArray(row)) throw invalidRequest(`line ${number}: a row object is expected.`);
    const columns = columnsOf(table);
    const unknown = Object.keys(row).find((c) => !columns.includes(c));
    if (unknown !== undefined) throw invalidRequest(`line ${number}: table '${table}' has no column '${unknown}'.`);
    const malformed = malformedColumn(table, row as Row);
    if (malformed) throw invalidRequest(`line ${number}: table '${table}', column '${malformed}' is not what this server stores.`);
    rows[table] = (rows[table] ?? 0) + 1;
    if (!tables.includes(table)) continue;
    const position = order.indexOf(table);
    if (position < current) throw invalidRequest(`line ${number}: table '${table}' after '${order[current]}'; an export lists its tables in order.`);
    current = position;
    // A page's rows at a time, as a move copies them (insertStatements splits them by size).
    if (pending && (pending.table !== table || pending.rows.length >= PAGE_ROWS)) await flush();
    pending ??= { table, rows: [] };
    pending.rows.push(row as Row);
  }
  await flush();
  await send();
  if (!header) throw invalidRequest('The body is empty: an export starts with its header line.');
  if (!ended) throw invalidRequest('The export ends without its end line: it was cut off.');
  for (const [table, n] of Object.entries(ended)) {
    if ((rows[table] ?? 0) !== n) throw invalidRequest(`The end line counts ${n} rows of '${table}'; the body has ${rows[table] ?? 0}.`);
  }
  const loaded = Object.fromEntries(tables.map((t) => [t, rows[t] ?? 0]));
  // Past both the export's version and this tenant's own: the registry of the tenant before the
  // import (compiled at its version) is then never taken for the one after.
  const version = (rows.declarations ?? 0) > 0 ? await copy.raiseVersionPast(Number(header.declarationsVersion) || 0) : 0;
  return { rows: loaded, declarationsVersion: version };
}

/** Insert statements for `rows` of `table`, each within the rows and bytes D1 takes in one statement. */
export function insertStatements(copy: TenantCopy, table: string, rows: Row[]): Query[] {
  const statements: Query[] = [];
  let part: Row[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = JSON.stringify(row).length;
    if (part.length > 0 && (part.length >= INSERT_ROWS || bytes + size > INSERT_BYTES)) {
      statements.push(copy.insertStatement(table, part));
      part = [];
      bytes = 0;
    }
    part.push(row);
    bytes += size;
  }
  if (part.length > 0) statements.push(copy.insertStatement(table, part));
  return statements;
}
