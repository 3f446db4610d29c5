/** Appwrite's GraphQL API, generated from the endpoint declarations of every context. */
export * from './graphql-limits';
export * from './graphql-schema';
export * from './graphql.endpoints';
export { GraphqlModule, type GraphqlSource } from './graphql.module';
