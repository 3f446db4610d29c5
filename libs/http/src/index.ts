/** Generic HTTP: endpoint declarations, params, scopes, authentication port, error envelope, OpenAPI. */
export * from './endpoint';
export * from './param-builders';
export * from './request-context';
export * from './authenticator';
export * from './auth.guard';
export * from './error-mapping';
export * from './appwrite-error.filter';
export * from './openapi';
export * from './slice';
export * from './endpoint-controller';
export * from './endpoint-routes';
export * from './body-limits';
export * from './request-body';
export * from './transport-errors';
export * from './jwt';
export * from './context';
export * from './request-format';
