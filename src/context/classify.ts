/**
 * What a path is, judged by its name alone: something never to read (dependencies, build output,
 * binaries, lock files, secrets) or a file with a role in the backend (manifest, routes, data model,
 * migration, spec, deployment...) and a score for how much it tells a reader. Names only, so the
 * whole listing of a large monorepo is ranked before a single file is opened. Pure: no I/O.
 */
import { isEnvTemplate, secretFileReason } from './secrets';

/** What a file is for, as far as a reviewer of the backend is concerned. */
export type FileRole =
  | 'manifest' | 'entry' | 'route' | 'model' | 'migration' | 'spec' | 'deployment'
  | 'config' | 'docs' | 'source' | 'test' | 'other';

/** A file's role, its score (0–100, higher is read first) and the reason shown to the person. */
export interface PathClass {
  role: FileRole;
  score: number;
  reason: string;
}

/** Why a path is not read, and the folder to report it under when a whole folder is skipped. */
export interface SkipReason {
  why: string;
  /** The skipped folder with a trailing '/', so one line stands for all of its files. */
  group?: string;
}

const VENDORED = new Set(['node_modules', 'bower_components', 'jspm_packages', 'vendor', 'third_party', 'third-party',
  'thirdparty', 'pods', 'carthage', '.bundle', 'site-packages', '__pypackages__', '.venv', 'venv', 'virtualenv',
  '.virtualenv', 'elm-stuff', 'deps', '.pnpm-store', '.yarn']);
// Not `bin`: Express apps start in bin/www. .NET's build output in bin/ is caught by its Debug/Release folders.
const GENERATED = new Set(['dist', 'build', 'out', 'target', 'obj', 'coverage', '.nyc_output', 'htmlcov',
  '.next', '.nuxt', '.svelte-kit', '.angular', '.output', '.vercel', '.netlify', '.serverless', '.aws-sam',
  '.terraform', '__generated__', 'generated', 'tmp', 'temp', '.tmp', 'log', 'logs']);
const TOOLING = new Set(['.git', '.hg', '.svn', '.idea', '.vscode', '.vs', '.gradle', '.mvn', '.cache', '.pytest_cache',
  '.mypy_cache', '.ruff_cache', '.tox', '.nox', '__pycache__', '.turbo', '.parcel-cache', '.dart_tool', '.eggs',
  '.sass-cache', '.docusaurus', '.expo', '.history']);

const LOCK_FILES = /^(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.ya?ml|bun\.lockb?|poetry\.lock|Pipfile\.lock|pdm\.lock|uv\.lock|Gemfile\.lock|go\.sum|go\.work\.sum|composer\.lock|Cargo\.lock|mix\.lock|packages\.lock\.json|gradle\.lockfile|flake\.lock|Podfile\.lock|pubspec\.lock|conda-lock\.ya?ml|[^/]*\.lock)$/i;
const GENERATED_NAMES = /(\.min\.(js|css|mjs)|\.map|\.bundle\.js|\.chunk\.js|\.generated\.[a-z0-9]+|\.g\.(cs|dart)|\.designer\.cs|\.pb\.go|_pb2(_grpc)?\.py|\.pb\.(ts|js)|_generated\.go|\.snap|\.log|\.tsbuildinfo|\.egg-info|\.DS_Store)$/i;
const BINARY_EXT = /\.(png|jpe?g|gif|webp|bmp|ico|icns|tiff?|psd|svg|avif|heic|woff2?|ttf|otf|eot|zip|gz|tgz|bz2|xz|7z|rar|tar|jar|war|ear|aar|whl|egg|nupkg|gem|exe|dll|so|dylib|a|o|obj|lib|class|pyc|pyo|pyd|wasm|node|bin|dat|mp3|mp4|wav|ogg|mov|avi|webm|flac|m4a|pdf|docx?|xlsx?|pptx?|odt|ods|sqlite3?|db|mdb|parquet|avro|orc|feather|npy|npz|pkl|pickle|h5|hdf5|onnx|pt|pth|ckpt|safetensors|iso|dmg|img|swf|fla|blend|fbx)$/i;
const DATA_EXT = /\.(csv|tsv|jsonl|ndjson|xml\.gz|sql\.gz|dump|bak|geojson)$/i;

/**
 * Why a folder (relative path, no trailing slash) is never descended into, or undefined. Used by
 * file walkers to prune, and by the scan for files below such a folder.
 */
