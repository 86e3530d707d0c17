/**
 * Rails `config/routes.rb` (and files it `draw`s): `scope`, `namespace`, `resources`/`resource` with `only`,
 * `except`, `param`, `path` and nesting, `member`/`collection` blocks and `on:`, verb routes, `match ... via:`,
 * `root`, `concern`/`concerns`, and Devise's `devise_for` (routes of the modules the model enables).
 * Statements are read into a tree of `do ... end` blocks, then evaluated with a stack of prefixes.
 * `mount`ed engines and Devise's omniauth callbacks are reported as not analysed.
 */
import type { SourceText } from '../lexer';
import { joinPaths } from '../paths';
import type { HttpMethod } from '../types';
import { note, type ExtractContext } from './context';

interface Stmt { text: string; line: number; children?: Stmt[] }

/** Where a block's statements land: the path so far, and what a bare verb or `member`/`collection` means here. */
interface Frame {
  prefix: string;
  /** Inside `resources`: nested routes go under `/:x_id`; member under `/:id`. */
  resource?: { collection: string; member: string; nested: string };
  /** Inside `member do`/`collection do`: verbs go straight here. */
  direct?: boolean;
}

type Value = string | string[] | Map<string, Value> | undefined;

const ACTIONS: { action: string; method: HttpMethod; path: (m: string) => string; plural: boolean; singular: boolean }[] = [
  { action: 'index', method: 'GET', path: () => '', plural: true, singular: false },
  { action: 'create', method: 'POST', path: () => '', plural: true, singular: true },
  { action: 'new', method: 'GET', path: () => 'new', plural: true, singular: true },
  { action: 'edit', method: 'GET', path: m => `${m}/edit`, plural: true, singular: true },
  { action: 'show', method: 'GET', path: m => m, plural: true, singular: true },
  { action: 'update', method: 'PATCH', path: m => m, plural: true, singular: true },
  { action: 'update', method: 'PUT', path: m => m, plural: true, singular: true },
  { action: 'destroy', method: 'DELETE', path: m => m, plural: true, singular: true },
];

/** Adds the routes of a Rails routes file (files under config/routes/ are read when `draw`n). */
export function extractRailsRoutes(src: SourceText, ctx: ExtractContext): void {
  if (!/(^|\/)config\/routes\.rb$/.test(src.path)) { return; }
  const run = new Runner(ctx);
  run.block(statements(src), { prefix: '' }, src);
}

