import * as path from 'node:path';

export type Validators = typeof import('./validatorsEntry');

let loaded: Validators | undefined;

/**
 * Loads dist/validators.js, a bundle of its own: its parsers are large and only needed once an answer
 * has files in it. The path is computed so the host bundle does not swallow it.
 */
export function loadValidators(extensionPath: string): Validators {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require(path.join(extensionPath, 'dist', 'validators.js')) as Validators;
  return loaded;
}
