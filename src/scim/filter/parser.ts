import { invalidFilter, invalidPath, ScimError } from '../errors';
import { valuePathWithSubAttribute } from '../quirks/entra-value-path-sub-attribute-filter';
import type { AttrPath, CompareOperator, Filter, FilterValue, PatchPath } from './ast';
import { Lexer, SyntaxProblem, type Token } from './lexer';

// Recursive descent over the grammar in grammar.md (RFC 7644 §3.4.2.2 and §3.5.2, with errata).

/** Longest filter text accepted; longer ones get 400 invalidFilter (grammar.md, "Limits"). */
export const MAX_FILTER_LENGTH = 4096;
/** Most comparison/presence leaves in one filter, so its SQL stays under D1's 100 bound parameters. */
export const MAX_FILTER_LEAVES = 50;
/** Deepest nesting of parentheses, `not` and value filters, so every interpreter's recursion is bounded. */
export const MAX_FILTER_DEPTH = 32;

const COMPARE_OPS = new Set<string>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le']);
// RFC 7644 §3.4.2.2: ATTRNAME = ALPHA *(nameChar); "$ref" is the one name outside it (RFC 7643 §2.3.7).
const ATTRNAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/;
// The schema URI before the attribute name (RFC 7644 §3.10): a scheme, ':' and more, not ending in ':'.
const SCHEMA_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9_.:-]*[A-Za-z0-9_.-]$/;

/** Parses a `filter` query parameter (RFC 7644 §3.4.2.2). Throws only ScimError (invalidFilter). */
export function parseFilter(text: string): Filter {
  return run(text, 'filter', invalidFilter, (p) => {
    const filter = p.orExpr();
    p.expectEnd("'and', 'or' or the end of the filter");
    return filter;
  });
}

/** Parses a PATCH `path` (RFC 7644 §3.5.2). Throws only ScimError (invalidPath). */
export function parsePath(text: string): PatchPath {
  return run(text, 'path', invalidPath, (p) => {
    const path = p.path();
    p.expectEnd('the end of the path');
    return path;
  });
}

function run<T>(text: string, what: string, fail: (detail: string) => ScimError, body: (p: Parser) => T): T {
  if (typeof text !== 'string' || text.trim() === '') throw fail(`The ${what} is empty.`);
  if (text.length > MAX_FILTER_LENGTH) {
    throw fail(`The ${what} is longer than the limit of ${MAX_FILTER_LENGTH} characters.`);
  }
  try {
    return body(new Parser(new Lexer(text), what));
  } catch (error) {
    if (error instanceof SyntaxProblem) {
      throw fail(`Invalid ${what} at character ${error.pos + 1}: ${error.message}.`);
    }
    if (error instanceof LimitProblem) throw fail(`The ${what} ${error.message}.`);
    throw error;
  }
}

class LimitProblem {
  constructor(readonly message: string) {}
}

class Parser {
  private leaves = 0;
  private depth = 0;

  constructor(private readonly lex: Lexer, private readonly what: string) {}

  // Precedence (RFC 7644 §3.4.2.2, table 4): not > and > or; both binary operators associate left.
  orExpr(): Filter {
    let left = this.andExpr();
    while (this.atWord('or')) {
      this.lex.next();
      left = { kind: 'or', left, right: this.andExpr() };
    }
    return left;
  }

