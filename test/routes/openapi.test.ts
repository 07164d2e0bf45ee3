import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call } from '../helpers';

describe('OpenAPI description', () => {
  it('describes every resource endpoint and schema from the registry', async () => {
    const res = await call('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, any>;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: 'http://scim.test/scim/v2' }]);
    for (const path of ['/Users', '/Users/{id}', '/Users/.search', '/Groups', '/Groups/{id}', '/.search', '/Bulk', '/Me', '/Schemas/{urn}']) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    expect(Object.keys(doc.paths['/Users/{id}'])).toEqual(expect.arrayContaining(['get', 'put', 'patch', 'delete']));
    const user = doc.components.schemas.User;
    expect(user.required).toEqual(['userName']);
    expect(user.properties.password.writeOnly).toBe(true);
    expect(user.properties.emails.type).toBe('array');
    expect(user.properties['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']).toEqual({ $ref: '#/components/schemas/EnterpriseUser' });
    expect(doc.components.schemas.EnterpriseUser.properties.manager.type).toBe('object');
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.basic).toMatchObject({ type: 'http', scheme: 'basic' });
    expect(JSON.stringify(doc.components.schemas.Group)).not.toContain('"$ref":{');
  });

  it('serves a page that renders it from the Worker\'s own assets, no third-party CDN', async () => {
    expect((await call('/docs')).headers.get('Location')).toBe('/docs/');
    const page = await env.ASSETS.fetch('http://scim.test/docs/index.html');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//);
    for (const asset of ['swagger-ui-bundle.js', 'swagger-ui.css', 'swagger-initializer.js']) {
      expect(html).toContain(asset);
      expect((await env.ASSETS.fetch(`http://scim.test/docs/${asset}`)).status, asset).toBe(200);
    }
    expect(await (await env.ASSETS.fetch('http://scim.test/docs/swagger-initializer.js')).text()).toContain("'/openapi.json'");
  });
});
