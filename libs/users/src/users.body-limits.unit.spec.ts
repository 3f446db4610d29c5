import { ASSOC_MAX_BYTES } from '@lib/appwrite';
import { BODY_ENVELOPE_BYTES, bodyPolicies as policiesOf, bodyPolicyKey, bodyPolicyOf as policyOf, GENERIC_OVERSIZE_MESSAGE } from '@lib/http';
import { USERS_BODY_ALLOWANCES as BODY_PARAM_ALLOWANCES } from './users.body-limits';
import { USERS_ENDPOINTS } from './users.module';
import { MAX_IMPORT_BYTES } from './import-users/import-users';

const bodyPolicyOf = (e: Parameters<typeof policyOf>[0]) => policyOf(e, BODY_PARAM_ALLOWANCES);
const bodyPolicies = (e: Parameters<typeof policiesOf>[0]) => policiesOf(e, BODY_PARAM_ALLOWANCES);

const policy = (sdkMethod: string) => bodyPolicyOf(USERS_ENDPOINTS.find((e) => e.sdkMethod === sdkMethod)!);

describe('body limits per route', () => {
  it('has an allowance for every body parameter of every endpoint', () => {
    const names = new Set(USERS_ENDPOINTS.flatMap((e) => e.params.filter((p) => p.in === 'body').map((p) => p.name)));
    expect([...names].filter((n) => !(n in BODY_PARAM_ALLOWANCES))).toEqual([]);
    // One policy per route: no two endpoints share a method and path.
    expect(bodyPolicies(USERS_ENDPOINTS).size).toBe(USERS_ENDPOINTS.length);
  });

  it('fits prefs: room for 65,535 bytes in PHP encoding written spaciously, far below 1.9 MB', () => {
    const prefs = policy('users.updatePrefs');
    expect(prefs.limit).toBeGreaterThanOrEqual(2 * ASSOC_MAX_BYTES);
    expect(prefs.limit).toBeLessThan(160 * 1024);
    expect(prefs.oversizeMessage).toBe('Invalid prefs: Value must be a valid object.');
  });

  it('gives the other routes a few KiB, derived from their parameters', () => {
    for (const e of USERS_ENDPOINTS.filter((x) => !['users.updatePrefs', 'users.updateLabels', 'users.importUsers'].includes(x.sdkMethod))) {
      expect([e.sdkMethod, bodyPolicyOf(e).limit < 32 * 1024]).toEqual([e.sdkMethod, true]);
    }
    expect(policy('users.get').limit).toBe(BODY_ENVELOPE_BYTES);
    expect(policy('users.updateName').limit).toBeGreaterThan(128 * 12);
    expect(policy('users.updateName').oversizeMessage).toBe('Invalid name: Value must be a valid string and at least 1 chars and no longer than 128 chars');
    // Appwrite 1.3 sets passwords no maximum, so its rule cannot explain a too-large body.
    expect(policy('users.create').oversizeMessage).toBe(GENERIC_OVERSIZE_MESSAGE);
    expect(policy('users.updatePassword').oversizeMessage).toBe(GENERIC_OVERSIZE_MESSAGE);
  });

  it('fits 1000 labels of 36 characters, and no more than about twice that', () => {
    const labels = policy('users.updateLabels');
    expect(labels.limit).toBeGreaterThan(JSON.stringify({ labels: Array.from({ length: 1000 }, () => 'x'.repeat(36)) }).length);
    expect(labels.limit).toBeLessThan(512 * 1024);
  });

  it('gives the import of JSON lines what it declares: 10,000 users of about 3 KiB', () => {
    expect(policy('users.importUsers')).toEqual({ limit: MAX_IMPORT_BYTES, oversizeMessage: GENERIC_OVERSIZE_MESSAGE });
    expect(MAX_IMPORT_BYTES).toBe(32 * 1024 * 1024);
  });

  it('keys policies as Fastify names routes', () => {
    expect(bodyPolicies(USERS_ENDPOINTS).get(bodyPolicyKey('patch', '/v1/users/:userId/prefs'))).toEqual(policy('users.updatePrefs'));
  });

  it('refuses an endpoint whose body parameter has no allowance', () => {
    const e = USERS_ENDPOINTS.find((x) => x.sdkMethod === 'users.updateName')!;
    expect(() => bodyPolicyOf({ ...e, params: [{ ...e.params[1], name: 'nickname' }] })).toThrow(/No body allowance for param "nickname"/);
  });
});
