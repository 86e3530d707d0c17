import * as vscode from 'vscode';
import { Commands, ConfigSection, Settings } from '../constants';
import { clearModelCache, configuredEndpoint, currentProvider, endpointModels } from '../llm/vscode/endpointSettings';
import { originOf, providerPresets, type ProviderId } from '../llm/providers';
import { runErrorAction } from '../views/webviewHost';
import type { ErrorActionName } from '../protocol';

const target = vscode.ConfigurationTarget.Global;
const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration(ConfigSection);

/** The verdict of Test Connection, also returned to callers (and tests). */
export interface ConnectionVerdict {
  ok: boolean;
  message: string;
  models?: string[];
  actions?: ErrorActionName[];
}

const actionLabels: Record<ErrorActionName, string> = { setApiKey: 'Set API Key', selectModel: 'Select Model', openSettings: 'Open Settings', retry: 'Try Again' };

/** Lists the endpoint's models and says, in one line, whether answers can come from it and what to do if not. */
export async function checkConnection(secrets: vscode.SecretStorage): Promise<ConnectionVerdict> {
  const configured = await configuredEndpoint(secrets);
  if ('error' in configured) { return { ok: false, message: configured.error.message, actions: configured.error.actions }; }
  const { endpoint, info } = configured;
  const models = await endpointModels(endpoint);
  if (!Array.isArray(models)) { return { ok: false, message: models.message, actions: models.actions }; }
  if (endpoint.model && models.length && !models.includes(endpoint.model) && !endpoint.azure) {
    return { ok: false, models, message: `Connected to ${info.endpoint}, but it does not offer the model "${endpoint.model}" (it offers ${models.length}).`, actions: ['selectModel'] };
  }
  const using = endpoint.model || models[0];
  return { ok: true, models, message: `Connected to ${info.endpoint}: ${models.length} model${models.length === 1 ? '' : 's'} offered${using ? `; answers will use ${using}` : ''}.` };
}

async function testConnection(secrets: vscode.SecretStorage): Promise<ConnectionVerdict> {
  const verdict = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Backend Architect: testing the connection…' }, () => checkConnection(secrets));
  if (verdict.ok) {
    void vscode.window.showInformationMessage(verdict.message);
  } else {
    const choice = await vscode.window.showErrorMessage(verdict.message, ...(verdict.actions ?? []).map(a => actionLabels[a]));
    const action = (Object.keys(actionLabels) as ErrorActionName[]).find(a => actionLabels[a] === choice);
    if (action === 'retry') { return testConnection(secrets); }
    if (action === 'selectModel') { await vscode.commands.executeCommand(Commands.selectModel); }
    else if (action) { await runErrorAction(action); }
  }
  return verdict;
}

/** Select Model: the endpoint's own list, or any id typed in (some servers list nothing useful). */
async function selectModel(secrets: vscode.SecretStorage): Promise<string | undefined> {
  const configured = await configuredEndpoint(secrets);
  let models: string[] = [];
  let note = '';
  if (!('error' in configured)) {
    const listed = await endpointModels(configured.endpoint);
    if (Array.isArray(listed)) { models = listed; } else { note = listed.message; }
  } else if (configured.error.kind !== 'config') {
    note = configured.error.message;
  }
  const current = config().get<string>(Settings.model, '');
  type Item = vscode.QuickPickItem & { id?: string };
  const items: Item[] = models.map(id => ({ label: id === current ? `$(check) ${id}` : id, id }));
  items.push({ label: '$(edit) Enter a model id…', alwaysShow: true });
  const pick = await vscode.window.showQuickPick(items, {
    title: currentProvider() === 'azure' ? 'Select Model (Azure: the deployment name)' : 'Select Model',
    placeHolder: note ? `Could not list models: ${note}` : `${models.length} models offered by the endpoint`,
    matchOnDescription: true,
  });
  if (!pick) { return undefined; }
  const id = pick.id ?? (await vscode.window.showInputBox({ title: 'Model id', value: current, prompt: 'Exactly as the endpoint expects it, e.g. gpt-4.1 or llama3.1:8b', validateInput: v => v.trim() ? undefined : 'Enter a model id.' }))?.trim();
  if (!id) { return undefined; }
  await config().update(Settings.model, id, target);
  return id;
}

/** Select Model Provider: preset, base URL where needed, key where needed, then a connection test. */
async function selectProvider(secrets: vscode.SecretStorage): Promise<void> {
  const current = currentProvider();
  type Item = vscode.QuickPickItem & { id: ProviderId };
  const items: Item[] = (Object.keys(providerPresets) as ProviderId[]).map(id => {
    const p = providerPresets[id];
    return { id, label: `${id === current ? '$(check) ' : ''}${p.label}`, description: p.baseURL || 'you give the URL', detail: p.needsKey ? 'Needs an API key' : p.local ? 'Runs on your machine; no key' : 'Key optional' };
  });
  const pick = await vscode.window.showQuickPick(items, { title: 'Select Model Provider', placeHolder: 'Where should answers come from?' });
  if (!pick) { return; }
  const preset = providerPresets[pick.id];
  let baseURL = '';
  if ((!preset.baseURL || pick.id === 'custom') && pick.id !== 'vscode-lm') {
    const entered = await vscode.window.showInputBox({
      title: `${preset.label}: base URL`,
      prompt: pick.id === 'azure' ? 'The resource endpoint, e.g. https://NAME.openai.azure.com' : 'The OpenAI-compatible API root, usually ending in /v1',
      value: pick.id === current ? config().get<string>(Settings.baseURL, '') : '',
      ignoreFocusOut: true,
      validateInput: v => originOf(v.trim()) ? undefined : 'Enter an http:// or https:// URL.',
    });
    if (!entered) { return; }
    baseURL = entered.trim();
  }
  await config().update(Settings.provider, pick.id, target);
  await config().update(Settings.baseURL, baseURL || undefined, target);
  if (pick.id !== current) { await config().update(Settings.model, undefined, target); }
  clearModelCache();
  const origin = originOf(baseURL || preset.baseURL);
  if (preset.needsKey && origin && !(await secrets.get(`apiKey:${origin}`))) {
    await vscode.commands.executeCommand(Commands.setApiKey);
  }
  if (pick.id === 'azure') { await selectModel(secrets); }
  await testConnection(secrets);
}

export function registerProviderCommands(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.selectProvider, () => selectProvider(context.secrets)),
    vscode.commands.registerCommand(Commands.selectModel, () => selectModel(context.secrets)),
    vscode.commands.registerCommand(Commands.testConnection, (args?: { quiet?: boolean }) => args?.quiet ? checkConnection(context.secrets) : testConnection(context.secrets)),
  );
}
