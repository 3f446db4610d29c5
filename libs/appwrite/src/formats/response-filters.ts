import { decodeSession } from '../session-value';
import { isBelow, ResponseFormat, SERVER_FORMAT } from './response-format';

/**
 * Older response formats, as filters over the newest models (users-latest.md §3). The server
 * builds every answer in the newest format; each filter takes a model one format back. They
 * run newest first, so a filter only ever sees what the newer ones left.
 */
export type ModelBody = Record<string, unknown>;
type ModelFilter = (body: ModelBody) => ModelBody;

interface FormatFilter {
  /** Applies to formats strictly below this version. */
  below: string;
  /** By model name (the names endpoint declarations answer with). */
  models: Readonly<Record<string, ModelFilter>>;
}

/** A filter that removes these keys, keeping the order of the others. */
export const withoutKeys =
  (...keys: string[]): ModelFilter =>
  (body) => {
    const out: ModelBody = {};
    for (const [key, value] of Object.entries(body)) if (!keys.includes(key)) out[key] = value;
    return out;
  };

/**
 * Newest first. Appwrite 1.9 has no filter below 1.4.0; we answer those formats with exactly the
 * 1.3 shapes of models.md (the last entry), which is what 1.3 clients were built against.
 */
const USER_BELOW_1_9 = withoutKeys('impersonator', 'impersonatorUserId');
const USER_BELOW_1_5 = withoutKeys('targets', 'mfa');
const USER_BELOW_1_4 = withoutKeys('labels', 'accessedAt', 'emailCanonical', 'emailIsFree', 'emailIsDisposable', 'emailIsCorporate', 'emailIsCanonical');

/** Before 1.7 users.createSession showed the raw secret, not the encoded session value. */
const rawSessionSecret: ModelFilter = (body) => {
  const decoded = typeof body.secret === 'string' && body.secret !== '' ? decodeSession(body.secret) : null;
  return decoded ? { ...body, secret: decoded.secret } : body;
};

export const RESPONSE_FILTERS: readonly FormatFilter[] = [
  { below: '1.9.1', models: { membership: withoutKeys('userPhone') } },
  // The Account model is the User model without the password fields: the same filters apply.
  { below: '1.9.0', models: { user: USER_BELOW_1_9, account: USER_BELOW_1_9 } },
  { below: '1.7.0', models: { session: rawSessionSecret } },
  {
    below: '1.5.0',
    models: {
      user: USER_BELOW_1_5,
      account: USER_BELOW_1_5,
      session: withoutKeys('factors', 'secret'),
      membership: withoutKeys('mfa'),
      token: withoutKeys('phrase'),
    },
  },
  {
    below: '1.4.0',
    models: {
      user: USER_BELOW_1_4,
      account: USER_BELOW_1_4,
      session: withoutKeys('$updatedAt', 'mfaUpdatedAt'),
      membership: withoutKeys('userAccessedAt'),
      log: withoutKeys('userType'),
    },
  },
];

/** List models: the key holding the items and the items' model. */
export const LIST_MODELS: Readonly<Record<string, { key: string; item: string }>> = {
  userList: { key: 'users', item: 'user' },
  sessionList: { key: 'sessions', item: 'session' },
  membershipList: { key: 'memberships', item: 'membership' },
  logList: { key: 'logs', item: 'log' },
  targetList: { key: 'targets', item: 'target' },
  identityList: { key: 'identities', item: 'identity' },
  teamList: { key: 'teams', item: 'team' },
};

function filterModel(model: string, body: ModelBody, filters: readonly FormatFilter[]): ModelBody {
  const list = LIST_MODELS[model];
  if (list) {
    const items = body[list.key];
    return Array.isArray(items) ? { ...body, [list.key]: items.map((item) => filterModel(list.item, item as ModelBody, filters)) } : body;
  }
  return filters.reduce((current, filter) => filter.models[model]?.(current) ?? current, body);
}

/** The answer of an endpoint whose model is `model`, in the format the client asked for. */
export function formatResponse(model: string, body: unknown, format: ResponseFormat): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  // The newest format (most requests) needs no filter at all.
  if (format.version === SERVER_FORMAT) return body;
  const filters = RESPONSE_FILTERS.filter((f) => isBelow(format, f.below));
  return filters.length === 0 ? body : filterModel(model, body as ModelBody, filters);
}
