import { execute, getOperationAST, GraphQLError, GraphQLSchema, Lexer, NoSchemaIntrospectionCustomRule, parse, Source, specifiedRules, TokenKind, validate, type DocumentNode } from 'graphql';
import { AppwriteException } from '@lib/appwrite';
import { GraphqlLimits, measureDocument } from './graphql-limits';
import type { GraphqlOperation } from './graphql-request';

/** What one operation answers: `data` (absent when the document does not validate) and `errors`. */
export interface GraphqlResult {
  data?: Record<string, unknown> | null;
  errors?: ReturnType<GraphQLError['toJSON']>[];
}

const failed = (errors: readonly GraphQLError[]): GraphqlResult => ({ errors: errors.map((e) => e.toJSON()) });

/** Brackets deeper than this are refused before parsing: graphql-js parses (and validates) by recursion. */
export const MAX_NESTING = 128;

/**
 * The nesting of `{`, `(` and `[` of a document, read with graphql-js's own lexer (linear, not
 * recursive), stopping at the token cap. Null when it is within both limits.
 */
function tooNested(source: string, maxTokens: number): GraphQLError | null {
  const lexer = new Lexer(new Source(source));
  let depth = 0;
  for (let tokens = 0; tokens <= maxTokens; tokens++) {
    const token = lexer.advance();
    if (token.kind === TokenKind.EOF) return null;
    if (token.kind === TokenKind.BRACE_L || token.kind === TokenKind.PAREN_L || token.kind === TokenKind.BRACKET_L) depth++;
    if (token.kind === TokenKind.BRACE_R || token.kind === TokenKind.PAREN_R || token.kind === TokenKind.BRACKET_R) depth--;
    if (depth > MAX_NESTING) return new GraphQLError(`Syntax Error: Document nests deeper than ${MAX_NESTING} levels. Parsing aborted.`);
  }
  // Over the token cap: the parser says so in its own words.
  return null;
}

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
    const nested = tooNested(operation.query, limits.maxTokens);
    if (nested) return failed([nested]);
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
