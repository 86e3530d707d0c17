import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** Runs every *.test.js in `dir` with mocha inside the extension host; prints one closing line. */
export function runMochaIn(dir: string, label: string): Promise<void> {
  // IT_GREP runs only the tests whose titles match (handy when working on one suite).
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 120000, forbidOnly: !!process.env.CI, ...(process.env.IT_GREP ? { grep: process.env.IT_GREP } : {}) });
  for (const f of fs.readdirSync(dir).sort()) {
    if (f.endsWith('.test.js')) { mocha.addFile(path.join(dir, f)); }
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run(failures => {
      // The test orchestrator adds these up across runs; counted from what ran (IT_GREP may leave tests out).
      console.log(`integration: ${runner.stats?.passes ?? 0} passed, ${failures} failed (${label})`);
      if (failures > 0) { reject(new Error(`${failures} integration tests failed`)); } else { resolve(); }
    });
  });
}
