import * as assert from 'node:assert/strict';
import { repairMermaid } from '../../../src/artifacts/mermaidRepair';
import { fixtureNames, fixtureText } from './artifactPaths';

describe('mermaid deterministic repair (pure)', () => {
  it('leaves every real, valid diagram untouched', () => {
    for (const name of fixtureNames('mermaid', 'valid')) {
      const text = fixtureText('mermaid', 'valid', name);
      assert.deepEqual(repairMermaid(text), { text, changes: [] }, name);
    }
  });

  it('quotes flowchart labels that hold parentheses, brackets, braces, pipes or quotes, in every shape', () => {
    const cases: [string, string][] = [
      ['A[Users (mobile)] --> B', 'A["Users (mobile)"] --> B'],
      ['A(Gateway (Kong)) --> B', 'A("Gateway (Kong)") --> B'],
      ['A[(Postgres (primary))] --> B', 'A[("Postgres (primary)")] --> B'],
      ['A([Start (here)]) --> B', 'A(["Start (here)"]) --> B'],
      ['A((x (y))) --> B', 'A(("x (y)")) --> B'],
      ['A{{Cache {hot}}} --> B', 'A{{"Cache {hot}"}} --> B'],
      ['A[list [x]] --> B', 'A["list [x]"] --> B'],
      ['A[He said "hi"] --> B', 'A["He said #quot;hi#quot;"] --> B'],
      ['A["He said "hi""] --> B', 'A["He said #quot;hi#quot;"] --> B'],
      ['A[/api/v1] --> B', 'A["/api/v1"] --> B'],
      ['A --> B[x (y)] --> C', 'A --> B["x (y)"] --> C'],
      ['A -->|calls (REST)| B', 'A -->|"calls (REST)"| B'],
      ['subgraph API (public)', 'subgraph "API (public)"'],
      ['subgraph api [API (public)]', 'subgraph api["API (public)"]'],
    ];
    for (const [line, fixed] of cases) {
      assert.equal(repairMermaid(`flowchart LR\n  ${line}\n`).text, `flowchart LR\n  ${fixed}\n`, line);
    }
  });

  it('does not quote what is already fine, nor touch arrows that end in >', () => {
    for (const line of ['A-->B[x]', 'A[x] --> B', 'A --> B', 'A -- calls (REST) --> B', 'A[x]:::svc', 'A>flag] --> B', 'classDef x fill:#f00;']) {
      assert.deepEqual(repairMermaid(`flowchart LR\n  ${line}\n`).changes, [], line);
    }
  });

  it('renames keywords used as node ids, but not the keywords themselves', () => {
    const text = 'flowchart TD\n  subgraph s\n    start --> end\n  end\n  end --> done\n  class A big\n';
    const fixed = repairMermaid(text);
    assert.equal(fixed.text, 'flowchart TD\n  subgraph s\n    start --> End\n  end\n  End --> done\n  class A big\n');
    assert.deepEqual(fixed.changes, ['line 3: renamed the node id `end` to `End` (`end` is a keyword)', 'line 5: renamed the node id `end` to `End` (`end` is a keyword)']);
    assert.match(repairMermaid('flowchart TD\n  End --> x\n  a --> end\n').text, /a --> END\n/, 'an id already taken is not reused');
  });

  it('moves a trailing comment to its own line, keeping directives and quoted %% alone', () => {
    assert.equal(repairMermaid('flowchart LR\n  A --> B %% why\n').text, 'flowchart LR\n  %% why\n  A --> B\n');
    const kept = '%%{init: {"theme": "dark"}}%%\nflowchart LR\n  A["50%% off"] --> B\n';
    assert.deepEqual(repairMermaid(kept).changes, []);
  });

  it('adds the colon a sequence message needs, and the label an ER relationship needs', () => {
    assert.equal(repairMermaid('sequenceDiagram\n  A->>B hello there\n  B-->>A: ok\n').text, 'sequenceDiagram\n  A->>B: hello there\n  B-->>A: ok\n');
    assert.equal(repairMermaid('erDiagram\n  USER ||--o{ ORDER\n').text, 'erDiagram\n  USER ||--o{ ORDER : ""\n');
  });

  it('removes Markdown around a diagram: fence lines, a lead-in, and an explanation after a blank line', () => {
    const fixed = repairMermaid('```mermaid\nflowchart LR\n  a --> b\n```\n');
    assert.deepEqual([fixed.text, fixed.changes], ['flowchart LR\n  a --> b\n', ['line 1: removed the Markdown fence line ````mermaid`', 'line 4: removed the closing fence']]);
    const prose = repairMermaid('flowchart LR\n  a --> b\n\nThis shows how a calls b over HTTP.\n');
    assert.deepEqual([prose.text, prose.changes], ['flowchart LR\n  a --> b\n', ['line 4: removed the explanation after the diagram']]);
    const mindmap = 'mindmap\n  root\n    Learn to cook on an open flame.\n';
    assert.deepEqual(repairMermaid(mindmap).changes, [], 'indented text can be a node, not prose');
  });
});
