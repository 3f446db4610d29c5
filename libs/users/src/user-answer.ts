import { AnswerWithHeaders, EndpointDef, strongEtag } from '@lib/http';
import type { UserFields } from './user';
import { toUserModel } from './user-directory/user.model';

const USER_VERSION_HEADERS = {
  ETag: 'The revision of the user\'s event stream (0-based, counting every event of the user, sessions included) that this answer shows, as a strong entity tag: `"7"`. What `If-Match` takes.',
};

/** The response of every route that answers one User model: that model, and its version as ETag. */
export const userSuccess = <Status extends 200 | 201>(status: Status): EndpointDef['success'] & { status: Status } => ({ status, model: 'user', headers: USER_VERSION_HEADERS });

/** A User model answer, its ETag naming the stream revision it shows. */
export const userAnswer = (user: UserFields, revision: number): AnswerWithHeaders => new AnswerWithHeaders(toUserModel(user), { ETag: strongEtag(revision) });
