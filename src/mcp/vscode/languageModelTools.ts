import * as vscode from 'vscode';
import { ChatIds } from '../../constants';
import { vscodeFileSource } from '../../context/vscode/workspaceContext';
import { loadBundle, type McpToolsBundle } from '../../lazy';
import { parseInOpenView } from '../../views/mermaidBridge';
import type { ToolName } from '../tools';
import type { ArtifactToolInput, ToolEnv } from '../toolTypes';

/**
 * The catalogue's tools by name, as package.json contributes them (`backendArchitect_<name>`). Listed here,
 * not read from the catalogue, so activation does not load it: it comes with the first call (dist/mcpTools.js).
 */
const toolNames: readonly ToolName[] = ['validate_openapi', 'validate_sql', 'validate_mermaid', 'extract_artifacts', 'workspace_context'];

/** What the progress line says while a tool runs. */
const runningWords: Record<ToolName, string> = {
  validate_openapi: 'Checking the OpenAPI document',
  validate_sql: 'Running the SQL in PostgreSQL',
  validate_mermaid: 'Checking the mermaid diagram',
  extract_artifacts: 'Listing the files of the answer',
  workspace_context: 'Reading the workspace overview',
};

const restricted = 'this workspace is in Restricted Mode (trust it to let Backend Architect read its files)';

/**
 * Where the tools may read and how they check: the workspace folders on disk (none in Restricted Mode),
 * VS Code's own file search for the overview (so files.exclude applies), the webview's mermaid parser, and
 * the extension's one SQL worker (dist/mcpTools.js takes the checks from dist/validators.js).
 */
function editorEnv(signal: AbortSignal): ToolEnv {
  const trusted = vscode.workspace.isTrusted;
  return {
    roots: () => Promise.resolve(trusted ? (vscode.workspace.workspaceFolders ?? []).filter(f => f.uri.scheme === 'file').map(f => f.uri.fsPath) : []),
    fileSource: folder => vscodeFileSource(vscode.Uri.file(folder)),
    parseMermaid: parseInOpenView,
    signal,
    noReading: trusted ? undefined : restricted,
  };
}

/** One catalogue tool as a VS Code language-model tool: the input is checked by the catalogue, never trusted. */
function languageModelTool(name: ToolName, log: vscode.LogOutputChannel): vscode.LanguageModelTool<unknown> {
  return {
    prepareInvocation(options) {
      const path = (options.input as Partial<ArtifactToolInput> | undefined)?.path;
      return { invocationMessage: `${runningWords[name]}${typeof path === 'string' && path ? ` (${path.slice(0, 120)})` : ''}` };
    },
    async invoke(options, token) {
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() => controller.abort('cancelled'));
      const started = performance.now();
      try {
        const outcome = await loadBundle<McpToolsBundle>('mcpTools.js').runArchitectTool(name, options.input, editorEnv(controller.signal));
        log.info(`tool ${name}: ${outcome.ok ? 'ok' : 'not ok'}, ${outcome.problems.length} problem(s), ${(performance.now() - started).toFixed(0)} ms`);
        return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(outcome.text)]);
      } finally {
        cancel.dispose();
      }
    },
  };
}

/**
 * Registers the checks as language-model tools (Copilot's agent mode, `#validateSql` in a prompt, any extension
 * through `vscode.lm.invokeTool`). workspace_context is off in Restricted Mode (package.json `when`, and it
 * refuses if called anyway); the checks still run there, without reading other files.
 */
export function registerArchitectTools(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  for (const name of toolNames) {
    context.subscriptions.push(vscode.lm.registerTool(`${ChatIds.toolPrefix}${name}`, languageModelTool(name, log)));
  }
}
