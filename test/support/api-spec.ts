import { randomUUID } from 'node:crypto';
import { ProjectionSync } from '@lib/event-sourcing';
import { EventStore, RecordedEvent } from '@lib/event-store';
import { parseUserStreamId, ReservationNames, type UniqueKind, userStreamId } from '@lib/users';
import type { Response } from './raw-http';
import { TEST_DATA_ENCRYPTION_KEY } from './test-constants';
import { startTestGateway, TEST_PROJECT, TestGateway } from './test-gateway';

/**
 * Given/when/then over the HTTP API, with the event log as both the given and the outcome:
 *
 *   await apiSpec()
 *     .given([{ streamId: userStreamId(TEST_PROJECT, 'u1'), type: 'UserCreated', data: {...} }])
 *     .when('PATCH', '/v1/users/u1/name', { name: 'Bea' })
 *     .then({ status: 200, body: { name: 'Bea' }, events: [{ type: 'UserNameChanged', data: { name: 'Bea' } }] });
 *
 * Each `then` runs one scenario on a freshly started in-process gateway (its own temp data dir):
 * the given events are appended to its event store, the read models catch up, the request goes
 * out with the test project and key, and the answer and the events the request appended are
 * checked. The gateway is closed afterwards, whatever the outcome.
 */

/** An event of the given history; `occurredAt` defaults to GIVEN_AT. */
export interface GivenEvent {
  streamId: string;
  type: string;
  data: Record<string, unknown>;
  occurredAt?: string;
}

/** An event the request is expected to append: its type, and a partial match of its data. */
export interface ExpectedEvent {
  type: string;
  data?: Record<string, unknown>;
  /** Also check which stream it went to. */
  streamId?: string;
}

/**
 * Which of the new events `events` is compared with: 'users' (default) the events on the user
 * streams (`userStreamId`); 'all' every new event of the log (reservation streams included);
 * or exactly these streams.
 */
export type StreamSelection = 'users' | 'all' | string[];

export interface ApiExpectation {
  status: number;
  /** Partial match (`toMatchObject`) of the parsed response body. */
  body?: unknown;
  /** Exactly the new events on the selected streams, in log order (each a partial match). */
  events?: ExpectedEvent[];
  streams?: StreamSelection;
}

/** What a scenario observed, for checks beyond `then`'s. */
export interface ApiOutcome {
  response: Response;
  /** Every event the request appended to the log (all streams), in log order. */
  newEvents: RecordedEvent[];
}

export const GIVEN_AT = '2024-01-01T00:00:00.000+00:00';

const RESERVATION_NAMES = ReservationNames.fromMasterKey(Buffer.from(TEST_DATA_ENCRYPTION_KEY, 'base64'));

/** The reservation stream of a value, as the test gateway (its master key is TEST_DATA_ENCRYPTION_KEY) names it. */
export const reservationStreamId = (kind: UniqueKind, value: string, projectId = TEST_PROJECT) => RESERVATION_NAMES.streamIdOf(projectId, kind, value);

export function apiSpec(options: { start?: () => Promise<TestGateway> } = {}) {
  const start = options.start ?? (() => startTestGateway());
  return {
    given(history: GivenEvent[] = []) {
      return {
        when(method: string, path: string, body?: unknown) {
          return {
            /** Runs the scenario. Call it with the expectation; never `await` the `when(...)` itself. */
            then(expected: ApiExpectation): Promise<ApiOutcome> {
              if (typeof expected === 'function') {
                throw new TypeError('apiSpec: call .then({ status, body?, events? }) on when(...), do not await when(...) itself');
              }
              return runScenario(start, history, { method, path, body }, expected);
            },
          };
        },
      };
    },
  };
}

async function runScenario(
  start: () => Promise<TestGateway>,
  history: GivenEvent[],
  request: { method: string; path: string; body?: unknown },
  expected: ApiExpectation,
): Promise<ApiOutcome> {
  const gw = await start();
  try {
    const events = gw.app.get(EventStore);
    const last = await appendHistory(events, history);
    if (last !== null) await gw.app.get(ProjectionSync).waitFor(last);
    const before = await lastPosition(events);

    const response = await gw.http(request.method, request.path, request.body);
    const newEvents = await readAllAfter(events, before);

    if (response.status !== expected.status) {
      throw new Error(`${request.method} ${request.path}: expected status ${expected.status}, got ${response.status} ${response.text}`);
    }
    if (expected.body !== undefined) expect(response.body).toMatchObject(expected.body as object);

    if (expected.events !== undefined) {
      const selected = newEvents.filter(inSelection(expected.streams ?? 'users'));
      const actual = selected.map((e) => ({ streamId: e.streamId, type: e.type, data: e.data }));
      // Types first, for a readable failure; then the partial match of each event.
      expect(actual.map((e) => e.type)).toEqual(expected.events.map((e) => e.type));
      expect(actual).toMatchObject(expected.events.map((e) => ({ type: e.type, ...(e.data ? { data: e.data } : {}), ...(e.streamId ? { streamId: e.streamId } : {}) })));
    }
    return { response, newEvents };
  } finally {
    await gw.close();
  }
}

