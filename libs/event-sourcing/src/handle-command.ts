import { AppendResult, EventStore, EventToAppend, ExpectedRevision, StreamAppend, timeOrderedId, WrongExpectedRevisionError } from '@lib/event-store';
import type { CommandContext } from './command-context';
import type { Decider, DomainEvent } from './decider';
import { EventSchema, toDomainEvent, versionOf } from './event-schema';
import type { ProjectionSync } from './projection-sync';
import { foldOf, knownStates, rememberState, sameFold } from './stream-states';

/** An aggregate as the command handler needs it: its rules and its stored event schema. */
export interface Aggregate<C, E extends DomainEvent, S> {
  decider: Decider<C, E, S>;
  schema: EventSchema<E>;
}

export interface LoadedStream<S> {
  state: S;
  /** What to pass as expected revision when appending after this read. */
  expected: ExpectedRevision;
}

/** Where commands write, and (optionally) how they wait until the read models include the write. */
export interface CommandDeps {
  events: EventStore;
  sync?: ProjectionSync | null;
}

/** Undoes what `prepare` did when the events are not appended after all. */
export type Undo = () => Promise<void>;

/**
 * What `prepare` did for the command: written to other streams already (how to undo that), or
 * decided appends to other streams that the command's own append commits with, all or nothing
 * (only from a store that appendsAtomically).
 */
export type Prepared = Undo | { alongside: StreamAppend[] } | void;

export interface CommandOptions<S, E> {
  /**
   * Runs after decide and before the append, for work on other streams that must precede it or
   * go with it (claims on reservation streams). An undo it returns runs when the append loses a
   * race (and the command is retried) or fails; appends it returns alongside are decided again
   * with the retry.
   */
  prepare?: (state: S, events: E[]) => Promise<Prepared>;
  /** Attempts before giving up with ConcurrencyExhaustedError (default 10). */
  maxAttempts?: number;
}

export interface CommandResult<S, E> {
  /** The state the command was decided on. */
  before: S;
  after: S;
  events: E[];
  /** Global position of the last appended event; null when the command decided nothing. */
  position: string | null;
}

export class ConcurrencyExhaustedError extends Error {
  constructor(readonly streamId: string, readonly attempts: number) {
    super(`${streamId}: still conflicting after ${attempts} attempts`);
    this.name = 'ConcurrencyExhaustedError';
  }
}

/**
 * The stream's current state: what this process knows of it (see knownStates) with the events
 * after that folded in, else all its events folded. The state is frozen: a command derives a new
 * one (`evolve`), never changes it.
 */
export async function loadStream<E extends DomainEvent, S>(events: EventStore, streamId: string, aggregate: Aggregate<unknown, E, S>): Promise<LoadedStream<S>> {
  const fold = foldOf(aggregate);
  const cached = knownStates(events).get(streamId);
  // Use cases of one aggregate differ in `decide` alone: a state one of them remembered serves all.
  const known = cached !== undefined && sameFold(cached.fold, fold) ? cached : undefined;
  const recorded = await events.readStream(streamId, known ? known.revision + 1 : 0);
  let state = known ? (known.state as S) : aggregate.decider.initialState();
  for (const r of recorded) {
    const event = toDomainEvent(aggregate.schema, r);
    if (event !== null) state = aggregate.decider.evolve(state, event);
  }
  if (recorded.length === 0) return known ? { state, expected: known.revision } : { state, expected: 'no_stream' };
  const revision = recorded[recorded.length - 1].revision;
  rememberState(events, streamId, fold, state, revision);
  return { state, expected: revision };
}

/** Decided events as stored ones: a fresh event id each, and the full metadata. */
export function toEventsToAppend(events: DomainEvent[], ctx: CommandContext, schema: EventSchema<DomainEvent>): EventToAppend[] {
  return events.map((e) => {
    const id = timeOrderedId();
    return {
      id,
      type: e.type,
      data: e.data as Record<string, unknown>,
      metadata: {
        eventId: id,
        occurredAt: e.occurredAt,
        schemaVersion: versionOf(schema, e.type),
        actor: ctx.actor,
        requestId: ctx.requestId,
        ip: ctx.ip,
        userAgent: ctx.userAgent,
        ...(ctx.execution ? { idempotencyAttemptId: ctx.execution.id } : {}),
      },
    };
  });
}

/**
 * The one command handler of every context: load the stream, decide, append with the revision
 * that was read, and on a concurrent write start over (bounded). Domain errors of `decide` pass
 * through unchanged. With `deps.sync`, answers only once the read models include the write.
 *
 * A precondition of the context on this stream (If-Match) is checked against the loaded
 * revision before deciding; as the append expects that same revision, a concurrent write fails
 * the append, and the start-over then fails the check (StaleRevisionError): a stale version is
 * never retried into a write.
 */
export async function handleCommand<C, E extends DomainEvent, S>(
  deps: CommandDeps,
  aggregate: Aggregate<C, E, S>,
  streamId: string,
  /** The command, or how to make it from the loaded state (for commands that must look elsewhere first). */
  command: C | ((state: S) => Promise<C>),
  ctx: CommandContext,
  options: CommandOptions<S, E> = {},
): Promise<CommandResult<S, E>> {
  const attempts = options.maxAttempts ?? 10;
  const precondition = ctx.precondition?.appliesTo(streamId) ? ctx.precondition : undefined;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const { state, expected } = await loadStream(deps.events, streamId, aggregate);
    precondition?.check(expected);
    // No `await` where there is nothing to wait for: each is a promise and a microtask per command.
    const decided = typeof command === 'function' ? await (command as (state: S) => Promise<C>)(state) : command;
    const events = aggregate.decider.decide(decided, state);
    const prepared = options.prepare ? await options.prepare(state, events) : undefined;
    const undo = typeof prepared === 'function' ? prepared : undefined;
    const alongside = typeof prepared === 'object' && prepared.alongside.length > 0 ? prepared.alongside : undefined;
    const after = events.reduce(aggregate.decider.evolve, state);
    if (events.length === 0) {
      precondition?.consume();
      return { before: state, after, events, position: null };
    }
    let appended: AppendResult;
    try {
      const own = toEventsToAppend(events, ctx, aggregate.schema as EventSchema<DomainEvent>);
      if (alongside === undefined) {
        if (ctx.execution) await ctx.execution.beforeAppend(streamId);
        appended = await deps.events.append(streamId, own, expected);
      } else {
        // The other streams first, as when they are written before: the first one is what a retry of the request looks into.
        if (ctx.execution) for (const a of alongside) await ctx.execution.beforeAppend(a.streamId);
        if (ctx.execution) await ctx.execution.beforeAppend(streamId);
        // The command's own events last: their position is the commit's last.
        appended = (await deps.events.appendToStreams([...alongside, { streamId, events: own, expected }]))[alongside.length];
      }
    } catch (err) {
      await undo?.();
      if (err instanceof WrongExpectedRevisionError) continue;
      throw err;
    }
    rememberState(deps.events, streamId, foldOf(aggregate), after, appended.nextRevision);
    precondition?.consume();
    if (deps.sync) await deps.sync.waitFor(appended.position);
    return { before: state, after, events, position: appended.position };
  }
  throw new ConcurrencyExhaustedError(streamId, attempts);
}

/** Injection token of the CommandDeps every context's handlers share. */
export const COMMAND_DEPS = 'EVENT_SOURCING_COMMAND_DEPS';
