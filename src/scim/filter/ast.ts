// The filter AST (RFC 7644 §3.4.2.2): a closed union. Every interpreter (printer, in-memory
// evaluator, SQL compiler) is an exhaustive switch over `Filter['kind']`.

export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

/** A filter literal: JSON-like (RFC 7644 §3.4.2.2 compValue = false / null / true / number / string). */
export type FilterValue = string | number | boolean | null;

/** An attribute path as written: optional schema URN, attribute name, optional sub-attribute. */
export interface AttrPath {
  /** Schema URN prefix as written, without the trailing ':' (undefined when absent). */
  urn?: string;
  name: string;
  subAttr?: string;
}

export interface Comparison {
  kind: 'compare';
  path: AttrPath;
  op: CompareOperator;
  value: FilterValue;
}

export interface Present {
  kind: 'present';
  path: AttrPath;
}

export interface Logical {
  kind: 'and' | 'or';
  left: Filter;
  right: Filter;
}

export interface Not {
  kind: 'not';
  filter: Filter;
}

/** `attr[valFilter]`, e.g. emails[type eq "work" and value co "@example.com"]. */
export interface ValuePath {
  kind: 'valuePath';
  path: AttrPath;
  filter: Filter;
}

export type Filter = Comparison | Present | Logical | Not | ValuePath;

/**
 * A PATCH target (RFC 7644 §3.5.2: PATH = attrPath / valuePath [subAttr]), e.g. `name.givenName`,
 * `members[value eq "x"]`, `emails[type eq "work"].value`. A closed union like `Filter`.
 */
export type PatchPath =
  | { kind: 'attrPath'; path: AttrPath }
  | { kind: 'valuePath'; path: AttrPath; filter: Filter; subAttr?: string };
