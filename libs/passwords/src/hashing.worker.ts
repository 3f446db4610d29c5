/**
 * Piscina worker entry. Deliberately tiny: piscina loads it as compiled JS (also under jest),
 * so everything substantial stays in modules that are unit-tested from source.
 */
import { hashDefaultSync } from './default-hash';
import { verifyStored, type StoredPassword } from './verify-stored';

export interface HashTask {
  password: string;
}

export interface VerifyTask {
  password: string;
  stored: StoredPassword;
}

/**
 * A task's answer and when a worker thread started it (ms on the wall clock, sub-millisecond):
 * Piscina tells no one when a queued task starts, so the pool learns its wait from this stamp.
 */
export interface TaskOutcome<T> {
  result: T;
  startedAt: number;
}

/** The same clock in every thread: each thread's own origin plus its monotonic time. */
export const wallClockMs = (): number => performance.timeOrigin + performance.now();

export function hash(task: HashTask): TaskOutcome<string> {
  const startedAt = wallClockMs();
  if (typeof task?.password !== 'string') throw new TypeError('hash task needs a string password');
  return { result: hashDefaultSync(task.password), startedAt };
}

export async function verify(task: VerifyTask): Promise<TaskOutcome<boolean>> {
  const startedAt = wallClockMs();
  return { result: await verifyStored(task?.password, task?.stored), startedAt };
}
