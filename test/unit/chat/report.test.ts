import * as assert from 'node:assert/strict';
import { artifactMarkdown, artifactsHeading, closeOpenFence, commandLink, endingMarkdown, escapeMarkdown, findingsMarkdown, inlineCode } from '../../../src/chat/report';
import type { ArtifactView } from '../../../src/protocol';

const view = (over: Partial<ArtifactView>): ArtifactView => ({ id: 'a1', kind: 'sql', language: 'sql', path: 'db/schema.sql', status: 'valid', problems: [], ...over });

describe('@architect: what is written under an answer', () => {
  it('model text in a path or message cannot form a link, an image or HTML', () => {
    const hostile = '![x](https://evil.test/?q=1) <img src=x> [click](javascript:alert(1))';
    const out = escapeMarkdown(hostile);
    assert.doesNotMatch(out, /(^|[^\\])!\[|(^|[^\\])\[|(^|[^\\])</);
    assert.equal(out.replace(/\\(.)/g, '$1'), hostile, 'the text itself is kept');
    assert.equal(inlineCode('a`b'), '`` a`b ``');
    assert.equal(inlineCode('docs/api.yaml'), '`docs/api.yaml`');
  });

  it('closes a code block an answer left open, so the file list is not swallowed by it', () => {
    assert.equal(closeOpenFence('text\n```sql\nCREATE TABLE a (\n'), '\n```\n');
    assert.equal(closeOpenFence('~~~~yaml\nx: 1\n'), '\n~~~~\n');
    assert.equal(closeOpenFence('```sql\nselect 1;\n```\nafter\n'), '');
    assert.equal(closeOpenFence('````md\n```sql\n```\n````\n'), '', 'a longer fence holds shorter ones');
    assert.equal(closeOpenFence('no code'), '');
  });

  it('each file: its path, kind and check, what the repair changed, the first problems on their lines, and what writing would do', () => {
    const text = artifactMarkdown(view({
      status: 'invalid', problems: Array.from({ length: 7 }, (_, i) => ({ line: i + 1, column: 2, severity: 'error' as const, message: `relation "t${i}" does not exist` })),
      write: { action: 'create', words: 'will create db/schema.sql' },
    }));
    assert.match(text, /^\*\*`db\/schema\.sql`\*\* · SQL · invalid\n/);
    assert.match(text, /line 1:2: error: relation "t0" does not exist/);
    assert.match(text, /line 5:2: error: relation "t4"/);
    assert.doesNotMatch(text, /t5/);
    assert.match(text, /… 2 more \(Open in Panel lists them all\)/);
    assert.match(text, /Write: will create db/);
    const repaired = artifactMarkdown(view({ kind: 'mermaid', path: undefined, status: 'repaired', changes: ['quoted the label "a (b)"'] }));
    assert.match(repaired, /^\*\*\(no path given\)\*\* · diagram · repaired\n  - quoted the label "a \\\(b\\\)"/);
    assert.match(artifactMarkdown(view({ partial: true })), /cut off \(the answer ended inside it\)/);
    assert.match(artifactMarkdown(view({}), '[Write](command:x)'), /\n {2}- \[Write\]\(command:x\)\n\n$/, 'the links close the entry');
    assert.match(artifactMarkdown(view({ title: 'ER diagram of the schema Postgres built', kind: 'mermaid' })), /· ER diagram of the schema Postgres built ·/);
  });

  it('counts what passed, and says how an answer ended when it did not complete', () => {
    assert.match(artifactsHeading([view({}), view({ status: 'repaired' }), view({ status: 'invalid' }), view({ status: 'unchecked' })]), /\(4: 2 passed, 1 invalid, 1 not checked\)/);
    assert.equal(endingMarkdown('complete', undefined), '');
    assert.match(endingMarkdown('length', 'Raise max tokens.'), /hit the length limit\. Raise max tokens\./);
    assert.match(endingMarkdown('stopped', undefined), /Stopped/);
  });

  it('a command link carries ids as encoded JSON, which no title or argument can break out of', () => {
    const link = commandLink('Show "Diff"', 'backendArchitect.chat.artifactAction', ['a-1', 'a2)', 'diff']);
    const m = /^\[(.*)\]\(command:([\w.]+)\?([^ )]+) "(.*)"\)$/.exec(link);
    assert.ok(m, link);
    assert.equal(m[2], 'backendArchitect.chat.artifactAction');
    assert.deepEqual(JSON.parse(decodeURIComponent(m[3])), ['a-1', 'a2)', 'diff']);
    assert.doesNotMatch(m[4], /"/);
  });

  it('links a finding to its line when the edge knows the file, as code otherwise', () => {
    const md = findingsMarkdown([{ severity: 'warning', title: 'CORS', rationale: '', file: 'src/server.js', line: 2 }], (file, line) => `file:///w/${file}#L${line}`);
    assert.match(md, /- warning: \*\*CORS\*\* \(\[src\/server\.js:2\]\(<file:\/\/\/w\/src\/server\.js#L2>\)\)/);
    assert.match(findingsMarkdown([{ severity: 'info', title: 'x', rationale: '', file: 'a b.js' }], () => 'file:///w/a b.js'), /\(<file:\/\/\/w\/a%20b\.js>\)/);
  });

  it('lists findings most severe first, with the file and line', () => {
    const md = findingsMarkdown([
      { severity: 'info', title: 'Naming', rationale: '' },
      { severity: 'error', title: 'No validation', rationale: '', file: 'src/routes/orders.js', line: 12 },
    ]);
    assert.match(md, /Findings\*\* \(2, also in the Problems panel\)\n\n- error: \*\*No validation\*\* \(`src\/routes\/orders\.js:12`\)\n- info: \*\*Naming\*\*/);
    assert.equal(findingsMarkdown([]), '');
  });
});
