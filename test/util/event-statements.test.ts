import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import type { SQL } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { EventStore } from '../../src/store/events';
import type { Query } from '../../src/store/executor';

// D1 refuses a statement with more than 100 bound parameters; local SQLite accepts thousands, so
// only compiling the statements shows it. Every statement a membership write appends to the feed.

const dialect = new SQLiteSyncDialect();
const params = (q: Query) => ('toSQL' in q ? q.toSQL() : dialect.sqlToQuery(q as SQL)).params.length;
const store = new EventStore(undefined as never, "tenant-o'neil", { type: 'token', tokenId: 't', tokenLabel: 'l', requestId: 'r' }, () => '2026-01-01T00:00:00.000Z');
const ids = (n: number) => Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
const each = { added: 'group.member_added', removed: 'group.member_removed', data: '{}' };
const updated = { type: 'group.updated', changed: ['members'], data: '{}' };

describe('the change feed\'s statements', () => {
  it.each([1, 17, 39, 60, 61, 200, 1000])('stay within D1\'s 100 bound parameters for %i members joining and leaving', (n) => {
    for (const draft of [updated, undefined]) {
      const statements = [
        ...store.appendMemberStatements('Group', 'g', { adding: ids(n), removing: [] }, each, draft),
        ...store.appendMemberStatements('Group', 'g', { adding: ids(n), removing: ids(n).map((id) => `r${id}`) }, each, draft),
        ...store.appendMemberStatements('Group', 'g', { wanted: ids(n) }, each, draft),
      ];
      for (const s of statements) expect(params(s)).toBeLessThanOrEqual(100);
    }
  });

  it('stay within them for a single resource event', () => {
    expect(params(store.appendStatement('User', 'u', { type: 'user.updated', changed: ['a'], data: '{}' }, 2))).toBeLessThanOrEqual(100);
    expect(params(store.appendDeletedStatement('User', 'u', 'user.deleted', 'userName'))).toBeLessThanOrEqual(100);
  });
});
