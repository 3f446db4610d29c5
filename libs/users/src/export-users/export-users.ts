import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Readable } from 'node:stream';
import { EventStore } from '@lib/event-store';
import { toDomainEvent } from '@lib/event-sourcing';
import { EndpointDef, endpointController, JSON_LINES_TYPE, Slice, StreamedAnswer } from '@lib/http';
import { evolveUser, initialUserState, parseUserStreamId, UserFields, userStreamId } from '../user';
import { USER_EVENT_SCHEMA, UserEvent } from '../user.events';
import { ScannedUser, UserDirectory, UserScan } from '../user-directory/user-directory.port';
import { exportTrailer, toExportLine } from './export-line';

/** Users read from the directory at a time: what the export holds in memory, whatever the project's size. */
const PAGE_SIZE = 500;
const LOG_BATCH = 1000;
export const EXPORT_POSITION_HEADER = 'x-export-position';

export const EXPORT_USERS: EndpointDef = {
  method: 'GET',
  path: '/v1/users/export',
  scope: 'users.export',
  tag: 'users',
  sdkMethod: 'users.exportUsers',
  summary: 'Export Users',
  params: [],
  success: { status: 200, model: null },
  jsonLines: {
    response: {
      description:
        `Every user of the project, one JSON object a line (${JSON_LINES_TYPE}) in user-id order, each as Import Users takes it (password hash and options as stored), ` +
        'all as of one log position; the last line is `{"$position": "<position>", "total": <users>}`, and the position is also the `X-Export-Position` header. ' +
        'An answer without that last line broke off.',
    },
  },
};

export class ExportUsersQuery {
  constructor(readonly projectId: string) {}
}

/** An export: the log position its users are as of, its lines as they are produced, and how to end it early. */
export interface UserExport {
  position: string | null;
  lines: AsyncIterable<string>;
  close(): Promise<void>;
}

/**
 * Brings the users of a scan without snapshot back to the scan's position: a user the log shows
 * changed after it is folded from its stream up to that position. Before each page is used, the
 * log is read on to its end, so every change already applied to the page's records is known.
 */
class AsOfPosition {
  private readonly changed = new Set<string>();
  private readAfter: string | null;

  constructor(
    private readonly events: EventStore,
    private readonly projectId: string,
    private readonly position: string | null,
  ) {
    this.readAfter = position;
  }

  async users(page: ScannedUser[]): Promise<Array<UserFields | null>> {
    await this.readLogToEnd();
    return Promise.all(page.map((s) => (this.changed.has(s.userId) ? this.stateAtPosition(s.userId) : s.record)));
  }

  private async readLogToEnd(): Promise<void> {
    for (;;) {
      const batch = await this.events.readAll(this.readAfter, LOG_BATCH);
      for (const recorded of batch) {
        const key = parseUserStreamId(recorded.streamId);
        if (key?.projectId === this.projectId) this.changed.add(key.userId);
      }
      if (batch.length > 0) this.readAfter = batch[batch.length - 1].position;
      if (batch.length < LOG_BATCH) return;
    }
  }

  private async stateAtPosition(userId: string): Promise<UserFields | null> {
    let state = initialUserState();
    for (const recorded of await this.events.readStream(userStreamId(this.projectId, userId))) {
      if (this.position === null || this.events.comparePositions(recorded.position, this.position) > 0) break;
      const event = toDomainEvent<UserEvent>(USER_EVENT_SCHEMA, recorded);
      if (event) state = evolveUser(state, event);
    }
    return state.lifecycle === 'active' ? state.user : null;
  }
}

@QueryHandler(ExportUsersQuery)
export class ExportUsersHandler implements IQueryHandler<ExportUsersQuery, UserExport> {
  /** Users read from the directory at a time (specs page one by one). */
  pageSize = PAGE_SIZE;

  constructor(
    private readonly directory: UserDirectory,
    private readonly events: EventStore,
  ) {}

  async execute({ projectId }: ExportUsersQuery): Promise<UserExport> {
    const scan = await this.directory.scan(projectId);
    return { position: scan.position, lines: this.lines(projectId, scan), close: () => scan.close() };
  }

  /** One chunk of lines per page; the scan is closed however the export ends (a client gone included). */
  private async *lines(projectId: string, scan: UserScan): AsyncGenerator<string> {
    try {
      const asOf = scan.snapshot ? null : new AsOfPosition(this.events, projectId, scan.position);
      let total = 0;
      for (;;) {
        const page = await scan.next(this.pageSize);
        if (page.length === 0) break;
        const users = asOf ? await asOf.users(page) : page.map((s) => s.record);
        let chunk = '';
        for (const user of users) {
          if (user === null) continue;
          chunk += `${JSON.stringify(toExportLine(user))}\n`;
          total++;
        }
        if (chunk) yield chunk;
      }
      yield `${JSON.stringify(exportTrailer(scan.position, total))}\n`;
    } finally {
      await scan.close();
    }
  }
}

export const exportUsers: Slice = {
  endpoints: [EXPORT_USERS],
  controllers: [
    endpointController(EXPORT_USERS, async ({ queries }, ctx) => {
      const { position, lines, close } = await queries.execute<ExportUsersQuery, UserExport>(new ExportUsersQuery(ctx.projectId));
      const body = Readable.from(lines, { objectMode: false, highWaterMark: 64 * 1024 });
      // Also when the client leaves before the first line: the generator's own cleanup never ran then.
      body.once('close', () => void close());
      // Password hashes: no cache may keep them.
      const headers = { 'cache-control': 'no-store', ...(position === null ? {} : { [EXPORT_POSITION_HEADER]: position }) };
      return new StreamedAnswer(body, headers);
    }),
  ],
  providers: [ExportUsersHandler],
};
