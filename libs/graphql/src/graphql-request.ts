import { AppwriteException, phpJsonDecodeBytes } from '@lib/appwrite';

/** One GraphQL operation as a request carries it (graphql.md §2). */
export interface GraphqlOperation {
  query: string;
  operationName?: string;
  variables?: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The operations of a POST body: JSON `{query, operationName?, variables?}` or an array of them
 * (a batch); with `x-sdk-graphql: true`, the SDKs' wrapping `{query: <operation or array>}`;
 * `application/graphql`: the raw text is the query. `batch` says whether to answer an array.
 */
export function operationsOfBody(raw: Buffer, contentType: string, sdkWrapped: boolean, limits: { maxBatch: number }): { operations: GraphqlOperation[]; batch: boolean } {
  if (/^application\/graphql\b/i.test(contentType)) return checked([{ query: raw.toString('utf8') }], false, limits);
  const decoded = raw.length === 0 ? null : phpJsonDecodeBytes(raw);
  let payload: unknown = decoded?.ok ? decoded.value : null;
  if (sdkWrapped && isObject(payload) && 'query' in payload && typeof payload.query !== 'string') payload = payload.query;
  if (Array.isArray(payload)) return checked(payload, payload.length > 1, limits);
  return checked(isObject(payload) && Object.keys(payload).length > 0 ? [payload] : [], false, limits);
}

/** `GET /v1/graphql?query=…&operationName=…&variables=<JSON text>`. */
export function operationOfQueryString(params: Record<string, unknown>, limits: { maxBatch: number }): GraphqlOperation[] {
  const text = (v: unknown) => (Array.isArray(v) ? v[v.length - 1] : v);
  const variables = text(params.variables);
  let decoded: unknown;
  if (typeof variables === 'string' && variables !== '') {
    try {
      decoded = JSON.parse(variables);
    } catch {
      throw new AppwriteException('general_argument_invalid', 'Invalid variables: Value must be a valid JSON string.');
    }
  }
  const operationName = text(params.operationName);
  return checked(
    [{ query: text(params.query), ...(typeof operationName === 'string' && operationName !== '' ? { operationName } : {}), ...(decoded !== undefined ? { variables: decoded } : {}) }],
    false,
    limits,
  ).operations;
}

function toOperation(item: unknown): GraphqlOperation {
  if (!isObject(item) || typeof item.query !== 'string' || item.query.trim() === '') throw new AppwriteException('graphql_no_query');
  return {
    query: item.query,
    ...(typeof item.operationName === 'string' && item.operationName !== '' ? { operationName: item.operationName } : {}),
    ...(isObject(item.variables) ? { variables: item.variables } : {}),
  };
}

/** Appwrite's order: nothing at all, then too many, then an operation without a query. */
function checked(items: unknown[], batch: boolean, limits: { maxBatch: number }) {
  if (items.length === 0) throw new AppwriteException('graphql_no_query');
  if (items.length > limits.maxBatch) throw new AppwriteException('graphql_too_many_queries');
  return { operations: items.map(toOperation), batch };
}
