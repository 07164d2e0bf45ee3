/** lastModified strictly after `previous`, so every write moves it forward even within one millisecond. */
export function nextTimestamp(previous?: string): string {
  const now = Date.now();
  const before = previous ? Date.parse(previous) : 0;
  return new Date(Math.max(now, before + 1)).toISOString();
}
