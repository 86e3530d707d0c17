// Every subcommand reads its arguments the same way (Node's util.parseArgs behind cliSupport.readCommandLine):
// the same words for the same mistake, exit code 2 with the usage, `--flag=value` as well as `--flag value`.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runAgentsCommand } from '../../src/agents/cliAgents';
import { runExtractCommand, runValidateCommand } from '../../src/artifacts/cliArtifacts';
import { runMigrateCommand } from '../../src/artifacts/cliMigrate';
import { type CliIo, HELP_OPTION, readCommandLine } from '../../src/cliSupport';
import { runContextCommand } from '../../src/context/cliContext';
import { runDesignCommand } from '../../src/design/cliDesign';
import { runReviewCommand } from '../../src/design/cliReview';
import { runDriftCommand } from '../../src/drift/cliDrift';
import { runMcpCommand } from '../../src/mcp/cliMcp';

type Run = (args: string[], io: CliIo) => Promise<number>;

async function run(command: Run, args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await command(args, { stdout: s => { out += s; }, stderr: s => { err += s; } });
  return { code, out, err };
}

const commands: [string, Run][] = [
  ['agents', runAgentsCommand], ['validate', runValidateCommand], ['extract', runExtractCommand], ['migrate', runMigrateCommand],
  ['context', runContextCommand], ['design', runDesignCommand], ['review', runReviewCommand], ['drift', runDriftCommand], ['mcp', runMcpCommand],
];

describe('command-line arguments of every subcommand', () => {
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-args-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const [name, command] of commands) {
    it(`${name}: an unknown option is named, with the usage, exit 2; -h prints the usage, exit 0`, async () => {
      const bad = await run(command, ['--frobnicate', dir]);
      assert.equal(bad.code, 2);
      assert.match(bad.err, new RegExp(`^backend-architect ${name}: unknown option --frobnicate\\n\\n`));
      assert.match(bad.err, /Usage: backend-architect/);
      assert.equal(bad.out, '');
      const help = await run(command, ['-h']);
      assert.equal(help.code, 0);
      assert.match(help.out, new RegExp(`^Usage: backend-architect ${name}`));
      assert.equal(help.err, '');
    });
  }

  it('an option given without its value says which one, in the same words everywhere', async () => {
    for (const [command, args, flag] of [
      [runReviewCommand, [dir, '--model'], '--model'],
      [runDriftCommand, [dir, '--spec'], '--spec'],
      [runContextCommand, [dir, '--budget'], '--budget'],
      [runMigrateCommand, ['--to', 'x.sql', '--from'], '--from'],
      [runAgentsCommand, [dir, '--default-model'], '--default-model'],
      [runDesignCommand, ['a shop', '--out'], '--out'],
    ] as [Run, string[], string][]) {
      const r = await run(command, args);
      assert.equal(r.code, 2, flag);
      assert.match(r.err, new RegExp(`: ${flag} needs a value\\n`), r.err.split('\n')[0]);
    }
    // A value that looks like an option is not taken as the value: the person most likely forgot it.
    const r = await run(runReviewCommand, ['--model', '--json', dir]);
    assert.match(r.err, /: --model needs a value \(write --model=VALUE for one that starts with a dash\)\n/);
    const flagged = await run(runAgentsCommand, ['--json=yes', dir]);
    assert.match(flagged.err, /: --json takes no value\n/);
  });

  it('--flag=value works as --flag value does', async () => {
    fs.writeFileSync(path.join(dir, 'schema.sql'), 'CREATE TABLE t (id int);\n');
    const spaced = await run(runContextCommand, ['--budget', '2000', '--json', dir]);
    const joined = await run(runContextCommand, ['--budget=2000', '--json', dir]);
    assert.equal(spaced.code, 0, spaced.err);
    assert.equal(joined.out, spaced.out);
    assert.equal(JSON.parse(joined.out).files.some((f: { path: string }) => f.path === 'schema.sql'), true);
    const bad = await run(runContextCommand, ['--budget=lots', dir]);
    assert.match(bad.err, /: --budget expects a positive whole number, got "lots"\n/);
  });

  it('repeated options keep every value in order; -- ends the options', async () => {
    const read = readCommandLine(['--model', 'opus=big', '--model=haiku=small', '--', '--not-an-option'], { model: { type: 'string', multiple: true } });
    assert.notEqual(typeof read, 'string');
    if (typeof read === 'string') { return; }
    assert.deepEqual(read.values.model, ['opus=big', 'haiku=small']);
    assert.deepEqual(read.positionals, ['--not-an-option']);
    assert.equal(readCommandLine(['-h', '--bogus'], HELP_OPTION), 'unknown option --bogus', 'a mistake is reported even with --help');
    assert.equal(readCommandLine(['x', '--help'], { help: { type: 'boolean' } }), 'help');
  });

  it('what each command needs besides options is asked for by name', async () => {
    assert.match((await run(runDriftCommand, [])).err, /^backend-architect drift: no DIR given\n/);
    assert.match((await run(runDriftCommand, [dir, dir])).err, /^backend-architect drift: give one DIR\n/);
    assert.match((await run(runReviewCommand, [])).err, /^backend-architect review: no folder given\n/);
    assert.match((await run(runAgentsCommand, ['--json'])).err, /^backend-architect agents: no PATH given\n/);
    assert.match((await run(runMigrateCommand, ['--to', 'x.sql'])).err, /^backend-architect migrate: --from MIGRATIONS_DIR is required\n/);
    assert.match((await run(runMigrateCommand, ['--from', 'm', '--to', 'x.sql', 'extra'])).err, /^backend-architect migrate: unexpected argument extra\n/);
    assert.match((await run(runDesignCommand, ['--force'])).err, /^backend-architect design: no request given\n/);
    assert.match((await run(runMcpCommand, [dir])).err, /^backend-architect mcp: unexpected argument ".*" \(folders are given with --root\)\n/);
    assert.match((await run(runReviewCommand, ['--tool-rounds=99', dir])).err, /: --tool-rounds takes a whole number from 0 to 50\n/);
  });
});
