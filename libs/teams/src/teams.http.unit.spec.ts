import { ASSOC_MAX_BYTES, AppwriteException } from '@lib/appwrite';
import { bodyPolicies, bodyPolicyOf } from '@lib/http';
import { MembershipClaimTakenError } from './membership-claims/membership-claim';
import { TEAMS_BODY_ALLOWANCES } from './teams.body-limits';
import { TeamDomainError } from './teams.errors';
import { teamsErrorMapper } from './teams.http';
import { TEAMS_ENDPOINTS } from './teams.module';

const policy = (sdkMethod: string) => bodyPolicyOf(TEAMS_ENDPOINTS.find((e) => e.sdkMethod === sdkMethod)!, TEAMS_BODY_ALLOWANCES);

describe('Teams HTTP registration', () => {
  it('declares every route once, with the teams scopes (List User Memberships keeps users.read)', () => {
    expect(new Set(TEAMS_ENDPOINTS.map((e) => e.sdkMethod)).size).toBe(TEAMS_ENDPOINTS.length);
    expect(bodyPolicies(TEAMS_ENDPOINTS, TEAMS_BODY_ALLOWANCES).size).toBe(TEAMS_ENDPOINTS.length);
    for (const e of TEAMS_ENDPOINTS) {
      const scope = e.sdkMethod === 'users.listMemberships' ? 'users.read' : e.method === 'GET' ? 'teams.read' : 'teams.write';
      expect([e.sdkMethod, e.scope, e.tag]).toEqual([e.sdkMethod, scope, e.sdkMethod.split('.')[0]]);
    }
    expect(TEAMS_ENDPOINTS.map((e) => `${e.method} ${e.path}`)).toEqual(expect.arrayContaining(['PUT /v1/teams/:teamId', 'PUT /v1/teams/:teamId/name', 'GET /v1/users/:userId/memberships']));
  });

  it('has a body allowance for every body parameter; prefs get room for 64 KiB, the others less', () => {
    const names = new Set(TEAMS_ENDPOINTS.flatMap((e) => e.params.filter((p) => p.in === 'body').map((p) => p.name)));
    expect([...names].filter((n) => !(n in TEAMS_BODY_ALLOWANCES))).toEqual([]);
    expect(policy('teams.updatePrefs').limit).toBeGreaterThanOrEqual(2 * ASSOC_MAX_BYTES);
    expect(policy('teams.updatePrefs').oversizeMessage).toBe('Invalid prefs: Value must be a valid object.');
    expect(policy('teams.createMembership').limit).toBeLessThan(64 * 1024);
    expect(policy('teams.get').limit).toBeLessThan(2 * 1024);
  });

  it('maps domain errors to Appwrite\'s, with 1.3.8\'s own messages where it has them', () => {
    const mapped = (e: unknown) => {
      const x = teamsErrorMapper(e);
      return x && { type: x.type, code: x.code, message: x.message };
    };
    expect(mapped(new TeamDomainError('team_not_found'))).toEqual({ type: 'team_not_found', code: 404, message: 'Team with the requested ID could not be found.' });
    expect(mapped(new TeamDomainError('user_not_found', "User with given userId doesn't exist."))).toEqual({ type: 'user_not_found', code: 404, message: "User with given userId doesn't exist." });
    expect(mapped(new MembershipClaimTakenError('m1'))).toMatchObject({ type: 'team_invite_already_exists', code: 409 });
    expect(mapped(new Error('other'))).toBeNull();
    expect(teamsErrorMapper(new TeamDomainError('team_already_exists'))).toBeInstanceOf(AppwriteException);
  });
});
