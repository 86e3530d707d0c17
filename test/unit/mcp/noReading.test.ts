import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runArchitectTool } from '../../../src/mcp/tools';

/** VS Code's Restricted Mode: the language-model tools read no file, and say so. */
describe('agent tools when no file may be read', () => {
  let folder: string;
  before(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'noread-'));
    fs.writeFileSync(path.join(folder, 'pet.yaml'), 'type: object\nproperties: {name: {type: string}}\n');
  });
  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  const spec = 'openapi: 3.1.0\ninfo: {title: x, version: "1"}\npaths:\n  /pets:\n    get:\n      responses:\n        "200":\n          description: ok\n' +
    '          content: {application/json: {schema: {$ref: "./pet.yaml"}}}\n';

  it('workspace_context refuses with the reason, and an OpenAPI document\'s file references are not followed', async () => {
    const roots = async (): Promise<string[]> => [folder];
    const read = await runArchitectTool('validate_openapi', { content: spec, path: 'api.yaml' }, { roots });
    assert.equal(read.ok, true, 'with reading allowed, ./pet.yaml resolves');
    const refused = await runArchitectTool('validate_openapi', { content: spec, path: 'api.yaml' }, { roots, noReading: 'Restricted Mode' });
    assert.match(refused.text, /References to other files were not followed: Restricted Mode\./);
    assert.deepEqual(await runArchitectTool('workspace_context', {}, { roots, noReading: 'Restricted Mode' }),
      { text: 'Not read: Restricted Mode.', ok: false, problems: [], data: {} });
  });
});
