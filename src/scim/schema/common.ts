import { attr, complex, type AttributeDef } from './types';

// RFC 7643 §3.1: attributes every resource carries, outside any schema's attribute list.
export const commonAttributes: AttributeDef[] = [
  attr('id', 'string', {
    description: 'Unique identifier for the resource, assigned by the service provider.',
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
  }),
  attr('externalId', 'string', {
    description: 'Identifier of the resource as defined by the provisioning client.',
    caseExact: true,
  }),
  complex(
    'meta',
    [
      attr('resourceType', 'string', { caseExact: true, mutability: 'readOnly' }),
      attr('created', 'dateTime', { mutability: 'readOnly' }),
      attr('lastModified', 'dateTime', { mutability: 'readOnly' }),
      attr('location', 'reference', { mutability: 'readOnly', caseExact: true, referenceTypes: ['uri'] }),
      attr('version', 'string', { mutability: 'readOnly', caseExact: true }),
    ],
    { description: 'Resource metadata.', mutability: 'readOnly' },
  ),
];
