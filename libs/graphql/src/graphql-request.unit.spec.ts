import { operationOfQueryString, operationsOfBody } from './graphql-request';

const LIMITS = { maxBatch: 3 };
const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const fails = (fn: () => unknown, type: string) => expect(fn).toThrow(expect.objectContaining({ type }));

describe('GraphQL request bodies', () => {
  it('reads a JSON operation, a batch, the SDKs wrapping and application/graphql', () => {
    expect(operationsOfBody(json({ query: '{ a }', variables: { x: 1 }, operationName: 'Q' }), 'application/json', false, LIMITS)).toEqual({ operations: [{ query: '{ a }', variables: { x: 1 }, operationName: 'Q' }], batch: false });
    expect(operationsOfBody(json([{ query: '{ a }' }, { query: '{ b }' }]), 'application/json', false, LIMITS)).toEqual({ operations: [{ query: '{ a }' }, { query: '{ b }' }], batch: true });
    expect(operationsOfBody(json([{ query: '{ a }' }]), 'application/json', false, LIMITS).batch).toBe(false);
    expect(operationsOfBody(json({ query: { query: '{ a }' } }), 'application/json', true, LIMITS).operations).toEqual([{ query: '{ a }' }]);
    expect(operationsOfBody(json({ query: [{ query: '{ a }' }, { query: '{ b }' }] }), 'application/json', true, LIMITS).batch).toBe(true);
    expect(operationsOfBody(Buffer.from('{ a }'), 'application/graphql; charset=utf-8', false, LIMITS).operations).toEqual([{ query: '{ a }' }]);
  });

  it('answers graphql_no_query for nothing to run, graphql_too_many_queries over the batch limit (counted first)', () => {
    fails(() => operationsOfBody(Buffer.alloc(0), 'application/json', false, LIMITS), 'graphql_no_query');
    fails(() => operationsOfBody(Buffer.from('not json'), 'application/json', false, LIMITS), 'graphql_no_query');
    fails(() => operationsOfBody(json({ operationName: 'x' }), 'application/json', false, LIMITS), 'graphql_no_query');
    fails(() => operationsOfBody(json([{ query: '{ a }' }, {}]), 'application/json', false, LIMITS), 'graphql_no_query');
    fails(() => operationsOfBody(json(Array.from({ length: 4 }, () => ({}))), 'application/json', false, LIMITS), 'graphql_too_many_queries');
  });

  it('reads the GET form, variables as JSON text', () => {
    expect(operationOfQueryString({ query: '{ a }', variables: '{"x":1}', operationName: 'Q' }, LIMITS)).toEqual([{ query: '{ a }', variables: { x: 1 }, operationName: 'Q' }]);
    fails(() => operationOfQueryString({}, LIMITS), 'graphql_no_query');
    fails(() => operationOfQueryString({ query: '{ a }', variables: '{' }, LIMITS), 'general_argument_invalid');
  });
});
