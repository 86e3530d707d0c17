/**
 * Route extraction over a set of files: each file goes to the extractor of its language and framework,
 * routers mounted across files are resolved through one graph, and every route comes out with its full
 * path in OpenAPI syntax. Pure: takes texts, returns routes and notes.
 */
import { RouteGraph } from './graph';
import { langOf, prepareSource, type SourceText } from './lexer';
import { toOpenApiPath } from './paths';
import type { CodeRoute, DriftNote, Framework } from './types';
import { collectConstants, makeLookup, type Constants, type Lookup } from './values';
import { note, type ExtractContext } from './extract/context';
import { extractNodeRoutes } from './extract/node';
import { extractNestRoutes } from './extract/nest';
import { extractPythonRoutes } from './extract/python';
import { extractDjangoRoutes } from './extract/django';
import { extractSpringRoutes } from './extract/spring';
import { extractAspNetRoutes } from './extract/aspnet';
import { extractGoRoutes } from './extract/go';
import { extractRailsRoutes } from './extract/rails';
import { extractLaravelRoutes } from './extract/laravel';

/** A file to extract from: workspace-relative path and its text. */
export interface RouteFile {
  path: string;
  text: string;
}

/** The routes found, where they came from, and what could not be analysed. */
export interface RouteExtraction {
  routes: CodeRoute[];
  notes: DriftNote[];
  frameworks: Framework[];
  /** Files that declared at least one route or prefix the routes use. */
  inputs: string[];
}

type Extractor = (src: SourceText, ctx: ExtractContext) => void;

/** Which extractor reads a file, judged by its language, path and a cheap look at its text. */
function extractorFor(src: SourceText): Extractor | undefined {
  const t = src.shape;
  switch (src.lang) {
    case 'js':
      if (/@Controller\s*\(/.test(t)) { return extractNestRoutes; }
      if (/\bsetGlobalPrefix\s*\(/.test(t)) { return extractNestRoutes; }
      return /\.\s*(?:get|post|put|patch|delete|del|all|use|route|register|head|options|prefix)\s*\(|\bRouter\s*\(|\bexpress\s*\(|astify\s*\(|\bnew\s+Koa\b/.test(t) ? extractNodeRoutes : undefined;
    case 'python':
      if (/\burlpatterns\b|\.register\s*\(\s*r?['"]/.test(src.code)) { return extractDjangoRoutes; }
      return /@\w+\.(?:route|get|post|put|patch|delete|head|options|api_route)\s*\(|\.(?:include_router|register_blueprint|add_url_rule|add_api_route|add_resource|mount)\s*\(|\b(?:APIRouter|Blueprint|FastAPI|Flask)\s*\(/.test(t) ? extractPythonRoutes : undefined;
    case 'java':
      return /@(?:RestController|Controller|RequestMapping|GetMapping|PostMapping|PutMapping|DeleteMapping|PatchMapping)\b/.test(t) ? extractSpringRoutes : undefined;
    case 'csharp':
      return /\[\s*(?:Http(?:Get|Post|Put|Delete|Patch|Head|Options)|Route|AcceptVerbs)\b|\.Map(?:Get|Post|Put|Delete|Patch|Methods|Group)\s*\(|UsePathBase\s*\(/.test(t) ? extractAspNetRoutes : undefined;
    case 'go':
      // Any file importing a router package: main.go may only make the router and hand it to other packages.
      return /"(?:github\.com\/(?:gin-gonic\/gin|labstack\/echo[^"]*|go-chi\/chi[^"]*|gorilla\/mux)|net\/http)"/.test(src.code)
        || /\.\s*(?:GET|POST|PUT|PATCH|DELETE|Any|Handle|HandleFunc|Get|Post|Put|Patch|Delete|Group|Route|Mount)\s*\(/.test(t) ? extractGoRoutes : undefined;
    case 'ruby':
      return /(^|\/)config\/routes(\.rb|\/[^/]+\.rb)$/.test(src.path) ? extractRailsRoutes : undefined;
    case 'php':
      return /(^|\/)routes\/[^/]+\.php$|(^|\/)app\/Providers\/RouteServiceProvider\.php$|(^|\/)bootstrap\/app\.php$/.test(src.path) ? extractLaravelRoutes : undefined;
    default:
      return undefined;
  }
}

/** Options for extractRoutes. */
export interface ExtractOptions {
  /** Every listed path (read or not), for module resolution. Defaults to the files given. */
  listed?: readonly string[];
  /** Spring-style properties read from application.properties / application.yml. */
  properties?: ReadonlyMap<string, string>;
}

/** Extracts the routes every file declares, with prefixes resolved across files. */
export function extractRoutes(files: readonly RouteFile[], options: ExtractOptions = {}): RouteExtraction {
  const sources = new Map<string, SourceText>();
  for (const f of files) {
    const lang = langOf(f.path);
    if (lang) { sources.set(f.path, prepareSource(f.path, f.text, lang)); }
  }
  const project: Constants = new Map();
  const fileConstants = new Map<string, Constants>();
  for (const src of sources.values()) { fileConstants.set(src.path, collectConstants(src)); }
  for (const consts of fileConstants.values()) {
    for (const [k, v] of consts) {
      const set = project.get(k) ?? new Set<string>();
      for (const x of v) { set.add(x); }
      project.set(k, set);
    }
  }
  const lookups = new Map<string, Lookup>();
  const listed = [...(options.listed ?? files.map(f => f.path))].sort();
  const listedSet = new Set(listed);
  const ctx: ExtractContext = {
    graph: new RouteGraph(),
    routes: [],
    notes: [],
    sources,
    paths: listed,
    exists: p => listedSet.has(p),
    properties: options.properties ?? new Map(),
    lookup: src => {
      let l = lookups.get(src.path);
      if (!l) { l = makeLookup(fileConstants.get(src.path) ?? new Map(), project); lookups.set(src.path, l); }
      return l;
    },
  };
  for (const src of sources.values()) {
    const extractor = extractorFor(src);
    if (!extractor) { continue; }
    try {
      extractor(src, ctx);
    } catch (err) {
      note(ctx, src.path, undefined, `Routes in this file could not be read (${(err as Error).message}).`);
    }
  }
  const resolved = ctx.graph.resolve();
  const routes: CodeRoute[] = [];
  const seen = new Set<string>();
  for (const r of [...ctx.routes, ...resolved.routes]) {
    const path = toOpenApiPath(r.path);
    if (path === undefined) { continue; }
    const key = `${r.method} ${path} ${r.file}:${r.line}`;
    if (seen.has(key)) { continue; }
    seen.add(key);
    routes.push({ ...r, path });
  }
  routes.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  const frameworks = [...new Set(routes.map(r => r.framework))];
  const inputs = new Set(routes.map(r => r.file));
  for (const e of ctx.graph.edges) { if (e.prefix) { inputs.add(e.file); } }
  return { routes, notes: [...ctx.notes, ...resolved.notes], frameworks, inputs: [...inputs].sort() };
}