/** Appends the history, consecutive events of one stream in one append; the position of the last, or null. */
async function appendHistory(events: EventStore, history: GivenEvent[]): Promise<string | null> {
  let last: string | null = null;
  for (let i = 0; i < history.length; ) {
    const streamId = history[i].streamId;
    const batch: GivenEvent[] = [];
    while (i < history.length && history[i].streamId === streamId) batch.push(history[i++]);
    const result = await events.append(
      streamId,
      batch.map((e) => {
        const id = randomUUID();
        return {
          id,
          type: e.type,
          data: e.data,
          metadata: {
            eventId: id,
            occurredAt: e.occurredAt ?? GIVEN_AT,
            schemaVersion: 1,
            actor: { type: 'system', id: 'api-spec' },
            requestId: 'api-spec-given',
            ip: '127.0.0.1',
            userAgent: 'api-spec',
          },
        };
      }),
      'any',
    );
    last = result.position;
  }
  return last;
}

const PAGE = 1000;

async function readAllAfter(events: EventStore, after: string | null): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  let from = after;
  for (;;) {
    const page = await events.readAll(from, PAGE);
    out.push(...page);
    if (page.length < PAGE) return out;
    from = page[page.length - 1].position;
  }
}

async function lastPosition(events: EventStore): Promise<string | null> {
  const all = await readAllAfter(events, null);
  return all.length ? all[all.length - 1].position : null;
}

function inSelection(selection: StreamSelection): (e: RecordedEvent) => boolean {
  if (selection === 'all') return () => true;
  if (selection === 'users') return (e) => parseUserStreamId(e.streamId) !== null;
  const streams = new Set(selection);
  return (e) => streams.has(e.streamId);
}

/**
 * A user as CreateUser stores it: the UserCreated event and the claims on its email and phone
 * (without the claims, another user could take the address). `over` changes the event's data.
 */
export function givenUser(
  userId: string,
  over: Partial<{ name: string; email: string | null; phone: string | null; password: string | null; hash: string; hashOptions: Record<string, unknown> }> = {},
  options: { projectId?: string; at?: string } = {},
): GivenEvent[] {
  const projectId = options.projectId ?? TEST_PROJECT;
  const at = options.at ?? GIVEN_AT;
  const data = {
    userId,
    name: userId,
    email: `${userId}@example.com`,
    phone: null as string | null,
    password: null as string | null,
    hash: 'argon2',
    hashOptions: { type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 },
    ...over,
  };
  const claim = (kind: 'email' | 'phone', value: string): GivenEvent => ({
    streamId: reservationStreamId(kind, value, projectId),
    type: 'UniqueValueClaimed',
    data: { owner: userId, claimedAt: at },
    occurredAt: at,
  });
  const stream = userStreamId(projectId, userId);
  // The user's email and phone are targets from its creation on, as the service records them.
  const target = (kind: 'email' | 'sms', identifier: string): GivenEvent => ({
    streamId: stream,
    type: 'TargetCreated',
    data: { targetId: `${userId}-${kind}`, providerType: kind, identifier, providerId: null, name: null },
    occurredAt: at,
  });
  return [
    ...(data.email ? [claim('email', data.email)] : []),
    ...(data.phone ? [claim('phone', data.phone)] : []),
    { streamId: stream, type: 'UserCreated', data, occurredAt: at },
    ...(data.email ? [target('email', data.email)] : []),
    ...(data.phone ? [target('sms', data.phone)] : []),
  ];
}

/** A live session of the user, as the Account API will record it. */
export function givenSession(userId: string, sessionId: string, options: { projectId?: string; at?: string } = {}): GivenEvent {
  return {
    streamId: userStreamId(options.projectId ?? TEST_PROJECT, userId),
    type: 'SessionCreated',
    data: {
      sessionId,
      provider: 'email',
      providerUid: `${userId}@example.com`,
      providerAccessToken: '',
      providerAccessTokenExpiry: null,
      providerRefreshToken: '',
      expire: null,
      ip: '127.0.0.1',
      userAgent: 'api-spec',
    },
    occurredAt: options.at ?? GIVEN_AT,
  };
}
