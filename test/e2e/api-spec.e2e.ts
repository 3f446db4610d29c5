import { userStreamId } from '@lib/users';
import { apiSpec, givenSession, givenUser, GIVEN_AT, reservationStreamId } from '../support/api-spec';
import { TEST_PROJECT } from '../support/test-gateway';

/** The Users API as given events → request → answer and new events, each on a fresh gateway. */
const spec = apiSpec();
const u1 = userStreamId(TEST_PROJECT, 'u1');
const u2 = userStreamId(TEST_PROJECT, 'u2');
const deleted = { streamId: u1, type: 'UserDeleted', data: {}, occurredAt: GIVEN_AT };
const emailClaim = (email: string) => reservationStreamId('email', email);

describe('Users API, given events', () => {
  describe('sessions', () => {
    it('deletes a session: 204 and one SessionDeleted', () =>
      spec
        .given([...givenUser('u1'), givenSession('u1', 's1')])
        .when('DELETE', '/v1/users/u1/sessions/s1')
        .then({ status: 204, events: [{ streamId: u1, type: 'SessionDeleted', data: { sessionId: 's1' } }] }));

    it('refuses an unknown session: 404 user_session_not_found and no event', () =>
      spec
        .given([...givenUser('u1'), givenSession('u1', 's1')])
        .when('DELETE', '/v1/users/u1/sessions/s2')
        .then({ status: 404, body: { type: 'user_session_not_found' }, events: [], streams: 'all' }));

    it('deletes all sessions: one SessionDeleted per live session', () =>
      spec
        .given([...givenUser('u1'), givenSession('u1', 's1'), givenSession('u1', 's2'), givenSession('u1', 's3'), { streamId: u1, type: 'SessionDeleted', data: { sessionId: 's2' } }])
        .when('DELETE', '/v1/users/u1/sessions')
        .then({
          status: 204,
          events: [
            { type: 'SessionDeleted', data: { sessionId: 's1' } },
            { type: 'SessionDeleted', data: { sessionId: 's3' } },
          ],
        }));

    it('deletes no session when there are none: 204 and no event', () =>
      spec.given(givenUser('u1')).when('DELETE', '/v1/users/u1/sessions').then({ status: 204, events: [], streams: 'all' }));
  });

  describe('name', () => {
    it('changes the name: 200 with the new name and one UserNameChanged', () =>
      spec
        .given(givenUser('u1', { name: 'Ann' }))
        .when('PATCH', '/v1/users/u1/name', { name: 'Bea' })
        .then({ status: 200, body: { $id: 'u1', name: 'Bea', email: 'u1@example.com' }, events: [{ streamId: u1, type: 'UserNameChanged', data: { name: 'Bea' } }] }));

    it('refuses a deleted user: 404 user_not_found and no new event', () =>
      spec
        .given([...givenUser('u1'), deleted])
        .when('PATCH', '/v1/users/u1/name', { name: 'Bea' })
        .then({ status: 404, body: { type: 'user_not_found', code: 404 }, events: [], streams: 'all' }));

    it('refuses a user that never existed: 404 user_not_found and no event', () =>
      spec.given([]).when('PATCH', '/v1/users/nobody/name', { name: 'Bea' }).then({ status: 404, body: { type: 'user_not_found' }, events: [], streams: 'all' }));
  });

  describe('email', () => {
    it("refuses another user's email: 409 user_email_already_exists and no event at all", async () => {
      const { newEvents } = await spec
        .given([...givenUser('u1', { email: 'ann@x.io' }), ...givenUser('u2', { email: 'bea@x.io' })])
        .when('PATCH', '/v1/users/u2/email', { email: 'ann@x.io' })
        .then({ status: 409, body: { type: 'user_email_already_exists', code: 409 }, events: [] });
      // Not even a claim: the reservation is refused before anything is written.
      expect(newEvents).toEqual([]);
    });

    it('takes a free email: claims it, changes the user, releases the old one', () =>
      spec
        .given(givenUser('u1', { email: 'ann@x.io' }))
        .when('PATCH', '/v1/users/u1/email', { email: 'Ann.New@X.io' })
        .then({
          status: 200,
          body: { email: 'ann.new@x.io', emailVerification: false },
          streams: 'all',
          events: [
            { streamId: emailClaim('ann.new@x.io'), type: 'UniqueValueClaimed', data: { owner: 'u1' } },
            { streamId: u1, type: 'UserEmailChanged', data: { email: 'ann.new@x.io' } },
            { streamId: u1, type: 'TargetUpdated', data: { targetId: 'u1-email', providerType: 'email', identifier: 'ann.new@x.io', providerId: null, name: null } },
            { streamId: emailClaim('ann@x.io'), type: 'UniqueValueReleased', data: { owner: 'u1' } },
          ],
        }));

    it('records a change to the same email (it resets verification), and touches no claim', () =>
      spec
        .given([...givenUser('u1', { email: 'ann@x.io' }), { streamId: u1, type: 'UserEmailVerificationChanged', data: { emailVerification: true } }])
        .when('PATCH', '/v1/users/u1/email', { email: 'ann@x.io' })
        .then({ status: 200, body: { email: 'ann@x.io', emailVerification: false }, streams: 'all', events: [{ streamId: u1, type: 'UserEmailChanged', data: { email: 'ann@x.io' } }] }));
  });

  describe('delete user', () => {
    it('deletes the user once and frees its email', () =>
      spec
        .given([...givenUser('u1', { email: 'ann@x.io' }), ...givenUser('u2')])
        .when('DELETE', '/v1/users/u1')
        .then({
          status: 204,
          streams: [u1, u2, emailClaim('ann@x.io')],
          events: [
            { streamId: u1, type: 'UserDeleted' },
            { streamId: emailClaim('ann@x.io'), type: 'UniqueValueReleased', data: { owner: 'u1' } },
          ],
        }));

    it('refuses to delete a deleted user: 404 and no event', () =>
      spec.given([...givenUser('u1'), deleted]).when('DELETE', '/v1/users/u1').then({ status: 404, body: { type: 'user_not_found' }, events: [], streams: 'all' }));
  });
});
