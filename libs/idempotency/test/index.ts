/** Test support of the idempotency store: the contract every adapter runs. */
export * from './idempotency-store.contract';
