import { MongoReadModels } from '@lib/read-models';
import { describeWithMongo, NewEvents, openReadModel, sqliteReadModelsForTests } from '@lib/read-models/testing';
import { makeMembership, membershipsContract } from '@lib/teams/testing';
import { MEMBERSHIPS } from './memberships.read-model';

/* The memberships read model on SQLite (temporary file) and on a MongoDB-protocol server (fails without one). */

membershipsContract('sqlite', sqliteReadModelsForTests());

describeWithMongo('memberships on MongoDB', (server) => {
  membershipsContract('mongodb', server.open);

  it('reads user documents kept before phone, mfa and accessedAt were with their defaults', async () => {
    const { store, queries } = await openReadModel(server.open, MEMBERSHIPS);
    const events = new NewEvents();
    const m = makeMembership('m1', 't1', 'u1', undefined, 'legacy-p');
    await events.apply(store, 'memberships', [
      { kind: 'user.put', projectId: 'legacy-p', userId: 'u1', name: 'Ann', email: 'ann@x.io', phone: '+14155550100', mfa: true },
      { kind: 'team.put', projectId: 'legacy-p', teamId: 't1', name: 'VIP' },
      { kind: 'membership.put', membership: m },
    ]);
    // What a document written by the earlier storage looks like: name and email only.
    await (store as MongoReadModels).collection('membership_users').updateMany({}, { $unset: { phone: '', mfa: '', accessedAt: '' } });
    expect(await queries.get('legacy-p', 'm1')).toMatchObject({ userName: 'Ann', userEmail: 'ann@x.io', userPhone: '', userMfa: false, userAccessedAt: null });
    await store.close();
  });
});
