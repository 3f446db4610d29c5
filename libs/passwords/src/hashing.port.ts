/** What gets stored on a user for its password (Appwrite's `password`, `hash`, `hashOptions`). */
export interface PasswordHash {
  password: string;
  hash: string;
  hashOptions: Record<string, unknown>;
}

/** Abstract class rather than interface so it can serve as a NestJS injection token. */
export abstract class HashingPort {
  /** Hashes with the default algorithm (Argon2id, m=65536,t=4,p=3) and the advertised options. */
  abstract hash(plain: string): Promise<PasswordHash>;

  /** False for users without a password, unknown algorithms and malformed stored hashes. */
  abstract verify(
    plain: string,
    stored: { password: string | null; hash: string; hashOptions: Record<string, unknown> },
  ): Promise<boolean>;

  abstract close(): Promise<void>;
}
