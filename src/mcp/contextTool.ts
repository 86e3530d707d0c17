/**
 * workspace_context: the overview `backend-architect context` prints, for a folder inside the ones the tools
 * may read. Secret files are never opened (the scanner's rules), file contents are not returned, and a folder
 * as wide as the file-system root or the home folder is refused. Pure of `vscode`.
 */
import { promises as fs } from 'node:fs';
import { DEFAULT_CLI_BUDGET, formatText, toJson } from '../context/cliContext';
import { nodeFileSource } from '../context/nodeFileSource';
import { scanWorkspace } from '../context/scan';
import { placeInside, tooBroadToScan } from './folders';
import type { ToolProblem } from './toolSchemas';
import type { ContextToolInput, ToolEnv, ToolOutcome } from './toolTypes';

function refused(reason: string): ToolOutcome {
  return { text: `Not read: ${reason}.`, ok: false, problems: [], data: {} };
}

/** Describes the folder `input.path` (default: the first shared folder). */
export async function describeWorkspace(input: ContextToolInput, env: ToolEnv): Promise<ToolOutcome> {
  if (env.noReading) { return refused(env.noReading); }
  const placed = await placeInside(await env.roots(), input.path ?? '.');
  if (!placed.ok) { return refused(placed.reason); }
  try {
    if (!(await fs.stat(placed.real)).isDirectory()) { return refused(`${placed.rel} is not a folder`); }
  } catch {
    return refused(`${placed.rel} does not exist`);
  }
  if (tooBroadToScan(placed.real)) { return refused(`${placed.real} is too wide to describe as a project: name the project's folder`); }
  const source = (env.fileSource ?? nodeFileSource)(placed.real);
  const ctx = await scanWorkspace(source, { tokenBudget: DEFAULT_CLI_BUDGET, signal: env.signal });
  const problems: ToolProblem[] = ctx.files.filter(f => f.hiddenUnicode > 0).map(f => ({
    line: f.hiddenUnicodeLines[0] ?? 1, column: null, severity: 'warning', file: f.path,
    message: `${f.hiddenUnicode} hidden Unicode characters (invisible text that can carry instructions) on ${f.hiddenUnicodeLines.length} line(s); removed before reading.`,
  }));
  const text = `Folder: ${placed.rel}\n${formatText(ctx)}`;
  return { text, ok: true, problems, data: { folder: placed.rel, overview: toJson(ctx) as Record<string, unknown> } };
}
