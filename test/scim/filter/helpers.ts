import type { AttrPath, CompareOperator, Filter, FilterValue } from '../../../src/scim/filter/ast';

// Small AST builders for the filter tables.

export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

/** `p('name.givenName')`, `p('employeeNumber', ENTERPRISE)`. */
export function p(text: string, urn?: string): AttrPath {
  const [name, subAttr] = text.split('.');
  return { ...(urn !== undefined ? { urn } : {}), name, ...(subAttr !== undefined ? { subAttr } : {}) };
}

export const cmp = (path: string | AttrPath, op: CompareOperator, value: FilterValue): Filter => ({
  kind: 'compare',
  path: typeof path === 'string' ? p(path) : path,
  op,
  value,
});
export const pr = (path: string | AttrPath): Filter => ({ kind: 'present', path: typeof path === 'string' ? p(path) : path });
export const and = (left: Filter, right: Filter): Filter => ({ kind: 'and', left, right });
export const or = (left: Filter, right: Filter): Filter => ({ kind: 'or', left, right });
export const not = (filter: Filter): Filter => ({ kind: 'not', filter });
export const vp = (path: string | AttrPath, filter: Filter): Filter => ({
  kind: 'valuePath',
  path: typeof path === 'string' ? p(path) : path,
  filter,
});
