import { expectNeedsExistingUser, isUserError, T_WHEN, userCreated, userSpec } from '../../test/user-events';
import type { SealedSecret } from '../user.events';
import { decideIssueRecoveryCodes } from './mfa-recovery-codes';
import { newRecoveryCodes, openRecoveryCodes, sealRecoveryCodes } from './recovery-code-seal';
import { mfaFactorsOf } from './mfa-factors';
import { foldUser } from '../user';

const spec = userSpec(decideIssueRecoveryCodes);
const KEY = { secret: Buffer.alloc(32, 3) };
const sealed: SealedSecret = { alg: 'A256GCM', iv: 'aXY=', data: 'ZGF0YQ==', tag: 'dGFn' };
const issued = { type: 'MfaRecoveryCodesIssued' as const, occurredAt: T_WHEN, data: { codes: sealed, regenerated: false } };

describe('MFA recovery codes: decide', () => {
  it('needs an existing user (never created, or deleted)', () => expectNeedsExistingUser(decideIssueRecoveryCodes, { codes: sealed, regenerate: false, at: T_WHEN }));
  it('issues the first codes once', () => {
    spec.given([userCreated()]).when({ codes: sealed, regenerate: false, at: T_WHEN }).then([issued]);
    spec.given([userCreated(), issued]).when({ codes: sealed, regenerate: false, at: T_WHEN }).thenThrows(isUserError('user_recovery_codes_already_exists'));
  });
  it('regenerates only codes that exist', () => {
    spec.given([userCreated()]).when({ codes: sealed, regenerate: true, at: T_WHEN }).thenThrows(isUserError('user_recovery_codes_not_found'));
    spec.given([userCreated(), issued]).when({ codes: sealed, regenerate: true, at: T_WHEN }).then([{ ...issued, data: { codes: sealed, regenerated: true } }]);
  });
  it('counts as a factor once issued; email and phone only when verified', () => {
    expect(mfaFactorsOf(foldUser([userCreated()]))).toEqual({ totp: false, phone: false, email: false, recoveryCode: false, custom: false });
    const verified = foldUser([userCreated(), issued, { type: 'UserEmailVerificationChanged', occurredAt: T_WHEN, data: { emailVerification: true } }]);
    expect(mfaFactorsOf(verified)).toEqual({ totp: false, phone: false, email: true, recoveryCode: true, custom: false });
  });
});

describe('MFA recovery codes: sealing', () => {
  it('makes six codes of ten hex characters', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(6);
    for (const code of codes) expect(code).toMatch(/^[0-9a-f]{10}$/);
  });
  it('opens with the same key for the same user only, and holds no code in clear', () => {
    const codes = newRecoveryCodes();
    const box = sealRecoveryCodes(KEY, 'u1', codes);
    expect(JSON.stringify(box)).not.toContain(codes[0]);
    expect(openRecoveryCodes(KEY, 'u1', box)).toEqual(codes);
    expect(() => openRecoveryCodes(KEY, 'u2', box)).toThrow();
    expect(() => openRecoveryCodes({ secret: Buffer.alloc(32, 4) }, 'u1', box)).toThrow();
  });
});
