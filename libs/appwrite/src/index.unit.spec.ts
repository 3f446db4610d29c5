import * as lib from './index';

describe('barrel', () => {
  it.each([
    'AppwriteException',
    'ERROR_TYPES',
    'DEFAULT_APPWRITE_VERSION',
    'toErrorBody',
    'formatDate',
    'parseQueryDate',
    'uniqueId',
    'isUniqueIdRequest',
    'CustomId',
    'UID',
    'Key',
    'Email',
    'Phone',
    'Password',
    'PasswordDictionary',
    'Text',
    'BooleanStrict',
    'BooleanLoose',
    'IntegerStrict',
    'Assoc',
    'WhiteList',
    'validateParams',
    'collectArrayParam',
    'QueryStrings',
    'parseQuery',
    'QueryError',
    'validateUserQueries',
    'UserQueries',
    'validateLogQueries',
    'LogQueries',
    'USER_QUERY_ATTRIBUTES',
    'USER_ATTRIBUTE_TYPES',
    'LIST_TOTAL_CAP',
  ])('exports %s', (name) => {
    expect((lib as Record<string, unknown>)[name]).toBeDefined();
  });
});
