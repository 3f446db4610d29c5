import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventStore } from '../../event-store/src/event-store.port';
import { DEFAULT_HASH_ALGORITHM, DEFAULT_HASH_OPTIONS } from '../../passwords/src';
import { Clock } from './application/clock';
import { EventWriter } from './application/event-writer';
import { ProjectionSync } from './application/projection-sync.port';
import { UserCommands } from './application/user-commands.service';
import { CreateUserHandler } from './create-user/create-user.command';
import { CreateUserController } from './create-user/create-user.controller';
import { DeleteUserController, DeleteUserHandler } from './delete-user/delete-user';
import { ListUsersController } from './list-users/list-users.controller';
import { ListUsersHandler } from './list-users/list-users.query';
import { SESSION_HANDLERS, SessionsController } from './sessions/sessions';
import { UniqueValues } from './uniqueness/unique-values';
import { UpdateUserHandler } from './update-user/update-user.command';
import { UpdateUserController } from './update-user/update-user.controller';
import { UserDetailsController } from './user-details/user-details.controller';
import { USER_DETAILS_QUERY_HANDLERS } from './user-details/user-details.queries';

/**
 * The Users context: controllers, command and query handlers. It needs the ports
 * (EventStore, ReadStore, HashingPort, ProjectionSync) from a global infrastructure module.
 */
@Module({
  imports: [CqrsModule],
  controllers: [CreateUserController, ListUsersController, UserDetailsController, UpdateUserController, SessionsController, DeleteUserController],
  providers: [
    Clock,
    { provide: EventWriter, useFactory: (events: EventStore) => new EventWriter(events), inject: [EventStore] },
    { provide: UniqueValues, useFactory: (writer: EventWriter) => new UniqueValues(writer), inject: [EventWriter] },
    {
      provide: UserCommands,
      useFactory: (writer: EventWriter, uniques: UniqueValues, sync: ProjectionSync, clock: Clock) =>
        new UserCommands(writer, uniques, sync, clock, { hash: DEFAULT_HASH_ALGORITHM, hashOptions: { ...DEFAULT_HASH_OPTIONS } }),
      inject: [EventWriter, UniqueValues, ProjectionSync, Clock],
    },
    CreateUserHandler,
    UpdateUserHandler,
    DeleteUserHandler,
    ListUsersHandler,
    ...USER_DETAILS_QUERY_HANDLERS,
    ...SESSION_HANDLERS,
  ],
})
export class UsersModule {}
