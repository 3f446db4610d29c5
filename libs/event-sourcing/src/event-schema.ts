import type { RecordedEvent } from '@lib/event-store';
import type { DomainEvent } from './decider';

export type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

/**
 * The stored shape of one stream kind's events: which types belong to it, the schema version
 * written today, and upcasters (`"<Type>@<fromVersion>"`, each lifting data one version up).
 * Old events are read through the upcasters, never reinterpreted: a stored version means what
 * it meant when it was written.
 */
export interface EventSchema<E extends DomainEvent> {
  readonly types: readonly E['type'][];
  /** The version written today for every type not listed in `versions`. */
  readonly schemaVersion: number;
  /** Types whose current version differs (each type's version moves on its own). */
  readonly versions?: Readonly<Partial<Record<E['type'], number>>>;
  readonly upcasters?: Readonly<Record<string, Upcaster>>;
}

/** The schema version written today for events of `type`. */
export const versionOf = <E extends DomainEvent>(schema: EventSchema<E>, type: string): number => (schema.versions as Record<string, number> | undefined)?.[type] ?? schema.schemaVersion;

export class UnknownSchemaVersionError extends Error {
  constructor(readonly eventType: string, readonly version: number) {
    super(`No upcaster for ${eventType} v${version}`);
    this.name = 'UnknownSchemaVersionError';
  }
}

/** Lifts `data` of `type` from `version` to the schema's current version. */
export function upcast<E extends DomainEvent>(schema: EventSchema<E>, type: string, data: Record<string, unknown>, version: number): Record<string, unknown> {
  let current = data;
  const target = versionOf(schema, type);
  for (let v = version; v < target; v++) {
    const up = schema.upcasters?.[`${type}@${v}`];
    if (!up) throw new UnknownSchemaVersionError(type, v);
    current = up(current);
  }
  if (version > target) throw new UnknownSchemaVersionError(type, version);
  return current;
}

/** A stored event as the domain sees it (upcast to today's schema), or null for a foreign type. */
export function toDomainEvent<E extends DomainEvent>(schema: EventSchema<E>, recorded: RecordedEvent): E | null {
  if (!(schema.types as readonly string[]).includes(recorded.type)) return null;
  const data = upcast(schema, recorded.type, recorded.data, recorded.metadata.schemaVersion ?? 1);
  return { type: recorded.type, data, occurredAt: recorded.metadata.occurredAt } as E;
}
