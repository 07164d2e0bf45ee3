import { expect } from 'vitest';
import { BASE, type Scim } from '../helpers';

// Replays an identity provider's documented request sequence (a fixture in test/idp/<idp>/*.json)
// against the Worker, one step after another, in one tenant.
//
// Fixture format:
//
//   { "name": "...", "source": ["<url>", ...], "quirks": ["Entra 1", ...],
//     "steps": [ { "name": "...", "note": "...",
//                  "request": { "method", "path" (under /scim/v2), "headers"?, "body"? (JSON) },
//                  "expect": { "status", "contentType"?, "headers"?, "body"?, "absent"?, "lengths"?,
//                              "unordered"?, "empty"?, "save"? } } ] }
//
// - `${name}` in any string (path, headers, body, expectations) is replaced by a value saved by an
//   earlier step; `${BASE}` is the SCIM base URL. A string that is exactly `${name}` takes the saved
//   value with its JSON type.
// - `body` is a subset match (toMatchObject: objects may hold more keys, arrays must have the same
//   length). In it, "<any>", "<string>", "<number>" and "<boolean>" match any value of that kind.
// - `absent`: paths that must not be in the response body (write-only or excluded attributes).
// - `lengths`: path -> n; the array at that path has n elements (a missing attribute counts as 0,
//   since RFC 7643 §2.5 treats an empty multi-valued attribute as unassigned).
// - `unordered`: path -> list; the array at that path has as many elements as the list, and each
//   listed element subset-matches one of them (membership order is not part of SCIM).
// - `empty`: the response has no body (204).
// - `contentType`: the media type of the response, parameters (charset) ignored.
// - `headers`: exact values, or { "present": false } for a header that must not be sent.
// - `save`: name -> "$.path.to[0].value" in the response body, or "header:Name".
//
// Paths: `$.a.b[0].c`, with `["urn:...:2.0:User"]` for keys that contain dots.

export interface Fixture {
  name: string;
  source: string | string[];
  quirks?: string[];
  steps: Step[];
}

export interface Step {
  name: string;
  note?: string;
  request: {
    method: string;
    path: string;
    headers?: Record<string, string>;
    body?: unknown;
  };
  expect: {
    status: number;
    contentType?: string;
    headers?: Record<string, string | { present: boolean }>;
    body?: Record<string, unknown>;
    absent?: string[];
    lengths?: Record<string, number>;
    unordered?: Record<string, unknown[]>;
    empty?: boolean;
    save?: Record<string, string>;
  };
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const EXPECT_KEYS = new Set(['status', 'contentType', 'headers', 'body', 'absent', 'lengths', 'unordered', 'empty', 'save']);

/** Checks the shape of a fixture loaded from JSON, so a typo fails loudly instead of asserting nothing. */
export function asFixture(file: string, raw: unknown): Fixture {
  const fail = (why: string): never => {
    throw new Error(`fixture ${file}: ${why}`);
  };
  if (typeof raw !== 'object' || raw === null) fail('not an object');
  const f = raw as Partial<Fixture>;
  if (typeof f.name !== 'string' || !f.name) fail('missing name');
  if (!(typeof f.source === 'string' || Array.isArray(f.source))) fail('missing source');
  if (!Array.isArray(f.steps) || f.steps.length === 0) fail('missing steps');
  f.steps!.forEach((s, i) => {
    const where = `step ${i + 1}${s && typeof s.name === 'string' ? ` "${s.name}"` : ''}`;
    if (typeof s?.name !== 'string' || !s.name) fail(`${where}: missing name`);
    if (!s.request || typeof s.request.path !== 'string' || !METHODS.has(s.request.method)) fail(`${where}: bad request`);
    if (!s.request.path.startsWith('/')) fail(`${where}: path must start with /`);
    if (!s.expect || typeof s.expect.status !== 'number') fail(`${where}: missing expect.status`);
    for (const key of Object.keys(s.expect)) if (!EXPECT_KEYS.has(key)) fail(`${where}: unknown expectation '${key}'`);
  });
  return f as Fixture;
}

type Vars = Record<string, unknown>;

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function lookup(vars: Vars, name: string, where: string): unknown {
  if (!(name in vars)) throw new Error(`${where}: \${${name}} is used before any step saved it`);
  return vars[name];
}

/** Replaces `${name}` placeholders throughout a JSON value. */
export function substitute(value: unknown, vars: Vars, where: string): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value);
    if (whole) return lookup(vars, whole[1], where);
    return value.replace(PLACEHOLDER, (_, name: string) => String(lookup(vars, name, where)));
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars, where));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [substitute(k, vars, where) as string, substitute(v, vars, where)]));
  }
  return value;
}

