import * as assert from 'node:assert/strict';
import { normalizeSeverity, parseFindings, parseLine, parseLocation, reviewInstructions } from '../../../src/context/findings';

const fence = (info: string, body: string): string => `\`\`\`${info}\n${body}\n\`\`\``;

describe('review findings', () => {
  it('asks for a findings block, and parses its own example', () => {
    assert.match(reviewInstructions, /```findings/);
    assert.deepEqual(parseFindings(reviewInstructions), [{
      severity: 'warning', title: 'No index on orders.user_id',
      rationale: 'Orders are listed per user; without an index every lookup scans the table. Add @@index([userId]).',
      file: 'prisma/schema.prisma', line: 31,
    }]);
  });

  it('parses a findings block among prose and other code blocks', () => {
    const answer = [
      '## Architecture as found', '', fence('mermaid', 'flowchart LR\n  api --> db'), '',
      'Some prose with - a list item that is not a finding.', '',
      fence('findings', JSON.stringify([
        { severity: 'error', title: 'Secrets in config.ts', rationale: 'Keys are committed.', file: 'config.ts', line: 3 },
        { severity: 'info', title: 'Add a health check', rationale: 'Compose cannot tell when the API is up.' },
      ], null, 2)),
    ].join('\n');
    assert.deepEqual(parseFindings(answer), [
      { severity: 'error', title: 'Secrets in config.ts', rationale: 'Keys are committed.', file: 'config.ts', line: 3 },
      { severity: 'info', title: 'Add a health check', rationale: 'Compose cannot tell when the API is up.' },
    ]);
  });

  it('tolerates trailing commas, comments, other field names and severity words', () => {
    const body = `[
      // the worst first
      { "level": "Critical", "summary": "SQL built by string concatenation", "description": "Injection risk.", "location": "src/db.ts:42", },
      { "priority": "low", "name": "Rename handler", "reason": "Clarity.", "path": "./internal/http/handlers.go", "lineNumber": "L7" },
      { "severity": "MEDIUM", "title": "No pagination", "details": "Lists grow.", "file": "app/routers/items.py", "line": "12-20" },
    ]`;
    assert.deepEqual(parseFindings(fence('json findings', body)), [
      { severity: 'error', title: 'SQL built by string concatenation', rationale: 'Injection risk.', file: 'src/db.ts', line: 42 },
      { severity: 'info', title: 'Rename handler', rationale: 'Clarity.', file: 'internal/http/handlers.go', line: 7 },
      { severity: 'warning', title: 'No pagination', rationale: 'Lists grow.', file: 'app/routers/items.py', line: 12 },
    ]);
  });

  it('reads YAML, a wrapping object, and a json block that holds findings', () => {
    const yaml = "- severity: warning\n  title: 'N+1 queries'\n  rationale: Each order loads its items.\n  file: src/routes/orders.js\n  line: 7\n";
    assert.deepEqual(parseFindings(fence('yaml findings', yaml)), [
      { severity: 'warning', title: 'N+1 queries', rationale: 'Each order loads its items.', file: 'src/routes/orders.js', line: 7 },
    ]);
    const wrapped = JSON.stringify({ findings: [{ severity: 'info', title: 'T', rationale: 'R' }] });
    assert.deepEqual(parseFindings(fence('findings', wrapped)), [{ severity: 'info', title: 'T', rationale: 'R' }]);
    const json = JSON.stringify([{ severity: 'error', title: 'From a json block', rationale: 'R' }]);
    assert.equal(parseFindings(fence('json', json))[0].title, 'From a json block');
    assert.deepEqual(parseFindings(fence('json', '{"openapi": "3.1.0"}')), []);
  });

  it('salvages complete items from a cut-off or broken block', () => {
    const cut = '```findings\n[\n {"severity": "error", "title": "A", "rationale": "ra"},\n {"severity": "warning", "title": "B", "rationale": "rb"},\n {"severity": "info", "title": "C", "ratio';
    assert.deepEqual(parseFindings(cut).map(f => f.title), ['A', 'B']);
    const broken = fence('findings', '[{"severity": "error", "title": "A", "rationale": "has a } brace"} {"title": "B"}]');
    assert.deepEqual(parseFindings(broken).map(f => f.title), ['A', 'B']);
  });

  it('an empty findings block means no findings, not "look at the prose"', () => {
    assert.deepEqual(parseFindings(`- **[High]** Something in prose\n\n${fence('findings', '[]')}`), []);
  });

  it('falls back to Markdown list items and headings marked with a severity', () => {
    const answer = [
      '## Findings',
      '- **[High] Missing auth on admin routes** — anyone can call `/admin`; see `src/routes/admin.ts:14`.',
      '- [warning] N+1 query: each order loads its items (src/routes/orders.js line 7)',
      '  Use include or a join.',
      '- Low: consider renaming handlers.go',
      '- 🔴 Plaintext passwords: stored as is in `app/models/user.rb`.',
      '- Low-hanging fruit: not a finding, just prose.',
      '- Node.js 20 is used.',
      '### 5. Unbounded list endpoint (Medium)',
      'GET /items returns every row.',
      'File: app/routers/items.py:12',
      '',
      '### Summary',
      'Overall fine.',
    ].join('\n');
    assert.deepEqual(parseFindings(answer), [
      { severity: 'error', title: 'Missing auth on admin routes', rationale: 'anyone can call `/admin`; see `src/routes/admin.ts:14`.', file: 'src/routes/admin.ts', line: 14 },
      { severity: 'warning', title: 'N+1 query', rationale: 'each order loads its items (src/routes/orders.js line 7) Use include or a join.', file: 'src/routes/orders.js', line: 7 },
      { severity: 'info', title: 'consider renaming handlers.go', rationale: '' },
      { severity: 'error', title: 'Plaintext passwords', rationale: 'stored as is in `app/models/user.rb`.', file: 'app/models/user.rb' },
      { severity: 'warning', title: 'Unbounded list endpoint', rationale: 'GET /items returns every row. File: app/routers/items.py:12', file: 'app/routers/items.py', line: 12 },
    ]);
  });

  it('refuses paths outside the folder but keeps the finding', () => {
    for (const bad of ['/etc/passwd', '../secrets.txt', 'src/../../x', 'C:\\Windows\\x', 'file:///etc/passwd', 'https://evil/x', '\\\\server\\share\\x']) {
      const [f] = parseFindings(fence('findings', JSON.stringify([{ severity: 'error', title: 'T', rationale: 'R', file: bad, line: 3 }])));
      assert.equal(f.file, undefined, bad);
      assert.equal(f.line, undefined, bad);
      assert.equal(f.title, 'T');
    }
  });

  it('cleans and bounds text: hidden Unicode, control characters, length, duplicates, count', () => {
    const items = [
      { severity: 'error', title: `Hidden\u200b${String.fromCodePoint(0xe0041)} title\u001b[2J`, rationale: 'x'.repeat(10_000) },
      { severity: 'error', title: 'Hidden title[2J', rationale: 'dupe' },
      ...Array.from({ length: 300 }, (_, i) => ({ severity: 'info', title: `t${i}`, rationale: 'r' })),
      { severity: 'info' }, 'not an object', null, 42,
    ];
    const found = parseFindings(fence('findings', JSON.stringify(items)));
    assert.equal(found[0].title, 'Hidden title[2J');
    assert.equal(found[0].rationale.length, 4000);
    assert.equal(found[1].title, 't0', 'the duplicate title is dropped');
    assert.equal(found.length, 200);
  });

  it('never throws on odd input', () => {
    for (const input of ['', '```findings', '```findings\n', '```findings\n{{{{', '- [error]', '### (high)', '\u0000'.repeat(10), '```findings\n"just a string"\n```']) {
      assert.ok(Array.isArray(parseFindings(input)), JSON.stringify(input));
    }
  });

  it('normalises severities, lines and locations', () => {
    assert.equal(normalizeSeverity('**Blocker**'), 'error');
    assert.equal(normalizeSeverity('Moderate'), 'warning');
    assert.equal(normalizeSeverity('nit'), 'info');
    assert.equal(normalizeSeverity('banana'), undefined);
    assert.equal(parseLine(0), undefined);
    assert.equal(parseLine('L0012'), 12);
    assert.equal(parseLine([5, 9]), 5);
    assert.equal(parseLine(1.5), undefined);
    assert.deepEqual(parseLocation('`src/app.ts`, line 9'), { file: 'src/app.ts', line: 9 });
    assert.deepEqual(parseLocation('src/app.ts#L4-L9'), { file: 'src/app.ts', line: 4 });
    assert.deepEqual(parseLocation('src\\app.ts:3:7'), { file: 'src/app.ts', line: 3 });
  });
});
