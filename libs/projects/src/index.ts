/** Projects and API keys: event-sourced, with the access read model and the key authenticator. */
export * from './project.decider';
export * from './access.read-model';
export * from './api-key-authenticator';
export * from './cached-access-directory';
export * from './project-admin';
