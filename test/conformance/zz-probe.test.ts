import { it } from 'vitest';
import { call, ENTERPRISE, GROUP_SCHEMA, newTenant, PATCH_OP, USER_SCHEMA } from '../helpers';

async function show(label: string, res: Response) {
  const h: Record<string, string> = {};
  res.headers.forEach((v, k) => { if (!k.startsWith('x-')) h[k] = v; });
  const t = await res.text();
  console.log(`### ${label}: ${res.status} ${JSON.stringify(h)}\n${t.slice(0, 800)}`);
}

it('probe', async () => {
  const s = await newTenant();
  const u = await s.createUser('alice', { title: 'Eng', emails: [{ value: 'a@x.io', type: 'work' }] });
  const g = await s.createGroup('G1', [u.id]);
  await show('list count=0', await s.get('/Users?count=0'));
  await show('list startIndex=50', await s.get('/Users?startIndex=50'));
  await show('attrs meta', await s.get('/Users?attributes=meta'));
  await show('attrs meta.lastModified', await s.get(`/Users/${u.id}?attributes=meta.lastModified`));
  await show('404 user', await s.get('/Users/nope'));
  await show('404 group', await s.get('/Groups/nope'));
  await show('401', await call('/scim/v2/Users'));
  await show('HEAD user', await s.request('HEAD', `/Users/${u.id}`));
  await show('HEAD list', await s.request('HEAD', `/Users`));
  await show('PUT no schemas', await s.put(`/Users/${u.id}`, { userName: 'alice' }));
  await show('PUT other id', await s.put(`/Users/${u.id}`, { schemas: [USER_SCHEMA], id: 'other', userName: 'alice' }));
  await show('PATCH nonexist', await s.patch(`/Users/${u.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'nonExistent', value: 'x' }] }));
  await show('PATCH add empty', await s.patch(`/Users/${u.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', value: {} }] }));
  await show('PATCH remove nopath', await s.patch(`/Users/${u.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove' }] }));
  await show('group PATCH', await s.patch(`/Groups/${g.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'G2' }] }));
  await show('group PUT', await s.put(`/Groups/${g.id}`, { schemas: [GROUP_SCHEMA], displayName: 'G3' }));
  await show('Bulk', await s.post('/Bulk', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: [{ method: 'POST', path: '/Users', bulkId: 'b1', data: { schemas: [USER_SCHEMA], userName: 'bulk1' } }, { method: 'DELETE', path: '/Users/nope' }] }));
  await show('Me', await s.get('/Me'));
  await show('RT User', await s.get('/ResourceTypes/User'));
  await show('Schema ent', await s.get(`/Schemas/${ENTERPRISE}`));
  await show('unknown endpoint', await s.get('/Foo'));
  await show('method not allowed', await s.request('PATCH', '/Users'));
  await show('delete', await s.delete(`/Users/${u.id}`));
  await show('delete2', await s.delete(`/Users/${u.id}`));
  await show('bad json', await s.post('/Users', '{bad'));
  await show('If-Match *', await s.put(`/Groups/${g.id}`, { schemas: [GROUP_SCHEMA], displayName: 'G4' }, { 'If-Match': '*' }));
  await show('SPC', await s.get('/ServiceProviderConfig'));
});
