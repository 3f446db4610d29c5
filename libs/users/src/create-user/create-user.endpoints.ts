import { Rules } from '@lib/appwrite';
import { bodyParam, EndpointDef } from '@lib/http';
import { userSuccess } from '../user-answer';
import type { StoredPassword } from '../user.events';
import { emailBody, hashedPasswordBody, nameBody, newUserId } from '../user-params';

const created = userSuccess(201);
const write = { method: 'POST' as const, scope: 'users.write', tag: 'users', success: created };

export const SHA_VERSIONS = ['sha1', 'sha224', 'sha256', 'sha384', 'sha512/224', 'sha512/256', 'sha512', 'sha3-224', 'sha3-256', 'sha3-384', 'sha3-512'];

export const CREATE_USER: EndpointDef = {
  ...write,
  path: '/v1/users',
  sdkMethod: 'users.create',
  summary: 'Create User',
  params: [
    newUserId,
    emailBody(false),
    bodyParam('phone', Rules.Phone, 'string', 'Phone number. Format this number with a leading \'+\' and a country code, e.g., +16175551212.', { default: null, example: '+12065550100' }),
    bodyParam('password', Rules.PasswordDictionary(), 'string', 'Plain text user password. Must be at least 8 chars.', { default: '' }),
    nameBody,
  ],
};

const importEndpoint = (path: string, sdkMethod: string, summary: string, passwordDescription: string, extra: EndpointDef['params'] = []): EndpointDef => ({
  ...write,
  path,
  sdkMethod,
  summary,
  params: [newUserId, emailBody(true), hashedPasswordBody(passwordDescription), ...extra, nameBody],
});

export const CREATE_BCRYPT_USER = importEndpoint('/v1/users/bcrypt', 'users.createBcryptUser', 'Create User with Bcrypt Password', 'User password hashed using Bcrypt.');
export const CREATE_MD5_USER = importEndpoint('/v1/users/md5', 'users.createMD5User', 'Create User with MD5 Password', 'User password hashed using MD5.');
export const CREATE_ARGON2_USER = importEndpoint('/v1/users/argon2', 'users.createArgon2User', 'Create User with Argon2 Password', 'User password hashed using Argon2.');
export const CREATE_SHA_USER = importEndpoint('/v1/users/sha', 'users.createSHAUser', 'Create User with SHA Password', 'User password hashed using SHA.', [
  bodyParam('passwordVersion', Rules.WhiteList(SHA_VERSIONS, true), 'string', 'Optional SHA version used to hash password. Allowed values are: \'sha1\', \'sha224\', \'sha256\', \'sha384\', \'sha512/224\', \'sha512/256\', \'sha512\', \'sha3-224\', \'sha3-256\', \'sha3-384\', \'sha3-512\'', { default: '' }),
]);
export const CREATE_PHPASS_USER = importEndpoint('/v1/users/phpass', 'users.createPHPassUser', 'Create User with PHPass Password', 'User password hashed using PHPass.');
export const CREATE_SCRYPT_USER = importEndpoint('/v1/users/scrypt', 'users.createScryptUser', 'Create User with Scrypt Password', 'User password hashed using Scrypt.', [
  bodyParam('passwordSalt', Rules.Text(128), 'string', 'Salt used to hash password.', { required: true }),
  bodyParam('passwordCpu', Rules.IntegerStrict, 'integer', 'CPU cost used to hash password.', { required: true }),
  bodyParam('passwordMemory', Rules.IntegerStrict, 'integer', 'Memory cost used to hash password.', { required: true }),
  bodyParam('passwordParallel', Rules.IntegerStrict, 'integer', 'Parallelization cost used to hash password.', { required: true }),
  bodyParam('passwordLength', Rules.IntegerStrict, 'integer', 'Length used to hash password.', { required: true }),
]);
export const CREATE_SCRYPT_MODIFIED_USER = importEndpoint('/v1/users/scrypt-modified', 'users.createScryptModifiedUser', 'Create User with Scrypt Modified Password', 'User password hashed using Scrypt Modified.', [
  bodyParam('passwordSalt', Rules.Text(128), 'string', 'Salt used to hash password.', { required: true }),
  bodyParam('passwordSaltSeparator', Rules.Text(128), 'string', 'Salt separator used to hash password.', { required: true }),
  bodyParam('passwordSignerKey', Rules.Text(128), 'string', 'Signer key used to hash password.', { required: true }),
]);

type P = Record<string, any>;

/** A hash import: its route, and the options Appwrite records for the hash from the route's params. */
export interface HashImport {
  endpoint: EndpointDef;
  hashOptions(params: P): StoredPassword['hashOptions'];
}

/** The seven hash imports by the `hash` name Appwrite stores (the bulk import reads these too). */
export const HASH_IMPORTS = {
  bcrypt: { endpoint: CREATE_BCRYPT_USER, hashOptions: () => ({ type: 'bcrypt' }) },
  md5: { endpoint: CREATE_MD5_USER, hashOptions: () => ({ type: 'md5' }) },
  argon2: { endpoint: CREATE_ARGON2_USER, hashOptions: () => ({ type: 'argon2' }) },
  // The version keeps the caller's casing, as Appwrite stores it.
  sha: { endpoint: CREATE_SHA_USER, hashOptions: (p) => (p.passwordVersion ? { version: p.passwordVersion, type: 'sha' } : { type: 'sha' }) },
  phpass: { endpoint: CREATE_PHPASS_USER, hashOptions: () => ({ type: 'phpass' }) },
  scrypt: {
    endpoint: CREATE_SCRYPT_USER,
    hashOptions: (p) => ({ salt: p.passwordSalt, costCpu: p.passwordCpu, costMemory: p.passwordMemory, costParallel: p.passwordParallel, length: p.passwordLength, type: 'scrypt' }),
  },
  scryptMod: { endpoint: CREATE_SCRYPT_MODIFIED_USER, hashOptions: (p) => ({ signerKey: p.passwordSignerKey, saltSeparator: p.passwordSaltSeparator, salt: p.passwordSalt, type: 'scryptMod' }) },
} satisfies Record<string, HashImport>;

export type ImportedHash = keyof typeof HASH_IMPORTS;
