// The suite for a workspace that is NOT trusted (runInCodeServer.mjs with IT_SUITE=untrusted).
import * as path from 'node:path';
import { runMochaIn } from '../mochaRunner';

export function run(): Promise<void> {
  return runMochaIn(path.join(__dirname), 'integration (untrusted)');
}
