import * as assert from 'node:assert/strict';
import { compileGlob, isIgnored, parseGitignore } from '../../../src/context/ignore';

describe('context ignore rules', () => {
  it('matches include/exclude entries as globs, file paths or folders', () => {
    const cases: [string, string, boolean][] = [
      ['src/**/*.ts', 'src/a/b/c.ts', true],
      ['src/**/*.ts', 'src/c.ts', true],
      ['src/**/*.ts', 'lib/c.ts', false],
      ['*.sql', 'db/migrations/001.sql', true],
      ['db/schema.sql', 'db/schema.sql', true],
      ['db/schema.sql', 'other/db/schema.sql', false],
      ['docs', 'docs/adr/0001.md', true],
      ['docs/', 'docs/adr/0001.md', true],
      ['./src/app.ts', 'src/app.ts', true],
      ['src\\app.ts', 'src/app.ts', true],
      ['src/?.ts', 'src/a.ts', true],
      ['src/?.ts', 'src/ab.ts', false],
      ['src/[ab].ts', 'src/b.ts', true],
      ['src/[!ab].ts', 'src/b.ts', false],
      ['a+b(c).ts', 'a+b(c).ts', true],
      ['', 'anything', false],
    ];
    for (const [glob, path, expected] of cases) {
      assert.equal(compileGlob(glob)(path), expected, `${glob} vs ${path}`);
    }
  });

  it('follows .gitignore semantics: anchoring, folders only, negation, nested files', () => {
    const root = parseGitignore([
      '# comment', '', 'node_modules/', '*.log', '!keep.log', '/build', 'docs/**/*.pdf', 'tmp/', '\\#literal', 'trailing   ',
    ].join('\n'), '');
    const nested = parseGitignore('*.generated.ts\n!important.log\n', 'packages/api');
    const files = [root, nested];
    const cases: [string, boolean, boolean][] = [
      ['node_modules', true, true],
      ['node_modules', false, false],
      ['packages/x/node_modules', true, true],
      ['server.log', false, true],
      ['keep.log', false, false],
      ['build', true, true],
      ['src/build', true, false],
      ['docs/a/b/c.pdf', false, true],
      ['docs/c.pdf', false, true],
      ['#literal', false, true],
      ['trailing', false, true],
      ['packages/api/src/x.generated.ts', false, true],
      ['packages/web/src/x.generated.ts', false, false],
      ['packages/api/important.log', false, false],
    ];
    for (const [path, isDir, expected] of cases) {
      assert.equal(isIgnored(files, path, isDir), expected, `${path}${isDir ? '/' : ''}`);
    }
  });
});
