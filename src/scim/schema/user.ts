import { attr, complex, type AttributeDef, type SchemaDef } from './types';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** A multi-valued complex attribute of the usual shape (RFC 7643 §2.4): value, display, type, primary. */
function multiValued(name: string, description: string, types: string[], valueType: 'string' | 'reference' | 'binary' = 'string'): AttributeDef {
  return complex(
    name,
    [
      attr('value', valueType, { description: `The ${name} value.` }),
      attr('display', 'string', { description: 'A human-readable name, primarily used for display purposes.' }),
      attr('type', 'string', { description: 'A label indicating the attribute\'s function.', canonicalValues: types }),
      attr('primary', 'boolean', { description: 'Indicates the primary or preferred value.' }),
    ],
    { multiValued: true, description },
  );
}

// RFC 7643 §4.1 and §8.7.1.
export const userSchema: SchemaDef = {
  id: USER_SCHEMA,
  name: 'User',
  description: 'User Account',
  attributes: [
    attr('userName', 'string', {
      description: 'Unique identifier for the User, used to authenticate. Unique per tenant, case-insensitively.',
      required: true,
      uniqueness: 'server',
    }),
    complex(
      'name',
      [
        attr('formatted', 'string'),
        attr('familyName', 'string'),
        attr('givenName', 'string'),
        attr('middleName', 'string'),
        attr('honorificPrefix', 'string'),
        attr('honorificSuffix', 'string'),
      ],
      { description: "The components of the user's real name." },
    ),
    attr('displayName', 'string', { description: 'The name of the User, suitable for display to end-users.' }),
    attr('nickName', 'string', { description: 'The casual way to address the user.' }),
    attr('profileUrl', 'reference', { description: "A fully qualified URL pointing to the User's online profile." }),
    attr('title', 'string', { description: "The user's title, such as \"Vice President\"." }),
    attr('userType', 'string', { description: 'Used to identify the relationship between the organization and the user.' }),
    attr('preferredLanguage', 'string', { description: "The User's preferred written or spoken language." }),
    attr('locale', 'string', { description: "The User's default location for localizing output." }),
    attr('timezone', 'string', { description: "The User's time zone in the IANA Time Zone database format." }),
    attr('active', 'boolean', { description: "The User's administrative status." }),
    attr('password', 'string', {
      description: "The User's cleartext password; write-only, never returned.",
      mutability: 'writeOnly',
      returned: 'never',
    }),
    multiValued('emails', 'Email addresses for the user.', ['work', 'home', 'other']),
    multiValued('phoneNumbers', 'Phone numbers for the User.', ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
    multiValued('ims', 'Instant messaging addresses for the User.', ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo']),
    multiValued('photos', 'URLs of photos of the User.', ['photo', 'thumbnail'], 'reference'),
    complex(
      'addresses',
      [
        attr('formatted', 'string'),
        attr('streetAddress', 'string'),
        attr('locality', 'string'),
        attr('region', 'string'),
        attr('postalCode', 'string'),
        attr('country', 'string'),
        attr('type', 'string', { canonicalValues: ['work', 'home', 'other'] }),
        attr('primary', 'boolean'),
      ],
      { multiValued: true, description: 'A physical mailing address for this User.' },
    ),
    // RFC 7643 §4.1.2: read-only, computed from group membership (direct and indirect).
    complex(
      'groups',
      [
        attr('value', 'string', { mutability: 'readOnly', caseExact: true }),
        attr('$ref', 'reference', { mutability: 'readOnly', referenceTypes: ['User', 'Group'] }),
        attr('display', 'string', { mutability: 'readOnly' }),
        attr('type', 'string', { mutability: 'readOnly', canonicalValues: ['direct', 'indirect'] }),
      ],
      { multiValued: true, mutability: 'readOnly', description: 'A list of groups to which the user belongs.' },
    ),
    multiValued('entitlements', 'A list of entitlements for the User.', []),
    multiValued('roles', 'A list of roles for the User.', []),
    multiValued('x509Certificates', 'A list of certificates issued to the User.', [], 'binary'),
  ],
};

// RFC 7643 §4.3.
export const enterpriseUserSchema: SchemaDef = {
  id: ENTERPRISE_USER_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    attr('employeeNumber', 'string', { description: 'Numeric or alphanumeric identifier assigned to a person.' }),
    attr('costCenter', 'string', { description: 'Identifies the name of a cost center.' }),
    attr('organization', 'string', { description: 'Identifies the name of an organization.' }),
    attr('division', 'string', { description: 'Identifies the name of a division.' }),
    attr('department', 'string', { description: 'Identifies the name of a department.' }),
    complex(
      'manager',
      [
        attr('value', 'string', { caseExact: true, description: 'The id of the SCIM resource representing the manager.' }),
        attr('$ref', 'reference', { referenceTypes: ['User'], description: 'The URI of the manager resource.' }),
        attr('displayName', 'string', { mutability: 'readOnly', description: 'The displayName of the manager.' }),
      ],
      { description: "The User's manager." },
    ),
  ],
};
