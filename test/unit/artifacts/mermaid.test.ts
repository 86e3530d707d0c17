import * as assert from 'node:assert/strict';
import { validateMermaid, MAX_MERMAID_CHARS } from '../../../src/artifacts/mermaid';
import { parseMermaidInNode } from '../../../src/artifacts/mermaidNode';
import { mermaidErrorToProblems, MermaidSourceMap } from '../../../src/artifacts/mermaidProblems';
import { fixtureNames, fixtureText, lineOf } from './artifactPaths';

/** What the CLI does: mermaid's parser in Node. */
const check = (text: string, options: { repair?: boolean } = {}): ReturnType<typeof validateMermaid> =>
  validateMermaid(text, { parse: parseMermaidInNode, ...options });

/** Mermaid's own error for a text, as thrown. */
async function parseError(text: string): Promise<unknown> {
  try {
    await parseMermaidInNode(text);
  } catch (err) {
    return err;
  }
  throw new Error('expected the diagram to fail');
}

describe('mermaid validation (mermaid 12 in Node under jsdom)', function () {
  // The first parse sets up jsdom and imports mermaid (0.5-1.5 s here).
  this.timeout(30_000);

  for (const name of fixtureNames('mermaid', 'valid')) {
    it(`accepts ${name}`, async () => {
      assert.deepEqual(await check(fixtureText('mermaid', 'valid', name), { repair: false }), { status: 'valid', problems: [] });
    });
  }

  it('leaves no fake browser on globalThis once mermaid is loaded', async () => {
    await parseMermaidInNode('flowchart LR\n  a["x (y)"] --> b');
    assert.equal((globalThis as Record<string, unknown>).window, undefined);
    assert.equal((globalThis as Record<string, unknown>).document, undefined);
  });

  /**
   * Real diagrams with one mistake models make put in, each with the line mermaid must blame (in the
   * person's numbering) and whether the deterministic fixes bring it back.
   */
  const derived: { name: string; fixture: string; edit: (t: string) => string; blame: string; from?: string; repaired: boolean }[] = [
    {
      name: 'parentheses in a cylinder label (the OpenTelemetry authors wrote &#40 to avoid exactly this)',
      fixture: 'otel-demo-services.mmd', edit: t => t.replace('cache[(Cache<br/>&#40redis&#41)]', 'cache[(Cache (redis))]'),
      blame: 'cache[(Cache (redis))]', repaired: true,
    },
    {
      name: 'the reserved word end as a node id',
      fixture: 'otel-demo-services.mmd', edit: t => t.replace('featureflagservice --> featureflagstore', 'featureflagservice --> end'),
      blame: 'featureflagservice --> end', repaired: true,
    },
    {
      name: 'a comment at the end of a node line, below front matter and an init directive',
      fixture: 'finos-calm-classic.mmd', edit: t => t.replace('    user["Customer"]:::node', '    user["Customer"]:::node %% people who buy'),
      blame: '%% people who buy', repaired: true,
    },
    {
      name: 'a quoted word inside a label, below a %% comment line that mermaid drops before parsing',
      fixture: 'otel-demo-telemetry.mmd', edit: t => t.replace('oc-proc(Processors)', 'oc-proc(The "batch" processor)'),
      blame: 'The "batch" processor', repaired: true,
    },
    {
      name: 'a sequence message without its colon',
      fixture: 'mermaid-readme-sequence.mmd', edit: t => t.replace('John-->>Alice: Great!', 'John-->>Alice Great!'),
      blame: 'John-->>Alice Great!', repaired: true,
    },
    {
      name: 'a single-dash transition in a state diagram (no fix known)',
      fixture: 'undici-client-lifecycle.mmd', edit: t => t.replace('idle --> pending : connect', 'idle -> pending : connect'),
      blame: 'idle -> pending', repaired: false,
    },
    {
      name: 'a pie slice without its colon, below a comment (a langium-parsed diagram)',
      fixture: 'mermaid-readme-pie.mmd', edit: t => `%% pets seen this year\n${t.replace('"Rats" : 15', '"Rats" 15')}`,
      blame: '"Rats" 15', repaired: false,
    },
  ];

  for (const c of derived) {
    it(`blames the right line for ${c.name}`, async () => {
      const text = c.edit(fixtureText('mermaid', 'valid', c.fixture));
      assert.notEqual(text, fixtureText('mermaid', 'valid', c.fixture), 'the edit applies');
      const checked = await check(text, { repair: false });
      assert.equal(checked.status, 'invalid');
      assert.equal(checked.problems[0].line, lineOf(text, c.blame), checked.problems[0].message);
      const result = await check(text);
      assert.equal(result.status, c.repaired ? 'repaired' : 'invalid', JSON.stringify(result));
      if (c.repaired) {
        assert.ok(result.changes?.length);
        assert.deepEqual(await check(result.repaired ?? '', { repair: false }), { status: 'valid', problems: [] });
      }
    });
  }

  it('repairs a diagram delivered with its Markdown fence and an explanation', async () => {
    const diagram = fixtureText('mermaid', 'valid', 'otel-demo-services.mmd');
    const result = await check(`Here is the service map:\n\n\`\`\`mermaid\n${diagram}\`\`\`\n\nEach arrow is a call between two services.\n`);
    assert.equal(result.status, 'repaired');
    assert.equal(result.repaired, diagram);
    assert.deepEqual(result.changes, [
      'lines 1-3: removed the text before the diagram keyword',
      `line ${diagram.split('\n').length + 3}: removed the closing fence and the text after it`,
    ]);
  });

  it('names the unexpected token and gives advice a person can act on', async () => {
    const [problem] = (await check('flowchart LR\n  start --> end\n', { repair: false })).problems;
    assert.deepEqual([problem.line, problem.column], [2, 13]);
    assert.match(problem.message, /^Unexpected "end"; expected .*`end` is a reserved word/);
    assert.match((await check('sequenceDiagram\n  A->>B hi\n', { repair: false })).problems[0].message, /A message needs a colon/);
    assert.match((await check('flowchart LR\n  A[Users (mobile)] --> B\n', { repair: false })).problems[0].message, /Parentheses inside a label must be quoted/);
    assert.match((await check('servicesDiagram\n  a --> b\n', { repair: false })).problems[0].message, /Unknown diagram type/);
  });

  it('maps an error the webview posted as plain data ({ message, hash }) exactly like the thrown one', async () => {
    const text = fixtureText('mermaid', 'valid', 'finos-calm-classic.mmd').replace('user -->|User', 'user -->|User (web)');
    const error = await parseError(text) as { message: string; hash?: unknown };
    const posted = JSON.parse(JSON.stringify({ message: error.message, hash: error.hash })) as unknown;
    assert.deepEqual(mermaidErrorToProblems(text, posted), mermaidErrorToProblems(text, error));
    assert.equal(mermaidErrorToProblems(text, posted)[0].line, lineOf(text, 'User (web)'));
    // The message alone (what an Error keeps through postMessage) gives the same problem, the column aside.
    const fromMessage = mermaidErrorToProblems(text, new Error(error.message));
    assert.deepEqual(fromMessage.map(p => [p.line, p.message]), mermaidErrorToProblems(text, error).map(p => [p.line, p.message]));
    assert.equal(mermaidErrorToProblems(text, error.message)[0].line, lineOf(text, 'User (web)'));
  });

  it('maps positions through CRLF line ends, front matter, directives and comments', () => {
    const text = '---\r\ntitle: x\r\n---\r\n%%{init: {"theme": "dark"}}%%\r\n\r\n%% c1\r\nflowchart TD\r\n  %% c2\r\n  A --> B\r\n';
    const map = new MermaidSourceMap(text);
    assert.deepEqual(map.toSource(1, 0), { line: 7, column: 1 }, 'mermaid\'s line 1 is the diagram keyword');
    assert.deepEqual(map.toSource(2, 2), { line: 9, column: 3 }, 'comment lines are dropped, so line 2 is A --> B');
  });

  it('refuses a diagram over mermaid\'s size limit without parsing it, and one with too many edges (THREATS T14)', async () => {
    let parsed = false;
    const big = `flowchart LR\n${'  a --> b\n'.repeat(MAX_MERMAID_CHARS / 10)}`;
    const result = await validateMermaid(big, { parse: async () => { parsed = true; } });
    assert.equal(parsed, false);
    assert.match(result.problems[0].message, /Diagram too large/);
    const edges = Array.from({ length: 501 }, (_, i) => `  n${i} --> n${i + 1}`).join('\n');
    assert.match((await check(`flowchart LR\n${edges}\n`, { repair: false })).problems[0].message, /Edge limit exceeded/);
  });

  it('uses an injected parser (the webview\'s), and says "unchecked" when no parser can start', async () => {
    const seen: string[] = [];
    const ok = await validateMermaid('flowchart LR\n  a --> b\n', { parse: async t => { seen.push(t); } });
    assert.deepEqual([ok.status, seen.length], ['valid', 1]);
    const down = await validateMermaid('flowchart LR\n  a --> b\n', { parse: () => Promise.reject(new Error('mermaid could not start under jsdom: no DOM')) });
    assert.equal(down.status, 'unchecked');
    assert.match(down.problems[0].message, /Mermaid validation unavailable/);
    assert.equal((await validateMermaid('flowchart LR\n  a --> b\n')).status, 'unchecked', 'no parser given');
  });
});
