// Lint: the layering of the code as rules, plus the TypeScript checks that catch real bugs (floating promises).
//
// The layers (ARCHITECTURE.md, "Folders"):
// - pure core: every file under src/ except the edge below. Runs in plain Node (the CLI and the unit tests),
//   so it never imports `vscode` at run time (`import type` is fine: it is erased) and never an edge file;
// - VS Code edge: src/<capability>/vscode/**, src/views/**, src/commands/**, src/extension.ts;
// - inside the core, the capabilities agents, artifacts, context and llm sit below design: they never
//   import design/, views/ or commands/; design never imports views/ or commands/;
// - webview/ is browser code: from src/ it takes only the message protocol.
// The CLI is pure code, so it never reaches an edge file; the CLI bundle, built with `vscode` unresolvable,
// proves it again at build time.
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export const edgeFiles = ['src/*/vscode/**', 'src/views/**', 'src/commands/**', 'src/extension.*'];
// mcp/ and chat/ are not listed: their edges (language-model tools, @architect) use the views' mermaid bridge
// and the Design panels, as the commands do; their pure files still never import vscode or an edge file.
const capabilities = ['agents', 'artifacts', 'context', 'drift', 'llm', 'tools'];

/** Lower capabilities never reach up into design/ or the screen; design never reaches the screen. */
const layerZones = [
  ...capabilities.map(c => ({
    target: `src/${c}`,
    from: ['src/design', 'src/views', 'src/commands'],
    message: `${c}/ sits below design/ and the views: move the shared type down into ${c}/types.ts, or receive it as an interface.`,
  })),
  { target: 'src/design', from: ['src/views', 'src/commands'], message: 'The session must not know the screen: receive what it needs from a view as an interface (design/types.ts).' },
];

const vscodeAtRunTime = {
  name: 'vscode',
  allowTypeImports: true,
  message: 'Pure code runs in the CLI and in plain Node: only files in a vscode/ folder, views/, commands/ and extension.ts may import `vscode` (import type is fine).',
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.tools/**', '.vscode-test/**', 'sample-workspace/**', 'test/fixtures/**', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'webview/**/*.ts', 'test/**/*.ts'],
    plugins: { 'import-x': importX },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    settings: {
      // Without these, import-x treats .ts files as unparseable and sees no cycle through them.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json', '.node'] })],
    },
    rules: {
      // A promise nobody awaits loses its error: the person sees nothing and the log says nothing.
      '@typescript-eslint/no-floating-promises': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Pure core.
    files: ['src/**/*.ts'],
    ignores: edgeFiles,
    rules: {
      'no-restricted-imports': ['error', { paths: [vscodeAtRunTime] }],
      'import-x/no-restricted-paths': ['error', {
        zones: [
          { target: 'src', from: edgeFiles, message: 'Pure code must not import the VS Code edge: pass what it needs in as an interface.' },
          ...layerZones,
        ],
      }],
    },
  },
  {
    // A capability's own edge keeps the capability's place in the layers.
    files: ['src/*/vscode/**/*.ts'],
    rules: { 'import-x/no-restricted-paths': ['error', { zones: layerZones }] },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'Webview code runs in a browser; it talks to the host through messages.' }],
        patterns: [{ group: ['@vscode/webview-ui-toolkit', '@vscode/webview-ui-toolkit/*'], message: 'Controls come from webview/ui/toolkit.ts, so the toolkit can be swapped in one place.' }],
      }],
      'import-x/no-restricted-paths': ['error', {
        zones: [{ target: 'webview', from: 'src', except: ['./protocol.ts'], message: 'The webview takes nothing from src/ but the message protocol (src/protocol.ts).' }],
      }],
    },
  },
  {
    // The one place that loads the toolkit (webview/ui/toolkit.ts makes the controls).
    files: ['webview/ui/register.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Webview code runs in a browser.' }] }] },
  },
);
