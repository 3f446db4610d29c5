import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Clock } from '@lib/appwrite';
import { mountSlices } from '@lib/http';
import { TEAMS_SLICES } from './teams.slices';

const mounted = mountSlices(TEAMS_SLICES);

/** Every endpoint the Teams context serves (List User Memberships included), for OpenAPI and body limits. */
export const TEAMS_ENDPOINTS = mounted.endpoints;

/**
 * The Teams context. It needs, from a global module, COMMAND_DEPS, the query ports of its read
 * models and of the user directory; new invitees are created through the Users context's
 * CreateUserCommand on the CommandBus.
 */
@Module({
  imports: [CqrsModule],
  controllers: mounted.controllers,
  providers: [Clock, ...mounted.providers],
})
export class TeamsModule {}
