import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AppwriteException, Clock } from '@lib/appwrite';
import { COMMAND_DEPS, CommandDeps, ConcurrencyExhaustedError } from '@lib/event-sourcing';
import { EndpointDef, endpointController, isJsonLinesRequest, JSON_LINES_TYPE, rawBodyOf, type RequestContext, requestFormat, Slice } from '@lib/http';
import { HashingBusyError, HashingPort } from '@lib/passwords';
import { UserCreator } from '../create-user/create-user';
import { UniqueValues } from '../uniqueness/unique-values';
import { UserDomainError } from '../user.errors';
import { UniqueValueTakenError } from '../uniqueness/unique-value';
import { claimWithinFile, ImportFailure, ImportLine, isFailure, readImportFile } from './import-line';
import { decideImportUser } from './import-user';
import { storeBatch } from './import-batch';

export const MAX_IMPORT_LINES = 10_000;
/** About 3 KiB a line at 10,000 lines: an exported user with modest prefs takes well under 1 KiB. */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;

export const IMPORT_USERS: EndpointDef = {
  method: 'POST',
  path: '/v1/users/import',
  scope: 'users.write',
  tag: 'users',
  sdkMethod: 'users.importUsers',
  summary: 'Import Users',
  params: [],
  success: { status: 200, model: 'userImport' },
  jsonLines: {
    request: {
      maxBytes: MAX_IMPORT_BYTES,
      description:
        `Up to ${MAX_IMPORT_LINES} users, one JSON object a line (${JSON_LINES_TYPE}, at most ${MAX_IMPORT_BYTES / 1024 / 1024} MiB): the params of Create User, or with \`hash\` ` +
        '(bcrypt, md5, argon2, sha, phpass, scrypt, scryptMod) and `hashOptions` as stored those of its hash import, plus `labels`, `prefs`, `status`, ' +
        '`emailVerification`, `phoneVerification`, `mfa` and `impersonator`. Every line of an export imports as is.',
    },
  },
};

/**
 * Lines stored as one batch: a batch's commits (a few thousand events) stay within what the event
 * store remembers for the projections that read them next, which a whole file would not.
 */
const BATCH_LINES = 1000;
/** Lines retried one by one in flight at once (few: those a concurrent write met in the batch). */
const LINE_CONCURRENCY = 512;
/** Plain passwords wait here rather than in the hashing pool's queue, which refuses long waits. */
const PLAIN_PASSWORD_CONCURRENCY = 4;

export class ImportUsersCommand {
  constructor(
    readonly ctx: RequestContext,
    readonly lines: readonly ImportLine[],
  ) {}
}

/** Why a line that passed validation was not stored, as the line's failure; null for a fault of the service itself. */
function storeFailure(line: number, err: unknown): ImportFailure | null {
  const as = (e: AppwriteException): ImportFailure => ({ line, type: e.type, message: e.message });
  if (err instanceof UserDomainError) return as(new AppwriteException(err.type));
  if (err instanceof UniqueValueTakenError) return as(new AppwriteException(err.kind === 'email' ? 'user_email_already_exists' : err.kind === 'phone' ? 'user_phone_already_exists' : 'user_already_exists'));
  if (err instanceof AppwriteException) return as(err);
  // What a single create answers 503 for: the client may send the line again.
  if (err instanceof HashingBusyError || err instanceof ConcurrencyExhaustedError) return as(new AppwriteException('general_service_unavailable'));
  return null;
}