/** Turns the "<string>"-style wildcards of an expectation into asymmetric matchers. */
function matchers(value: unknown): unknown {
  if (value === '<any>') return expect.anything();
  if (value === '<string>') return expect.any(String);
  if (value === '<number>') return expect.any(Number);
  if (value === '<boolean>') return expect.any(Boolean);
  if (Array.isArray(value)) return value.map(matchers);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, matchers(v)]));
  return value;
}

/** Splits `$.a.b[0]["urn:x:2.0:User"].c` into keys. */
export function parsePath(path: string): (string | number)[] {
  const keys: (string | number)[] = [];
  let rest = path.startsWith('$') ? path.slice(1) : `.${path}`;
  while (rest.length > 0) {
    let m: RegExpExecArray | null;
    if ((m = /^\.([^.[\]]+)/.exec(rest))) keys.push(m[1]);
    else if ((m = /^\[(\d+)\]/.exec(rest))) keys.push(Number(m[1]));
    else if ((m = /^\["([^"]+)"\]/.exec(rest))) keys.push(m[1]);
    else throw new Error(`bad path '${path}' at '${rest}'`);
    rest = rest.slice(m[0].length);
  }
  return keys;
}

export function at(root: unknown, path: string): unknown {
  let node: unknown = root;
  for (const key of parsePath(path)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/** Runs every step of a fixture in order against one tenant; each assertion names its step. */
export async function replay(scim: Scim, fixture: Fixture): Promise<void> {
  const vars: Vars = { BASE };
  for (const [index, step] of fixture.steps.entries()) {
    const label = `${fixture.name} › step ${index + 1} "${step.name}"`;
    const req = substitute(step.request, vars, label) as Step['request'];
    const exp = step.expect;

    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers ?? {})) {
      // Scim.request sets 'Content-Type' itself; one spelling so ours replaces it instead of joining it.
      headers[name.toLowerCase() === 'content-type' ? 'Content-Type' : name] = value;
    }
    const res = await scim.request(req.method, req.path, req.body, headers);
    const text = await res.text();
    const request = `${req.method} ${req.path}`;
    const context = `${label}\n  request: ${request}${req.body !== undefined ? ` ${JSON.stringify(req.body)}` : ''}\n  response: ${res.status} ${text}`;

    expect(res.status, `${context}\n  status`).toBe(exp.status);

    let json: unknown;
    if (text.length > 0) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }

    for (const [name, source] of Object.entries(exp.save ?? {})) {
      const value = source.startsWith('header:') ? (res.headers.get(source.slice('header:'.length)) ?? undefined) : at(json, source);
      expect(value, `${context}\n  save ${name} from ${source}`).toBeDefined();
      vars[name] = value;
    }

    if (exp.empty) expect(text, `${context}\n  body must be empty`).toBe('');
    if (exp.contentType !== undefined) {
      const mediaType = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
      expect(mediaType, `${context}\n  Content-Type`).toBe(exp.contentType.toLowerCase());
    }
    for (const [name, want] of Object.entries(exp.headers ?? {})) {
      const got = res.headers.get(name);
      if (typeof want === 'string') expect(got, `${context}\n  header ${name}`).toBe(substitute(want, vars, label));
      else expect(got !== null, `${context}\n  header ${name} present`).toBe(want.present);
    }
    if (exp.body !== undefined) {
      expect(json, `${context}\n  body is JSON`).toBeTypeOf('object');
      expect(json, `${context}\n  body`).toMatchObject(matchers(substitute(exp.body, vars, label)) as object);
    }
    for (const path of exp.absent ?? []) {
      expect(at(json, path), `${context}\n  ${path} must be absent`).toBeUndefined();
    }
    for (const [path, n] of Object.entries(exp.lengths ?? {})) {
      const value = at(json, path);
      const length = value === undefined || value === null ? 0 : Array.isArray(value) ? value.length : -1;
      expect(length, `${context}\n  ${path} must be an array of ${n}`).toBe(n);
    }
    for (const [path, list] of Object.entries(exp.unordered ?? {})) {
      const wanted = matchers(substitute(list, vars, label)) as unknown[];
      const value = at(json, path);
      expect(value, `${context}\n  ${path} (any order)`).toHaveLength(wanted.length);
      expect(value, `${context}\n  ${path} (any order)`).toEqual(expect.arrayContaining(wanted.map((w) => expect.objectContaining(w as object))));
    }
  }
}
