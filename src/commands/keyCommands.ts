import * as vscode from 'vscode';
import { Commands, ConfigSection } from '../constants';
import { clearModelCache, currentOrigin, secretKeyFor } from '../llm/vscode/endpointSettings';

/** Set API Key: stores the key in SecretStorage under the endpoint's origin; an empty entry removes it. */
async function setApiKey(secrets: vscode.SecretStorage, given?: string): Promise<boolean> {
  const origin = currentOrigin();
  if (!origin) {
    const c = await vscode.window.showErrorMessage('Set a valid base URL first: the key is stored for that endpoint only.', 'Open Settings');
    if (c) { await vscode.commands.executeCommand('workbench.action.openSettings', `${ConfigSection}.baseURL`); }
    return false;
  }
  const existing = await secrets.get(secretKeyFor(origin));
  const key = typeof given === 'string' ? given : await vscode.window.showInputBox({
    title: `API key for ${origin}`,
    prompt: existing ? 'A key is stored for this endpoint. Enter a new one to replace it, or leave empty to remove it.'
      : 'Stored in VS Code\'s secret storage and sent only to this endpoint.',
    password: true,
    ignoreFocusOut: true,
    validateInput: v => /\s/.test(v.trim()) ? 'A key has no spaces inside.' : undefined,
  });
  if (key === undefined) { return false; }
  if (!key.trim()) {
    if (existing) {
      await secrets.delete(secretKeyFor(origin));
      void vscode.window.showInformationMessage(`Removed the API key for ${origin}.`);
    }
    return false;
  }
  await secrets.store(secretKeyFor(origin), key.trim());
  clearModelCache();
  void vscode.window.showInformationMessage(`API key saved for ${origin}.`);
  return true;
}

export function registerKeyCommands(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    // The optional argument lets automation (and the integration tests) store a key without the input box.
    vscode.commands.registerCommand(Commands.setApiKey, (args?: { key?: string }) => setApiKey(context.secrets, typeof args?.key === 'string' ? args.key : undefined)),
    vscode.workspace.onDidChangeConfiguration(e => { if (e.affectsConfiguration(ConfigSection)) { clearModelCache(); } }),
  );
}
