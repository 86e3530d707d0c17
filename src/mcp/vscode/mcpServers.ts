import * as vscode from 'vscode';
import { ChatIds } from '../../constants';

/** The server's label: VS Code lists it under this name, and `workbench.mcp.startServer` takes `<extension id>/<label>`. */
export const mcpServerLabel = 'Backend Architect';

/**
 * Lists the extension's MCP server (dist/mcpServer.js, started by VS Code with its own Node) so agents that
 * speak MCP in VS Code get the same checks. Nothing starts until VS Code asks for the server; it reads only
 * the folders VS Code shares with it as MCP roots. In Restricted Mode it is not offered (package.json `when`),
 * and it appears once the workspace is trusted.
 */
class ArchitectMcpServers implements vscode.McpServerDefinitionProvider<vscode.McpStdioServerDefinition>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeMcpServerDefinitions = this.changed.event;
  private readonly trust: vscode.Disposable;

  constructor(private readonly extension: vscode.ExtensionContext) {
    this.trust = vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire());
  }

  provideMcpServerDefinitions(): vscode.McpStdioServerDefinition[] {
    if (!vscode.workspace.isTrusted) { return []; }
    const script = vscode.Uri.joinPath(this.extension.extensionUri, 'dist', 'mcpServer.js').fsPath;
    const version = (this.extension.extension.packageJSON as { version?: string }).version;
    // process.execPath is the editor's Node; in desktop VS Code it is Electron, which runs a script as Node
    // only with ELECTRON_RUN_AS_NODE (ignored by a plain Node).
    const server = new vscode.McpStdioServerDefinition(mcpServerLabel, process.execPath, [script], { ELECTRON_RUN_AS_NODE: '1' }, version);
    const first = vscode.workspace.workspaceFolders?.find(f => f.uri.scheme === 'file');
    if (first) { server.cwd = first.uri; }
    return [server];
  }

  dispose(): void {
    this.trust.dispose();
    this.changed.dispose();
  }
}

/** Registers the MCP server definition provider declared in package.json. */
export function registerMcpServers(context: vscode.ExtensionContext): void {
  const provider = new ArchitectMcpServers(context);
  context.subscriptions.push(provider, vscode.lm.registerMcpServerDefinitionProvider(ChatIds.mcpProvider, provider));
}
