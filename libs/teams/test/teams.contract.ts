import { validateTeamQueries } from '@lib/appwrite';
import type { ReadModelStore } from '@lib/read-models';
import { NewEvents, OpenReadModels, openReadModel, queriesOf, ref } from '@lib/read-models/testing';
import { TEAMS } from '../src/team-directory/teams.read-model';
import { TeamDirectory, TeamRecord, TeamsChange } from '../src/team-directory/teams.port';

const P = 'teams-p';
const t = (s: number) => `2023-01-01T00:00:${String(s).padStart(2, '0')}.000+00:00`;
let seq = 0;
export const makeTeam = (id: string, name = id, createdAt = t(0), projectId = P): TeamRecord => ({
  projectId, id, name, createdAt, updatedAt: createdAt, prefs: {}, total: 0, sequence: String(++seq).padStart(40, '0'),
});

/** What every adapter's teams read model (projection `teams`) does. */
export function teamsContract(name: string, open: OpenReadModels): void {
  describe(`teams contract: ${name}`, () => {
    let store: ReadModelStore;
    let teams: TeamDirectory;
    let events: NewEvents;
    beforeEach(async () => {
      ({ store, queries: teams } = await openReadModel(open, TEAMS));
      events = new NewEvents();
    });
    afterEach(async () => {
      await store.close();
    });
    const apply = (...changes: TeamsChange[]) => events.apply(store, 'teams', changes);
    const put = (team: TeamRecord): TeamsChange => ({ kind: 'team.put', team });
    const alive = (userId: string, projectId = P): TeamsChange => ({ kind: 'user.alive', projectId, userId });
    const add = (membershipId: string, teamId: string, userId: string, at = t(9), confirm = true): TeamsChange => ({ kind: 'member.add', projectId: P, membershipId, teamId, userId, confirm, at });
    const total = async (teamId: string) => (await teams.get(P, teamId))?.total;
    const ids = async (...queries: string[]) => (await teams.list(P, validateTeamQueries(queries))).items.map((x) => x.id);
    const search = async (term: string) => (await teams.list(P, { ...validateTeamQueries([]), search: term })).items.map((x) => x.id);

    it('keeps teams verbatim per project, patches names and prefs', async () => {
      const vip = { ...makeTeam('vip', 'VIP'), prefs: { z: 1, a: [true] } };
      await apply(put(vip), put(makeTeam('vip', 'Other project', t(0), 'other')));
      expect(await teams.get(P, 'vip')).toEqual(vip);
      expect((await teams.get('other', 'vip'))?.name).toBe('Other project');
      expect(await teams.get(P, 'nobody')).toBeNull();
      await apply({ kind: 'team.patch', projectId: P, teamId: 'vip', patch: { name: 'V.I.P.', updatedAt: t(5) } });
      await apply({ kind: 'team.patch', projectId: P, teamId: 'vip', patch: { prefs: { b: 2 }, updatedAt: t(6) } });
      await apply({ kind: 'team.patch', projectId: P, teamId: 'ghost', patch: { name: 'x', updatedAt: t(6) } });
      expect(await teams.get(P, 'vip')).toEqual({ ...vip, name: 'V.I.P.', prefs: { b: 2 }, updatedAt: t(6) });
      expect(await teams.get(P, 'ghost')).toBeNull();
      await apply({ kind: 'team.delete', projectId: P, teamId: 'vip' });
      expect(await teams.get(P, 'vip')).toBeNull();
      expect(await teams.get('other', 'vip')).not.toBeNull();
    });

    it('counts confirmed members whose team and user are alive; a changed count moves $updatedAt', async () => {
      await apply(put(makeTeam('t1')), put(makeTeam('t2')), alive('u1'), alive('u2'), alive('u3'));
      await apply(add('m1', 't1', 'u1', t(10)));
      expect(await teams.get(P, 't1')).toMatchObject({ total: 1, updatedAt: t(10) });
      await apply(add('m2', 't1', 'u2'), add('m3', 't2', 'u1'), add('m4', 't1', 'u3', t(11), false));
      expect([await total('t1'), await total('t2')]).toEqual([2, 1]);
      // Neither a dead user nor a missing team gets counted, nor does a repeat.
      await apply(add('m5', 't1', 'ghost'), add('m6', 'nope', 'u1'), add('m1', 't1', 'u1'));
      expect(await total('t1')).toBe(2);
      expect(await teams.get(P, 'nope')).toBeNull();
      await apply({ kind: 'member.remove', projectId: P, membershipId: 'm2', at: t(20) });
      expect(await teams.get(P, 't1')).toMatchObject({ total: 1, updatedAt: t(20) });
      await apply({ kind: 'member.remove', projectId: P, membershipId: 'm2', at: t(21) }, { kind: 'member.remove', projectId: P, membershipId: 'm4', at: t(22) });
      expect(await teams.get(P, 't1')).toMatchObject({ total: 1, updatedAt: t(20) });
    });

    it('a deleted user leaves every team (never below 0); a later re-creation is nobody\'s member', async () => {
      await apply(put(makeTeam('t1')), put(makeTeam('t2')), alive('u1'), alive('u2'));
      await apply(add('m1', 't1', 'u1'), add('m2', 't2', 'u1'), add('m3', 't1', 'u2'));
      await apply({ kind: 'user.gone', projectId: P, userId: 'u1', at: t(30) });
      expect(await teams.get(P, 't1')).toMatchObject({ total: 1, updatedAt: t(30) });
      expect(await teams.get(P, 't2')).toMatchObject({ total: 0, updatedAt: t(30) });
      await apply({ kind: 'user.gone', projectId: P, userId: 'u1', at: t(31) }, { kind: 'member.remove', projectId: P, membershipId: 'm2', at: t(32) });
      expect(await total('t2')).toBe(0);
      // A membership made for the old user, arriving after the deletion, does not count.
      await apply(add('m4', 't2', 'u1'));
      expect(await total('t2')).toBe(0);
      await apply(alive('u1'));
      expect([await total('t1'), await total('t2')]).toEqual([1, 0]);
      await apply(add('m5', 't2', 'u1'));
      expect(await total('t2')).toBe(1);
    });

    it('a deleted team takes its members along; one re-created under its id starts at 0', async () => {
      await apply(put(makeTeam('t1')), alive('u1'), add('m1', 't1', 'u1'));
      await apply({ kind: 'team.delete', projectId: P, teamId: 't1' });
      await apply(put(makeTeam('t1', 'Reborn', t(40))));
      expect(await teams.get(P, 't1')).toMatchObject({ name: 'Reborn', total: 0 });
      await apply({ kind: 'member.remove', projectId: P, membershipId: 'm1', at: t(41) }, add('m2', 't1', 'u1'));
      expect(await total('t1')).toBe(1);
    });

    it('lists with filters, orders, cursors and totals like List Users', async () => {
      await apply(put(makeTeam('a', 'Alpha', t(1))), put(makeTeam('b', 'beta', t(2))), put(makeTeam('c', 'Gamma', t(3))), put(makeTeam('d', 'delta', t(3))), alive('u1'), alive('u2'));
      await apply(add('m1', 'c', 'u1'), add('m2', 'c', 'u2'), add('m3', 'a', 'u1'));
      expect(await ids()).toEqual(['a', 'b', 'c', 'd']);
      expect(await ids('equal("name", ["ALPHA", "gamma"])')).toEqual(['a', 'c']);
      expect(await ids('greaterThan("total", 0)', 'orderDesc("total")')).toEqual(['c', 'a']);
      expect(await ids('between("total", 0, 1)')).toEqual(['a', 'b', 'd']);
      expect(await ids('orderAsc("name")')).toEqual(['a', 'b', 'd', 'c']);
      expect(await ids('orderDesc("$createdAt")')).toEqual(['c', 'd', 'b', 'a']);
      expect(await ids('lessThan("$createdAt", "2023-01-01T00:00:02.000+00:00")')).toEqual(['a']);
      expect(await ids('startsWith("name", "g")', 'limit(5)')).toEqual(['c']);
      expect(await ids('cursorAfter("b")', 'limit(1)')).toEqual(['c']);
      expect(await ids('cursorBefore("c")')).toEqual(['a', 'b']);
      expect(await ids('orderDesc("")', 'cursorAfter("c")')).toEqual(['b', 'a']);
      expect(await ids('limit(2)', 'offset(1)')).toEqual(['b', 'c']);
      const page = await teams.list(P, validateTeamQueries(['limit(1)', 'notEqual("name", "beta")']));
      expect([page.total, page.items.map((x) => x.id)]).toEqual([3, ['a']]);
      expect((await teams.list(P, validateTeamQueries(['limit(0)']))).total).toBe(4);
      expect((await teams.list('other', validateTeamQueries([]))).total).toBe(0);
    });

    it('searches "{$id} {name}": any word, the last as a prefix, phrases; renames re-index', async () => {
      await apply(put(makeTeam('team-one', 'Manchester United')), put(makeTeam('team-two', 'Manchester City')), put(makeTeam('xyz', 'Real Madrid')));
      expect((await search('manchester')).sort()).toEqual(['team-one', 'team-two']);
      expect(await search('unit')).toEqual(['team-one']);
      expect(await search('"manchester city"')).toEqual(['team-two']);
      expect(await search('xyz')).toEqual(['xyz']);
      expect(await search('of')).toEqual([]);
      await apply({ kind: 'team.patch', projectId: P, teamId: 'xyz', patch: { name: 'Atletico', updatedAt: t(9) } });
      expect(await search('madrid')).toEqual([]);
      expect(await search('atlet')).toEqual(['xyz']);
      expect((await teams.list(P, { ...validateTeamQueries(['limit(1)']), search: 'manchester' })).total).toBe(2);
    });

    it('applies an event once, all of its changes or none; resets; swaps a rebuild in', async () => {
      const r = ref(0, '1', 'team-p:t1');
      expect(await store.apply('teams', r, [put(makeTeam('t1'))])).toBe(true);
      expect(await store.apply('teams', r, [put(makeTeam('t2'))])).toBe(false);
      await expect(store.apply('teams', ref(1, '2', 'team-p:t1'), [put(makeTeam('t3')), { kind: 'nope' } as unknown as TeamsChange])).rejects.toThrow();
      expect(await ids()).toEqual(['t1']);
      const shadow = await store.openShadow('teams');
      await shadow.apply('teams', ref(0, '1', 'team-p:t9'), [put(makeTeam('t9')), alive('u1'), add('m1', 't9', 'u1')]);
      expect((await queriesOf(shadow, TEAMS).get(P, 't9'))?.total).toBe(1);
      await store.swapIn('teams', shadow, async () => undefined);
      expect(await ids()).toEqual(['t9']);
      expect(await total('t9')).toBe(1);
      await store.reset('teams');
      expect(await ids()).toEqual([]);
      expect(await store.getCheckpoint('teams')).toBeNull();
    });
  });
}
