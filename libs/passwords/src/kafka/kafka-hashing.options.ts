import type { KafkaConfig } from 'kafkajs';
import type { KafkaLogger } from '@lib/kafka';
import type { HashingWaitObserver } from '../local-hashing.adapter';

/** How a KafkaHashingAdapter reaches the hashers, and its limits. */
export interface KafkaHashingOptions {
  brokers: string[];
  /** HASHER_SHARED_KEY: 32 bytes as base64/hex text, or the raw bytes. Checked in the constructor. */
  sharedKey: string | Buffer;
  /** Names this gateway instance's reply topic and consumer group; default `<hostname>-<pid>-<random>`. */
  instanceId?: string;
  requestTopic?: string;
  /** The reply topic is `<prefix><instanceId>`. */
  replyTopicPrefix?: string;
  /** Partitions created for the request topic (the most hashers that can share the work); default 12. */
  requestTopicPartitions?: number;
  /** retention.ms (and segment.ms) of the job topics created here; default 60 000. */
  retentionMs?: number;
  /** Sends per job before giving up; default 2. */
  attempts?: number;
  /** How long one attempt waits for its reply; default 15 000. A call never takes longer than attempts × this. */
  attemptTimeoutMs?: number;
  /** Jobs allowed to wait for a reply at once; more reject at once with HashingBusyError; default 1000. */
  maxPending?: number;
  /** Drop the reply topic and consumer group on close (they are per instance); default true. */
  deleteReplyTopicOnClose?: boolean;
  /** How long close() lets waiting calls finish before failing them; default 5 000. */
  closeTimeoutMs?: number;
  clientId?: string;
  logger?: KafkaLogger;
  /** Extra kafkajs client settings (ssl, sasl...). */
  kafkaConfig?: Partial<KafkaConfig>;
  /** Told, for every job sent, how long it waited for a hasher's reply (or until it gave up); metrics. */
  onWaited?: HashingWaitObserver;
}