/** Runs `task` over `items`, at most `limit` at a time. */
async function inParallel<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Stores the lines of an import, each as Create User would (claims, decide, one append): those
 * without a password to hash as one batch (storeBatch), those with one as they are hashed
 * (UserCreator), as is every line a concurrent write met in the batch; returns the lines that failed once
 * the read models include the others (read-your-writes, as for every write, but awaited once for
 * the whole import, for as long as the read models advance: thousands of users may take a
 * projector into MongoDB longer than one write's wait).
 */
@CommandHandler(ImportUsersCommand)
export class ImportUsersHandler implements ICommandHandler<ImportUsersCommand, ImportFailure[]> {
  private readonly creator: UserCreator;
  private readonly logger = new Logger('users-import');
  constructor(
    @Inject(COMMAND_DEPS) private readonly deps: CommandDeps,
    clock: Clock,
    hashing: HashingPort,
    private readonly uniques: UniqueValues,
  ) {
    this.creator = new UserCreator({ events: deps.events }, clock, hashing, uniques);
  }

  async execute({ ctx, lines }: ImportUsersCommand): Promise<ImportFailure[]> {
    const failed: ImportFailure[] = [];
    const positions: string[] = [];
    const fail = (line: number, err: unknown) => {
      const failure = storeFailure(line, err);
      if (!failure) this.logger.error({ err, requestId: ctx.requestId, line }, 'import line failed');
      failed.push(failure ?? { line, type: 'general_unknown', message: new AppwriteException('general_unknown').message });
    };
    const store = async ({ line, user, fields }: ImportLine) => {
      try {
        positions.push((await this.creator.create(ctx, user, decideImportUser(fields))).position);
      } catch (err) {
        fail(line, err);
      }
    };
    const lastOf = (all: readonly string[]) => all.reduce<string | null>((a, b) => (a === null || this.deps.events.comparePositions(b, a) > 0 ? b : a), null);
    // One batch after the other, each stored while the read models apply the one before: they
    // never fall further behind than what the event store remembers for them (see BATCH_LINES).
    const storeInBatches = async (all: ImportLine[]) => {
      let previous: string | null = null;
      let pacing = true;
      for (let i = 0; i < all.length; i += BATCH_LINES) {
        const outcome = await storeBatch(this.deps, this.creator, this.uniques, ctx, all.slice(i, i + BATCH_LINES));
        positions.push(...outcome.positions);
        for (const { line, error } of outcome.failed) fail(line.line, error);
        await inParallel(outcome.contended, LINE_CONCURRENCY, store);
        // Read models that stall stop the pacing, not the import: the answer's wait below says so.
        if (pacing && previous !== null) await this.deps.sync?.waitWhileAdvancing(previous).catch(() => (pacing = false));
        previous = lastOf(outcome.positions) ?? previous;
      }
    };
    const plain = lines.filter((l) => l.user.password.kind === 'plain');
    await Promise.all([storeInBatches(lines.filter((l) => l.user.password.kind !== 'plain')), inParallel(plain, PLAIN_PASSWORD_CONCURRENCY, store)]);
    // Read models that stall make it a 503: the users are stored, and show once they catch up.
    const last = lastOf(positions);
    if (last !== null) await this.deps.sync?.waitWhileAdvancing(last);
    return failed;
  }
}

export const importUsers: Slice = {
  endpoints: [IMPORT_USERS],
  controllers: [
    endpointController(IMPORT_USERS, async ({ commands }, ctx, _params, req) => {
      if (!isJsonLinesRequest(req)) throw new AppwriteException('general_argument_invalid', `Invalid body: Content-Type must be ${JSON_LINES_TYPE}, one user a line.`);
      const read = readImportFile(rawBodyOf(req), requestFormat(req));
      if (read.length > MAX_IMPORT_LINES) throw new AppwriteException('general_argument_invalid', `Invalid body: at most ${MAX_IMPORT_LINES} users per import, this one has ${read.length}.`);
      const { accepted, failed: repeated } = claimWithinFile(read.filter((r): r is ImportLine => !isFailure(r)));
      const notStored = await commands.execute<ImportUsersCommand, ImportFailure[]>(new ImportUsersCommand(ctx, accepted));
      const failed = [...read.filter(isFailure), ...repeated, ...notStored].sort((a, b) => a.line - b.line);
      return { imported: accepted.length - notStored.length, failed };
    }),
  ],
  providers: [ImportUsersHandler],
};
