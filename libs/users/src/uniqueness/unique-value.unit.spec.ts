import { deciderSpec } from '@lib/event-sourcing/testing';
import { UniqueValueTakenError, uniqueValueDecider } from './unique-value';

const spec = deciderSpec(uniqueValueDecider);
const claim = (owner: string, at: string, currentOwnerHoldsValue = false) => ({
  type: 'ClaimUniqueValue' as const,
  data: { owner, at, currentOwnerHoldsValue, leaseMs: 30_000 },
});
const claimed = (owner: string, claimedAt: string) => ({ type: 'UniqueValueClaimed' as const, data: { owner, claimedAt }, occurredAt: claimedAt });
const T0 = '2024-01-01T00:00:00.000+00:00';
const T10s = '2024-01-01T00:00:10.000+00:00';
const T1m = '2024-01-01T00:01:00.000+00:00';

describe('unique value claims', () => {
  it('claims a free value', () => spec.given([]).when(claim('u1', T0)).then([claimed('u1', T0)]));
  it('claims a released value', () =>
    spec.given([claimed('u1', T0), { type: 'UniqueValueReleased', data: { owner: 'u1' }, occurredAt: T0 }]).when(claim('u2', T10s)).then([claimed('u2', T10s)]));
  it('is idempotent for the owner', () => spec.given([claimed('u1', T0)]).when(claim('u1', T10s)).then([]));
  it('refuses a value its owner holds, however old the claim', () =>
    spec.given([claimed('u1', T0)]).when(claim('u2', T1m, true)).thenThrows((e) => e instanceof UniqueValueTakenError && e.owner === 'u1'));
  it('refuses a fresh claim even if the owner does not hold the value yet (it is being written)', () =>
    spec.given([claimed('u1', T0)]).when(claim('u2', T10s, false)).thenThrows((e) => e instanceof UniqueValueTakenError));
  it('takes over an abandoned claim after its lease', () =>
    spec.given([claimed('u1', T0)]).when(claim('u2', T1m, false)).then([claimed('u2', T1m)]));
  it('releases only for the owner', () => {
    spec.given([claimed('u1', T0)]).when({ type: 'ReleaseUniqueValue', data: { owner: 'u2', at: T10s } }).then([]);
    spec.given([claimed('u1', T0)]).when({ type: 'ReleaseUniqueValue', data: { owner: 'u1', at: T10s } }).then([{ type: 'UniqueValueReleased', data: { owner: 'u1' }, occurredAt: T10s }]);
  });
});
