import * as assert from 'node:assert/strict';
import { isOneShotWithPostgres, needsPostgresAtOnce } from '../../../src/cliStart';

describe('CLI start: which commands start Postgres before the rest of the CLI loads', () => {
  const starts: string[][] = [
    ['migrate', '--from', 'db/migrations', '--to', 'schema.sql'],
    ['migrate'],
    ['validate', 'schema.sql'],
    ['validate', '--json', 'api.yaml', 'db/SCHEMA.SQL'],
    ['validate', 'a.md', 'b.sql'],
  ];
  for (const argv of starts) {
    it(`starts it for: ${argv.join(' ')}`, () => assert.equal(needsPostgresAtOnce(argv), true));
  }

  const doesNot: string[][] = [
    ['validate', 'openapi.yaml'],
    ['validate', 'diagram.mmd', 'notes.md'],
    ['validate'],
    ['validate', '--sql'],
    ['validate', 'schema.sql', '--help'],
    ['migrate', '-h'],
    ['design', 'a todo API with users'],
    ['review', 'schema.sql'],
    ['mcp'],
    [],
  ];
  for (const argv of doesNot) {
    it(`does not start it for: ${argv.join(' ') || '(no arguments)'}`, () => assert.equal(needsPostgresAtOnce(argv), false));
  }

  it('keeps V8 to its baseline WebAssembly compiler for one-shot commands only, not for the long-lived MCP server', () => {
    for (const command of ['validate', 'migrate', 'design']) { assert.equal(isOneShotWithPostgres([command, 'x']), true, command); }
    for (const argv of [['mcp'], ['drift', '.'], []]) { assert.equal(isOneShotWithPostgres(argv), false, argv.join(' ')); }
  });
});
