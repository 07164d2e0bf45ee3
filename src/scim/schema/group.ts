import { attr, complex, type SchemaDef } from './types';

export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

// RFC 7643 §4.2 and §8.7.1. Members live in their own table (docs/storage.md).
export const groupSchema: SchemaDef = {
  id: GROUP_SCHEMA,
  name: 'Group',
  description: 'Group',
  attributes: [
    attr('displayName', 'string', { description: 'A human-readable name for the Group.', required: true }),
    complex(
      'members',
      [
        attr('value', 'string', { mutability: 'immutable', caseExact: true, description: 'Identifier of the member.' }),
        attr('$ref', 'reference', { mutability: 'immutable', referenceTypes: ['User', 'Group'], description: 'The URI of the member.' }),
        attr('display', 'string', { description: 'A human-readable name of the member.' }),
        attr('type', 'string', { mutability: 'immutable', canonicalValues: ['User', 'Group'], description: 'The type of the member.' }),
      ],
      { multiValued: true, description: 'A list of members of the Group.' },
    ),
  ],
};
