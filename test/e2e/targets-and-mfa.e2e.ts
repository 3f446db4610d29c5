import { startTestStack, TestStack } from '../support/test-stack';

/** Targets, MFA and the other 1.4–1.9 Users routes over raw HTTP: the rules the SDK suites do not reach. */
let gw: TestStack;
beforeAll(async () => {
  gw = await startTestStack();
  for (const [userId, email] of [['tg-ann', 'ann@targets.io'], ['tg-bob', 'bob@targets.io']]) {
    expect((await gw.http('POST', '/v1/users', { userId, email, password: 'password-123' })).status).toBe(201);
  }
});
afterAll(() => gw?.close());

const error = (r: { status: number; body: { type: string } }) => [r.status, r.body.type];

describe('targets', () => {
  it('creates, lists with queries, gets, updates and deletes a target', async () => {
    const created = await gw.http('POST', '/v1/users/tg-ann/targets', { targetId: 'ann-push', providerType: 'push', identifier: 'device-token-1', name: 'Phone' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ $id: 'ann-push', userId: 'tg-ann', providerType: 'push', identifier: 'device-token-1', name: 'Phone', providerId: null, expired: false });
    const all = await gw.http('GET', '/v1/users/tg-ann/targets');
    expect([all.body.total, all.body.targets.map((t: { providerType: string }) => t.providerType)]).toEqual([2, ['email', 'push']]);
    const pushes = await gw.http('GET', `/v1/users/tg-ann/targets?queries[]=${encodeURIComponent('equal("providerType", ["push"])')}&total=false`);
    expect([pushes.body.total, pushes.body.targets.map((t: { $id: string }) => t.$id)]).toEqual([0, ['ann-push']]);
    const updated = await gw.http('PATCH', '/v1/users/tg-ann/targets/ann-push', { identifier: 'device-token-2' });
    expect([updated.status, updated.body.identifier, updated.body.name, updated.body.$createdAt]).toEqual([200, 'device-token-2', 'Phone', created.body.$createdAt]);
    expect(error(await gw.http('PATCH', '/v1/users/tg-ann/targets/ann-push', { providerId: 'nope' }))).toEqual([404, 'provider_not_found']);
    expect((await gw.http('DELETE', '/v1/users/tg-ann/targets/ann-push')).status).toBe(204);
    expect(error(await gw.http('GET', '/v1/users/tg-ann/targets/ann-push'))).toEqual([404, 'user_target_not_found']);
  });

  it('checks identifiers by type, before anything else', async () => {
    expect(error(await gw.http('POST', '/v1/users/tg-ann/targets', { targetId: 'x1', providerType: 'email', identifier: 'not-an-email' }))).toEqual([400, 'general_invalid_email']);
    expect(error(await gw.http('POST', '/v1/users/nobody/targets', { targetId: 'x1', providerType: 'sms', identifier: '12345' }))).toEqual([400, 'general_invalid_phone']);
    expect(error(await gw.http('POST', '/v1/users/nobody/targets', { targetId: 'x1', providerType: 'sms', identifier: '+12345' }))).toEqual([404, 'user_not_found']);
    expect(error(await gw.http('POST', '/v1/users/tg-ann/targets', { targetId: 'x1', providerType: 'fax', identifier: '1' }))).toEqual([400, 'general_argument_invalid']);
  });

  it('keeps target ids and identifiers unique in the project, and frees them with the target or the user', async () => {
    expect((await gw.http('POST', '/v1/users/tg-ann/targets', { targetId: 'shared-id', providerType: 'push', identifier: 'tok-a' })).status).toBe(201);
    expect(error(await gw.http('POST', '/v1/users/tg-bob/targets', { targetId: 'shared-id', providerType: 'push', identifier: 'tok-b' }))).toEqual([409, 'user_target_already_exists']);
    expect(error(await gw.http('POST', '/v1/users/tg-bob/targets', { targetId: 'other-id', providerType: 'push', identifier: 'tok-a' }))).toEqual([409, 'user_target_already_exists']);
    // Another user's email is taken as a target identifier too, and the other way round.
    expect(error(await gw.http('POST', '/v1/users/tg-bob/targets', { targetId: 'bob-mail', providerType: 'email', identifier: 'ann@targets.io' }))).toEqual([409, 'user_target_already_exists']);
    expect((await gw.http('POST', '/v1/users/tg-bob/targets', { targetId: 'bob-work', providerType: 'email', identifier: 'work@targets.io' })).status).toBe(201);
    expect(error(await gw.http('PATCH', '/v1/users/tg-ann/email', { email: 'work@targets.io' }))).toEqual([409, 'user_email_already_exists']);
    expect((await gw.http('DELETE', '/v1/users/tg-ann/targets/shared-id')).status).toBe(204);
    expect((await gw.http('POST', '/v1/users/tg-bob/targets', { targetId: 'shared-id', providerType: 'push', identifier: 'tok-a' })).status).toBe(201);
    expect((await gw.http('DELETE', '/v1/users/tg-bob')).status).toBe(204);
    expect((await gw.http('PATCH', '/v1/users/tg-ann/email', { email: 'work@targets.io' })).status).toBe(200);
    expect((await gw.http('POST', '/v1/users/tg-ann/targets', { targetId: 'shared-id', providerType: 'push', identifier: 'tok-a' })).status).toBe(201);
  });
});

