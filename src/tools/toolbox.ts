/**
 * The read-only tools of one answer, as the tool loop runs them: the agent's grant decides which are offered,
 * a call to any other name is refused, arguments are checked, every result is capped, and nothing a tool does
 * can throw past here. Pure: files and checks come in through `ToolFiles` and `ArtifactChecker`.
 */
import type { ToolOutcome, ToolRunner } from '../llm/toolLoop';
import type { ToolCall, ToolSpec } from '../llm/types';
import { checkArtifact, checkArtifactLabel, checkArtifactSpec } from './checkArtifact';
import { listFiles, listFilesLabel, listFilesSpec } from './listFiles';
import { formatToolOverview, overviewSpec, scanOverview, workspaceOverview } from './overview';
import { readFile, readFileLabel, readFileSpec } from './readFile';
import { readAheadForSearch, searchText, searchTextLabel, searchTextSpec } from './searchText';
import { type Args, capResult, parseArguments, refuse, ToolContext } from './toolContext';
import { ALL_TOOLS, type ArtifactChecker, type ToolFiles, type ToolName } from './types';

interface Tool {
  spec: ToolSpec;
  label(args: Args): string;
  run(args: Args, ctx: ToolContext, signal: AbortSignal): Promise<ToolOutcome>;
}

const TOOLS: Record<ToolName, Tool> = {
  list_files: { spec: listFilesSpec, label: listFilesLabel, run: listFiles },
  read_file: { spec: readFileSpec, label: readFileLabel, run: (a, c) => readFile(a, c) },
  search_text: { spec: searchTextSpec, label: searchTextLabel, run: searchText },
  workspace_overview: { spec: overviewSpec, label: () => 'Looked at the workspace overview', run: (_a, c, s) => workspaceOverview(c, s) },
  check_artifact: { spec: checkArtifactSpec, label: checkArtifactLabel, run: (a, c) => checkArtifact(a, c) },
};

export interface ToolboxOptions {
  files: ToolFiles;
  /** The tools the agent may use (default all); check_artifact needs `checker` as well. */
  grant?: readonly ToolName[];
  checker?: ArtifactChecker;
}

/** A ToolRunner over the granted tools, plus the overview that opens a request. */
export interface Toolbox extends ToolRunner {
  readonly names: ToolName[];
  /** The overview text for the first message (the workspace_overview tool then answers from the same scan). */
  overview(signal?: AbortSignal): Promise<string>;
  /**
   * Starts reading what search_text would read into the answer's cache (when it is granted), so the first
   * search does not wait for every file; abort `signal` when the answer's tool calls are over. The promise
   * says how many files were read, and never rejects.
   */
  readAhead(signal: AbortSignal): Promise<number>;
}

/** The tools of one answer over `files`. A new toolbox per answer: it caches the listing and file heads. */
export function createToolbox(options: ToolboxOptions): Toolbox {
  const ctx = new ToolContext(options.files, options.checker);
  const names = (options.grant ?? ALL_TOOLS).filter(n => ALL_TOOLS.includes(n) && (n !== 'check_artifact' || options.checker));
  const offered = new Set<string>(names);
  return {
    names,
    specs: names.map(n => TOOLS[n].spec),
    label(call: ToolCall): string {
      const tool = offered.has(call.name) ? TOOLS[call.name as ToolName] : undefined;
      const args = parseArguments(call.arguments);
      return tool && typeof args !== 'string' ? tool.label(args) : `Called ${call.name.slice(0, 60)}`;
    },
    async run(call: ToolCall, signal: AbortSignal): Promise<ToolOutcome> {
      if (!offered.has(call.name)) {
        return refuse(`There is no tool "${call.name.slice(0, 60)}" here. The tools are: ${names.join(', ')}. They only read.`, 'no such tool');
      }
      const args = parseArguments(call.arguments);
      if (typeof args === 'string') { return refuse(args, 'bad arguments'); }
      try {
        const outcome = await TOOLS[call.name as ToolName].run(args, ctx, signal);
        return { ...outcome, content: capResult(outcome.content) };
      } catch (e) {
        if (signal.aborted) { return refuse('Stopped.', 'stopped'); }
        return refuse(`The tool failed: ${String((e as Error)?.message ?? e).split('\n')[0].slice(0, 200)}`, 'failed');
      }
    },
    overview: async signal => formatToolOverview(await scanOverview(ctx, signal), 40),
    readAhead: signal => offered.has('search_text') ? readAheadForSearch(ctx, signal) : Promise.resolve(0),
  };
}
