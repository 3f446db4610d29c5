import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clock } from '@lib/appwrite';
import { AppendResult, EventStore, EventToAppend, ExpectedRevision, SqliteEventStore, StreamAppend } from '@lib/event-store';
import type { RequestContext } from '@lib/http';
import { HashingPort } from '@lib/passwords';
import { UserCreator } from '../create-user/create-user';
import { parseUserStreamId } from '../user';
import { ReservationNames } from '../uniqueness/reservation-names';
import { UniqueValues, UniqueValueTakenError } from '../uniqueness/unique-values';
import { UserDomainError } from '../user.errors';
import type { ImportLine } from './import-line';
import { storeBatch } from './import-batch';

/*
 * The import's batch path on a real SQLite log: every line stored as Create User stores it, a
 * line whose id or values are someone else's failing alone, and a batch whose user appends fail
 * part way leaving no claim behind that would refuse a later create of the same email.
 */

/**
 * The log, with user appends that fail for the users named in `failing` (a store that breaks
 * mid-batch); `atomic` says whether it offers the SQLite log's appends to several streams, or
 * appends one stream at a time as EventStoreDB does.
 */
class FailingUserAppends extends EventStore {
  readonly failing = new Set<string>();
  constructor(
    private readonly inner: EventStore,
    private readonly atomic: boolean,
  ) {
    super();
  }
  override get appendsAtomically(): boolean {
    return this.atomic;
  }
  private refusal(streamId: string): Error | null {
    const user = parseUserStreamId(streamId);
    return user && this.failing.has(user.userId) ? new Error(`disk full writing ${user.userId}`) : null;
  }
  append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    const refused = this.refusal(streamId);
    return refused ? Promise.reject(refused) : this.inner.append(streamId, events, expected);
  }
  override appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]> {
    if (!this.atomic) return super.appendToStreams(appends);
    const refused = appends.map((a) => this.refusal(a.streamId)).find((r) => r !== null);
    return refused ? Promise.reject(refused) : this.inner.appendToStreams(appends);
  }
  readStream = (s: string, from?: number) => this.inner.readStream(s, from);
  readAll = (after: string | null, n: number) => this.inner.readAll(after, n);
  subscribeAll: EventStore['subscribeAll'] = (...args) => this.inner.subscribeAll(...args);
  comparePositions = (a: string | null, b: string | null) => this.inner.comparePositions(a, b);
  identity = () => this.inner.identity();
  close = () => this.inner.close();
}

const P = 'batch';
const ctx: RequestContext = { projectId: P, actor: { type: 'apiKey', id: 'k' }, requestId: 'r', ip: '127.0.0.1', userAgent: 'test' } as RequestContext;
const noHashing = {} as HashingPort;
const line = (n: number, over: Partial<ImportLine['user']> = {}): ImportLine => ({
  line: n,
  user: { userId: `u${n}`, email: `u${n}@batch.io`, phone: n % 2 ? `+1555000${String(n).padStart(4, '0')}` : null, name: `U ${n}`, password: { kind: 'none' }, ...over },
  fields: n % 3 === 0 ? { labels: ['imported'] } : {},
});

