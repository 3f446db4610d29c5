import {
  GraphQLBoolean, GraphQLFieldConfig, GraphQLFieldConfigArgumentMap, GraphQLFloat, GraphQLInputType, GraphQLInt, GraphQLList, GraphQLNonNull,
  GraphQLObjectType, GraphQLOutputType, GraphQLSchema, GraphQLString, GraphQLUnionType,
} from 'graphql';
import type { EndpointDef } from '@lib/http';
import { AssocScalar, JsonScalar } from './graphql-scalars';

/**
 * Appwrite's GraphQL schema, generated from the endpoint declarations and the response models
 * that drive REST and OpenAPI (graphql.md §3): one field per route (GET in Query, the others in
 * Mutation), arguments from the route's params, output types from its response model. Nothing
 * here knows a route: a route declared tomorrow is in GraphQL tomorrow.
 */

/** Runs a route with the field's arguments and resolves with its answer (a REST error rejects). */
export type RouteRunner = (route: EndpointDef, args: Record<string, unknown>, context: unknown) => Promise<unknown>;

/** An OpenAPI-style schema as the contexts register them (libs/http `schema`). */
interface ModelSchema {
  type?: string;
  properties?: Record<string, ModelSchema>;
  items?: ModelSchema;
  $ref?: string;
  oneOf?: ModelSchema[];
  discriminator?: { propertyName: string; mapping: Record<string, string> };
  additionalProperties?: unknown;
}

/** `usersCreate`, `teamsListMemberships`: the SDK namespace and the method with an upper-case first letter. */
export const graphqlFieldName = (route: EndpointDef) => {
  const [namespace, method] = route.sdkMethod.split('.');
  return `${namespace}${method.charAt(0).toUpperCase()}${method.slice(1)}`;
};

/**
 * Routes of JSON lines (bulk import and export) are no fields: a field takes JSON arguments and
 * answers one selected value, where those routes read a file of lines or stream one out.
 */
export const isGraphqlField = (route: EndpointDef) => route.jsonLines === undefined;

const typeName = (model: string) => `${model.charAt(0).toUpperCase()}${model.slice(1)}`;
/** GraphQL names cannot start with `$`: `$id` is `_id`. */
export const graphqlKey = (key: string) => (key.startsWith('$') ? `_${key.slice(1)}` : key);
const modelOfRef = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);

/** 204 routes answer `None { status }`, always "OK". */
const NONE = new GraphQLObjectType({ name: 'None', fields: { status: { type: GraphQLString } } });

export function buildGraphqlSchema(routes: readonly EndpointDef[], models: Readonly<Record<string, unknown>>, run: RouteRunner): GraphQLSchema {
  const types = new Map<string, GraphQLOutputType>();

  const outputOf = (schema: ModelSchema, owner: string, key: string): GraphQLOutputType => {
    if (schema.$ref) return modelType(modelOfRef(schema.$ref));
    if (schema.oneOf) return unionOf(schema, `${typeName(owner)}${typeName(key)}`);
    switch (schema.type) {
      case 'string':
        return GraphQLString;
      case 'boolean':
        return GraphQLBoolean;
      case 'integer':
        return GraphQLInt;
      case 'number':
        return GraphQLFloat;
      case 'array':
        return new GraphQLList(schema.items ? outputOf(schema.items, owner, key) : JsonScalar);
      default:
        return JsonScalar;
    }
  };

  const unionOf = (schema: ModelSchema, name: string): GraphQLOutputType => {
    const known = types.get(name);
    if (known) return known;
    const members = schema.oneOf!.map((s) => modelType(modelOfRef(s.$ref!)) as GraphQLObjectType);
    const byValue = new Map(Object.entries(schema.discriminator?.mapping ?? {}).map(([value, ref]) => [value, typeName(modelOfRef(ref))]));
    const property = schema.discriminator?.propertyName ?? 'type';
    const union = new GraphQLUnionType({
      name,
      types: members,
      resolveType: (value: Record<string, unknown>) => byValue.get(String(value?.[property])) ?? members[0].name,
    });
    types.set(name, union);
    return union;
  };

  const modelType = (model: string): GraphQLOutputType => {
    const name = typeName(model);
    const known = types.get(name);
    if (known) return known;
    const schema = models[model] as ModelSchema | undefined;
    if (!schema) throw new Error(`GraphQL: no response model "${model}"`);
    const type = schema.properties
      ? new GraphQLObjectType({
          name,
          fields: () =>
            Object.fromEntries(
              Object.entries(schema.properties!).map(([key, property]) => [graphqlKey(key), { type: outputOf(property, model, key), resolve: (source: Record<string, unknown>) => source?.[key] }]),
            ),
        })
      : // A free-form model (Preferences, Any): its payload as JSON text, always an object.
        new GraphQLObjectType({ name, fields: { data: { type: GraphQLString, resolve: (source: unknown) => JSON.stringify(isObject(source) ? source : {}) } } });
    types.set(name, type);
    return type;
  };

  const argumentsOf = (route: EndpointDef): GraphQLFieldConfigArgumentMap =>
    Object.fromEntries(
      route.params.map((param) => {
        const base = inputOf(param.openapi.type, param.openapi.items?.type);
        return [param.name, { type: param.required ? new GraphQLNonNull(base) : base, description: param.openapi.description }];
      }),
    );

  const fieldOf = (route: EndpointDef): GraphQLFieldConfig<unknown, unknown> => ({
    type: route.success.model ? modelType(route.success.model) : NONE,
    description: route.summary,
    args: argumentsOf(route),
    resolve: async (_source, args, context) => {
      const answer = await run(route, args as Record<string, unknown>, context);
      return route.success.model ? answer : { status: 'OK' };
    },
  });

  const fields = (reads: boolean) => {
    const chosen = new Map<string, GraphQLFieldConfig<unknown, unknown>>();
    // A route declared twice (an alias path) keeps its first field.
    for (const route of routes.filter(isGraphqlField)) if ((route.method === 'GET') === reads && !chosen.has(graphqlFieldName(route))) chosen.set(graphqlFieldName(route), fieldOf(route));
    return Object.fromEntries(chosen);
  };

  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: () => fields(true) }),
    mutation: new GraphQLObjectType({ name: 'Mutation', fields: () => fields(false) }),
  });
}

function inputOf(type: string, items?: string): GraphQLInputType {
  switch (type) {
    case 'boolean':
      return GraphQLBoolean;
    case 'integer':
      return GraphQLInt;
    case 'object':
      return AssocScalar;
    case 'array':
      return new GraphQLList(inputOf(items ?? 'string'));
    default:
      return GraphQLString;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