export function dirSkipReason(dir: string): string | undefined {
  const name = dir.slice(dir.lastIndexOf('/') + 1).toLowerCase();
  if (VENDORED.has(name)) { return 'vendored or installed dependencies'; }
  if (TOOLING.has(name) || name.endsWith('.egg-info')) { return 'version control, editor or tool cache'; }
  if (GENERATED.has(name)) { return 'build output or generated files'; }
  if (/(^|\/)bin\/(Debug|Release)$/i.test(dir)) { return 'build output or generated files'; }
  if (/(^|\/)storage\/(framework|logs)$/i.test(dir)) { return 'runtime data'; }
  const secret = secretFileReason(`${dir}/x`);
  return secret && secret.includes('folder') ? secret : undefined;
}

/**
 * Why the file at `path` is never read, or undefined when it may be: a skipped folder on its way (reported
 * as that folder), a secret name, then lock files, generated names, binaries and data by name.
 */
export function fileSkipReason(path: string, dirCache?: Map<string, string | null>): SkipReason | undefined {
  // Every folder on the way down is checked; the cache makes that one check per folder, not per file.
  for (let end = path.indexOf('/'); end >= 0; end = path.indexOf('/', end + 1)) {
    const dir = path.slice(0, end);
    let why = dirCache?.get(dir);
    if (why === undefined) {
      why = dirSkipReason(dir) ?? null;
      dirCache?.set(dir, why);
    }
    if (why) { return { why, group: `${dir}/` }; }
  }
  const name = path.slice(path.lastIndexOf('/') + 1);
  const secret = secretFileReason(path);
  if (secret) { return { why: secret }; }
  if (LOCK_FILES.test(name)) { return { why: 'lock file (generated)' }; }
  if (GENERATED_NAMES.test(name)) { return { why: 'minified or generated file' }; }
  if (BINARY_EXT.test(name)) { return { why: 'binary file' }; }
  if (DATA_EXT.test(name)) { return { why: 'data file' }; }
  return undefined;
}

type Row = [FileRole, number, string, RegExp];
interface Rule { role: FileRole; score: number; reason: string; re: RegExp }

