export * from './hashing.port';
export * from './local-hashing.adapter';
export * from './default-hash';
export * from './verify-stored';
export { DEFAULT_ARGON2_PARAMS, MAX_ARGON2_MEMORY_KIB } from './algorithms/argon2';
export { DEFAULT_SHA_VERSION, SHA_VERSIONS } from './algorithms/sha';
export { SCRYPT_MAXMEM } from './algorithms/scrypt';
export { isBcryptHash } from './algorithms/bcrypt';
export * from './kafka';
