// Activation cost of the production host bundle: time to load dist/extension.js and run activate(), and
// what activate() touched (file reads, network). The editor is replaced by a recording stand-in here:
// this measures our own code's start-up work, not VS Code's.
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist/extension.js');

/** A stand-in for the `vscode` module whose every function records that it was called and returns a disposable. */
function recordingVscode(calls) {
  const handler = {
    get(target, prop) {
      if (prop === 'then') { return undefined; }
      if (!(prop in target)) {
        const name = `${target.__path}.${String(prop)}`;
        const fn = function (...args) { calls.push(name); return new Proxy({ __path: `${name}()`, dispose() {} }, handler); };
        fn.__path = name;
        target[prop] = new Proxy(fn, { ...handler, apply: (t, self, args) => t(...args) });
      }
      return target[prop];
    },
  };
  return new Proxy({ __path: 'vscode' }, handler);
}

const calls = [];
const inner = recordingVscode(calls);
// A plain object with the API's namespaces as own properties: the bundle's CommonJS interop copies own keys.
const apiNames = ['window', 'workspace', 'commands', 'languages', 'env', 'lm', 'chat', 'extensions', 'Uri', 'Range', 'Position',
  'Diagnostic', 'DiagnosticSeverity', 'ProgressLocation', 'ConfigurationTarget', 'ViewColumn', 'ThemeIcon', 'EventEmitter',
  'CancellationTokenSource', 'LanguageModelChatMessage', 'LanguageModelError', 'WorkspaceEdit', 'RelativePattern', 'FileType', 'Disposable'];
const fake = Object.fromEntries(apiNames.map(n => [n, inner[n]]));
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? fake : load.call(this, request, ...rest); };
const fsCalls = [];
for (const name of ['readFileSync', 'readdirSync', 'statSync', 'existsSync', 'readFile', 'readdir']) {
  const orig = fs[name];
  fs[name] = function (...args) { fsCalls.push(`${name}(${String(args[0]).replace(root, '.')})`); return orig.apply(this, args); };
}

const t0 = performance.now();
const ext = await import(bundle);
const t1 = performance.now();
const context = { subscriptions: [], extensionUri: { fsPath: root, path: root, scheme: 'file', toString: () => `file://${root}` }, secrets: {}, workspaceState: {}, globalState: {}, extensionMode: 1 };
ext.activate(context);
const t2 = performance.now();
const fsDuringActivate = fsCalls.filter(c => !c.includes('node_modules'));
console.log(`activation: load ${(t1 - t0).toFixed(1)} ms + activate() ${(t2 - t1).toFixed(2)} ms; ` +
  `${calls.length} vscode API calls, ${fsDuringActivate.length} file-system calls${fsDuringActivate.length ? ` (${fsDuringActivate.slice(0, 5).join(', ')})` : ''}`);
