// Loaded inside the extension host through extensionTestsPath (code-server payload); exports run().
import { runMochaIn } from './mochaRunner';

export function run(): Promise<void> {
  return runMochaIn(__dirname, 'trusted workspace');
}
