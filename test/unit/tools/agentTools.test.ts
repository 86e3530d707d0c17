import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAgentDefinition } from '../../../src/agents/parse';
import { grantAgentTools, ignoredToolsNote } from '../../../src/tools/agentTools';
import { ALL_TOOLS } from '../../../src/tools/types';
import { fixture, sharedDir } from '../agents/agentPaths';

const corpusDir = path.join(sharedDir, 'corpus', 'agents');
const seedsDir = path.join(sharedDir, 'seeds');

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]).sort();
}

/** Names that read, search or list, in every spelling the corpus and the formats use. */
const READING = /^(Read|Grep|Glob|LS|NotebookRead|codebase|search|readFile|textSearch|fileSearch|listDirectory|usages)$/i;
/** Names that write, run, browse or delegate: never granted, whatever the spelling. */
const ACTING = /^(Write|Edit|MultiEdit|Bash|Execute|Create|NotebookEdit|WebFetch|WebSearch|FetchUrl|Task|Agent|TodoWrite|editFiles|runCommands|runTasks|terminal|fetch|githubRepo)$/i;

describe('agent tools mapped to ours', () => {
  it('maps Claude Code, Copilot and our own names; the rest is ignored and named', () => {
    assert.deepEqual(grantAgentTools(['Read', 'Grep', 'Glob']), { tools: [...ALL_TOOLS], ignored: [] });
    assert.deepEqual(grantAgentTools(['Read']).tools, ['read_file', 'workspace_overview', 'check_artifact']);
    assert.deepEqual(grantAgentTools(['LS']).tools, ['list_files', 'workspace_overview', 'check_artifact']);
    assert.deepEqual(grantAgentTools(['codebase']).tools, [...ALL_TOOLS]);
    assert.deepEqual(grantAgentTools(['search/codebase', 'read/readFile']).tools, [...ALL_TOOLS]);
    assert.deepEqual(grantAgentTools(['read_file', 'search_text']).tools, ['read_file', 'search_text', 'workspace_overview', 'check_artifact']);
    assert.deepEqual(grantAgentTools(['Read', 'Write', 'Edit', 'Bash(git:*)', 'mcp__github__get_file', 'github/get_file_contents']), {
      tools: ['read_file', 'workspace_overview', 'check_artifact'], ignored: ['Write', 'Edit', 'Bash(git:*)', 'mcp__github__get_file', 'github/get_file_contents'],
    });
  });

  it('no tools key or "*" means all of ours; an empty list means none', () => {
    assert.deepEqual(grantAgentTools(undefined).tools, [...ALL_TOOLS]);
    assert.deepEqual(grantAgentTools(['*']).tools, [...ALL_TOOLS]);
    assert.deepEqual(grantAgentTools([]), { tools: [], ignored: [] });
    assert.deepEqual(grantAgentTools(['WebFetch', 'Bash']).tools, []);
  });

  it('notes ignored names on the tools line of the definition, and says when nothing is left', () => {
    const result = parseAgentDefinition(Buffer.from('---\nname: a\ndescription: d\ntools: Read, Write, Bash\n---\nBody.\n'), 'a.md');
    assert.deepEqual(result.problems.map(p => [p.severity, p.line]), [['info', 4]]);
    assert.match(result.problems[0].message, /^tools Write, Bash: not available here, ignored; this agent gets read_file/);
    assert.equal(result.agent?.toolsListed, true);
    assert.match(ignoredToolsNote(grantAgentTools(['WebFetch']))!, /none of the listed tools exists here/);
    const none = parseAgentDefinition(Buffer.from('---\nname: a\ndescription: d\n---\nBody.\n'), 'a.md');
    assert.equal(none.agent?.toolsListed, undefined);
    assert.deepEqual(none.problems, []);
  });

  it('reads Copilot chat modes and custom agents in the fixtures', () => {
    const tools = (file: string) => parseAgentDefinition(fixture('quirks', file), file).agent!.tools;
    assert.deepEqual(grantAgentTools(tools('reviewer.chatmode.md')).tools, [...ALL_TOOLS]);
    assert.deepEqual(grantAgentTools(tools('chatmode-wrapped.md')).tools, [...ALL_TOOLS]);
    assert.deepEqual(grantAgentTools(tools('mcp-servers.md')), { tools: ['read_file', 'workspace_overview', 'check_artifact'], ignored: ['edit'] });
  });

  describe('over the shared corpus and the seeds', function () {
    before(function () { if (!fs.existsSync(corpusDir) || !fs.existsSync(seedsDir)) { this.skip(); } });

    it('never grants more than ours, never grants for a writing or running name, and loses no name', () => {
      const counts = { all: 0, some: 0, none: 0, unlisted: 0 };
      for (const file of [...listFiles(corpusDir), ...listFiles(seedsDir)]) {
        const a = parseAgentDefinition(fs.readFileSync(file), file).agent!;
        const grant = grantAgentTools(a.toolsListed ? a.tools : undefined);
        assert.ok(grant.tools.every(t => ALL_TOOLS.includes(t)), file);
        if (!a.toolsListed) { counts.unlisted++; assert.deepEqual(grant.tools, [...ALL_TOOLS], file); continue; }
        for (const name of a.tools) {
          if (READING.test(name)) { assert.ok(!grant.ignored.includes(name), `${file}: ${name} is ours`); }
          if (ACTING.test(name)) { assert.ok(grant.ignored.includes(name), `${file}: ${name} is ignored`); }
        }
        const acting = grantAgentTools(a.tools.filter(t => ACTING.test(t)));
        assert.deepEqual(acting.tools, [], `${file}: writing and running names alone grant nothing`);
        assert.equal(grant.ignored.length + a.tools.filter(t => !grant.ignored.includes(t)).length, a.tools.length);
        if (grant.tools.length === ALL_TOOLS.length) { counts.all++; } else if (grant.tools.length) { counts.some++; } else { counts.none++; }
      }
      // 359 corpus files and 5 seeds: most list Read, Grep and Glob; some only Read (and Bash...); a few only MCP tools or [].
      assert.equal(counts.all + counts.some + counts.none + counts.unlisted, 364);
      assert.ok(counts.all > 150, JSON.stringify(counts));
      assert.ok(counts.none >= 3 && counts.none < 10, JSON.stringify(counts));
    });

    it('seed 002 (Factory droid) gets Read, LS, Grep and Glob, and the rest is named', () => {
      const file = listFiles(seedsDir).find(f => path.basename(f).startsWith('002_'))!;
      const a = parseAgentDefinition(fs.readFileSync(file), file).agent!;
      const grant = grantAgentTools(a.tools);
      assert.deepEqual(grant.tools, [...ALL_TOOLS]);
      assert.deepEqual(grant.ignored, ['Create', 'Edit', 'MultiEdit', 'Execute', 'WebSearch', 'FetchUrl', 'TodoWrite', 'Task', 'GenerateDroid']);
    });
  });
});
