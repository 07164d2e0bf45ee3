import type { ResourceTypeInfo } from '../schema/registry';
import type { Filter } from './ast';
import { leafTest, resolveCollection, resolveLeaf, type Collection } from './resolve';

/**
 * Checks every attribute path and literal of `f` against the schema of `rt` (RFC 7644 §3.4.2.2):
 * unknown or unfilterable attributes, operators undefined for a type and mistyped values all throw
 * 400 invalidFilter naming the attribute. The evaluator and SQL compiler run the same checks.
 */
export function checkFilter(rt: ResourceTypeInfo, f: Filter, scope?: Collection): void {
  switch (f.kind) {
    case 'compare':
    case 'present':
      leafTest(resolveLeaf(rt, f.path, scope), f);
      return;
    case 'and':
    case 'or':
      checkFilter(rt, f.left, scope);
      checkFilter(rt, f.right, scope);
      return;
    case 'not':
      checkFilter(rt, f.filter, scope);
      return;
    case 'valuePath':
      checkFilter(rt, f.filter, resolveCollection(rt, f.path, scope));
      return;
    default: {
      const unreachable: never = f;
      return unreachable;
    }
  }
}
