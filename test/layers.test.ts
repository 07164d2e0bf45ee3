/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';

// The layering the code promises (README "Layout"), checked on the sources themselves.

const sources = import.meta.glob('../src/**/*.{ts,tsx}', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
const files = (dir: string) => Object.entries(sources).filter(([path]) => path.startsWith(`../src/${dir}/`));
const imports = (text: string) => [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);

describe('layers', () => {
  it('finds the sources', () => {
    expect(files('scim').length).toBeGreaterThan(30);
    expect(files('service').length).toBeGreaterThan(10);
  });

  it('keeps src/scim pure: no Hono, no Drizzle, no storage, no services, no HTTP', () => {
    for (const [path, text] of files('scim')) {
      for (const spec of imports(text)) expect(spec, path).not.toMatch(/^(hono|drizzle-orm)|\/(db|store|service|http|routes)\//);
    }
  });

  it('keeps SQL in src/store: src/service imports neither drizzle nor src/db', () => {
    for (const [path, text] of files('service')) {
      for (const spec of imports(text)) expect(spec, path).not.toMatch(/^drizzle-orm|\/db\//);
      expect(text, path).not.toMatch(/\bsql`/);
    }
  });

  it('keeps routes thin: a route imports no store and no other route module', () => {
    expect(files('routes').length).toBeGreaterThan(3);
    for (const [path, text] of files('routes')) {
      for (const spec of imports(text)) expect(spec, path).not.toMatch(/\/store\/|^\.\/|\/routes\//);
    }
  });

  it('builds executors and contexts in the composition root only', () => {
    for (const [path, text] of Object.entries(sources)) {
      if (path === '../src/http/composition-root.ts') continue;
      expect(text, path).not.toMatch(/new (Executor|ScimContext)\(/);
    }
  });

  it('makes every SCIM error through a named factory in scim/errors.ts', () => {
    for (const [path, text] of Object.entries(sources)) {
      if (path === '../src/scim/errors.ts') continue;
      const made = (text.match(/new ScimError\(/g) ?? []).length;
      // The one renderer turns Hono's own HTTP faults into the SCIM form (http/errors.ts).
      expect(made, path).toBe(path === '../src/http/errors.ts' ? 1 : 0);
    }
  });

  it('names no resource type outside the built-in definitions (storage is declared)', () => {
    for (const [path, text] of Object.entries(sources)) {
      if (path.startsWith('../src/scim/schema/')) continue;
      const code = text.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
      expect(code, path).not.toMatch(/['"`](User|Group)['"`]|\brt\.name === /);
    }
  });
});