describe('MFA', () => {
  it('turns MFA on, issues recovery codes once, shows them again and regenerates them', async () => {
    expect((await gw.http('PATCH', '/v1/users/tg-ann/mfa', { mfa: true })).body.mfa).toBe(true);
    expect(error(await gw.http('GET', '/v1/users/tg-ann/mfa/recovery-codes'))).toEqual([404, 'user_recovery_codes_not_found']);
    expect(error(await gw.http('PUT', '/v1/users/tg-ann/mfa/recovery-codes'))).toEqual([404, 'user_recovery_codes_not_found']);
    const created = await gw.http('PATCH', '/v1/users/tg-ann/mfa/recovery-codes');
    expect(created.status).toBe(201);
    expect(created.body.recoveryCodes).toHaveLength(6);
    expect(error(await gw.http('PATCH', '/v1/users/tg-ann/mfa/recovery-codes'))).toEqual([409, 'user_recovery_codes_already_exists']);
    expect((await gw.http('GET', '/v1/users/tg-ann/mfa/recovery-codes')).body).toEqual(created.body);
    const renewed = await gw.http('PUT', '/v1/users/tg-ann/mfa/recovery-codes');
    expect([renewed.status, renewed.body.recoveryCodes.length]).toEqual([200, 6]);
    expect(renewed.body.recoveryCodes).not.toEqual(created.body.recoveryCodes);
    expect((await gw.http('GET', '/v1/users/tg-ann/mfa/factors')).body).toEqual({ totp: false, phone: false, email: false, recoveryCode: true, custom: false });
    expect(error(await gw.http('DELETE', '/v1/users/tg-ann/mfa/authenticators/totp'))).toEqual([404, 'user_authenticator_not_found']);
    expect(error(await gw.http('DELETE', '/v1/users/tg-ann/mfa/authenticators/sms'))).toEqual([400, 'general_argument_invalid']);
  });

  it('never lets a recovery code into the event log', async () => {
    const codes: string[] = (await gw.http('GET', '/v1/users/tg-ann/mfa/recovery-codes')).body.recoveryCodes;
    const log = JSON.stringify(await gw.allEvents());
    expect(log).toContain('MfaRecoveryCodesIssued');
    for (const code of codes) expect(log).not.toContain(code);
  });
});

describe('routes for what only the Account API makes', () => {
  it('answers empty lists and specific 404s, never route-not-found', async () => {
    expect((await gw.http('GET', '/v1/users/identities')).body).toEqual({ total: 0, identities: [] });
    expect(error(await gw.http('GET', `/v1/users/identities?queries[]=${encodeURIComponent('equal("nope", ["x"])')}`))).toEqual([400, 'general_argument_invalid']);
    expect(error(await gw.http('DELETE', '/v1/users/identities/some-id'))).toEqual([404, 'user_identity_not_found']);
    expect((await gw.http('GET', '/v1/users/tg-ann/passkeys')).body).toEqual({ total: 0, passkeys: [] });
    expect(error(await gw.http('GET', '/v1/users/tg-ann/passkeys/pk1'))).toEqual([404, 'user_passkey_not_found']);
    expect(error(await gw.http('PATCH', '/v1/users/tg-ann/passkeys/pk1', { name: 'Key' }))).toEqual([404, 'user_passkey_not_found']);
    expect(error(await gw.http('DELETE', '/v1/users/tg-ann/passkeys/pk1'))).toEqual([404, 'user_passkey_not_found']);
    expect(error(await gw.http('GET', '/v1/users/tg-ann/mfa/challenges/ch1'))).toEqual([404, 'user_challenge_not_found']);
    expect(error(await gw.http('GET', '/v1/users/nobody/passkeys'))).toEqual([404, 'user_not_found']);
  });

  it('replaces labels, and refuses what Appwrite refuses', async () => {
    expect((await gw.http('PUT', '/v1/users/tg-ann/labels', { labels: ['b', 'a', 'b'] })).body.labels).toEqual(['b', 'a']);
    const bad = await gw.http('PUT', '/v1/users/tg-ann/labels', { labels: ['no-dash'] });
    expect([bad.status, bad.body.message]).toEqual([400, expect.stringMatching(/^Invalid labels: Value must a valid array no longer than 1000 items and Value must be a valid string/)]);
    expect((await gw.http('PATCH', '/v1/users/tg-ann/impersonator', { impersonator: true })).body.impersonator).toBe(true);
  });
});
