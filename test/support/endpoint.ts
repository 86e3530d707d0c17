// Integration tests only (imports `vscode`): points the extension at a test model server through the user's
// settings, as a person would in the Settings editor, and takes the settings back out afterwards.
import * as vscode from 'vscode';

const section = 'backendArchitect';

/** The provider set to "custom" with the server's URL and `model`, in the user settings. */
export async function useEndpoint(server: { url: string }, model = 'm'): Promise<void> {
  const c = vscode.workspace.getConfiguration(section);
  await c.update('provider', 'custom', vscode.ConfigurationTarget.Global);
  await c.update('baseURL', server.url, vscode.ConfigurationTarget.Global);
  await c.update('model', model, vscode.ConfigurationTarget.Global);
}

/** Removes what useEndpoint set, so the next suite starts from the defaults. */
export async function forgetEndpoint(): Promise<void> {
  const c = vscode.workspace.getConfiguration(section);
  for (const k of ['provider', 'baseURL', 'model']) { await c.update(k, undefined, vscode.ConfigurationTarget.Global); }
}
