import { EndpointDef, endpointController, EndpointRun, Slice } from '@lib/http';
import { GetUserQuery } from '../get-user/get-user';
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
const imported = (hash: E.ImportedHash): [EndpointDef, EndpointRun] => [
  E.HASH_IMPORTS[hash].endpoint,
  create((p) => ({ kind: 'hashed', stored: { password: p.password, hash, hashOptions: E.HASH_IMPORTS[hash].hashOptions(p) } })),
];

const ROUTES: Array<[EndpointDef, EndpointRun]> = [
  [E.CREATE_USER, create((p) => (p.password ? { kind: 'plain', plain: p.password } : { kind: 'none' }), (p) => p.phone ?? null)],
  ...(Object.keys(E.HASH_IMPORTS) as E.ImportedHash[]).map(imported),
];

/** Create User and the seven hash imports: one command, eight routes. */
export const createUserSlice: Slice = {
  endpoints: ROUTES.map(([def]) => def),
  controllers: ROUTES.map(([def, run]) => endpointController(def, run)),
  providers: [CreateUserHandler],
};
