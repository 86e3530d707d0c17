/** Every id the extension contributes, mirrored from package.json in one place. */
export const Commands = {
  designBackend: 'backendArchitect.designBackend',
  reviewArchitecture: 'backendArchitect.reviewArchitecture',
  openChat: 'backendArchitect.openChat',
  newChat: 'backendArchitect.newChat',
  selectAgent: 'backendArchitect.selectAgent',
  setApiKey: 'backendArchitect.setApiKey',
  newAgent: 'backendArchitect.newAgent',
  selectProvider: 'backendArchitect.selectProvider',
  selectModel: 'backendArchitect.selectModel',
  testConnection: 'backendArchitect.testConnection',
  showLog: 'backendArchitect.showLog',
  acceptProposed: 'backendArchitect.acceptProposed',
  undoLastWrite: 'backendArchitect.undoLastWrite',
  showContext: 'backendArchitect.showContext',
  clearFindings: 'backendArchitect.clearFindings',
  showHistory: 'backendArchitect.showHistory',
  clearHistory: 'backendArchitect.clearHistory',
  checkDrift: 'backendArchitect.checkDrift',
  /** Internal (quick fixes of the drift entries): not in the Command Palette. */
  openDriftLocation: 'backendArchitect.openDriftLocation',
  addToSpec: 'backendArchitect.addToSpec',
  /** Buttons under an `@architect` answer in VS Code's Chat view (not in the palette: they need the answer's ids). */
  chatArtifactAction: 'backendArchitect.chat.artifactAction',
  chatOpenInPanel: 'backendArchitect.chat.openInPanel',
  chatWriteAll: 'backendArchitect.chat.writeAll',
  chatErrorAction: 'backendArchitect.chat.errorAction',
} as const;

/** What the extension adds to VS Code's own Chat view and language-model APIs (package.json mirrors these). */
export const ChatIds = {
  /** `@architect`. */
  participant: 'backendArchitect.architect',
  /** Vendor of the models the configured endpoint offers in the Chat view's model picker. */
  vendor: 'backend-architect',
  /** The MCP server definition provider (`contributes.mcpServerDefinitionProviders`). */
  mcpProvider: 'backendArchitect.mcpServers',
  /** Prefix of the language-model tools' names: `backendArchitect_validate_openapi`, ... */
  toolPrefix: 'backendArchitect_',
} as const;

export const Views = {
  container: 'backendArchitect',
  chat: 'backendArchitect.chat',
  /** viewType of the Design / Review editor panels (also the serializer key). */
  answerPanel: 'backendArchitect.answer',
} as const;

export const ConfigSection = 'backendArchitect';

export const Settings = {
  provider: 'provider',
  baseURL: 'baseURL',
  model: 'model',
  headers: 'headers',
  requestTimeoutSeconds: 'requestTimeoutSeconds',
  defaultAgent: 'defaultAgent',
  agentFolders: 'agentFolders',
  modelMap: 'modelMap',
  azureApiVersion: 'azureApiVersion',
  contextTokenBudget: 'contextTokenBudget',
  toolRounds: 'toolRounds',
  toolResultTokenBudget: 'toolResultTokenBudget',
  driftOnSave: 'driftOnSave',
} as const;

/** Defaults of the tool budget settings (package.json says the same). */
export const ToolDefaults = { rounds: 8, resultTokens: 32_000 } as const;

/** Storage keys (workspaceState / globalState). */
export const StateKeys = {
  chatTranscript: 'backendArchitect.chat.transcript',
  chatAgent: 'backendArchitect.chat.agent',
  panels: 'backendArchitect.panels',
  contextChoices: 'backendArchitect.context.choices',
  /** History id of the chat conversation now in the chat view (a New Chat starts another). */
  chatHistoryId: 'backendArchitect.chat.historyId',
} as const;

/** Environment variable `npm start` sets to the demo server's base URL, so the UI can label its answers as recorded. */
export const DemoEnv = 'BACKEND_ARCHITECT_DEMO_URL';
