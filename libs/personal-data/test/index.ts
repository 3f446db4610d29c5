/** Test support of the personal-data lib: the key store contract. */
export * from './data-key-store.contract';
