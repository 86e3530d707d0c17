import * as assert from 'node:assert/strict';
import { checkArtifactPath } from '../../../src/artifacts/paths';

describe('artifact path rules (THREATS T5, T6)', () => {
  const refused: [string, RegExp][] = [
    ['', /no path/],
    ['   ', /no path/],
    ['../x', /climbs/],
    ['a/../../x', /climbs/],
    ['docs/../../../etc/passwd', /climbs/],
    ['a\\..\\..\\x', /climbs/],
    ['．．/x', /climbs/],
    ['..／x', /climbs/],
    ['/etc/passwd', /absolute/],
    ['\\etc\\passwd', /absolute/],
    ['~/.ssh/id_rsa', /absolute/],
    ['C:\\x', /drive letter/],
    ['c:x', /drive letter/],
    ['\\\\server\\share\\x', /absolute/],
    ['\\\\?\\C:\\x', /absolute/],
    ['//server/share/x', /absolute/],
    ['file:///etc/passwd', /URI/],
    ['vscode://settings', /URI/],
    ['https://example.com/x', /URI/],
    ['docs/x.', /dot or space/],
    ['docs/x ', /dot or space/],
    ['docs./x', /dot or space/],
    ['settings.json::$DATA', /URI|:/],
    ['docs/a:b.txt', /:/],
    ['con.txt', /reserved device/],
    ['docs/NUL', /reserved device/],
    ['lpt1.md', /reserved device/],
    ['COM¹.md', /reserved device/],
    ['docs/a\u0000.md', /control/],
    ['docs/a\nb.md', /control/],
    ['docs/\u202eevil.md', /invisible/],
    ['docs/a\u200bb.md', /invisible/],
    ['docs/a|b.md', /not allow/],
    ['./', /names no file/],
  ];
  for (const [p, why] of refused) {
    it(`refuses ${JSON.stringify(p)}`, () => {
      const v = checkArtifactPath(p);
      assert.equal(v.ok, false);
      assert.match((v as { reason: string }).reason, why);
    });
  }

  const sensitive: [string, RegExp][] = [
    ['.vscode/settings.json', /\.vscode/],
    ['.VSCODE/settings.json', /\.vscode/],
    ['.VsCode/tasks.json', /\.vscode/],
    ['team.code-workspace', /workspace file/],
    ['.git/hooks/pre-commit', /hooks/],
    ['.github/workflows/ci.yml', /CI workflows/],
    ['.GitHub/Workflows/deploy.yml', /CI workflows/],
    ['.github/copilot-instructions.md', /assistant instructions/],
    ['.github/agents/x.agent.md', /assistant instructions/],
    ['.devcontainer/devcontainer.json', /dev container/],
    ['.claude/agents/x.md', /tool and agent configuration/],
    ['.cursor/mcp.json', /tool and agent configuration/],
    ['tools/mcp.json', /MCP/],
    ['.env', /secrets/],
    ['.env.production', /secrets/],
    ['services/api/.env.local', /secrets/],
    ['package.json', /scripts run/],
    ['apps/web/package.json', /scripts run/],
    ['Dockerfile', /build files/],
    ['scripts/deploy.sh', /scripts and binaries/],
  ];
  for (const [p, risk] of sensitive) {
    it(`asks a second confirmation for ${p}`, () => {
      const v = checkArtifactPath(p);
      assert.equal(v.ok, true);
      assert.match((v as { sensitive?: string }).sensitive ?? '', risk);
    });
  }

  it('accepts ordinary paths, normalised', () => {
    assert.deepEqual(checkArtifactPath('docs/api/openapi.yaml'), { ok: true, path: 'docs/api/openapi.yaml' });
    assert.deepEqual(checkArtifactPath('./db//schema.sql'), { ok: true, path: 'db/schema.sql' });
    assert.deepEqual(checkArtifactPath('docs\\adr\\0001-use-postgres.md'), { ok: true, path: 'docs/adr/0001-use-postgres.md' });
    assert.deepEqual(checkArtifactPath('docs/.well-known/x.json'), { ok: true, path: 'docs/.well-known/x.json' });
    assert.deepEqual(checkArtifactPath('docs/environment.md'), { ok: true, path: 'docs/environment.md' });
  });
});
