import { validateMembershipQueries, validateUserMembershipQueries } from '@lib/appwrite';
import type { ReadModelStore } from '@lib/read-models';
import { NewEvents, OpenReadModels, openReadModel, queriesOf, ref } from '@lib/read-models/testing';
import { MEMBERSHIPS } from '../src/membership-directory/memberships.read-model';
import { MembershipDirectory, MembershipRecord, MembershipsChange, MembershipView } from '../src/membership-directory/memberships.port';

const P = 'members-p';
const t = (s: number) => `2023-01-01T00:00:${String(s).padStart(2, '0')}.000+00:00`;
let seq = 0;
export const makeMembership = (id: string, teamId: string, userId: string, createdAt = t(0), projectId = P): MembershipRecord => ({
  projectId, id, teamId, userId, roles: ['member'], invited: createdAt, joined: createdAt, confirm: true, createdAt, updatedAt: createdAt, sequence: String(++seq).padStart(40, '0'),
});

/** What every adapter's memberships read model (projection `memberships`) does. */
export function membershipsContract(name: string, open: OpenReadModels): void {
  describe(`memberships contract: ${name}`, () => {
    let store: ReadModelStore;
    let memberships: MembershipDirectory;
    let events: NewEvents;
    beforeEach(async () => {
      ({ store, queries: memberships } = await openReadModel(open, MEMBERSHIPS));
      events = new NewEvents();
    });
    afterEach(async () => {
      await store.close();
    });
    const apply = (...changes: MembershipsChange[]) => events.apply(store, 'memberships', changes);
    const user = (userId: string, name = userId.toUpperCase(), email: string | null = `${userId}@x.io`, projectId = P): MembershipsChange => ({
      kind: 'user.put', projectId, userId, name, email, phone: null, mfa: false,
    });
    const patchUser = (userId: string, fields: Omit<Extract<MembershipsChange, { kind: 'user.patch' }>, 'kind' | 'projectId' | 'userId'>): MembershipsChange => ({ kind: 'user.patch', projectId: P, userId, ...fields });
    const team = (teamId: string, name = `Team ${teamId}`, projectId = P): MembershipsChange => ({ kind: 'team.put', projectId, teamId, name });
    const put = (m: MembershipRecord): MembershipsChange => ({ kind: 'membership.put', membership: m });
    const ofTeam = async (teamId: string, ...queries: string[]) => (await memberships.listOfTeam(P, teamId, validateMembershipQueries(queries))).items.map((m) => m.id);
    const ofUser = async (userId: string, ...queries: string[]) => (await memberships.listOfUser(P, userId, validateUserMembershipQueries(queries))).items.map((m) => m.id);
    const userList = (userId: string) => memberships.listOfUser(P, userId, validateUserMembershipQueries([]));

    it('keeps memberships of live teams and users, shown with their current names', async () => {
      await apply(user('u1', 'Ann'), user('u2', 'Bob', null), team('t1', 'VIP'));
      const m1 = { ...makeMembership('m1', 't1', 'u1'), roles: ['owner', 'admin'] };
      await apply(put(m1), put(makeMembership('m2', 't1', 'u2')));
      expect(await memberships.get(P, 'm1')).toEqual({ ...m1, userName: 'Ann', userEmail: 'u1@x.io', userPhone: '', userMfa: false, userAccessedAt: null, teamName: 'VIP' });
      expect(await memberships.get(P, 'm2')).toMatchObject({ userName: 'Bob', userEmail: '' });
      expect(await memberships.get('other', 'm1')).toBeNull();
      // No team or no user at this point of the log: nothing to keep.
      await apply(put(makeMembership('m3', 'nope', 'u1')), put(makeMembership('m4', 't1', 'ghost')));
      expect(await memberships.get(P, 'm3')).toBeNull();
      expect(await memberships.get(P, 'm4')).toBeNull();
      await apply({ kind: 'user.patch', projectId: P, userId: 'u1', name: 'Ann Renamed' }, { kind: 'user.patch', projectId: P, userId: 'u1', email: 'new@x.io' }, { kind: 'team.rename', projectId: P, teamId: 't1', name: 'V.I.P.' });
      expect(await memberships.get(P, 'm1')).toMatchObject({ userName: 'Ann Renamed', userEmail: 'new@x.io', teamName: 'V.I.P.' });
      expect((await userList('u1')).items[0]).toMatchObject({ userName: 'Ann Renamed', teamName: 'V.I.P.' });
      expect((await memberships.listOfTeam(P, 't1', validateMembershipQueries([]))).items.map((m) => m.userName)).toEqual(['Ann Renamed', 'Bob']);
      await apply({ kind: 'membership.patch', projectId: P, membershipId: 'm1', roles: ['guest'], updatedAt: t(9) });
      expect(await memberships.get(P, 'm1')).toMatchObject({ roles: ['guest'], updatedAt: t(9), createdAt: t(0) });
    });

    it('shows the member\'s phone and MFA as they are now: changed, removed, reset when the user is created again', async () => {
      await apply({ kind: 'user.put', projectId: P, userId: 'u1', name: 'Ann', email: 'ann@x.io', phone: '+14155550100', mfa: false }, team('t1'), team('t2'));
      await apply(put(makeMembership('m1', 't1', 'u1')), put(makeMembership('m2', 't2', 'u1')));
      const userFields = async () => {
        const fields = (m: MembershipView | null | undefined) => m && { phone: m.userPhone, mfa: m.userMfa, email: m.userEmail, accessedAt: m.userAccessedAt };
        const [got, listed, page] = [await memberships.get(P, 'm1'), await userList('u1'), await memberships.listOfTeam(P, 't2', validateMembershipQueries([]))];
        // Every read joins the same user fields.
        expect(listed.items.map(fields)).toEqual([fields(got), fields(got)]);
        expect(page.items.map(fields)).toEqual([fields(got)]);
        return fields(got);
      };
      expect(await userFields()).toEqual({ phone: '+14155550100', mfa: false, email: 'ann@x.io', accessedAt: null });
      await apply(patchUser('u1', { phone: '+14155550199' }), patchUser('u1', { mfa: true }));
      expect(await userFields()).toEqual({ phone: '+14155550199', mfa: true, email: 'ann@x.io', accessedAt: null });
      await apply(patchUser('u1', { phone: null }), patchUser('u1', { email: null }));
      expect(await userFields()).toEqual({ phone: '', mfa: true, email: '', accessedAt: null });
      await apply(patchUser('u1', { mfa: false }), patchUser('u1', { name: 'Ann B' }));
      expect(await userFields()).toEqual({ phone: '', mfa: false, email: '', accessedAt: null });
      // Deleted and created again: the new user's fields, nothing of the old one's.
      await apply(patchUser('u1', { mfa: true }), { kind: 'user.delete', projectId: P, userId: 'u1' });
      await apply({ kind: 'user.put', projectId: P, userId: 'u1', name: 'New', email: null, phone: '+4930123456', mfa: false }, put(makeMembership('m3', 't1', 'u1')));
      expect(await memberships.get(P, 'm3')).toMatchObject({ userName: 'New', userEmail: '', userPhone: '+4930123456', userMfa: false, userAccessedAt: null });
    });

    it('drops memberships with their user, their team, or on their own; re-created ids start empty', async () => {
      await apply(user('u1'), user('u2'), team('t1'), team('t2'));
      await apply(put(makeMembership('m1', 't1', 'u1')), put(makeMembership('m2', 't2', 'u1')), put(makeMembership('m3', 't1', 'u2')), put(makeMembership('m4', 't2', 'u2')));
      await apply({ kind: 'membership.delete', projectId: P, membershipId: 'm4' });
      expect(await ofUser('u2')).toEqual(['m3']);
      await apply({ kind: 'user.delete', projectId: P, userId: 'u1' });
      expect(await ofUser('u1')).toEqual([]);
      expect(await ofTeam('t1')).toEqual(['m3']);
      await apply(put(makeMembership('m5', 't1', 'u1')));
      expect(await memberships.get(P, 'm5')).toBeNull();
      await apply({ kind: 'team.delete', projectId: P, teamId: 't1' });
      expect(await ofUser('u2')).toEqual([]);
      await apply(user('u1'), team('t1', 'Reborn'));
      expect([await ofUser('u1'), await ofTeam('t1')]).toEqual([[], []]);
      await apply(put(makeMembership('m6', 't1', 'u1')));
      expect(await memberships.get(P, 'm6')).toMatchObject({ teamName: 'Reborn', userName: 'U1' });
    });

    it('lists a team\'s memberships with filters, orders, cursors, search and totals', async () => {
      await apply(user('ua'), user('ub'), user('uc'), team('t1'), team('t2'));
      const [a, b] = [makeMembership('m-a', 't1', 'ua', t(1)), makeMembership('m-b', 't1', 'ub', t(2))];
      const pending = { ...makeMembership('m-c', 't1', 'uc', t(3)), confirm: false, joined: null };
      await apply(put(a), put(b), put(pending), put(makeMembership('m-x', 't2', 'ua', t(4))));
      expect(await ofTeam('t1')).toEqual(['m-a', 'm-b', 'm-c']);
      expect(await ofTeam('t1', 'equal("userId", ["UA", "uc"])')).toEqual(['m-a', 'm-c']);
      expect(await ofTeam('t1', 'equal("confirm", false)')).toEqual(['m-c']);
      expect(await ofTeam('t1', 'isNull("joined")')).toEqual(['m-c']);
      expect(await ofTeam('t1', 'orderAsc("joined")')).toEqual(['m-c', 'm-a', 'm-b']);
      expect(await ofTeam('t1', 'orderDesc("joined")')).toEqual(['m-b', 'm-a', 'm-c']);
      expect(await ofTeam('t1', 'orderDesc("joined")', 'cursorAfter("m-a")')).toEqual(['m-c']);
      expect(await ofTeam('t1', 'greaterThan("invited", "2023-01-01T00:00:01.000+00:00")')).toEqual(['m-b', 'm-c']);
      expect(await ofTeam('t1', 'equal("teamId", "T1")')).toEqual(['m-a', 'm-b', 'm-c']);
      expect(await ofTeam('t1', 'cursorBefore("m-c")', 'limit(1)')).toEqual(['m-b']);
      const page = await memberships.listOfTeam(P, 't1', validateMembershipQueries(['limit(1)', 'offset(1)']));
      expect([page.total, page.items.map((m) => m.id)]).toEqual([3, ['m-b']]);
      const search = async (term: string) => (await memberships.listOfTeam(P, 't1', { ...validateMembershipQueries([]), search: term })).items.map((m) => m.id);
      expect(await search('ub')).toEqual(['m-b']);
      expect(await search('m-c')).toEqual(['m-c']);
      expect(await search('the')).toEqual([]);
      expect(await ofTeam('t2')).toEqual(['m-x']);
    });

    it('lists at most 1000 memberships of a user without a limit query, the oldest, in creation order; total counts them all', async () => {
      // The read model does not enforce one membership per (team, user): the claims do.
      const ids = Array.from({ length: 1001 }, (_, i) => `m-t${String(i).padStart(4, '0')}`);
      await apply(user('busy'), team('busy-team'));
      await apply(...ids.map((id) => put(makeMembership(id, 'busy-team', 'busy'))));
      const listed = await userList('busy');
      expect(listed.items).toHaveLength(1000);
      expect([listed.items[0].id, listed.items[999].id, listed.total]).toEqual(['m-t0000', 'm-t0999', 1001]);
    });

    it('lists a user\'s memberships with the queries, search and total of a team\'s list', async () => {
      await apply(user('ua'), user('ub'), team('t1', 'Alpha'), team('t2', 'Beta'), team('t3', 'Gamma'));
      // Made in this order: a membership's sequence is taken when it is made.
      const [m1, m2] = [makeMembership('m-1', 't1', 'ua', t(1)), makeMembership('m-2', 't2', 'ua', t(2))];
      const pending = { ...makeMembership('m-3', 't3', 'ua', t(3)), confirm: false, joined: null };
      await apply(put(m1), put(m2), put(pending), put(makeMembership('m-b', 't1', 'ub', t(4))));
      expect(await ofUser('ua')).toEqual(['m-1', 'm-2', 'm-3']);
      expect(await ofUser('ua', 'equal("teamId", ["T2", "t3"])')).toEqual(['m-2', 'm-3']);
      expect(await ofUser('ua', 'equal("confirm", true)', 'orderDesc("$createdAt")')).toEqual(['m-2', 'm-1']);
      expect(await ofUser('ua', '{"method":"notEqual","attribute":"teamId","values":["t1"]}', 'limit(1)')).toEqual(['m-2']);
      expect(await ofUser('ua', 'isNull("joined")')).toEqual(['m-3']);
      expect(await ofUser('ua', 'orderAsc("joined")', 'cursorAfter("m-3")')).toEqual(['m-1', 'm-2']);
      expect(await ofUser('ua', '{"method":"notStartsWith","attribute":"teamId","values":["t1"]}')).toEqual(['m-2', 'm-3']);
      expect(await ofUser('ua', 'regex("teamId", "^T[23]$")')).toEqual(['m-2', 'm-3']);
      // A cursor of another user's membership is a position in the order, as for a team's list.
      expect(await ofUser('ua', 'cursorAfter("m-b")')).toEqual([]);
      const page = await memberships.listOfUser(P, 'ua', validateUserMembershipQueries(['limit(1)', 'offset(1)']));
      expect([page.total, page.items.map((m) => m.id)]).toEqual([3, ['m-2']]);
      const uncounted = await memberships.listOfUser(P, 'ua', { ...validateUserMembershipQueries(['limit(1)']), includeTotal: false });
      expect([uncounted.total, uncounted.items.map((m) => m.id)]).toEqual([0, ['m-1']]);
      const search = async (term: string) => (await memberships.listOfUser(P, 'ua', { ...validateUserMembershipQueries([]), search: term })).items.map((m) => m.id);
      expect(await search('m-2')).toEqual(['m-2']);
      expect(await search('ub')).toEqual([]);
      expect(await ofUser('ub')).toEqual(['m-b']);
    });

    it('applies an event once, all of its changes or none; resets; swaps a rebuild in', async () => {
      const r = ref(0, '1', 'user-p:u1');
      expect(await store.apply('memberships', r, [user('u1'), team('t1')])).toBe(true);
      expect(await store.apply('memberships', r, [user('u2')])).toBe(false);
      await expect(store.apply('memberships', ref(1, '2', 'user-p:u1'), [put(makeMembership('m0', 't1', 'u1')), { kind: 'nope' } as unknown as MembershipsChange])).rejects.toThrow();
      expect(await ofUser('u1')).toEqual([]);
      await apply(put(makeMembership('old', 't1', 'u1')));
      const shadow = await store.openShadow('memberships');
      await shadow.apply('memberships', ref(0, '1', 'membership-p:m1'), [user('u1', 'Shadow'), team('t1'), put(makeMembership('m1', 't1', 'u1'))]);
      expect((await queriesOf(shadow, MEMBERSHIPS).get(P, 'm1'))?.userName).toBe('Shadow');
      await store.swapIn('memberships', shadow, async () => undefined);
      expect(await ofUser('u1')).toEqual(['m1']);
      expect((await memberships.get(P, 'm1'))?.userName).toBe('Shadow');
      await store.reset('memberships');
      expect(await memberships.get(P, 'm1')).toBeNull();
      expect(await store.getCheckpoint('memberships')).toBeNull();
    });
  });
}