// First match wins, so the order matters: specs before tests (spec/openapi.yaml), tests before
// everything else (tests/routes/users.test.ts is a test), migrations before models.
const ROWS: readonly Row[] = [
  ['spec', 92, 'OpenAPI spec', /(openapi|swagger)[^/]*\.(ya?ml|json)$/i],
  ['spec', 86, 'AsyncAPI spec', /asyncapi[^/]*\.(ya?ml|json)$/i],
  ['spec', 74, 'protobuf service definition', /\.proto$/i],
  ['spec', 74, 'GraphQL schema', /\.(graphql|gql|graphqls)$/i],
  ['spec', 68, 'API spec', /\.raml$|(^|\/)(api-?specs?|openapi|swagger)\/[^/]+\.(ya?ml|json)$/i],
  ['test', 12, 'test', /(^|\/)(tests?|__tests__|__mocks__|spec|specs|e2e|testing|fixtures?|testdata|test-data)\/|[._-](test|spec)s?\.[a-z0-9]+$|_test\.go$|Tests?\.(java|kt|cs|php|scala)$|(^|\/)test_[^/]*\.py$|(^|\/)conftest\.py$/i],
  // Package markers say nothing, even inside routers/ or migrations/.
  ['source', 6, 'package marker', /(^|\/)__init__\.py$/],
  ['manifest', 96, 'manifest (npm)', /(^|\/)package\.json$/i],
  ['manifest', 96, 'manifest (Python)', /(^|\/)(pyproject\.toml|setup\.py|setup\.cfg|Pipfile|requirements[^/]*\.(txt|in)|requirements\/[^/]+\.(txt|in))$/i],
  ['manifest', 96, 'manifest (Maven)', /(^|\/)pom\.xml$/i],
  ['manifest', 96, 'build script (Gradle)', /(^|\/)build\.gradle(\.kts)?$/i],
  ['manifest', 60, 'Gradle settings', /(^|\/)settings\.gradle(\.kts)?$|(^|\/)gradle\/libs\.versions\.toml$/i],
  ['manifest', 96, 'manifest (Go)', /(^|\/)go\.(mod|work)$/i],
  ['manifest', 96, 'manifest (Bundler)', /(^|\/)Gemfile$/i],
  ['manifest', 96, 'manifest (Composer)', /(^|\/)composer\.json$/i],
  ['manifest', 96, 'project file (.NET)', /\.(csproj|fsproj|vbproj)$/i],
  ['manifest', 55, 'solution or shared props (.NET)', /\.sln$|(^|\/)Directory\.(Packages|Build)\.props$/i],
  ['manifest', 96, 'manifest (Cargo)', /(^|\/)Cargo\.toml$/i],
  ['manifest', 94, 'manifest', /(^|\/)(mix\.exs|deno\.jsonc?|build\.sbt|pubspec\.yaml)$/i],
  ['deployment', 90, 'docker compose', /(^|\/)(docker-)?compose[^/]*\.ya?ml$/i],
  ['deployment', 85, 'Dockerfile', /(^|\/)(Dockerfile|Containerfile)[^/]*$|\.dockerfile$/i],
  ['deployment', 72, 'Helm chart', /(^|\/)Chart\.ya?ml$|(^|\/)(charts|helm)\/.*\.(ya?ml|tpl)$/i],
  ['deployment', 72, 'Kubernetes manifest', /(^|\/)(k8s|kubernetes|kube|kustomize|manifests|deploy|deployment|deployments|overlays)\/.*\.ya?ml$|(^|\/)kustomization\.ya?ml$|(deployment|service|ingress|statefulset|daemonset|configmap|cronjob|hpa)\.ya?ml$/i],
  ['deployment', 55, 'CI workflow', /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$|(^|\/)(\.gitlab-ci\.yml|Jenkinsfile|azure-pipelines\.ya?ml|bitbucket-pipelines\.yml|cloudbuild\.ya?ml|buildspec\.ya?ml)$|(^|\/)\.circleci\/config\.yml$/i],
  ['deployment', 70, 'deployment config', /(^|\/)(Procfile|fly\.toml|render\.ya?ml|app\.ya?ml|serverless\.ya?ml|vercel\.json|netlify\.toml|railway\.json|heroku\.yml|appspec\.ya?ml|skaffold\.ya?ml|Tiltfile|ecosystem\.config\.[cm]?js|template\.ya?ml|samconfig\.toml|Caddyfile|nginx[^/]*\.conf)$/i],
  ['deployment', 55, 'Terraform', /\.tf$/i],
  ['migration', 35, 'Alembic migration', /(^|\/)alembic\/versions\/[^/]+\.py$/i],
  ['migration', 35, 'Prisma migration', /(^|\/)prisma\/migrations\/.+\.sql$/i],
  ['migration', 35, 'Rails migration', /(^|\/)db\/migrate\/[^/]+\.rb$/i],
  ['migration', 35, 'Laravel migration', /(^|\/)database\/migrations\/[^/]+\.php$/i],
  ['migration', 35, 'Flyway migration', /(^|\/)db\/migration\/.+\.(sql|java|kt)$|(^|\/)V\d+(_\d+)*__[^/]+\.sql$/i],
  ['migration', 35, 'Liquibase changelog', /(^|\/)db\/changelog\/.+\.(xml|ya?ml|json|sql)$|changelog[^/]*\.(xml|ya?ml)$/i],
  ['model', 84, 'EF Core model snapshot', /ModelSnapshot\.cs$/i],
  ['migration', 35, 'EF Core migration', /(^|\/)Migrations\/[^/]+\.cs$/],
  ['migration', 20, 'down migration', /\.down\.sql$/i],
  ['migration', 35, 'migration', /(^|\/)(migrations?|migrate|schema-migrations)\/.+\.(sql|py|rb|php|ts|js|go|java|kt|cs|ex|exs|rs|ya?ml|xml|json)$|\.up\.sql$/i],
  ['model', 94, 'Prisma schema (data model)', /\.prisma$/i],
  ['model', 92, 'Rails schema (data model)', /(^|\/)db\/schema\.rb$/i],
  ['model', 88, 'SQL schema', /(^|\/)(schema|structure|init|ddl|tables)\.sql$/i],
  ['model', 30, 'seed data', /(^|\/)(seeds?|seeders|factories)\//i],
  ['model', 86, 'data model', /(^|\/)models?\.(py|go|ts|js|rb)$|(^|\/)db\/schema\.(ts|js)$|(^|\/)ent\/schema\//i],
  ['model', 84, 'EF Core DbContext', /DbContext\.cs$/i],
  ['model', 80, 'entity (data model)', /(^|\/)(entities|entity)\/|\.entity\.(ts|js)$/i],
  ['model', 80, 'data model', /(^|\/)models?\/[^/]+\.(py|ts|js|mjs|go|rb|php|java|kt|cs|rs|ex|scala)$|\.model\.(ts|js)$/i],
  ['model', 64, 'domain model', /(^|\/)domain\/(model\/)?[^/]+\.(java|kt|cs|scala)$/i],
  ['model', 66, 'MyBatis mapper', /(^|\/)mappers?\/[^/]+\.xml$|Mapper\.xml$/i],
  ['entry', 86, 'entry point', /Application\.(java|kt)$|(^|\/)(Program|Startup)\.cs$/],
  ['entry', 84, 'entry point', /^(?:(?:apps|packages|services)\/[^/]+\/)?(?:src\/)?(main|index|server|app)\.(ts|js|mjs|cjs)$/i],
  ['entry', 84, 'entry point', /^(?:[^/]+\/)?(main|app|asgi|wsgi|manage|__main__|server)\.py$/i],
  ['entry', 84, 'entry point', /(^|\/)cmd\/[^/]+\/main\.go$|^main\.go$|(^|\/)src\/(main|lib)\.rs$/i],
  ['entry', 70, 'application setup', /(^|\/)config\/application\.rb$|(^|\/)config\.ru$|(^|\/)public\/index\.php$|(^|\/)bootstrap\/app\.php$|(^|\/)artisan$|(^|\/)bin\/www$|(^|\/)lib\/[^/]+\/application\.ex$/i],
  ['route', 92, 'routes (Rails)', /(^|\/)config\/routes\.rb$/i],
  ['route', 92, 'routes (Laravel)', /(^|\/)routes\/(api|web|channels)\.php$/i],
  ['route', 86, 'URL routes (Django)', /(^|\/)urls\.py$/i],
  ['route', 82, 'routes', /(^|\/)(routes|routers?|routing)\/[^/]+\.[a-z]+$|[._-](routes?|router)\.[a-z]+$|(^|\/)(routes?|router)\.(ts|js|mjs|cjs|py|go|rb|php|ex)$/i],
  ['route', 80, 'controller', /\.controller\.(ts|js)$|Controller\.(java|kt|cs|php|scala|ts)$|_controller\.(rb|py|ex)$|(^|\/)controllers?\/[^/]+\.[a-z]+$/i],
  ['route', 76, 'views (Django)', /(^|\/)views\.py$|(^|\/)views\/[^/]+\.py$/i],
  ['route', 72, 'handlers', /(^|\/)(handlers?|endpoints?|api|resolvers)\/[^/]+\.(go|ts|js|py|rb|php|java|kt|cs|rs)$|handlers?\.go$/i],
  ['route', 60, 'resource (JAX-RS)', /Resource\.(java|kt)$/],
  ['config', 76, 'Spring config', /(^|\/)(application|bootstrap)(-[^/]+)?\.(ya?ml|properties)$/i],
  ['config', 76, 'settings', /(^|\/)settings\.py$|(^|\/)settings\/[^/]+\.py$/i],
  ['config', 72, '.NET settings', /(^|\/)appsettings[^/]*\.json$/i],
  ['config', 74, 'database config', /(^|\/)config\/database\.(yml|php)$/i],
  ['config', 64, 'database tooling config', /(^|\/)(alembic\.ini|ormconfig\.[a-z]+|knexfile\.[a-z]+|data-source\.(ts|js)|drizzle\.config\.[a-z]+|prisma\.config\.ts|\.sequelizerc|sqlc\.ya?ml|atlas\.hcl|liquibase\.properties|flyway\.conf|migration_lock\.toml|alembic\/env\.py)$/i],
  ['config', 52, 'config', /(^|\/)config\/[^/]+\.(ts|js|py|rb|php|ya?ml|json|toml|exs?)$/i],
  ['config', 45, 'build tasks', /(^|\/)(Makefile|justfile|Taskfile\.ya?ml)$/i],
  ['config', 22, 'tooling config', /(^|\/)(nest-cli|tsconfig[^/]*|angular|turbo|nx|lerna)\.json$|(^|\/)(vite|webpack|jest|vitest|babel|rollup|eslint)\.config\.[a-z]+$/i],
  ['docs', 90, 'README', /^README(\.[a-z]+)?$/i],
  ['docs', 82, 'architecture docs', /(^|\/)([Aa]rchitecture|ARCHITECTURE|DESIGN)(\.[a-z]+)?$|(^|\/)docs?\/architecture\//],
  ['docs', 70, 'decision record (ADR)', /(^|\/)(adr|adrs|decisions)\/[^/]+\.(md|mdx|rst|txt|adoc)$/i],
  ['docs', 12, 'project docs', /(^|\/)(CHANGELOG|CONTRIBUTING|LICENSE|COPYING|CODE_OF_CONDUCT|SECURITY|AUTHORS|NOTICE)(\.[a-z]+)?$/i],
  ['docs', 55, 'README', /(^|\/)README(\.[a-z]+)?$/i],
  ['docs', 40, 'docs', /(^|\/)docs?\/.+\.(md|mdx|rst|txt|adoc)$/i],
  ['docs', 25, 'notes', /\.(md|mdx|rst|adoc)$/i],
  ['source', 58, 'repository (data access)', /(^|\/)repositor(y|ies)\/|Repository\.(java|kt|cs|ts|php)$|[._]repository\.(py|rb|go|ts|js)$|(^|\/)(dao|store|stores|persistence)\/[^/]+\.[a-z]+$/i],
  ['source', 56, 'service (business logic)', /(^|\/)services?\/[^/]+\.[a-z]+$|[._-]service\.(ts|js|py|go)$|Service(Impl)?\.(java|kt|cs|php)$|_service\.(py|rb|go)$/i],
  ['source', 50, 'auth', /(^|\/)(auth|security)\/[^/]+\.[a-z]+$|(^|\/)auth\.(ts|js|py|go|rb)$/i],
  ['source', 48, 'DTOs or serializers', /(^|\/)(dtos?|serializers?|schemas?)\/[^/]+\.(ts|js|py|java|kt|cs)$|\.dto\.ts$|(^|\/)(serializers|schemas)\.py$/i],
  ['source', 46, 'middleware', /(^|\/)middlewares?\/|(^|\/)middleware\.(ts|js|py|go)$/i],
  ['source', 44, 'background jobs or events', /(^|\/)(jobs|workers?|consumers?|listeners?|subscribers?|events|queues?|tasks|cron)\/[^/]+\.[a-z]+$|(^|\/)tasks\.py$/i],
  ['model', 60, 'SQL', /\.sql$/i],
  ['source', 12, 'frontend', /\.(tsx|jsx|vue|svelte|css|scss|sass|less|html?|hbs|ejs|pug)$/i],
  ['source', 28, 'source', /\.(ts|mts|cts|js|mjs|cjs|py|java|kt|kts|go|rb|cs|fs|php|rs|scala|ex|exs|clj|swift|dart|lua|pl|cpp|cc|c|h|hpp|groovy)$/i],
  ['source', 22, 'script', /\.(sh|bash|zsh|ps1|bat|cmd)$/i],
  ['other', 18, 'configuration or data', /\.(ya?ml|json|toml|ini|xml|properties|conf|cfg|env|hcl)$/i],
];

// Objects and a plain loop: this runs for every listed file, 50,000 of them in a large monorepo.
const RULES: readonly Rule[] = ROWS.map(([role, score, reason, re]) => ({ role, score, reason, re }));

/**
 * The role of the file at `path` and its score. Deeper files lose a little, so in a monorepo the
 * root's manifest and README come before each package's.
 */
export function classifyPath(path: string): PathClass {
  const depth = countSlashes(path);
  const penalty = 2 * Math.min(depth, 8);
  if (isEnvTemplate(path)) {
    return { role: 'config', score: 60 - penalty, reason: 'environment template (values redacted)' };
  }
  for (let i = 0; i < RULES.length; i++) {
    const r = RULES[i];
    if (r.re.test(path)) { return { role: r.role, score: Math.max(1, r.score - penalty), reason: r.reason }; }
  }
  return { role: 'other', score: Math.max(1, 8 - penalty), reason: 'other file' };
}

function countSlashes(path: string): number {
  let n = 0;
  for (let i = 0; i < path.length; i++) { if (path.charCodeAt(i) === 47) { n++; } }
  return n;
}

/**
 * The folder whose files form one migration history (`db/migrate/`, `prisma/migrations/`), so the
 * scan can tell the first and the newest migrations apart from the rest.
 */
export function migrationGroup(path: string): string {
  const m = /^(.*?(?:^|\/)(?:alembic\/versions|prisma\/migrations|db\/migrate|database\/migrations|db\/migration|db\/changelog|Migrations|migrations?|migrate|schema-migrations))\//i.exec(path);
  return m ? m[1] : path.slice(0, path.lastIndexOf('/') + 1);
}
