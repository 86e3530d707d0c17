/**
 * Entry of dist/mcpServer.js: `backend-architect mcp` as a program of its own, which VS Code starts through
 * the extension's MCP server definition (`node dist/mcpServer.js [--root DIR]...`). The .vsix ships no
 * node_modules: this bundle holds the MCP SDK and takes the checks from dist/validators.js beside it (the
 * build maps them there), so the OpenAPI validator and the SQL checker work; mermaid, whose parser needs a
 * DOM the extension does not ship, is reported as not checked, with where it can be checked instead.
 */
import { runMcpCommand, type McpCommandOptions } from './cliMcp';

declare const __VERSION__: string;

/** Whether mermaid and its DOM shim can be loaded here (they can beside the npm package, not in the .vsix). */
function mermaidInstalled(): boolean {
  try {
    require.resolve('mermaid');
    require.resolve('jsdom');
    return true;
  } catch {
    return false;
  }
}

const noMermaid: McpCommandOptions['engines'] = {
  parseMermaid: () => Promise.reject(new Error('mermaid could not start: the MCP server that comes with the VS Code extension has no mermaid parser. ' +
    'In VS Code, the language-model tool #validateMermaid checks diagrams; elsewhere, run the server from npm (npx backend-architect mcp)')),
};

void runMcpCommand(process.argv.slice(2), { stdout: s => process.stdout.write(s), stderr: s => process.stderr.write(s) },
  { version: typeof __VERSION__ === 'string' ? __VERSION__ : 'unknown', engines: mermaidInstalled() ? undefined : noMermaid })
  .then(code => { process.exitCode = code; });
