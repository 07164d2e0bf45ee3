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

  it('names no resource type outside the built-in definitions (storage is declared)', () => {
    for (const [path, text] of Object.entries(sources)) {
      if (path.startsWith('../src/scim/schema/')) continue;
      const code = text.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
      expect(code, path).not.toMatch(/['"`](User|Group)['"`]|\brt\.name === /);
    }
  });
});
