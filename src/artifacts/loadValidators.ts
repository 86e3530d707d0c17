/** The validators bundle's shape (dist/validators.js, loaded through src/lazy.ts). */
export type Validators = typeof import('./validatorsEntry');
