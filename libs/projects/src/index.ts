export * from './project.decider';
export * from './access.projection';
export * from './api-key-authenticator';
export * from './project-admin';
