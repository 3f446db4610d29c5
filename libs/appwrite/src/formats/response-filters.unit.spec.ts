import { parseResponseFormat } from './response-format';
import { formatResponse, RESPONSE_FILTERS, withoutKeys } from './response-filters';

/**
 * The first format that carries each field of the newest models (users-latest.md §3; models.md
 * for 1.3). Written out independently of RESPONSE_FILTERS, so the table of filters is checked
 * against the spec field by field. `1.0.0`: in the 1.3 shape already.
 */
const SINCE: Record<string, Record<string, string>> = {
  user: {
    $id: '1.0.0', $createdAt: '1.0.0', $updatedAt: '1.0.0', name: '1.0.0', password: '1.0.0', hash: '1.0.0', hashOptions: '1.0.0',
    registration: '1.0.0', status: '1.0.0', labels: '1.4.0', passwordUpdate: '1.0.0', email: '1.0.0', phone: '1.0.0',
    emailVerification: '1.0.0', emailCanonical: '1.4.0', emailIsFree: '1.4.0', emailIsDisposable: '1.4.0', emailIsCorporate: '1.4.0',
    emailIsCanonical: '1.4.0', phoneVerification: '1.0.0', mfa: '1.5.0', prefs: '1.0.0', targets: '1.5.0', accessedAt: '1.4.0',
    impersonator: '1.9.0', impersonatorUserId: '1.9.0',
  },
  session: {
    $id: '1.0.0', $createdAt: '1.0.0', $updatedAt: '1.4.0', userId: '1.0.0', expire: '1.0.0', provider: '1.0.0', providerUid: '1.0.0',
    providerAccessToken: '1.0.0', providerAccessTokenExpiry: '1.0.0', providerRefreshToken: '1.0.0', ip: '1.0.0', osCode: '1.0.0',
    osName: '1.0.0', osVersion: '1.0.0', clientType: '1.0.0', clientCode: '1.0.0', clientName: '1.0.0', clientVersion: '1.0.0',
    clientEngine: '1.0.0', clientEngineVersion: '1.0.0', deviceName: '1.0.0', deviceBrand: '1.0.0', deviceModel: '1.0.0',
    countryCode: '1.0.0', countryName: '1.0.0', current: '1.0.0', factors: '1.5.0', secret: '1.5.0', mfaUpdatedAt: '1.4.0',
  },
  membership: {
    $id: '1.0.0', $createdAt: '1.0.0', $updatedAt: '1.0.0', userId: '1.0.0', userName: '1.0.0', userEmail: '1.0.0', userPhone: '1.9.1',
    teamId: '1.0.0', teamName: '1.0.0', invited: '1.0.0', joined: '1.0.0', confirm: '1.0.0', mfa: '1.5.0', userAccessedAt: '1.4.0', roles: '1.0.0',
  },
  log: {
    event: '1.0.0', userId: '1.0.0', userEmail: '1.0.0', userName: '1.0.0', mode: '1.0.0', userType: '1.4.0', ip: '1.0.0', time: '1.0.0',
    osCode: '1.0.0', countryName: '1.0.0',
  },
  token: { $id: '1.0.0', $createdAt: '1.0.0', userId: '1.0.0', secret: '1.0.0', expire: '1.0.0', phrase: '1.5.0' },
  // Only routes of 1.5 and later answer a Target; Appwrite never filters it (1.7's `expired` included).
  target: { $id: '1.0.0', $createdAt: '1.0.0', $updatedAt: '1.0.0', name: '1.0.0', userId: '1.0.0', providerId: '1.0.0', providerType: '1.0.0', identifier: '1.0.0', expired: '1.0.0' },
};

/** Every format a generation of SDKs sends, and the edges of every filter. */
const FORMATS = ['1.0.0', '1.3.8', '1.4.0', '1.4.9', '1.5.0', '1.6.0', '1.7.0', '1.8.0', '1.8.1', '1.9.0', '1.9.1', '1.9.5', '1.9.6'];
const carried = (model: string, format: string) => Object.keys(SINCE[model]).filter((field) => parseResponseFormat(format).version.localeCompare(SINCE[model][field], undefined, { numeric: true }) >= 0);
const newest = (model: string) => Object.fromEntries(Object.keys(SINCE[model]).map((field) => [field, `${model}.${field}`]));

describe('response filters', () => {
  it.each(Object.keys(SINCE).flatMap((model) => FORMATS.map((format) => [model, format])))('%s in format %s carries exactly the fields of its release, in order', (model, format) => {
    expect(Object.keys(formatResponse(model, newest(model), parseResponseFormat(format)) as object)).toEqual(carried(model, format));
  });

  it('filters every item of a list model, and keeps the total', () => {
    const list = { total: 2, users: [newest('user'), newest('user')] };
    const old = formatResponse('userList', list, parseResponseFormat('1.0.0')) as { total: number; users: object[] };
    expect(old.total).toBe(2);
    expect(old.users.map((u) => Object.keys(u))).toEqual([carried('user', '1.0.0'), carried('user', '1.0.0')]);
  });

  it('answers the newest format unchanged, and leaves models without filters and non-objects alone', () => {
    const user = newest('user');
    expect(formatResponse('user', user, parseResponseFormat(undefined))).toBe(user);
    expect(formatResponse('jwt', { jwt: 'x' }, parseResponseFormat('1.0.0'))).toEqual({ jwt: 'x' });
    expect(formatResponse('user', null, parseResponseFormat('1.0.0'))).toBeNull();
  });

  it('shows users.createSession\'s secret encoded from 1.7.0 on, raw before', () => {
    const encoded = Buffer.from(JSON.stringify({ id: 'u1', secret: 'ab'.repeat(128) })).toString('base64');
    const session = { ...newest('session'), secret: encoded };
    expect((formatResponse('session', session, parseResponseFormat('1.7.0')) as { secret: string }).secret).toBe(encoded);
    expect((formatResponse('session', session, parseResponseFormat('1.6.0')) as { secret: string }).secret).toBe('ab'.repeat(128));
    expect((formatResponse('session', { ...session, secret: '' }, parseResponseFormat('1.6.0')) as { secret: string }).secret).toBe('');
  });

  it('runs newest first, each filter a pure function of the model', () => {
    const belows = RESPONSE_FILTERS.map((f) => f.below);
    expect([...belows].sort((a, b) => b.localeCompare(a, undefined, { numeric: true }))).toEqual(belows);
    const body = { a: 1, b: 2, c: 3 };
    expect(withoutKeys('b')(body)).toEqual({ a: 1, c: 3 });
    expect(body).toEqual({ a: 1, b: 2, c: 3 });
  });
});
