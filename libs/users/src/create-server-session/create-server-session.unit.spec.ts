import { createHash } from 'node:crypto';
import { expectNeedsExistingUser, T_WHEN, userCreated, userSpec } from '../../test/user-events';
import { makeSession } from '../../test/user-fixtures';
import { foldUser } from '../user';
import { newSessionSecret, secretHash } from '../user-secrets';
import { toSessionModel } from '../sessions/session.model';
import { decideCreateServerSession, NewServerSession } from './create-server-session';

const spec = userSpec(decideCreateServerSession);
const HASH = 'ab'.repeat(32);
const request: NewServerSession = { sessionId: 's1', secretHash: HASH, ip: '203.0.113.9', userAgent: 'node-appwrite/27' };

describe('Create session (server): decide', () => {
  it('needs an existing user (never created, or deleted)', () => expectNeedsExistingUser(decideCreateServerSession, { ...request, at: T_WHEN }));

  it('records a `server` session of one year, with the secret only as its hash', () =>
    spec
      .given([userCreated()])
      .when({ ...request, at: T_WHEN })
      .then([
        {
          type: 'SessionCreated',
          occurredAt: T_WHEN,
          data: {
            sessionId: 's1',
            provider: 'server',
            providerUid: '',
            providerAccessToken: '',
            providerAccessTokenExpiry: null,
            providerRefreshToken: '',
            expire: '2024-12-31T00:00:01.000+00:00', // 31,536,000 s = 365 days; 2024 has 366
            ip: '203.0.113.9',
            userAgent: 'node-appwrite/27',
            secretHash: HASH,
            factors: ['server'],
          },
        },
      ]));

  it('makes the session one of the user’s live sessions', () => {
    const events = decideCreateServerSession({ ...request, at: T_WHEN }, foldUser([userCreated()]));
    expect(foldUser([userCreated(), ...events]).sessionIds).toEqual(['s1']);
  });
});

describe('Create session (server): secret and answer', () => {
  it('makes a 128-byte secret (256 lower-case hex) and keeps its SHA-256 hex', () => {
    const secret = newSessionSecret();
    expect(secret).toMatch(/^[0-9a-f]{256}$/);
    expect(newSessionSecret()).not.toBe(secret);
    expect(secretHash(secret)).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(secretHash(secret)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers the 1.5 Session model, fields in Appwrite order, with the raw secret', () => {
    const record = { ...makeSession('p1', 'u1', 's1', T_WHEN), provider: 'server', providerUid: '', expire: '2024-12-31T00:00:01.000+00:00', factors: ['server'], secretHash: HASH, countryCode: '--' };
    const model = toSessionModel(record, 'c0ffee');
    expect(Object.keys(model)).toEqual([
      '$id', '$createdAt', '$updatedAt', 'userId', 'expire', 'provider', 'providerUid', 'providerAccessToken', 'providerAccessTokenExpiry',
      'providerRefreshToken', 'ip', 'osCode', 'osName', 'osVersion', 'clientType', 'clientCode', 'clientName', 'clientVersion', 'clientEngine',
      'clientEngineVersion', 'deviceName', 'deviceBrand', 'deviceModel', 'countryCode', 'countryName', 'current', 'factors', 'secret', 'mfaUpdatedAt',
    ]);
    expect(model).toMatchObject({
      $id: 's1', $createdAt: T_WHEN, $updatedAt: T_WHEN, userId: 'u1', provider: 'server', providerUid: '', providerAccessTokenExpiry: '',
      countryCode: '--', countryName: 'Unknown', current: false, factors: ['server'], secret: 'c0ffee', mfaUpdatedAt: '',
    });
    expect(JSON.stringify(model)).not.toContain(HASH);
  });
});
