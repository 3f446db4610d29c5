import { execute, getOperationAST, GraphQLError, GraphQLSchema, NoSchemaIntrospectionCustomRule, parse, specifiedRules, validate, type DocumentNode } from 'graphql';
import { AppwriteException } from '@lib/appwrite';
import { GraphqlLimits, measureDocument } from './graphql-limits';
import type { GraphqlOperation } from './graphql-request';

/** What one operation answers: `data` (absent when the document does not validate) and `errors`. */
export interface GraphqlResult {
  data?: Record<string, unknown> | null;
  errors?: ReturnType<GraphQLError['toJSON']>[];
}

const failed = (errors: readonly GraphQLError[]): GraphqlResult => ({ errors: errors.map((e) => e.toJSON()) });

/**
 * Parses (with a token cap), measures against the abuse limits, validates against the schema,
 * then executes one operation. `readOnly` (GET): only query operations, else 405 as Appwrite does.
 */
export async function runOperation(
  schema: GraphQLSchema,
  operation: GraphqlOperation,
  limits: GraphqlLimits,
  listFields: ReadonlySet<string>,
  context: unknown,
  readOnly: boolean,
): Promise<GraphqlResult> {
  let document: DocumentNode;
  try {
    document = parse(operation.query, { maxTokens: limits.maxTokens });
  } catch (err) {
    if (err instanceof GraphQLError) return failed([err]);
    throw err;
  }
  if (readOnly && getOperationAST(document, operation.operationName)?.operation !== 'query') throw new AppwriteException('graphql_method_unsupported');
  const { depth, complexity } = measureDocument(document, listFields, operation.variables);
  const over: GraphQLError[] = [];
  if (complexity > limits.maxComplexity) over.push(new GraphQLError(`Max query complexity should be ${limits.maxComplexity} but got ${complexity}.`));
  if (depth > limits.maxDepth) over.push(new GraphQLError(`Max query depth should be ${limits.maxDepth} but got ${depth}.`));
  if (over.length > 0) return failed(over);
  const invalid = validate(schema, document, limits.introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule]);
  if (invalid.length > 0) return failed(invalid);
  const result = await execute({ schema, document, variableValues: operation.variables, operationName: operation.operationName, contextValue: context });
  return { data: (result.data as Record<string, unknown> | null | undefined) ?? null, ...(result.errors ? { errors: result.errors.map((e) => e.toJSON()) } : {}) };
}
