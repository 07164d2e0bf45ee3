// Sequential index walks (Okta's and Entra's full imports: the same unfiltered query with
// startIndex advancing by count): where a page ended is remembered in this isolate, so the next
// page is a keyset read after it (O(count) rows) instead of an OFFSET that reads every row before
// it (O(startIndex)). A remembered position is used only while the type's count of inserts and
// deletes is what it was (store/resources.ts tallyRead): then it is exactly the OFFSET's position.

/** Where a page of the walk ended. */
export interface WalkPosition {
  lastId: string;
  /** resource_counts.changes when it was taken. */
  changes: number;
}

const MAX_POSITIONS = 5_000;
const positions = new Map<string, WalkPosition>();

const keyOf = (tenantId: string, type: string, startIndex: number) => `${tenantId}\u0000${type}\u0000${startIndex}`;

/** The position a walk reached just before `startIndex`, if this isolate served that page. */
export function recall(tenantId: string, type: string, startIndex: number): WalkPosition | undefined {
  return positions.get(keyOf(tenantId, type, startIndex));
}

/** Remembers that the page before `nextStartIndex` ended at `lastId`. */
export function remember(tenantId: string, type: string, nextStartIndex: number, position: WalkPosition): void {
  const key = keyOf(tenantId, type, nextStartIndex);
  positions.delete(key);
  if (positions.size >= MAX_POSITIONS) positions.delete(positions.keys().next().value!);
  positions.set(key, position);
}
