import { Aggregate, Decider, EventSchema, parseStreamName, streamName } from '@lib/event-sourcing';

/**
 * A project and its API keys, event-sourced like users so that every read model, the key
 * table included, is rebuildable from the log. Key secrets never enter an event: only their
 * SHA-256, compared in constant time at request time.
 */
export type ProjectEvent =
  | { type: 'ProjectCreated'; data: { projectId: string; name: string }; occurredAt: string }
  | { type: 'ApiKeyCreated'; data: { keyId: string; name: string; secretHash: string; scopes: string[]; expire: string | null }; occurredAt: string }
  | { type: 'ApiKeyRevoked'; data: { keyId: string }; occurredAt: string }
  /** Whether a login re-hashes a legacy password hash to the default Argon2id (on unless turned off). */
  | { type: 'ProjectLoginRehashChanged'; data: { enabled: boolean }; occurredAt: string };

export type ProjectCommand =
  | { type: 'CreateProject'; data: { projectId: string; name: string; at: string } }
  | { type: 'CreateApiKey'; data: { keyId: string; name: string; secretHash: string; scopes: string[]; expire: string | null; at: string } }
  | { type: 'RevokeApiKey'; data: { keyId: string; at: string } }
  | { type: 'SetLoginRehash'; data: { enabled: boolean; at: string } };

export interface ProjectState {
  exists: boolean;
  keys: Record<string, { secretHash: string; revoked: boolean }>;
  /** Absent until first set: on. */
  loginRehash?: boolean;
}

export class ProjectRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProjectRuleError';
  }
}

/** Scopes an API key can hold in this service (Appwrite adds health.read and graphql implicitly). */
export const KNOWN_SCOPES = ['users.read', 'users.write', 'users.export', 'teams.read', 'teams.write'] as const;
export type KnownScope = (typeof KNOWN_SCOPES)[number];

export const projectDecider: Decider<ProjectCommand, ProjectEvent, ProjectState> = {
  initialState: () => ({ exists: false, keys: {} }),
  decide(command, state) {
    const at = command.data.at;
    switch (command.type) {
      case 'CreateProject':
        if (state.exists) return [];
        return [{ type: 'ProjectCreated', occurredAt: at, data: { projectId: command.data.projectId, name: command.data.name } }];
      case 'CreateApiKey': {
        if (!state.exists) throw new ProjectRuleError('project does not exist');
        const { keyId, name, secretHash, scopes, expire } = command.data;
        if (state.keys[keyId]) throw new ProjectRuleError(`key ${keyId} exists`);
        // The same secret twice would make a request's key ambiguous.
        if (Object.values(state.keys).some((k) => !k.revoked && k.secretHash === secretHash)) return [];
        const unknown = scopes.filter((s) => !(KNOWN_SCOPES as readonly string[]).includes(s));
        if (unknown.length) throw new ProjectRuleError(`unknown scopes: ${unknown.join(', ')}`);
        return [{ type: 'ApiKeyCreated', occurredAt: at, data: { keyId, name, secretHash, scopes, expire } }];
      }
      case 'RevokeApiKey': {
        const key = state.keys[command.data.keyId];
        if (!key) throw new ProjectRuleError(`no key ${command.data.keyId}`);
        return key.revoked ? [] : [{ type: 'ApiKeyRevoked', occurredAt: at, data: { keyId: command.data.keyId } }];
      }
      case 'SetLoginRehash': {
        if (!state.exists) throw new ProjectRuleError('project does not exist');
        const enabled = command.data.enabled;
        return (state.loginRehash ?? true) === enabled ? [] : [{ type: 'ProjectLoginRehashChanged', occurredAt: at, data: { enabled } }];
      }
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'ProjectCreated':
        return { ...state, exists: true };
      case 'ApiKeyCreated':
        return { ...state, keys: { ...state.keys, [event.data.keyId]: { secretHash: event.data.secretHash, revoked: false } } };
      case 'ApiKeyRevoked':
        return { ...state, keys: { ...state.keys, [event.data.keyId]: { ...state.keys[event.data.keyId], revoked: true } } };
      case 'ProjectLoginRehashChanged':
        return { ...state, loginRehash: event.data.enabled };
    }
  },
};

export const projectStreamId = (projectId: string) => streamName('project', projectId);

export function parseProjectStreamId(streamId: string): string | null {
  return parseStreamName('project', streamId, 1)?.[0] ?? null;
}

export const PROJECT_EVENT_SCHEMA: EventSchema<ProjectEvent> = { types: ['ProjectCreated', 'ApiKeyCreated', 'ApiKeyRevoked', 'ProjectLoginRehashChanged'], schemaVersion: 1 };
export const PROJECT: Aggregate<ProjectCommand, ProjectEvent, ProjectState> = { decider: projectDecider, schema: PROJECT_EVENT_SCHEMA };