  private andExpr(): Filter {
    let left = this.unary();
    while (this.atWord('and')) {
      this.lex.next();
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): Filter {
    const token = this.lex.next();
    if (token.kind === '(') return this.nested(')', () => this.orExpr());
    if (token.kind !== 'word') throw this.expected("an attribute path, '(' or 'not ('", token);
    if (token.text.toLowerCase() === 'not') {
      const after = this.lex.peek();
      // RFC 7644 §3.4.2.2 (errata 7319): "not" applies to a parenthesised filter only.
      if (after.kind === '(') {
        this.lex.next();
        return { kind: 'not', filter: this.nested(')', () => this.orExpr()) };
      }
      // Otherwise `not` can only be an attribute named "not" (`not pr`, `not eq 1`).
      const isOperator = after.kind === 'word' && (after.text.toLowerCase() === 'pr' || COMPARE_OPS.has(after.text.toLowerCase()));
      if (!isOperator && after.kind !== '[') throw this.expected("'(' after 'not' (not needs parentheses)", after);
    }
    return this.attrExpression(token);
  }

  /** attrExp or valuePath, after its attribute path token. */
  private attrExpression(pathToken: Token): Filter {
    const path = attrPath(pathToken);
    if (this.lex.peek().kind !== '[') return this.leaf(path);
    this.lex.next();
    const inner = this.nested(']', () => this.orExpr());
    const sub = this.lex.peek();
    if (sub.kind !== 'subAttr') return { kind: 'valuePath', path, filter: inner };
    // docs/idp-quirks.md Entra 6 (quirks/entra-value-path-sub-attribute-filter.ts):
    // `emails[type eq "work"].value eq "x"`, beyond RFC 7644 §3.4.2.2, is read as
    // `emails[type eq "work" and value eq "x"]`.
    this.lex.next();
    return valuePathWithSubAttribute(path, inner, this.leaf({ name: subAttrName(sub) }));
  }

  private leaf(path: AttrPath): Filter {
    const opToken = this.lex.next();
    const op = opToken.kind === 'word' ? opToken.text.toLowerCase() : '';
    if (op !== 'pr' && !COMPARE_OPS.has(op)) {
      throw this.expected("an operator (eq, ne, co, sw, ew, gt, lt, ge, le or pr) or '['", opToken);
    }
    if (++this.leaves > MAX_FILTER_LEAVES) {
      throw new LimitProblem(`has more than the limit of ${MAX_FILTER_LEAVES} comparisons`);
    }
    if (op === 'pr') return { kind: 'present', path };
    return { kind: 'compare', path, op: op as CompareOperator, value: this.value() };
  }

  // compValue = false / null / true / number / string (RFC 7644 §3.4.2.2, JSON rules of RFC 7159).
  private value(): FilterValue {
    const token = this.lex.next();
    if (token.kind === 'string' || token.kind === 'number') return token.value!;
    if (token.kind === 'word') {
      const word = token.text.toLowerCase();
      if (word === 'true') return true;
      if (word === 'false') return false;
      if (word === 'null') return null;
    }
    const problem = this.expected('a value (a "quoted string", a number, true, false or null)', token);
    if (token.kind !== 'word') throw problem;
    throw new SyntaxProblem(token.pos, `${problem.message}; string values need double quotes`);
  }

  /** PATH = attrPath / valuePath [subAttr] (RFC 7644 §3.5.2). */
  path(): PatchPath {
    const token = this.lex.next();
    if (token.kind !== 'word') throw this.expected('an attribute path', token);
    const path = attrPath(token);
    if (this.lex.peek().kind !== '[') return { kind: 'attrPath', path };
    this.lex.next();
    const filter = this.nested(']', () => this.orExpr());
    const sub = this.lex.peek();
    if (sub.kind !== 'subAttr') return { kind: 'valuePath', path, filter };
    this.lex.next();
    return { kind: 'valuePath', path, filter, subAttr: subAttrName(sub) };
  }

  expectEnd(what: string): void {
    const token = this.lex.next();
    if (token.kind !== 'end') throw this.expected(what, token);
  }

  private nested<T>(close: ')' | ']', body: () => T): T {
    if (++this.depth > MAX_FILTER_DEPTH) {
      throw new LimitProblem(`nests parentheses, 'not' and '[…]' deeper than the limit of ${MAX_FILTER_DEPTH}`);
    }
    const result = body();
    const token = this.lex.next();
    if (token.kind !== close) throw this.expected(`'${close}'`, token);
    this.depth--;
    return result;
  }

  private atWord(word: string): boolean {
    const token = this.lex.peek();
    return token.kind === 'word' && token.text.toLowerCase() === word;
  }

  private expected(what: string, found: Token): SyntaxProblem {
    return new SyntaxProblem(found.pos, `expected ${what} but found ${describe(found, this.what)}`);
  }
}

function describe(token: Token, what: string): string {
  if (token.kind === 'end') return `the end of the ${what}`;
  const text = token.kind === 'subAttr' ? `.${token.text}` : token.text;
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** attrPath = [URI ":"] ATTRNAME *1subAttr (RFC 7644 §3.4.2.2); the URI ends at the last ':'. */
function attrPath(token: Token): AttrPath {
  const colon = token.text.lastIndexOf(':');
  const urn = colon < 0 ? undefined : token.text.slice(0, colon);
  const parts = token.text.slice(colon + 1).split('.');
  const valid = (urn === undefined || SCHEMA_URI.test(urn)) && parts.length <= 2 && parts.every((p) => ATTRNAME.test(p));
  if (!valid) throw new SyntaxProblem(token.pos, `${JSON.stringify(token.text)} is not a valid attribute path`);
  return { ...(urn !== undefined ? { urn } : {}), name: parts[0], ...(parts.length > 1 ? { subAttr: parts[1] } : {}) };
}

function subAttrName(token: Token): string {
  if (!ATTRNAME.test(token.text)) {
    throw new SyntaxProblem(token.pos, `${JSON.stringify(`.${token.text}`)} is not a valid sub-attribute`);
  }
  return token.text;
}