describe.each([
  ['one append of each user with its claims (a log that appends atomically)', true],
  ['claims first, then the users (a log that appends to one stream at a time)', false],
])('storeBatch: %s', (_, atomic) => {
  let dir: string;
  let events: FailingUserAppends;
  let uniques: UniqueValues;
  let creator: UserCreator;
  let names: ReservationNames;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'import-batch-'));
    events = new FailingUserAppends(new SqliteEventStore(join(dir, 'events.sqlite')), atomic);
    names = ReservationNames.fromMasterKey(randomBytes(32));
    uniques = new UniqueValues({ events }, names);
    creator = new UserCreator({ events }, new Clock(), noHashing, uniques);
  });
  afterEach(async () => {
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const single = (n: number, over: Partial<ImportLine['user']> = {}) => creator.create(ctx, line(n, over).user);

  it('stores every line as Create User would: its events, its claims', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => line(i + 1));
    const outcome = await storeBatch({ events }, creator, uniques, ctx, lines);
    expect(outcome).toMatchObject({ failed: [], contended: [] });
    expect(outcome.positions).toHaveLength(30);
    const types = (await events.readStream(`user-${P}:u3`)).map((e) => e.type);
    expect(types).toEqual(['UserCreated', 'TargetCreated', 'TargetCreated', 'UserLabelsReplaced']);
    // Each value is now held: a single create of another user with it is refused.
    await expect(single(100, { email: 'U7@batch.io' })).rejects.toMatchObject({ kind: 'email' });
    await expect(single(101, { email: null, phone: line(7).user.phone })).rejects.toMatchObject({ kind: 'phone' });
  });

  it('fails the lines whose id, email or phone an existing user has, and only those', async () => {
    await single(1);
    await single(2, { userId: 'other', email: 'u4@batch.io' });
    await single(3, { userId: 'third', email: 'third@batch.io', phone: line(5).user.phone });
    const outcome = await storeBatch({ events }, creator, uniques, ctx, [line(1, { email: 'fresh@batch.io', phone: null }), line(4), line(5), line(6)]);
    const why = new Map(outcome.failed.map(({ line: l, error }) => [l.line, error]));
    expect([...why.keys()].sort()).toEqual([1, 4, 5]);
    expect(why.get(1)).toBeInstanceOf(UserDomainError);
    expect(why.get(4)).toMatchObject({ kind: 'email' });
    expect(why.get(5)).toMatchObject({ kind: 'phone' });
    expect(why.get(5)).toBeInstanceOf(UniqueValueTakenError);
    expect(outcome.positions).toHaveLength(1);
    // What the failed lines claimed before their other value was refused is free again at once (no lease to wait out).
    await expect(single(5, { userId: 'later5', email: 'u5@batch.io', phone: null })).resolves.toMatchObject({ userId: 'later5' });
    await expect(single(1, { userId: 'later1', email: 'fresh@batch.io', phone: null })).resolves.toMatchObject({ userId: 'later1' });
  });

  it('a batch whose user appends fail part way holds no claim for the users not stored: later creates of their values succeed', async () => {
    events.failing.add('u2').add('u3');
    const outcome = await storeBatch({ events }, creator, uniques, ctx, [line(1), line(2), line(3), line(4)]);
    expect(outcome.failed.map((f) => f.line.line).sort()).toEqual([2, 3]);
    expect(outcome.positions).toHaveLength(2);
    expect(await events.readStream(`user-${P}:u2`)).toEqual([]);
    // Appended with its user, a claim is not written at all when the user is not; appended first, it is released.
    const claimOfU2 = (await events.readStream(names.streamIdOf(P, 'email', 'u2@batch.io'))).map((e) => e.type);
    expect(claimOfU2).toEqual(atomic ? [] : ['UniqueValueClaimed', 'UniqueValueReleased']);
    events.failing.clear();
    await expect(single(2, { userId: 'again2' })).resolves.toMatchObject({ userId: 'again2' });
    await expect(single(3, { userId: 'again3' })).resolves.toMatchObject({ userId: 'again3' });
    await expect(single(4, { userId: 'again4' })).rejects.toMatchObject({ kind: 'email' });
  });

  it('a create racing the batch for the same email: exactly one of them holds it', async () => {
    for (let n = 20; n < 40; n++) {
      const [racer] = await Promise.allSettled([single(n, { userId: `racer${n}`, phone: null }), storeBatch({ events }, creator, uniques, ctx, [line(n), line(n + 100)])]);
      const imported = (await events.readStream(`user-${P}:u${n}`)).length > 0;
      expect([racer.status === 'fulfilled', imported].filter(Boolean)).toHaveLength(1);
    }
  });
});
