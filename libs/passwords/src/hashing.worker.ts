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

export function hash(task: HashTask): string {
  if (typeof task?.password !== 'string') throw new TypeError('hash task needs a string password');
  return hashDefaultSync(task.password);
}

export function verify(task: VerifyTask): Promise<boolean> {
  return verifyStored(task?.password, task?.stored);
}
