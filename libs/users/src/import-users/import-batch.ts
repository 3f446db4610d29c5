import { CommandDeps, DomainEvent, EventSchema, loadStream, toEventsToAppend } from '@lib/event-sourcing';
import { StreamAppend, WrongExpectedRevisionError } from '@lib/event-store';
import type { RequestContext } from '@lib/http';
import type { NewUser, UserCreator } from '../create-user/create-user';
import { USER_STREAM, userStreamId } from '../user';
import type { UserEvent } from '../user.events';
import { ClaimOutcome, UniqueValues, uniqueValuesOf } from '../uniqueness/unique-values';
import type { ImportLine } from './import-line';
import { decideImportUser } from './import-user';

/** What became of a batch's lines: stored (at a log position), failed (with the error), or to store one by one. */
export interface BatchOutcome {
  positions: string[];
  failed: Array<{ line: ImportLine; error: unknown }>;
  /** Lines that met a concurrent write of their own streams: the single path retries them as a create is retried. */
  contended: ImportLine[];
}

interface Decided {
  line: ImportLine;
  command: NewUser;
  events: UserEvent[];
  expected: Awaited<ReturnType<typeof loadStream>>['expected'];
}

const USER_SCHEMA = USER_STREAM.schema as EventSchema<DomainEvent>;

/**
 * Stores lines whose password needs no hashing as Create User would store each (same commands,
 * same decisions, same claims, same events), but in steps for the whole batch instead of one
 * chain of awaits per line: every user stream read and decided, then every unique value claimed
 * and every user appended, each step's appends issued together so that they share one commit.
 * The values must be unique within the batch (claimWithinFile).
 *
 * Where the log appends atomically (the embedded one), each user and its claims are one append to
 * several streams: all of the batch in one commit, a user whose streams moved meanwhile failing
 * alone and leaving nothing. Elsewhere (EventStoreDB) the claims are appended first
 * (UniqueValues.claimBatch), then the users: a crash between the two commits leaves claims whose
 * owner does not hold the value, as a crash of a single create there would; the next claim of such
 * a value takes it over once the claim's lease has run out. A user's append that fails releases
 * its claims at once.
 */
export async function storeBatch(deps: CommandDeps, creator: UserCreator, uniques: UniqueValues, ctx: RequestContext, lines: readonly ImportLine[]): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { positions: [], failed: [], contended: [] };
  const decided = await decideUsers(deps, creator, ctx, lines, outcome);
  return deps.events.appendsAtomically ? storeWithClaims(deps, uniques, ctx, decided, outcome) : storeAfterClaims(deps, uniques, ctx, decided, outcome);
}

/** Every line's user stream read and its events decided; an existing id fails here, before anything is claimed. */
async function decideUsers(deps: CommandDeps, creator: UserCreator, ctx: RequestContext, lines: readonly ImportLine[], outcome: BatchOutcome): Promise<Decided[]> {
  const decided: Decided[] = [];
  await Promise.all(
    lines.map(async (line) => {
      const command = creator.newUser(line.user, line.user.password.kind === 'hashed' ? line.user.password.stored : null);
      try {
        const { state, expected } = await loadStream(deps.events, userStreamId(ctx.projectId, command.userId), USER_STREAM);
        decided.push({ line, command, events: decideImportUser(line.fields)(command, state), expected });
      } catch (error) {
        outcome.failed.push({ line, error });
      }
    }),
  );
  return decided;
}

/** Each user appended with its claims, all or nothing per user, the batch's appends in one commit. */
async function storeWithClaims(deps: CommandDeps, uniques: UniqueValues, ctx: RequestContext, decided: Decided[], outcome: BatchOutcome): Promise<BatchOutcome> {
  const ready: StreamAppend[][] = [];
  await Promise.all(
    decided.map(async (d) => {
      try {
        const claims = await uniques.claimAppends(ctx, ctx.projectId, uniqueValuesOf(d.command), d.command.userId, d.command.at);
        // The user's part last: its position is the one the answer waits for.
        ready.push([...claims, { streamId: userStreamId(ctx.projectId, d.command.userId), events: toEventsToAppend(d.events, ctx, USER_SCHEMA), expected: d.expected }]);
      } catch (error) {
        outcome.failed.push({ line: d.line, error });
      }
    }),
  );
  const lineOf = new Map(decided.map((d) => [userStreamId(ctx.projectId, d.command.userId), d.line]));
  try {
    // Every stream recorded first, so that the appends below are issued in one turn and share a commit.
    if (ctx.execution) await Promise.all(ready.flat().map((part) => ctx.execution!.beforeAppend(part.streamId)));
  } catch (error) {
    for (const parts of ready) outcome.failed.push({ line: lineOf.get(parts[parts.length - 1].streamId)!, error });
    return outcome;
  }
  await Promise.all(
    ready.map(async (parts) => {
      const line = lineOf.get(parts[parts.length - 1].streamId)!;
      try {
        const results = await deps.events.appendToStreams(parts);
        outcome.positions.push(results[results.length - 1].position);
      } catch (error) {
        if (error instanceof WrongExpectedRevisionError) outcome.contended.push(line);
        else outcome.failed.push({ line, error });
      }
    }),
  );
  return outcome;
}

/** The claims appended first (one commit), then the users (another); a user not stored releases its claims. */
async function storeAfterClaims(deps: CommandDeps, uniques: UniqueValues, ctx: RequestContext, decided: Decided[], outcome: BatchOutcome): Promise<BatchOutcome> {
  const claims = await uniques.claimBatch(
    ctx,
    ctx.projectId,
    decided.map(({ command }) => ({ owner: command.userId, values: uniqueValuesOf(command), at: command.at })),
  );
  const claimed: Array<Decided & { undo: () => Promise<void> }> = [];
  decided.forEach((d, i) => {
    const claim: ClaimOutcome = claims[i];
    if ('undo' in claim) claimed.push({ ...d, undo: claim.undo });
    else if (claim.error instanceof WrongExpectedRevisionError) outcome.contended.push(d.line);
    else outcome.failed.push({ line: d.line, error: claim.error });
  });
  const streams = claimed.map((c) => userStreamId(ctx.projectId, c.command.userId));
  try {
    if (ctx.execution) await Promise.all(streams.map((s) => ctx.execution!.beforeAppend(s)));
  } catch (error) {
    await Promise.all(claimed.map((c) => releaseClaims(c)));
    for (const c of claimed) outcome.failed.push({ line: c.line, error });
    return outcome;
  }
  await Promise.all(
    claimed.map(async (c, i) => {
      try {
        outcome.positions.push((await deps.events.append(streams[i], toEventsToAppend(c.events, ctx, USER_SCHEMA), c.expected)).position);
      } catch (error) {
        await releaseClaims(c);
        if (error instanceof WrongExpectedRevisionError) outcome.contended.push(c.line);
        else outcome.failed.push({ line: c.line, error });
      }
    }),
  );
  return outcome;
}

/** A release that fails leaves claims whose owner does not hold the value: their lease frees them. */
const releaseClaims = (c: { undo: () => Promise<void> }): Promise<void> => c.undo().catch(() => undefined);
