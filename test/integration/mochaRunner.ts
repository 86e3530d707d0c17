import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** Runs every *.test.js in `dir` with mocha inside the extension host; prints one closing line. */
export function runMochaIn(dir: string, label: string): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 30000, forbidOnly: !!process.env.CI });
  for (const f of fs.readdirSync(dir).sort()) {
    if (f.endsWith('.test.js')) { mocha.addFile(path.join(dir, f)); }
  }
  return new Promise((resolve, reject) => {
    mocha.run(failures => {
      const total = mocha.suite.total();
      // The test orchestrator adds these up across runs.
      console.log(`integration: ${total - failures} passed, ${failures} failed (${label})`);
      if (failures > 0) { reject(new Error(`${failures} integration tests failed`)); } else { resolve(); }
    });
  });
}
