import {
  AppwriteException,
  DEFAULT_APPWRITE_VERSION,
  ERROR_TYPES,
  ErrorType,
  isAppwriteException,
  PASSTHROUGH_ERROR_CODES,
  toErrorBody,
} from './appwrite-exception';

describe('ERROR_TYPES', () => {
  // users-api.md §6 plus the extra types the service needs.
  const catalogue: Array<[ErrorType, number, string | null]> = [
    ['general_argument_invalid', 400, null],
    ['general_cursor_not_found', 400, null],
    ['general_unauthorized_scope', 401, null],
    ['project_key_expired', 401, 'The project key has expired. Please generate a new key using the Appwrite console.'],
    [
      'project_not_found',
      404,
      'Project with the requested ID could not be found. Please check the value of the X-Appwrite-Project header to ensure the correct project ID is being used.',
    ],
    ['general_route_not_found', 404, 'Not Found'],
    ['user_not_found', 404, 'User with the requested ID could not be found.'],
    ['user_session_not_found', 404, 'The current user session could not be found.'],
    ['user_already_exists', 409, 'A user with the same id, email, or phone already exists in your project.'],
    ['user_email_already_exists', 409, 'A user with the same email already exists in the current project.'],
    ['user_phone_already_exists', 409, 'A user with the same phone number already exists in the current project.'],
    ['password_recently_used', 409, 'The password was recently used'],
    ['team_not_found', 404, 'Team with the requested ID could not be found.'],
    ['team_already_exists', 409, 'Team with requested ID already exists. Please choose a different ID and try again.'],
    ['team_invite_already_exists', 409, 'User has already been invited or is already a member of this team'],
    ['team_invite_not_found', 404, 'The requested team invitation could not be found.'],
    ['team_membership_mismatch', 404, 'The membership ID does not belong to the team ID.'],
    ['membership_not_found', 404, 'Membership with the requested ID could not be found.'],
    ['general_unknown', 500, 'Server Error'],
    ['general_query_invalid', 400, null],
    // 1.9.0's status and text; older formats get 401 (formats/error-formats.ts).
    ['user_blocked', 403, 'The current user has been blocked.'],
    ['user_target_not_found', 404, 'The target could not be found.'],
    ['user_target_already_exists', 409, 'A target with the same ID already exists.'],
    ['user_identity_not_found', 404, 'The identity could not be found. Please sign in with OAuth provider to create identity first.'],
    ['user_recovery_codes_not_found', 404, 'Recovery codes could not be found on the current user.'],
    ['user_recovery_codes_already_exists', 409, 'The current user already generated recovery codes and they can only be read once for security reasons.'],
    ['user_authenticator_not_found', 404, 'Authenticator could not be found on the current user.'],
    ['user_passkey_not_found', 404, 'Passkey with the requested ID could not be found on the current user.'],
    ['user_challenge_not_found', 404, null],
    ['provider_not_found', 404, 'Provider with the requested ID could not be found.'],
    ['general_invalid_email', 400, 'Value must be a valid email address.'],
    ['graphql_no_query', 400, 'Param "query" is not optional.'],
    ['graphql_too_many_queries', 400, 'Too many queries.'],
    ['graphql_method_unsupported', 405, 'GET requests only support GraphQL query operations.'],
    ['general_invalid_phone', 400, "Value must be a valid phone number. Format this number with a leading '+' and a country code, e.g., +16175551212."],
    ['general_service_unavailable', 503, 'The service is unavailable. Please try again later.'],
    ['general_rate_limit_exceeded', 429, null],
    ['user_invalid_credentials', 401, 'Invalid credentials. Please check the email and password.'],
    ['user_version_mismatch', 412, null],
    ['idempotency_key_in_use', 409, null],
    ['idempotency_key_mismatch', 422, null],
    ['idempotency_answer_lost', 409, null],
    ['user_jwt_invalid', 401, 'The JWT token is invalid. Please check the value of the X-Appwrite-JWT header to ensure the correct token is being used.'],
  ];

  it.each(catalogue)('%s → %d', (type, code, message) => {
    expect(ERROR_TYPES[type].code).toBe(code);
    if (message !== null) expect(ERROR_TYPES[type].message).toBe(message);
    expect(ERROR_TYPES[type].message.length).toBeGreaterThan(0);
  });

  it('contains exactly the catalogued types', () => {
    expect(Object.keys(ERROR_TYPES).sort()).toEqual(catalogue.map((c) => c[0]).sort());
  });
});

