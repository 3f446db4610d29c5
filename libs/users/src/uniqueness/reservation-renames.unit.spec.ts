import { createHash, randomBytes } from 'node:crypto';
import { ReservationNames } from './reservation-names';
import { isReservationStream, ReservationRenames } from './reservation-renames';

const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');
const oldName = (project: string, kind: string, value: string) => `unique-${project}:${kind}:${sha256(value)}`;
const userEvent = (userId: string, type: string, data: Record<string, unknown>, project = 'p') => ({ streamId: `user-${project}:${userId}`, type, data });

describe('reservation renames of a copied log', () => {
  const names = ReservationNames.fromMasterKey(randomBytes(32));

  function learnt(events: Array<ReturnType<typeof userEvent>>, source: ReservationNames | null = null): ReservationRenames {
    const renames = new ReservationRenames(names, source);
    for (const e of events) renames.learn(e);
    return renames;
  }

  it('renames the old stream of every email, phone and push token a user event names to the keyed name of that value', () => {
    const renames = learnt([
      userEvent('ada', 'UserCreated', { userId: 'ada', email: 'ada@example.com', phone: '+15555550101', name: 'Ada' }),
      userEvent('ada', 'UserEmailChanged', { email: 'byron@example.com' }),
      userEvent('ada', 'UserPhoneChanged', { phone: '+15555550102' }),
      userEvent('ada', 'TargetCreated', { targetId: 't1', providerType: 'push', identifier: 'device-token', providerId: null, name: null }),
      userEvent('ada', 'TargetCreated', { targetId: 't2', providerType: 'sms', identifier: '+15555550103', providerId: null, name: null }),
      userEvent('ada', 'TargetUpdated', { targetId: 't3', providerType: 'email', identifier: 'work@example.com', providerId: null, name: null }),
    ]);
    for (const [kind, value] of [
      ['email', 'ada@example.com'],
      ['email', 'byron@example.com'],
      ['phone', '+15555550101'],
      ['phone', '+15555550102'],
      ['push', 'device-token'],
      ['phone', '+15555550103'],
      ['email', 'work@example.com'],
    ] as const) {
      expect([value, renames.renameOf(oldName('p', kind, value))]).toEqual([value, { kind: 'renamed', to: names.streamIdOf('p', kind, value) }]);
    }
  });

  it('maps no name by its shape: a hash of a value no user event names is unmapped, as is a value of another project or kind', () => {
    const renames = learnt([userEvent('ada', 'UserCreated', { userId: 'ada', email: 'ada@example.com', phone: null })]);
    expect(renames.renameOf(oldName('p', 'email', 'ghost@example.com'))).toEqual({ kind: 'unmapped' });
    expect(renames.renameOf(oldName('q', 'email', 'ada@example.com'))).toEqual({ kind: 'unmapped' });
    expect(renames.renameOf(oldName('p', 'phone', 'ada@example.com'))).toEqual({ kind: 'unmapped' });
    // A name that is already keyed, under a key this copy does not know.
    expect(renames.renameOf(ReservationNames.fromMasterKey(randomBytes(32)).streamIdOf('p', 'email', 'ada@example.com'))).toEqual({ kind: 'unmapped' });
  });

  it('keeps target-id reservations and every other stream as they are', () => {
    const renames = learnt([]);
    expect(renames.renameOf(oldName('p', 'target', 't1'))).toEqual({ kind: 'same' });
    expect(renames.renameOf('user-p:ada')).toEqual({ kind: 'same' });
    expect(renames.renameOf('membershipclaim-p:team:ada')).toEqual({ kind: 'same' });
    expect([isReservationStream(oldName('p', 'email', 'x')), isReservationStream('user-p:ada')]).toEqual([true, false]);
  });

  it('renames the keyed streams an upgraded version wrote, from the old master key to the new one; under the same key they stay', () => {
    const before = ReservationNames.fromMasterKey(randomBytes(32));
    const events = [userEvent('ada', 'UserCreated', { userId: 'ada', email: 'ada@example.com', phone: null })];
    expect(learnt(events, before).renameOf(before.streamIdOf('p', 'email', 'ada@example.com'))).toEqual({ kind: 'renamed', to: names.streamIdOf('p', 'email', 'ada@example.com') });
    expect(learnt(events, before).renameOf(oldName('p', 'email', 'ada@example.com'))).toEqual({ kind: 'renamed', to: names.streamIdOf('p', 'email', 'ada@example.com') });
    expect(learnt(events, names).renameOf(names.streamIdOf('p', 'email', 'ada@example.com'))).toEqual({ kind: 'same' });
  });
});
