import * as assert from 'node:assert/strict';
import { nameFromFile, parseAgentDefinition } from '../../../src/agents/parse';
import type { AgentDefinition, ParseOptions, ParseResult } from '../../../src/agents/types';
import { resolveModel } from '../../../src/agents/models';
import { fixture } from './agentPaths';

const OPTIONS: ParseOptions = { modelMap: { sonnet: 'gpt-4.1', opus: 'o3' }, defaultModel: 'gpt-4o' };

function parseQuirk(name: string, options: ParseOptions = OPTIONS): ParseResult {
  return parseAgentDefinition(fixture('quirks', name), `quirks/${name}`, options);
}

function agent(name: string): AgentDefinition {
  const result = parseQuirk(name);
  assert.ok(result.agent, `${name}: ${JSON.stringify(result.problems)}`);
  return result.agent;
}

function severities(result: ParseResult): string[] {
  return result.problems.map(p => `${p.severity}@${p.line}`);
}

describe('agent definition quirks', () => {
  describe('layout', () => {
    it('reads a UTF-8 BOM, CRLF line ends and blank lines before the fence like plain front matter', () => {
      for (const [file, bodyLine] of [['bom.md', 8], ['crlf.md', 8], ['blank-lines-before-fence.md', 11]] as const) {
        const result = parseQuirk(file);
        const a = result.agent!;
        assert.equal(a.format, 'front-matter', file);
        assert.deepEqual(a.tools, ['Read', 'Grep'], file);
        assert.equal(a.resolvedModel, 'gpt-4.1', file);
        assert.equal(a.bodyStartLine, bodyLine, file);
        assert.equal(a.body, `You are ${a.name}.\n\nDo the work.`, file);
        assert.deepEqual(result.problems, [], file);
      }
      assert.equal(agent('bom.md').name, 'bom-agent');
      assert.equal(agent('crlf.md').description, 'Windows line endings.');
    });

    it('reads a header with no fences: key lines, a blank line, then the body', () => {
      const result = parseQuirk('no-fences.md');
      assert.deepEqual(result.agent, {
        name: 'fenceless', description: 'No fences at all, like seed 004.', body: 'You are fenceless.\n\n## Rules\n- keep it short',
        model: 'opus', resolvedModel: 'o3', tools: [], format: 'no-fences', bodyStartLine: 5, extra: {},
      });
      assert.deepEqual(result.problems, []);
    });

    it('reads a header whose opening fence is missing', () => {
      const result = parseQuirk('missing-opening-fence.md');
      assert.equal(result.agent?.name, 'half-fenced');
      assert.equal(result.agent?.format, 'no-fences');
      assert.equal(result.agent?.body, 'You are half-fenced.');
      assert.deepEqual(severities(result), ['info@3']);
    });

    it('ends a header with no closing fence at the blank line before the body, not at a later horizontal rule', () => {
      const result = parseQuirk('missing-closing-fence.md');
      const a = result.agent!;
      assert.equal(a.name, 'open-ended');
      assert.equal(a.model, 'haiku');
      assert.equal(a.body, 'You are open-ended.\n\n---\n\nA horizontal rule above, not a fence.');
      assert.equal(a.bodyStartLine, 6);
      assert.ok(result.problems.some(p => p.severity === 'warning' && p.line === 1 && /no closing "---"/.test(p.message)));
    });

    it('unwraps a whole file inside a ```chatmode block, keeping code blocks in the body', () => {
      const a = agent('chatmode-wrapped.md');
      assert.equal(a.format, 'fenced-block');
      assert.equal(a.name, 'chatmode-wrapped');
      assert.deepEqual(a.tools, ['codebase', 'search']);
      assert.equal(a.body, 'You are wrapped.\n\n```sql\nSELECT 1;\n```\n\nEnd of instructions.');
      assert.equal(a.bodyStartLine, 7);
    });

    it('reads indented front matter and removes the same indent from the body', () => {
      const result = parseQuirk('indented-front-matter.md');
      const a = result.agent!;
      assert.equal(a.name, 'indented');
      assert.deepEqual(a.tools, ['Read', 'Edit']);
      assert.equal(a.body, 'You are indented.\n\n- a list item');
      assert.deepEqual(result.problems.map(p => p.message), ['tools Edit: not available here, ignored; this agent gets read_file, workspace_overview, check_artifact (Backend Architect\'s tools only read)']);
    });

    it('loads a body with no header, naming it after the file', () => {
      const result = parseQuirk('body-only.md');
      assert.equal(result.agent?.format, 'body-only');
      assert.equal(result.agent?.name, 'body-only');
      assert.equal(result.agent?.bodyStartLine, 1);
      assert.deepEqual(severities(result), ['info@1']);
    });

    it('refuses an empty file and warns about a header with no instructions', () => {
      const empty = parseQuirk('empty.md');
      assert.equal(empty.agent, undefined);
      assert.ok(empty.problems.some(p => p.severity === 'error' && p.line === 1));
      const headerOnly = parseQuirk('header-only.md');
      assert.equal(headerOnly.agent?.name, 'header-only');
      assert.equal(headerOnly.agent?.body, '');
      assert.deepEqual(severities(headerOnly), ['warning@5']);
      assert.equal(parseAgentDefinition('\n\n  \n', 'blank.md').agent, undefined);
    });
  });

  describe('values that break strict YAML (line-wise fallback)', () => {
    it('keeps an unquoted description holding ": "', () => {
      const result = parseQuirk('description-colon.md');
      assert.equal(result.agent?.description, "Use when the user asks. Triggers on: 'GDPR', 'CCPA', 'privacy'.");
      assert.deepEqual(result.agent?.tools, ['Read', 'Grep']);
      assert.deepEqual(severities(result), ['warning@3']);
      assert.equal(result.problems[0].column, 14);
    });

    it('keeps an unquoted description starting with "**"', () => {
      const result = parseQuirk('description-bold.md');
      assert.equal(result.agent?.description, '**Expert** reviewer for database schemas.');
      assert.equal(result.agent?.resolvedModel, 'o3');
      assert.deepEqual(severities(result), ['warning@3']);
      const alone = parseAgentDefinition('---\nname: x\ndescription: **Expert**\n---\nBody.\n', 'x.md');
      assert.equal(alone.agent?.description, '**Expert**');
      assert.ok(alone.problems.every(p => p.severity === 'warning'));
    });

    it('keeps a long description with <example> blocks on one line', () => {
      const a = agent('description-examples.md');
      assert.match(a.description, /^Use this agent when designing APIs\. Examples: <example>Context: A new service\. user: 'Design the orders API'/);
      assert.ok(a.description.endsWith("assistant: 'Using example-desc' </example>"));
      assert.equal(a.model, 'inherit');
      assert.equal(a.resolvedModel, undefined);
    });

    it('keeps <example> blocks spread over unindented lines inside the description', () => {
      const result = parseQuirk('description-multiline-examples.md');
      const a = result.agent!;
      assert.equal(a.description, [
        'Use this agent right after code is written. Examples:', '', '<example>', 'Context: The user wrote a function.',
        'user: "Please review it"', 'assistant: "I\'ll use the code-reviewer agent"', '<commentary>', 'Fresh code needs review.',
        '</commentary>', '</example>',
      ].join('\n'));
      assert.equal(a.model, 'sonnet');
      assert.deepEqual(a.extra, { color: 'blue' });
      assert.equal(a.body, 'You are code-reviewer.');
    });

    it('reads flow lists over several lines and block lists in the fallback', () => {
      const a = agent('fallback-lists.md');
      assert.deepEqual(a.tools, ['Read', 'Grep', 'Glob']);
      assert.deepEqual(a.extra, { skills: ['api-design', 'sql'] });
      assert.equal(a.resolvedModel, 'gpt-4.1');
    });

    it('keeps the first of duplicate keys, with a warning on the duplicate', () => {
      const result = parseQuirk('duplicate-keys.md');
      assert.equal(result.agent?.name, 'first-name');
      assert.ok(result.problems.some(p => p.line === 4 && /duplicate key "name"/.test(p.message)));
    });

    it('folds a > block scalar', () => {
      assert.equal(agent('multiline-description.md').description, 'Folded over two lines.');
    });
  });

  describe('names', () => {
    it('uses title when there is no name, and the file name when there is neither', () => {
      assert.equal(agent('title-instead-of-name.md').name, 'Titled Agent');
      assert.equal(agent('reviewer.chatmode.md').name, 'reviewer');
      assert.equal(agent('planner.agent.md').name, 'planner');
      assert.equal(agent('writer.prompt.md').name, 'writer');
      assert.deepEqual(agent('writer.prompt.md').extra, { mode: 'agent' });
    });

    it('derives names from paths on either platform', () => {
      assert.equal(nameFromFile('C:\\agents\\api.agent.md'), 'api');
      assert.equal(nameFromFile('/home/u/.claude/agents/db-admin.md'), 'db-admin');
      assert.equal(nameFromFile('modes/Reviewer.ChatMode.MD'), 'Reviewer');
      assert.equal(nameFromFile('notes.txt'), 'notes.txt');
    });
  });

  describe('tools', () => {
    it('reads a comma string, quoted and multi-line flow lists, a block list and ["*"]', () => {
      assert.deepEqual(agent('tools-comma.md').tools, ['Read', 'Write', 'Edit', 'Bash']);
      assert.deepEqual(agent('tools-flow-quoted.md').tools, ['Read', 'Grep', 'Glob']);
      assert.deepEqual(agent('tools-flow-multiline.md').tools, ['Read', 'Grep', 'WebFetch']);
      assert.deepEqual(agent('tools-block.md').tools, ['Read', 'Grep', 'Bash']);
      assert.deepEqual(agent('tools-star.md').tools, ['*']);
    });

    it('does not take mcp-servers.*.tools as the agent\'s tools', () => {
      const a = agent('mcp-servers.md');
      assert.deepEqual(a.tools, ['read', 'edit']);
      assert.deepEqual(a.extra, { 'mcp-servers': { github: { type: 'local', command: 'github-mcp', tools: ['*'] } } });
    });

    it('drops empty and duplicate entries and reports entries that are not names', () => {
      const result = parseAgentDefinition('---\nname: t\ntools: [Read, "", Read, {a: 1}, 7]\n---\nBody\n', 't.md');
      assert.deepEqual(result.agent?.tools, ['Read', '7']);
      assert.ok(result.problems.some(p => p.severity === 'warning' && p.line === 3));
      assert.deepEqual(parseAgentDefinition('---\nname: t\ntools: "*"\n---\nBody\n', 't.md').agent?.tools, ['*']);
    });
  });

  describe('models', () => {
    const map = { sonnet: 'gpt-4.1', opus: 'o3', haiku: 'gpt-4.1-mini', 'my-model': 'llama3.1:8b' };

    const cases: [unknown, string | undefined, string | undefined, boolean][] = [
      ['sonnet', 'sonnet', 'gpt-4.1', false],
      ['opus', 'opus', 'o3', false],
      ['haiku', 'haiku', 'gpt-4.1-mini', false],
      ['Sonnet', 'Sonnet', 'gpt-4.1', false],
      ['inherit', 'inherit', undefined, false],
      ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5-20250929', 'gpt-4.1', false],
      ['claude-3-5-haiku-20241022', 'claude-3-5-haiku-20241022', 'gpt-4.1-mini', false],
      ['claude-opus-4-1', 'claude-opus-4-1', 'o3', false],
      ['my-model', 'my-model', 'llama3.1:8b', false],
      ['fable', 'fable', undefined, true],
      ['constructor', 'constructor', undefined, true],
      ['__proto__', '__proto__', undefined, true],
      [['opus', 'sonnet'], 'opus', 'o3', true],
      [42, '42', undefined, true],
      [undefined, undefined, undefined, false],
      [null, undefined, undefined, false],
      ['', undefined, undefined, false],
    ];
    for (const [raw, model, resolved, noted] of cases) {
      it(`model ${JSON.stringify(raw)} → ${resolved ?? 'the default model'}`, () => {
        const choice = resolveModel(raw, 4, map, 'gpt-4o');
        assert.equal(choice.model, model);
        assert.equal(choice.resolvedModel, resolved);
        assert.equal(choice.problems.length > 0, noted);
        for (const p of choice.problems) {
          assert.equal(p.severity, 'info');
          assert.equal(p.line, 4);
        }
      });
    }

    it('names the default model in the note, and maps nothing without a map', () => {
      const choice = resolveModel('fable', 2, undefined, 'gpt-4o');
      assert.equal(choice.problems[0].message, 'model "fable" has no mapping; the default model (gpt-4o) is used');
      assert.equal(resolveModel('sonnet', 2).resolvedModel, undefined);
    });

    it('takes the first of a model list from a file, with an info note on its line', () => {
      const result = parseQuirk('model-list.md');
      assert.equal(result.agent?.model, 'opus');
      assert.equal(result.agent?.resolvedModel, 'o3');
      assert.deepEqual(severities(result), ['info@4']);
    });
  });
});
