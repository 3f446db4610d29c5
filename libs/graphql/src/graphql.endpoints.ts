import type { Rule } from '@lib/appwrite';
import { bodyParam, EndpointDef, queryParam } from '@lib/http';

/** The document itself is checked by the GraphQL parser and validator, not by a param rule. */
const GRAPHQL_TEXT: Rule = { description: 'Value must be a valid GraphQL document', check: () => true };

const postRoute = (path: string, sdkMethod: string, summary: string): EndpointDef => ({
  method: 'POST',
  path,
  scope: 'graphql',
  tag: 'graphql',
  sdkMethod,
  summary,
  params: [
    bodyParam('query', GRAPHQL_TEXT, 'string', 'The query or queries to execute.', { required: true }),
    bodyParam('operationName', GRAPHQL_TEXT, 'string', 'The name of the operation to execute.'),
    bodyParam('variables', GRAPHQL_TEXT, 'object', 'The variables of the operation.'),
  ],
  success: { status: 200, model: 'any' },
});

/** `graphql.query` and `graphql.mutation` of the SDKs, and the GET form (graphql.md §1). */
export const GRAPHQL_QUERY = postRoute('/v1/graphql', 'graphql.query', 'GraphQL endpoint');
export const GRAPHQL_MUTATION = postRoute('/v1/graphql/mutation', 'graphql.mutation', 'GraphQL endpoint');
export const GRAPHQL_GET: EndpointDef = {
  method: 'GET',
  path: '/v1/graphql',
  scope: 'graphql',
  tag: 'graphql',
  sdkMethod: 'graphql.get',
  summary: 'GraphQL endpoint (queries only)',
  params: [
    queryParam('query', GRAPHQL_TEXT, 'string', 'The query to execute.', { required: true }),
    queryParam('operationName', GRAPHQL_TEXT, 'string', 'The name of the operation to execute.'),
    queryParam('variables', GRAPHQL_TEXT, 'string', 'The JSON encoded variables to use in the query.'),
  ],
  success: { status: 200, model: 'any' },
};

export const GRAPHQL_ENDPOINTS: EndpointDef[] = [GRAPHQL_QUERY, GRAPHQL_MUTATION, GRAPHQL_GET];

/** A GraphQL request holds up to a batch of documents: generous, yet bounded. */
export const GRAPHQL_BODY_ALLOWANCES = {
  query: { bytes: 512 * 1024, ruleBoundsSize: false },
  operationName: { bytes: 2 + 256 * 6, ruleBoundsSize: false },
  variables: { bytes: 256 * 1024, ruleBoundsSize: false },
};
