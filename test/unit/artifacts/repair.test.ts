import * as assert from 'node:assert/strict';
import { extractArtifacts } from '../../../src/artifacts/extract';
import { pickRepairedBlock, repairPrompt } from '../../../src/artifacts/repair';
import type { Artifact, ArtifactProblem } from '../../../src/artifacts/types';

const artifact: Artifact = {
  id: 'a1', kind: 'mermaid', path: 'docs/architecture/services.mmd', language: 'mermaid', startLine: 7,
  content: 'flowchart LR\n  api --> end\n', sniffed: false, unterminated: false,
};
const problems: ArtifactProblem[] = [
  { line: 2, column: 11, severity: 'error', source: 'mermaid', message: 'Unexpected "end"; expected NODE_STRING. `end` is a reserved word.' },
  { line: 1, severity: 'warning', message: 'not shown while there are errors' },
];

describe('repair turn: prompt and reply', () => {
  it('names the checker, every error on its line, the block as written, and asks for the block only', () => {
    const prompt = repairPrompt(artifact, problems);
    assert.match(prompt, /^`docs\/architecture\/services\.mmd` did not pass mermaid's own parser:\n- line 2, column 11: Unexpected "end"/);
    assert.doesNotMatch(prompt, /not shown while there are errors/);
    assert.match(prompt, /```mermaid file=docs\/architecture\/services\.mmd\nflowchart LR\n {2}api --> end\n```\n/);
    assert.match(prompt, /Reply with the corrected block only: one fenced block with the info string `mermaid file=docs\/architecture\/services\.mmd`/);
    // The block inside the prompt is found again by extraction, unchanged: the model sees exactly what failed.
    assert.equal(extractArtifacts(prompt, { final: true })[0].content, artifact.content);
  });

  it('fences content that itself holds backtick fences with a longer fence, and caps long problem lists', () => {
    const adr: Artifact = { ...artifact, kind: 'adr', language: 'markdown', path: 'docs/adr/1.md', content: '# T\n\n```sql\nx\n```\n' };
    const many = Array.from({ length: 25 }, (_, i): ArtifactProblem => ({ line: i + 1, severity: 'error', message: `p${i}` }));
    const prompt = repairPrompt(adr, many);
    assert.match(prompt, /````markdown file=docs\/adr\/1\.md\n# T\n\n```sql\nx\n```\n````/);
    assert.match(prompt, /- line 20: p19\n- and 5 more\./);
  });

  it('picks the corrected block: same path first, then the last block of the same kind', () => {
    const fixed = 'flowchart LR\n  api --> done\n';
    assert.equal(pickRepairedBlock(`Sure:\n\n\`\`\`mermaid file=docs/architecture/services.mmd\n${fixed}\`\`\`\n`, artifact), fixed);
    const two = `Before:\n\`\`\`mermaid\n${artifact.content}\`\`\`\nAfter:\n\`\`\`mermaid\n${fixed}\`\`\`\n`;
    assert.equal(pickRepairedBlock(two, artifact), fixed);
    assert.equal(pickRepairedBlock(`\`\`\`\n${fixed}\`\`\`\n`, artifact), fixed, 'an unlabelled block that sniffs as the kind');
  });

  it('accepts a bare reply that is the file, and nothing from a reply without one', () => {
    assert.equal(pickRepairedBlock('flowchart LR\n  api --> done', artifact), 'flowchart LR\n  api --> done\n');
    assert.equal(pickRepairedBlock('I cannot fix this diagram.', artifact), undefined);
    assert.equal(pickRepairedBlock('```sql\nSELECT 1;\n```\n```bash\nls\n```\n', artifact), undefined);
    assert.equal(pickRepairedBlock('```bash\nls\n```\n', artifact), undefined);
    assert.equal(pickRepairedBlock('```mermaid\nflowchrt LR\n  a --> b\n```\n', artifact), 'flowchrt LR\n  a --> b\n', 'still broken, but it is the answer');
  });
});
