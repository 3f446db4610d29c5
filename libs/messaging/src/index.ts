export * from './cloud-events';
export * from './integration-events.port';
export * from './kafka-integration-events.adapter';
export * from './jsonl-integration-events.adapter';
export * from './event-publisher';
export type { KafkaLogger } from '@lib/kafka';
export { TEAM_CLOUD_EVENT_TYPES, teamSchemaFileName, toTeamCloudEvent } from './team-cloud-events';
