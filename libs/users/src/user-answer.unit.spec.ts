import { AnswerWithHeaders } from '@lib/http';
import { makeUser } from '@lib/users/testing';
import { userAnswer } from './user-answer';
import { toUserModel } from './user-directory/user.model';
import { USERS_ENDPOINTS } from './users.module';

describe('answers that are one user', () => {
  it('carry the User model and the revision as a strong ETag', () => {
    const user = makeUser('p', 'u1', 1);
    const answer = userAnswer(user, 7);
    expect(answer).toBeInstanceOf(AnswerWithHeaders);
    expect(answer.body).toEqual(toUserModel(user));
    expect(answer.headers).toEqual({ ETag: '"7"' });
  });

  it('every route answering the User model declares its ETag, and only those routes', () => {
    const declaring = USERS_ENDPOINTS.filter((e) => e.success.headers?.ETag !== undefined).map((e) => e.sdkMethod);
    const userModel = USERS_ENDPOINTS.filter((e) => e.success.model === 'user').map((e) => e.sdkMethod);
    expect(declaring.sort()).toEqual(userModel.sort());
    expect(userModel).toEqual(expect.arrayContaining(['users.get', 'users.create', 'users.createBcryptUser', 'users.updateName', 'users.updateEmail', 'users.updateLabels', 'users.updateImpersonator']));
  });
});
