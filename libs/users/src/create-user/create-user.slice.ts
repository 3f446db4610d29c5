import { EndpointDef, endpointController, EndpointRun, Slice } from '@lib/http';
import { GetUserQuery } from '../get-user/get-user';
import type { StoredPassword } from '../user.events';
import { CreateUserCommand, CreateUserHandler, IncomingPassword } from './create-user';
import * as E from './create-user.endpoints';

type P = Record<string, any>;

const create =
  (password: (p: P) => IncomingPassword, phone: (p: P) => string | null = () => null): EndpointRun =>
  async ({ commands, queries }, ctx, p) => {
    const userId = await commands.execute<CreateUserCommand, string>(
      new CreateUserCommand(ctx, { userId: p.userId, email: p.email ?? null, phone: phone(p), name: p.name, password: password(p) }),
    );
    return queries.execute(new GetUserQuery(ctx.projectId, userId));
  };

/** An import: the hash as the other system stored it, with the options Appwrite records for it. */
const imported = (hash: string, hashOptions: (p: P) => StoredPassword['hashOptions']) =>
  create((p) => ({ kind: 'hashed', stored: { password: p.password, hash, hashOptions: hashOptions(p) } }));

const ROUTES: Array<[EndpointDef, EndpointRun]> = [
  [E.CREATE_USER, create((p) => (p.password ? { kind: 'plain', plain: p.password } : { kind: 'none' }), (p) => p.phone ?? null)],
  [E.CREATE_BCRYPT_USER, imported('bcrypt', () => ({ type: 'bcrypt' }))],
  [E.CREATE_MD5_USER, imported('md5', () => ({ type: 'md5' }))],
  [E.CREATE_ARGON2_USER, imported('argon2', () => ({ type: 'argon2' }))],
  // The version keeps the caller's casing, as Appwrite stores it.
  [E.CREATE_SHA_USER, imported('sha', (p) => (p.passwordVersion ? { version: p.passwordVersion, type: 'sha' } : { type: 'sha' }))],
  [E.CREATE_PHPASS_USER, imported('phpass', () => ({ type: 'phpass' }))],
  [
    E.CREATE_SCRYPT_USER,
    imported('scrypt', (p) => ({ salt: p.passwordSalt, costCpu: p.passwordCpu, costMemory: p.passwordMemory, costParallel: p.passwordParallel, length: p.passwordLength, type: 'scrypt' })),
  ],
  [E.CREATE_SCRYPT_MODIFIED_USER, imported('scryptMod', (p) => ({ signerKey: p.passwordSignerKey, saltSeparator: p.passwordSaltSeparator, salt: p.passwordSalt, type: 'scryptMod' }))],
];

/** Create User and the seven hash imports: one command, eight routes. */
export const createUserSlice: Slice = {
  endpoints: ROUTES.map(([def]) => def),
  controllers: ROUTES.map(([def, run]) => endpointController(def, run)),
  providers: [CreateUserHandler],
};
