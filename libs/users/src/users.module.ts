import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Clock } from '@lib/appwrite';
import { mountSlices } from '@lib/http';
import { RecordUserAccessHandler } from './record-access/record-access';
import { CreateSessionHandler } from './sessions/create-session';
import { UniqueValues } from './uniqueness/unique-values';
import { USERS_SLICES } from './users.slices';

const mounted = mountSlices(USERS_SLICES);

/** Every endpoint of the Users API, for routing-independent readers (OpenAPI, tests). */
export const USERS_ENDPOINTS = mounted.endpoints;

/**
 * The Users context. It needs, from a global module, COMMAND_DEPS (event store and
 * read-your-writes), HashingPort, and the query ports of its read models.
 */
@Module({
  imports: [CqrsModule],
  controllers: mounted.controllers,
  providers: [Clock, UniqueValues, ...mounted.providers, CreateSessionHandler, RecordUserAccessHandler],
})
export class UsersModule {}
