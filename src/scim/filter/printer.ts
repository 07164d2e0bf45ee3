import type { AttrPath, Filter, FilterValue, PatchPath } from './ast';

// Canonical text for a filter: lower-case operators, JSON literals, and only the parentheses that
// precedence (not > and > or, left-associative; RFC 7644 §3.4.2.2) needs, so that
// parseFilter(printFilter(f)) deep-equals f.

export function printFilter(f: Filter): string {
  switch (f.kind) {
    case 'compare':
      return `${printAttrPath(f.path)} ${f.op} ${printValue(f.value)}`;
    case 'present':
      return `${printAttrPath(f.path)} pr`;
    case 'and':
      // A right operand of the same operator needs parentheses: the parser nests to the left.
      return `${operand(f.left, f.left.kind === 'or')} and ${operand(f.right, f.right.kind === 'or' || f.right.kind === 'and')}`;
    case 'or':
      return `${printFilter(f.left)} or ${operand(f.right, f.right.kind === 'or')}`;
    case 'not':
      return `not (${printFilter(f.filter)})`;
    case 'valuePath':
      return `${printAttrPath(f.path)}[${printFilter(f.filter)}]`;
    default: {
      const unreachable: never = f;
      return unreachable;
    }
  }
}

export function printPath(p: PatchPath): string {
  switch (p.kind) {
    case 'attrPath':
      return printAttrPath(p.path);
    case 'valuePath':
      return `${printAttrPath(p.path)}[${printFilter(p.filter)}]${p.subAttr !== undefined ? `.${p.subAttr}` : ''}`;
    default: {
      const unreachable: never = p;
      return unreachable;
    }
  }
}

export function printAttrPath(path: AttrPath): string {
  const name = path.subAttr !== undefined ? `${path.name}.${path.subAttr}` : path.name;
  return path.urn !== undefined ? `${path.urn}:${name}` : name;
}

function operand(f: Filter, parenthesise: boolean): string {
  return parenthesise ? `(${printFilter(f)})` : printFilter(f);
}

function printValue(value: FilterValue): string {
  // -0 would print as "0" and parse back as +0.
  if (typeof value === 'number' && Object.is(value, -0)) return '-0';
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}
