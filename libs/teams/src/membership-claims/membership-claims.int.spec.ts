import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@lib/event-store';
import { DomainEvent, systemContext, toEventsToAppend } from '@lib/event-sourcing';
import { userStreamId } from '@lib/users';
import { membershipStatus } from '../liveness';
import { membershipStreamId } from '../membership';
import { teamStreamId } from '../team';
import { MembershipClaimTakenError } from './membership-claim';
import { MEMBERSHIP_CLAIM_LEASE_MS, MembershipClaims } from './membership-claims';

/* Membership liveness (log order) and the (team, user) claims on a real SQLite event log. */

const P = 'p';
const ctx = { ...systemContext('test'), projectId: P };
let dir: string;
let events: SqliteEventStore;
let claims: MembershipClaims;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'teams-claims-'));
  events = new SqliteEventStore(join(dir, 'events.sqlite'));
  claims = new MembershipClaims({ events });
});
afterEach(async () => {
  await events.close();
  rmSync(dir, { recursive: true, force: true });
});

const at = (ms = 0) => new Date(Date.UTC(2024, 0, 1) + ms).toISOString().replace('Z', '+00:00');
const append = (streamId: string, type: string, data: Record<string, unknown> = {}) =>
  events.append(streamId, toEventsToAppend([{ type, data, occurredAt: at() } as DomainEvent], ctx, { types: [type], schemaVersion: 1 }), 'any');
const user = (id: string) => append(userStreamId(P, id), 'UserCreated', { userId: id, name: id, email: null, phone: null, password: null, hash: 'argon2', hashOptions: {} });
const team = (id: string) => append(teamStreamId(P, id), 'TeamCreated', { teamId: id, name: id });
const membership = (id: string, teamId = 't1', userId = 'u1') => append(membershipStreamId(P, id), 'MembershipCreated', { membershipId: id, teamId, userId, roles: [], confirm: true });
const status = async (id: string) => (await membershipStatus(events, P, id)).kind;

describe('membership liveness', () => {
  it('is live after its team and user were created, absent before it is written', async () => {
    await team('t1');
    await user('u1');
    expect(await status('m1')).toBe('absent');
    await membership('m1');
    expect(await status('m1')).toBe('live');
    await append(membershipStreamId(P, 'm1'), 'MembershipDeleted');
    expect(await status('m1')).toBe('dead');
  });

  it('ends with its user, even if the user id is taken again', async () => {
    await team('t1');
    await user('u1');
    await membership('m1');
    await append(userStreamId(P, 'u1'), 'UserDeleted');
    expect(await status('m1')).toBe('dead');
    await user('u1');
    expect(await status('m1')).toBe('dead');
  });

  it('ends with its team, even if the team id is taken again; never starts for a missing one', async () => {
    await team('t1');
    await user('u1');
    await membership('m1');
    await append(teamStreamId(P, 't1'), 'TeamDeleted');
    await team('t1');
    expect(await status('m1')).toBe('dead');
    await membership('m2', 'no-team');
    expect(await status('m2')).toBe('dead');
  });
});

describe('membership claims', () => {
  it('blocks a second membership of the pair while the first is live or being written', async () => {
    await team('t1');
    await user('u1');
    await claims.claim(ctx, P, 't1', 'u1', 'm1', at());
    await expect(claims.claim(ctx, P, 't1', 'u1', 'm2', at(1000))).rejects.toBeInstanceOf(MembershipClaimTakenError);
    await membership('m1');
    await expect(claims.claim(ctx, P, 't1', 'u1', 'm2', at(MEMBERSHIP_CLAIM_LEASE_MS * 10))).rejects.toBeInstanceOf(MembershipClaimTakenError);
  });

  it('frees the pair after a crash between claim and write, once the lease ran out', async () => {
    await claims.claim(ctx, P, 't1', 'u1', 'm1', at());
    await expect(claims.claim(ctx, P, 't1', 'u1', 'm2', at(MEMBERSHIP_CLAIM_LEASE_MS - 1))).rejects.toBeInstanceOf(MembershipClaimTakenError);
    await claims.claim(ctx, P, 't1', 'u1', 'm2', at(MEMBERSHIP_CLAIM_LEASE_MS));
  });

  it('frees the pair at once when the owner ended with its user or was deleted without release', async () => {
    await team('t1');
    await user('u1');
    await claims.claim(ctx, P, 't1', 'u1', 'm1', at());
    await membership('m1');
    await append(userStreamId(P, 'u1'), 'UserDeleted');
    await user('u1');
    await claims.claim(ctx, P, 't1', 'u1', 'm2', at(1));
    await membership('m2');
    await append(membershipStreamId(P, 'm2'), 'MembershipDeleted');
    await claims.claim(ctx, P, 't1', 'u1', 'm3', at(2));
  });

  it('is released by its owner, and the undo of a lost write releases it', async () => {
    const undo = await claims.claim(ctx, P, 't1', 'u1', 'm1', at());
    await undo();
    await claims.claim(ctx, P, 't1', 'u1', 'm2', at(1));
    await claims.release(ctx, P, 't1', 'u1', 'm1', at(2));
    await expect(claims.claim(ctx, P, 't1', 'u1', 'm3', at(3))).rejects.toBeInstanceOf(MembershipClaimTakenError);
    await claims.release(ctx, P, 't1', 'u1', 'm2', at(4));
    await claims.claim(ctx, P, 't1', 'u1', 'm3', at(5));
  });
});
