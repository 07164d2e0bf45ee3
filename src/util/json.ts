/**
 * How deep a client's JSON may nest. The deepest SCIM document is a Bulk request: Operations →
 * operation → data → extension → attribute → element → sub-attribute (7); everything that walks
 * client JSON (bulkId references, PATCH values, coercion, projection) then stays far from the stack limit.
 */
export const MAX_JSON_DEPTH = 32;

/** True when `value` nests objects or arrays deeper than `limit`; iterative, so any depth is safe to ask. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