describe('AppwriteException', () => {
  it('takes code and default message from the catalogue', () => {
    const e = new AppwriteException('user_not_found');
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(AppwriteException);
    expect(e.type).toBe('user_not_found');
    expect(e.code).toBe(404);
    expect(e.message).toBe('User with the requested ID could not be found.');
    expect(e.name).toBe('AppwriteException');
    expect(isAppwriteException(e)).toBe(true);
    expect(isAppwriteException(new Error('x'))).toBe(false);
  });

  it('accepts a custom message', () => {
    const e = new AppwriteException('general_argument_invalid', 'Param "userId" is not optional.');
    expect(e.code).toBe(400);
    expect(e.message).toBe('Param "userId" is not optional.');
  });

  it('degrades an unknown type to general_unknown', () => {
    const e = new AppwriteException('no_such_type' as ErrorType);
    expect(e.type).toBe('general_unknown');
    expect(e.code).toBe(500);
  });
});

describe('toErrorBody', () => {
  it('exports the default version', () => {
    expect(DEFAULT_APPWRITE_VERSION).toBe('1.3.8');
  });

  it('renders the spec example with keys in order', () => {
    const body = toErrorBody(new AppwriteException('user_not_found'), '1.3.8');
    expect(JSON.stringify(body)).toBe(
      '{"message":"User with the requested ID could not be found.","code":404,"type":"user_not_found","version":"1.3.8"}',
    );
  });

  it('renders appendix examples', () => {
    expect(
      JSON.stringify(toErrorBody(new AppwriteException('general_argument_invalid', 'Param "userId" is not optional.'), '1.3.8')),
    ).toBe('{"message":"Param \\"userId\\" is not optional.","code":400,"type":"general_argument_invalid","version":"1.3.8"}');
    expect(
      JSON.stringify(
        toErrorBody(
          new AppwriteException('general_unauthorized_scope', 'User (role: guests) missing scope (users.read)'),
          '1.3.8',
        ),
      ),
    ).toBe(
      '{"message":"User (role: guests) missing scope (users.read)","code":401,"type":"general_unauthorized_scope","version":"1.3.8"}',
    );
    expect(
      JSON.stringify(
        toErrorBody(new AppwriteException('general_cursor_not_found', "User 'unknown' for the 'cursor' value not found."), '1.3.8'),
      ),
    ).toBe(
      '{"message":"User \'unknown\' for the \'cursor\' value not found.","code":400,"type":"general_cursor_not_found","version":"1.3.8"}',
    );
    expect(JSON.stringify(toErrorBody(new AppwriteException('user_already_exists'), '1.3.8'))).toBe(
      '{"message":"A user with the same id, email, or phone already exists in your project.","code":409,"type":"user_already_exists","version":"1.3.8"}',
    );
  });

  it('uses the given version', () => {
    expect(toErrorBody(new AppwriteException('user_not_found'), '9.9.9').version).toBe('9.9.9');
  });

  it.each([400, 401, 402, 403, 404, 409, 412, 416, 429, 501, 503])('passes %d through', (code) => {
    expect(PASSTHROUGH_ERROR_CODES.has(code)).toBe(true);
  });

  it('passes every catalogued non-500 type through', () => {
    for (const type of Object.keys(ERROR_TYPES) as ErrorType[]) {
      const body = toErrorBody(new AppwriteException(type, 'custom'), '1.3.8');
      if (type === 'general_unknown') {
        expect(body).toEqual({ message: 'Server Error', code: 500, type: 'general_unknown', version: '1.3.8' });
      } else {
        expect(body).toEqual({ message: 'custom', code: ERROR_TYPES[type].code, type, version: '1.3.8' });
      }
    }
  });

  it.each([
    ['plain Error', new Error('db exploded')],
    ['TypeError', new TypeError('x is undefined')],
    ['string', 'boom'],
    ['undefined', undefined],
    ['null', null],
    ['lookalike object', { message: 'x', code: 404, type: 'user_not_found' }],
  ])('hides %s as 500 general_unknown', (_label, err) => {
    const body = toErrorBody(err, '1.3.8');
    expect(JSON.stringify(body)).toBe('{"message":"Server Error","code":500,"type":"general_unknown","version":"1.3.8"}');
  });

  it('hides an AppwriteException whose code is not passed through', () => {
    const e = new AppwriteException('user_not_found');
    (e as unknown as { code: number }).code = 418;
    expect(toErrorBody(e, '1.3.8')).toEqual({
      message: 'Server Error',
      code: 500,
      type: 'general_unknown',
      version: '1.3.8',
    });
  });
});
