// Loaded inside the extension host through extensionTestsPath (code-server payload); exports run().
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha = require('mocha');

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 30000, forbidOnly: !!process.env.CI });
  for (const f of fs.readdirSync(__dirname).sort()) {
    if (f.endsWith('.test.js')) { mocha.addFile(path.join(__dirname, f)); }
  }
  return new Promise((resolve, reject) => {
    mocha.run(failures => {
      const total = mocha.suite.total();
      // One plain closing line; the test orchestrator adds it to the overall count.
      console.log(`integration: ${total - failures} passed, ${failures} failed`);
      if (failures > 0) { reject(new Error(`${failures} integration tests failed`)); } else { resolve(); }
    });
  });
}
