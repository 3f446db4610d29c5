import { expectNeedsExistingUser, T_WHEN, userCreated, userDeleted, userSpec } from '../../test/user-events';
import { foldUser } from '../user';
import type { UserEvent } from '../user.events';
import { newTokenSecret } from '../user-secrets';
import { CreatedToken, decideCreateToken, NewToken, toTokenModel } from './create-token';

const spec = userSpec(decideCreateToken);
const HASH = 'cd'.repeat(32);
const request: NewToken = { tokenId: 't1', secretHash: HASH, expireSeconds: 900 };
const tokenCreated = (tokenId: string): UserEvent => ({ type: 'TokenCreated', occurredAt: T_WHEN, data: { tokenId, secretHash: HASH, expire: '2024-01-01T00:15:01.000+00:00' } });

describe('Create token: decide', () => {
  it('needs an existing user (never created, or deleted)', () => expectNeedsExistingUser(decideCreateToken, { ...request, at: T_WHEN }));

  it('records the token with its expiry and the secret only as its hash', () =>
    spec.given([userCreated()]).when({ ...request, at: T_WHEN }).then([tokenCreated('t1')]));

  it('expires `expireSeconds` after now', () =>
    spec
      .given([userCreated()])
      .when({ ...request, expireSeconds: 31_536_000, at: T_WHEN })
      .then([{ type: 'TokenCreated', occurredAt: T_WHEN, data: { tokenId: 't1', secretHash: HASH, expire: '2024-12-31T00:00:01.000+00:00' } }]));
});

describe('Create token: evolve', () => {
  it('keeps the user’s token ids in creation order', () => {
    expect(foldUser([userCreated(), tokenCreated('t1'), tokenCreated('t2')]).tokenIds).toEqual(['t1', 't2']);
  });

  it('drops the tokens with the user: a re-created user has none', () => {
    expect(foldUser([userCreated(), tokenCreated('t1'), userDeleted()]).tokenIds).toEqual([]);
    expect(foldUser([userCreated(), tokenCreated('t1'), userDeleted(), userCreated()]).tokenIds).toEqual([]);
  });

  it('touches neither the user record nor the sessions', () => {
    const before = foldUser([userCreated()]);
    const after = foldUser([userCreated(), tokenCreated('t1')]);
    expect(after.user).toEqual(before.user);
    expect(after.sessionIds).toEqual([]);
  });
});

describe('Create token: secret and answer', () => {
  it.each([4, 5, 6, 127, 128])('makes a secret of %i lower-case hex chars', (length) => {
    expect(newTokenSecret(length)).toMatch(new RegExp(`^[0-9a-f]{${length}}$`));
  });

  it('answers the 1.5 Token model with the raw secret and an empty phrase', () => {
    const token: CreatedToken = { tokenId: 't1', secretHash: HASH, expire: '2024-01-01T00:15:01.000+00:00', createdAt: T_WHEN };
    const model = toTokenModel('u1', token, 'a1b2c3');
    expect(model).toEqual({ $id: 't1', $createdAt: T_WHEN, userId: 'u1', secret: 'a1b2c3', expire: '2024-01-01T00:15:01.000+00:00', phrase: '' });
    expect(Object.keys(model)).toEqual(['$id', '$createdAt', 'userId', 'secret', 'expire', 'phrase']);
  });
});