/** The statements of a file as a tree: a statement ending in `do` owns the statements up to its `end`. */
function statements(src: SourceText): Stmt[] {
  const root: Stmt[] = [];
  const stack: Stmt[][] = [root];
  const lines = src.code.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const first = i;
    let text = lines[i];
    // Continuations: a trailing comma, backslash or operator, or brackets left open.
    while (i + 1 < lines.length && (/[,\\(\[{]\s*$|=>\s*$/.test(text) || depth(text) > 0)) { text += ` ${lines[++i].trim()}`; }
    const t = text.trim();
    if (t === '') { continue; }
    if (/^end\b/.test(t)) {
      if (stack.length > 1) { stack.pop(); }
      continue;
    }
    const stmt: Stmt = { text: t, line: first + 1 };
    stack[stack.length - 1].push(stmt);
    if (/\bdo(\s*\|[^|]*\|)?$/.test(t) || /^(if|unless|case|begin|while|until|def|class|module)\b/.test(t)) {
      stmt.children = [];
      stmt.text = t.replace(/\s*\bdo(\s*\|[^|]*\|)?$/, '');
      stack.push(stmt.children);
    }
  }
  return root;
}

function depth(text: string): number {
  let d = 0;
  for (const c of text.replace(/(['"])(?:\\.|(?!\1).)*\1/g, '')) { if ('([{'.includes(c)) { d++; } else if (')]}'.includes(c)) { d--; } }
  return d;
}

class Runner {
  private readonly concerns = new Map<string, Stmt[]>();
  private drawn = 0;
  constructor(private readonly ctx: ExtractContext) {}

  block(stmts: Stmt[], frame: Frame, src: SourceText): void {
    for (const s of stmts) { this.statement(s, frame, src); }
  }

  private add(src: SourceText, line: number, method: HttpMethod, path: string, group?: string): void {
    this.ctx.routes.push({ method, path, file: src.path, line, framework: 'Rails', ...(group ? { group } : {}) });
  }

  private statement(s: Stmt, frame: Frame, src: SourceText): void {
    const m = /^([a-z_]+)\b\s*\(?\s*(.*?)\)?\s*$/s.exec(s.text);
    if (!m) { if (s.children) { this.block(s.children, frame, src); } return; }
    const [, verb, rest] = m;
    const args = parseArgs(rest);
    const opts = args.find((a): a is Map<string, Value> => a instanceof Map) ?? new Map<string, Value>();
    const names = args.filter((a): a is string => typeof a === 'string');
    const children = s.children ?? [];
    switch (verb) {
      case 'scope':
        this.block(children, { prefix: joinPaths(frame.prefix, str(opts.get('path')) ?? names[0] ?? '') }, src);
        return;
      case 'namespace':
        this.block(children, { prefix: joinPaths(frame.prefix, str(opts.get('path')) ?? names[0] ?? '') }, src);
        return;
      case 'resources':
      case 'resource':
        for (const name of names) { this.resource(s, src, frame, name, opts, verb === 'resources', children); }
        return;
      case 'member':
      case 'collection':
        if (frame.resource) { this.block(children, { prefix: verb === 'member' ? frame.resource.member : frame.resource.collection, direct: true }, src); }
        return;
      case 'get': case 'post': case 'put': case 'patch': case 'delete': case 'match':
        this.verb(s, src, frame, verb, args, opts);
        return;
      case 'root':
        this.add(src, s.line, 'GET', joinPaths(frame.prefix, ''));
        return;
      case 'concern':
        if (names[0]) { this.concerns.set(names[0], children); }
        return;
      case 'concerns':
        for (const n of names) { this.block(this.concerns.get(n) ?? [], frame, src); }
        return;
      case 'draw':
        this.draw(src, s.line, frame, names[0]);
        return;
      case 'devise_for':
        for (const name of names) { this.devise(src, s.line, frame, name, opts); }
        return;
      case 'mount':
        note(this.ctx, src.path, s.line, 'A mounted engine or app was not analysed.');
        return;
      default:
        // constraints, defaults, controller, with_options, scope-like helpers and plain Ruby: their blocks still hold routes.
        this.block(children, frame, src);
    }
  }

  private resource(s: Stmt, src: SourceText, frame: Frame, name: string, opts: Map<string, Value>, plural: boolean, children: Stmt[]): void {
    const segment = str(opts.get('path')) ?? name;
    const param = str(opts.get('param')) ?? 'id';
    const base = joinPaths(frame.resource && !frame.direct ? frame.resource.nested : frame.prefix, segment);
    const member = plural ? joinPaths(base, `:${param}`) : base;
    const only = list(opts.get('only'));
    const except = list(opts.get('except')) ?? [];
    const group = `${src.path}:${s.line}:${name}`;
    for (const a of ACTIONS) {
      if (!(plural ? a.plural : a.singular) || (only && !only.includes(a.action)) || except.includes(a.action)) { continue; }
      const rel = a.path(plural ? `:${param}` : '');
      this.add(src, s.line, a.method, joinPaths(base, rel), a.action === 'update' ? group : undefined);
    }
    for (const c of list(opts.get('concerns')) ?? []) { children = [...(this.concerns.get(c) ?? []), ...children]; }
    const nested = plural ? joinPaths(base, `:${singular(name)}_${param}`) : base;
    this.block(children, { prefix: base, resource: { collection: base, member, nested } }, src);
  }

  private verb(s: Stmt, src: SourceText, frame: Frame, verb: string, args: Value[], opts: Map<string, Value>): void {
    let path = typeof args[0] === 'string' ? args[0] : undefined;
    if (path === undefined) {
      // `get 'photos/search' => 'photos#search'`: the path is the hash's first key.
      const first = args[0] instanceof Map ? [...args[0].keys()][0] : undefined;
      path = first && !/^(to|on|via|as|controller|action|constraints|defaults|format)$/.test(first) ? first : undefined;
    }
    if (path === undefined) { return; }
    const on = str(opts.get('on'));
    const where = frame.resource && !frame.direct
      ? on === 'member' ? frame.resource.member : on === 'collection' ? frame.resource.collection : frame.resource.nested
      : frame.prefix;
    const methods: HttpMethod[] = verb === 'match'
      ? (list(opts.get('via')) ?? ['get']).map(v => (v === 'all' ? 'ALL' : v.toUpperCase() as HttpMethod))
      : [verb.toUpperCase() as HttpMethod];
    for (const method of methods) { this.add(src, s.line, method, joinPaths(where, path)); }
  }

  private draw(src: SourceText, line: number, frame: Frame, name: string | undefined): void {
    const file = name && `config/routes/${name}.rb`;
    const other = file ? [...this.ctx.sources.values()].find(x => x.path === file || x.path.endsWith(`/${file}`)) : undefined;
    if (!other || ++this.drawn > 50) { note(this.ctx, src.path, line, `The routes file drawn here (${name ?? '?'}) was not found: not analysed.`); return; }
    this.block(statements(other), frame, other);
  }

  /** Devise's routes for the modules the model turns on (`devise :database_authenticatable, :registerable, ...`). */
  private devise(src: SourceText, line: number, frame: Frame, name: string, opts: Map<string, Value>): void {
    const model = [...this.ctx.sources.values()].find(x => x.path.endsWith(`app/models/${singular(name)}.rb`));
    const declared = model && /^\s*devise\s+((?:[^\n]*,\s*\n)*[^\n]*)/m.exec(model.code)?.[1];
    const modules = new Set(declared ? [...declared.matchAll(/:(\w+)/g)].map(x => x[1]) : ['database_authenticatable', 'registerable', 'recoverable']);
    if (!declared) { note(this.ctx, src.path, line, `Devise's modules for ${name} were not found in the model: the default ones were assumed.`); }
    const base = joinPaths(frame.prefix, str(opts.get('path')) ?? name);
    const names = opts.get('path_names') instanceof Map ? opts.get('path_names') as Map<string, Value> : new Map<string, Value>();
    const pn = (k: string, d: string): string => str(names.get(k)) ?? d;
    const skip = new Set(list(opts.get('skip')) ?? []);
    const only = list(opts.get('only'));
    const on = (c: string): boolean => !skip.has(c) && (!only || only.includes(c));
    const add = (method: HttpMethod, path: string, group?: string): void => this.add(src, line, method, joinPaths(base, path), group);
    if (modules.has('database_authenticatable') && on('sessions')) {
      add('GET', pn('sign_in', 'sign_in'));
      add('POST', pn('sign_in', 'sign_in'));
      add('DELETE', pn('sign_out', 'sign_out'));
    }
    if (modules.has('recoverable') && on('passwords')) {
      const p = pn('password', 'password');
      add('GET', `${p}/new`);
      add('GET', `${p}/edit`);
      add('PATCH', p, `${src.path}:${line}:password`);
      add('PUT', p, `${src.path}:${line}:password`);
      add('POST', p);
    }
    if (modules.has('registerable') && on('registrations')) {
      const r = pn('registration', '');
      add('GET', joinPaths(r, pn('cancel', 'cancel')));
      add('GET', joinPaths(r, pn('sign_up', 'sign_up')));
      add('GET', joinPaths(r, pn('edit', 'edit')));
      add('PATCH', r, `${src.path}:${line}:registration`);
      add('PUT', r, `${src.path}:${line}:registration`);
      add('DELETE', r);
      add('POST', r);
    }
    for (const [mod, ctl, seg] of [['confirmable', 'confirmations', 'confirmation'], ['lockable', 'unlocks', 'unlock']]) {
      if (!modules.has(mod) || !on(ctl)) { continue; }
      const p = pn(seg, seg);
      add('GET', `${p}/new`);
      add('GET', p);
      add('POST', p);
    }
    if (modules.has('omniauthable')) { note(this.ctx, src.path, line, 'Devise omniauth callback routes were not analysed.'); }
  }
}

/** Ruby call arguments: symbols and strings as strings, arrays (`[...]`, `%i[]`, `%w[]`) as lists, `k: v` and `k => v` as a map. */
function parseArgs(text: string): Value[] {
  const items = splitTop(text);
  const out: Value[] = [];
  let hash: Map<string, Value> | undefined;
  for (const item of items) {
    const kv = /^(?::?(\w+):(?!:)|:?(\w+)\s*=>|(['"])(.*?)\3\s*(?:=>|:(?!:)))\s*(.*)$/s.exec(item);
    if (kv) {
      hash ??= new Map();
      hash.set(kv[1] ?? kv[2] ?? kv[4], value(kv[5]));
    } else {
      out.push(value(item));
    }
  }
  if (hash) { out.push(hash); }
  return out;
}

function value(text: string): Value {
  const t = text.trim();
  const s = /^(?::(\w+)|(['"])(.*?)\2)$/.exec(t);
  if (s) { return s[1] ?? s[3]; }
  const words = /^%[iwIW][[({](.*)[\])}]$/.exec(t);
  if (words) { return words[1].trim().split(/\s+/); }
  if (t.startsWith('[') && t.endsWith(']')) { return splitTop(t.slice(1, -1)).map(x => str(value(x)) ?? x); }
  if (t.startsWith('{') && t.endsWith('}')) { return (parseArgs(t.slice(1, -1)).find(x => x instanceof Map) as Map<string, Value>) ?? new Map(); }
  return undefined;
}

/** Splits at top-level commas, respecting brackets and strings. */
function splitTop(text: string): string[] {
  const out: string[] = [];
  let d = 0;
  let from = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) { if (c === '\\') { i++; } else if (c === quote) { quote = ''; } continue; }
    if (c === '\'' || c === '"') { quote = c; continue; }
    if ('([{'.includes(c)) { d++; } else if (')]}'.includes(c)) { d--; } else if (c === ',' && d === 0) { out.push(text.slice(from, i).trim()); from = i + 1; }
  }
  if (text.slice(from).trim()) { out.push(text.slice(from).trim()); }
  return out;
}

function str(v: Value): string | undefined { return typeof v === 'string' ? v : undefined; }
function list(v: Value): string[] | undefined { return typeof v === 'string' ? [v] : Array.isArray(v) ? v : undefined; }

/** English singular, good enough for resource names (articles → article, categories → category). */
export function singular(word: string): string {
  if (/ies$/.test(word)) { return word.replace(/ies$/, 'y'); }
  if (/(ss|x|ch|sh)es$/.test(word)) { return word.replace(/es$/, ''); }
  if (/ss$/.test(word)) { return word; }
  return word.replace(/s$/, '');
}
