import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/scim/openapi';
import { defaultRegistry } from '../../src/scim/schema/builtins';

// The request messages in the OpenAPI document come from the zod schemas that read them.

const schemas = (openApiDocument(defaultRegistry, 'http://scim.test/scim/v2') as any).components.schemas;

describe('OpenAPI message schemas', () => {
  it.each([
    ['SearchRequest', ['schemas', 'attributes', 'excludedAttributes', 'filter', 'sortBy', 'sortOrder', 'startIndex', 'count', 'cursor'], []],
    ['PatchOp', ['schemas', 'Operations'], ['Operations']],
    ['BulkRequest', ['schemas', 'failOnErrors', 'Operations'], ['Operations']],
  ])('describes %s by its canonical member names', (name, members, required) => {
    expect(schemas[name].type).toBe('object');
    expect(Object.keys(schemas[name].properties)).toEqual(members);
    expect(schemas[name].required ?? []).toEqual(required);
    expect(schemas[name].description).toMatch(/case-insensitive \(RFC 7643 §2\.1\)/);
  });

  it('describes each PATCH and Bulk operation as the readers take it', () => {
    const patch = schemas.PatchOp.properties.Operations;
    expect(patch).toMatchObject({ type: 'array', minItems: 1, items: { type: 'object', required: ['op'] } });
    expect(patch.items.properties.op).toEqual({ type: 'string', enum: ['add', 'remove', 'replace'] });
    expect(Object.keys(patch.items.properties)).toEqual(['op', 'path', 'value']);
    const bulk = schemas.BulkRequest.properties;
    expect(bulk.failOnErrors).toEqual({ type: 'integer', minimum: 0 });
    expect(bulk.Operations.items.properties.method).toEqual({ type: 'string', enum: ['POST', 'PUT', 'PATCH', 'DELETE'] });
    expect(bulk.Operations.items.required).toEqual(['method', 'path']);
    expect(Object.keys(bulk.Operations.items.properties)).toEqual(['method', 'bulkId', 'version', 'path', 'data']);
  });

  it('holds no $schema keyword inside components (an OpenAPI 3.1 schema object is already JSON Schema 2020-12)', () => {
    expect(JSON.stringify(schemas)).not.toContain('"$schema"');
  });
});
