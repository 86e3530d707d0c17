/**
 * Stack detection: languages, frameworks, ORMs, migration tools, databases and deployment from
 * manifests (package.json, pyproject.toml, pom.xml, go.mod, Gemfile, composer.json, *.csproj...),
 * from where files are (db/migrate/, prisma/migrations/) and from imports in the code that was read.
 * Pure: works on paths and texts the scan already has.
 */

/** The kinds of technology detected, besides languages. */
export type StackKind = 'framework' | 'orm' | 'migrations' | 'database' | 'infra';

/** One detected technology and the first file that showed it. */
export interface StackEvidence {
  name: string;
  kind: StackKind | 'language';
  path: string;
}

/** What the backend is built with. Each list is in order of importance, without duplicates. */
export interface StackInfo {
  languages: string[];
  frameworks: string[];
  orms: string[];
  migrationTools: string[];
  databases: string[];
  infra: string[];
  evidence: StackEvidence[];
  /** One line for people and prompts, e.g. "TypeScript · Express · Prisma · PostgreSQL". */
  summary: string;
}

/** A technology shown by a path (`text` absent) or by text in files whose path matches. */
interface StackRule {
  name: string;
  kind: StackKind;
  path: RegExp;
  text?: RegExp;
}

const NPM = /(^|\/)package\.json$/i;
const PY = /(^|\/)(pyproject\.toml|setup\.py|setup\.cfg|Pipfile|requirements[^/]*\.(txt|in)|requirements\/[^/]+\.(txt|in))$/i;
const JVM = /(^|\/)(pom\.xml|build\.gradle(\.kts)?|libs\.versions\.toml)$/i;
const GOMOD = /(^|\/)go\.mod$/i;
const GEMFILE = /(^|\/)Gemfile$/;
const COMPOSER = /(^|\/)composer\.json$/i;
const DOTNET = /\.(csproj|fsproj)$/i;
const CARGO = /(^|\/)Cargo\.toml$/i;
const COMPOSE = /(^|\/)(docker-)?compose[^/]*\.ya?ml$/i;
const JS_CODE = /\.(ts|js|mjs|cjs|mts|cts)$/i;
const PY_CODE = /\.py$/i;
const JVM_CODE = /\.(java|kt)$/i;
const GO_CODE = /\.go$/i;
const RB_CODE = /\.rb$/i;
const PHP_CODE = /\.php$/i;
const CS_CODE = /\.cs$/i;
const ANY = /./;

function esc(s: string): string { return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'); }
/** A dependency key in package.json or composer.json. */
const dep = (name: string): RegExp => new RegExp(`"${esc(name)}"\\s*:`);
/** A requirement in requirements.txt, pyproject.toml (PEP 621 or Poetry), Pipfile or setup.py. */
const pyDep = (names: string): RegExp => new RegExp(`(^|[\\s"'\\[,])(${names})\\s*([<>=~!;\\[,"'@]|$)`, 'im');
const gem = (name: string): RegExp => new RegExp(`^\\s*gem\\s+['"]${esc(name)}['"]`, 'm');
const jsImport = (mod: string): RegExp => new RegExp(`require\\(\\s*['"]${mod}['"]\\s*\\)|from\\s+['"]${mod}['"]`);

type Row = [string, StackKind, RegExp, RegExp?];

const ROWS: readonly Row[] = [
  // Node
  ['NestJS', 'framework', NPM, dep('@nestjs/core')],
  ['Express', 'framework', NPM, dep('express')],
  ['Fastify', 'framework', NPM, dep('fastify')],
  ['Koa', 'framework', NPM, dep('koa')],
  ['Hapi', 'framework', NPM, dep('@hapi/hapi')],
  ['Hono', 'framework', NPM, dep('hono')],
  ['Next.js', 'framework', NPM, dep('next')],
  ['Apollo Server', 'framework', NPM, /"(@apollo\/server|apollo-server[\w-]*)"\s*:/],
  ['Prisma', 'orm', NPM, /"(@prisma\/client|prisma)"\s*:/],
  ['TypeORM', 'orm', NPM, dep('typeorm')],
  ['Sequelize', 'orm', NPM, dep('sequelize')],
  ['Mongoose', 'orm', NPM, dep('mongoose')],
  ['Drizzle', 'orm', NPM, dep('drizzle-orm')],
  ['Knex', 'orm', NPM, dep('knex')],
  ['MikroORM', 'orm', NPM, dep('@mikro-orm/core')],
  ['Sequelize migrations', 'migrations', NPM, dep('sequelize-cli')],
  ['node-pg-migrate', 'migrations', NPM, dep('node-pg-migrate')],
  ['db-migrate', 'migrations', NPM, dep('db-migrate')],
  ['Umzug', 'migrations', NPM, dep('umzug')],
  ['PostgreSQL', 'database', NPM, /"(pg|postgres|pg-promise)"\s*:/],
  ['MySQL', 'database', NPM, /"(mysql2?|mariadb)"\s*:/],
  ['MongoDB', 'database', NPM, /"(mongodb|mongoose)"\s*:/],
  ['Redis', 'database', NPM, /"(redis|ioredis)"\s*:/],
  ['SQLite', 'database', NPM, /"(sqlite3|better-sqlite3)"\s*:/],
  ['DynamoDB', 'database', NPM, /"@aws-sdk\/client-dynamodb"\s*:/],
  ['Kafka', 'infra', NPM, /"kafkajs"\s*:/],
  ['RabbitMQ', 'infra', NPM, /"amqplib"\s*:/],
  ['BullMQ', 'infra', NPM, /"(bullmq|bull)"\s*:/],
  // Python
  ['Django', 'framework', PY, pyDep('django')],
  ['Django REST framework', 'framework', PY, pyDep('djangorestframework')],
  ['FastAPI', 'framework', PY, pyDep('fastapi')],
  ['Flask', 'framework', PY, pyDep('flask')],
  ['Django ORM', 'orm', PY, pyDep('django')],
  ['SQLAlchemy', 'orm', PY, pyDep('sqlalchemy|flask-sqlalchemy')],
  ['SQLModel', 'orm', PY, pyDep('sqlmodel')],
  ['Tortoise ORM', 'orm', PY, pyDep('tortoise-orm')],
  ['Peewee', 'orm', PY, pyDep('peewee')],
  ['Alembic', 'migrations', PY, pyDep('alembic|flask-migrate')],
  ['PostgreSQL', 'database', PY, pyDep('psycopg|psycopg2|psycopg2-binary|asyncpg')],
  ['MySQL', 'database', PY, pyDep('pymysql|mysqlclient|aiomysql')],
  ['MongoDB', 'database', PY, pyDep('pymongo|motor|beanie')],
  ['Redis', 'database', PY, pyDep('redis')],
  ['Celery', 'infra', PY, pyDep('celery')],
  // Java and Kotlin
  ['Spring Boot', 'framework', JVM, /spring-boot/],
  ['Quarkus', 'framework', JVM, /io\.quarkus/],
  ['Micronaut', 'framework', JVM, /io\.micronaut/],
  ['Ktor', 'framework', JVM, /io\.ktor/],
  ['JPA/Hibernate', 'orm', JVM, /spring-boot-starter-data-jpa|hibernate-core|jakarta\.persistence/],
  ['MyBatis', 'orm', JVM, /mybatis/],
  ['jOOQ', 'orm', JVM, /jooq/],
  ['Exposed', 'orm', JVM, /jetbrains\.exposed/],
  ['Flyway', 'migrations', JVM, /flyway/],
  ['Liquibase', 'migrations', JVM, /liquibase/],
  ['PostgreSQL', 'database', JVM, /org\.postgresql|<artifactId>postgresql<|r2dbc-postgresql/],
  ['MySQL', 'database', JVM, /mysql-connector|mariadb-java-client/],
  ['H2', 'database', JVM, /com\.h2database/],
  ['MongoDB', 'database', JVM, /spring-boot-starter-data-mongodb|mongodb-driver/],
  ['Redis', 'database', JVM, /spring-boot-starter-data-redis|jedis|lettuce/],
  ['Kafka', 'infra', JVM, /spring-kafka|kafka-clients/],
  // Go
  ['Gin', 'framework', GOMOD, /github\.com\/gin-gonic\/gin/],
  ['Echo', 'framework', GOMOD, /github\.com\/labstack\/echo/],
  ['Fiber', 'framework', GOMOD, /github\.com\/gofiber\/fiber/],
  ['chi', 'framework', GOMOD, /github\.com\/go-chi\/chi/],
  ['gorilla/mux', 'framework', GOMOD, /github\.com\/gorilla\/mux/],
  ['gRPC', 'framework', GOMOD, /google\.golang\.org\/grpc/],
  ['GORM', 'orm', GOMOD, /gorm\.io\/gorm/],
  ['sqlx', 'orm', GOMOD, /github\.com\/jmoiron\/sqlx/],
  ['ent', 'orm', GOMOD, /entgo\.io\/ent/],
  ['golang-migrate', 'migrations', GOMOD, /github\.com\/golang-migrate\/migrate/],
  ['goose', 'migrations', GOMOD, /github\.com\/pressly\/goose/],
  ['Atlas', 'migrations', GOMOD, /ariga\.io\/atlas/],
  ['PostgreSQL', 'database', GOMOD, /github\.com\/jackc\/pgx|github\.com\/lib\/pq/],
  ['MySQL', 'database', GOMOD, /github\.com\/go-sql-driver\/mysql/],
  ['MongoDB', 'database', GOMOD, /go\.mongodb\.org\/mongo-driver/],
  ['Redis', 'database', GOMOD, /github\.com\/(go-redis|redis)\/(go-)?redis/],
  // Ruby
  ['Rails', 'framework', GEMFILE, gem('rails')],
  ['Sinatra', 'framework', GEMFILE, gem('sinatra')],
  ['Grape', 'framework', GEMFILE, gem('grape')],
  ['Active Record', 'orm', GEMFILE, /^\s*gem\s+['"](rails|activerecord)['"]/m],
  ['PostgreSQL', 'database', GEMFILE, gem('pg')],
  ['MySQL', 'database', GEMFILE, gem('mysql2')],
  ['SQLite', 'database', GEMFILE, gem('sqlite3')],
  ['Redis', 'database', GEMFILE, gem('redis')],
  ['Sidekiq', 'infra', GEMFILE, gem('sidekiq')],
  // .NET
  ['ASP.NET Core', 'framework', DOTNET, /Sdk="Microsoft\.NET\.Sdk\.Web"|Include="Microsoft\.AspNetCore/],
  ['Entity Framework Core', 'orm', DOTNET, /Include="Microsoft\.EntityFrameworkCore/],
  ['Dapper', 'orm', DOTNET, /Include="Dapper"/],
  ['PostgreSQL', 'database', DOTNET, /Include="Npgsql/],
  ['SQL Server', 'database', DOTNET, /Include="Microsoft\.(EntityFrameworkCore\.SqlServer|Data\.SqlClient)"/],
  ['MySQL', 'database', DOTNET, /Include="(Pomelo\.EntityFrameworkCore\.MySql|MySqlConnector)"/],
  ['SQLite', 'database', DOTNET, /Include="Microsoft\.(EntityFrameworkCore|Data)\.Sqlite"/],
  // PHP
  ['Laravel', 'framework', COMPOSER, dep('laravel/framework')],
  ['Symfony', 'framework', COMPOSER, dep('symfony/framework-bundle')],
  ['Slim', 'framework', COMPOSER, dep('slim/slim')],
  ['Eloquent', 'orm', COMPOSER, dep('laravel/framework')],
  ['Doctrine', 'orm', COMPOSER, dep('doctrine/orm')],
  ['Doctrine Migrations', 'migrations', COMPOSER, /"doctrine\/(doctrine-)?migrations(-bundle)?"\s*:/],
  // Rust
  ['Actix Web', 'framework', CARGO, /^\s*actix-web\s*=/m],
  ['Axum', 'framework', CARGO, /^\s*axum\s*=/m],
  ['Rocket', 'framework', CARGO, /^\s*rocket\s*=/m],
  ['Diesel', 'orm', CARGO, /^\s*diesel\s*=/m],
  ['SQLx', 'orm', CARGO, /^\s*sqlx\s*=/m],
  ['SeaORM', 'orm', CARGO, /^\s*sea-orm\s*=/m],
  // Imports in code that was read: catches stacks whose manifest is missing or elsewhere.
  ['NestJS', 'framework', JS_CODE, /from\s+['"]@nestjs\/(core|common)['"]/],
  ['Express', 'framework', JS_CODE, jsImport('express')],
  ['Fastify', 'framework', JS_CODE, jsImport('fastify')],
  ['Prisma', 'orm', JS_CODE, jsImport('@prisma/client')],
  ['TypeORM', 'orm', JS_CODE, jsImport('typeorm')],
  ['Sequelize', 'orm', JS_CODE, jsImport('sequelize')],
  ['Mongoose', 'orm', JS_CODE, jsImport('mongoose')],
  ['FastAPI', 'framework', PY_CODE, /^\s*(from\s+fastapi[\s.]|import\s+fastapi)/m],
  ['Flask', 'framework', PY_CODE, /^\s*from\s+flask\s+import/m],
  ['Django', 'framework', PY_CODE, /^\s*from\s+django[\s.]/m],
  ['SQLAlchemy', 'orm', PY_CODE, /^\s*(from\s+sqlalchemy[\s.]|import\s+sqlalchemy)/m],
  ['Alembic', 'migrations', PY_CODE, /^\s*from\s+alembic\s+import/m],
  ['Spring Boot', 'framework', JVM_CODE, /@SpringBootApplication|import\s+org\.springframework\.boot/],
  ['JPA/Hibernate', 'orm', JVM_CODE, /import\s+(jakarta|javax)\.persistence\./],
  ['MyBatis', 'orm', JVM_CODE, /import\s+org\.apache\.ibatis\./],
  ['Gin', 'framework', GO_CODE, /"github\.com\/gin-gonic\/gin"/],
  ['Echo', 'framework', GO_CODE, /"github\.com\/labstack\/echo/],
  ['chi', 'framework', GO_CODE, /"github\.com\/go-chi\/chi/],
  ['GORM', 'orm', GO_CODE, /"gorm\.io\/gorm"/],
  ['Rails', 'framework', RB_CODE, /Rails\.application|<\s*ApplicationController\b/],
  ['Active Record', 'orm', RB_CODE, /<\s*(ApplicationRecord|ActiveRecord::Base)\b/],
  ['Laravel', 'framework', PHP_CODE, /^\s*use\s+Illuminate\\/m],
  ['ASP.NET Core', 'framework', CS_CODE, /WebApplication\.CreateBuilder|using\s+Microsoft\.AspNetCore/],
  ['Entity Framework Core', 'orm', CS_CODE, /using\s+Microsoft\.EntityFrameworkCore/],
  // Schemas and configuration naming the database.
  ['PostgreSQL', 'database', /\.prisma$/i, /provider\s*=\s*"(postgresql|postgres|cockroachdb)"/],
  ['MySQL', 'database', /\.prisma$/i, /provider\s*=\s*"mysql"/],
  ['SQLite', 'database', /\.prisma$/i, /provider\s*=\s*"sqlite"/],
  ['MongoDB', 'database', /\.prisma$/i, /provider\s*=\s*"mongodb"/],
  ['SQL Server', 'database', /\.prisma$/i, /provider\s*=\s*"sqlserver"/],
  ['PostgreSQL', 'database', ANY, /\bjdbc:postgresql:|\bpostgres(ql)?(\+\w+)?:\/\/|adapter:\s*postgres|django\.db\.backends\.postgresql|DB_CONNECTION=pgsql|UseNpgsql\(/],
  ['MySQL', 'database', ANY, /\bjdbc:(mysql|mariadb):|\bmysql(\+\w+)?:\/\/|adapter:\s*mysql2?|django\.db\.backends\.mysql|DB_CONNECTION=mysql|UseMySql\(/],
  ['SQLite', 'database', ANY, /adapter:\s*sqlite3|django\.db\.backends\.sqlite3|\bsqlite:\/\/|DB_CONNECTION=sqlite|UseSqlite\(/],
  ['SQL Server', 'database', ANY, /\bjdbc:sqlserver:|UseSqlServer\(/],
  ['MongoDB', 'database', ANY, /\bmongodb(\+srv)?:\/\//],
  ['Redis', 'database', ANY, /\brediss?:\/\//],
  ['PostgreSQL', 'database', COMPOSE, /^\s*image:\s*["']?([\w.-]+\/)?(postgres|postgis)[:\s"'@]/m],
  ['MySQL', 'database', COMPOSE, /^\s*image:\s*["']?([\w.-]+\/)?(mysql|mariadb)[:\s"'@]/m],
  ['MongoDB', 'database', COMPOSE, /^\s*image:\s*["']?([\w.-]+\/)?mongo[:\s"'@]/m],
  ['Redis', 'database', COMPOSE, /^\s*image:\s*["']?([\w.-]+\/)?(redis|valkey)[:\s"'@]/m],
  ['Elasticsearch', 'database', COMPOSE, /^\s*image:\s*["']?[\w./-]*(elasticsearch|opensearch)[:\s"'@]/m],
  ['RabbitMQ', 'infra', COMPOSE, /^\s*image:\s*["']?([\w.-]+\/)?rabbitmq[:\s"'@]/m],
  ['Kafka', 'infra', COMPOSE, /^\s*image:\s*["']?[\w./-]*kafka[:\s"'@]/m],
  ['Kubernetes', 'infra', /\.ya?ml$/i, /^kind:\s*(Deployment|StatefulSet|DaemonSet|CronJob|Ingress)\b/m],
  // Where files are.
  ['Django', 'framework', /(^|\/)manage\.py$/, /django/i],
  ['Prisma', 'orm', /\.prisma$/i],
  ['Prisma Migrate', 'migrations', /(^|\/)prisma\/migrations\/[^/]+\/migration\.sql$/i],
  ['Alembic', 'migrations', /(^|\/)alembic\.ini$|(^|\/)alembic\/versions\//i],
  ['Django migrations', 'migrations', /(^|\/)migrations\/\d{4}_[^/]+\.py$/],
  ['Flyway', 'migrations', /(^|\/)db\/migration\/[^/]*V\d+(_\d+)*__[^/]+\.sql$/i],
  ['Liquibase', 'migrations', /(^|\/)db\/changelog\//i],
  ['Rails migrations', 'migrations', /(^|\/)db\/migrate\/\d+_[^/]+\.rb$/],
  ['Laravel migrations', 'migrations', /(^|\/)database\/migrations\/[^/]+\.php$/],
  ['EF Core migrations', 'migrations', /(^|\/)Migrations\/[^/]*ModelSnapshot\.cs$/],
  ['Docker', 'infra', /(^|\/)(Dockerfile|Containerfile)[^/]*$/],
  ['Docker Compose', 'infra', COMPOSE],
  ['Kubernetes', 'infra', /(^|\/)(k8s|kubernetes)\/[^/]+\.ya?ml$|(^|\/)kustomization\.ya?ml$/i],
  ['Helm', 'infra', /(^|\/)Chart\.ya?ml$/],
  ['Terraform', 'infra', /\.tf$/i],
  ['GitHub Actions', 'infra', /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/],
  ['Serverless Framework', 'infra', /(^|\/)serverless\.ya?ml$/],
  ['Fly.io', 'infra', /(^|\/)fly\.toml$/],
  ['Heroku', 'infra', /(^|\/)Procfile$/],
];

const RULES: readonly StackRule[] = ROWS.map(([name, kind, path, text]) => ({ name, kind, path, text }));

/** Manifests and files that name the database: the scan reads these first, to detect the stack. */
export function isStackFile(path: string): boolean {
  return NPM.test(path) || PY.test(path) || JVM.test(path) || GOMOD.test(path) || GEMFILE.test(path)
    || COMPOSER.test(path) || DOTNET.test(path) || CARGO.test(path) || COMPOSE.test(path) || /\.prisma$/i.test(path)
    || /(^|\/)(application[^/]*\.(ya?ml|properties)|config\/database\.(yml|php)|settings\.py|manage\.py|appsettings\.json)$/i.test(path);
}

const LANGUAGE_BY_EXT: Readonly<Record<string, string>> = {
  ts: 'TypeScript', tsx: 'TypeScript', mts: 'TypeScript', cts: 'TypeScript',
  js: 'JavaScript', jsx: 'JavaScript', mjs: 'JavaScript', cjs: 'JavaScript',
  py: 'Python', java: 'Java', kt: 'Kotlin', kts: 'Kotlin', go: 'Go', rb: 'Ruby', cs: 'C#', fs: 'F#',
  php: 'PHP', rs: 'Rust', ex: 'Elixir', exs: 'Elixir', scala: 'Scala', swift: 'Swift', dart: 'Dart',
};

/**
 * Languages by how many source files use them. One stray script does not make a language: a
 * language needs at least a tenth of the files of the most used one.
 */
function detectLanguages(paths: readonly string[], evidence: StackEvidence[]): string[] {
  const counts = new Map<string, { n: number; first: string }>();
  for (const p of paths) {
    const dot = p.lastIndexOf('.');
    if (dot < 0 || dot < p.lastIndexOf('/')) { continue; }
    const lang = LANGUAGE_BY_EXT[p.slice(dot + 1).toLowerCase()];
    if (!lang) { continue; }
    const c = counts.get(lang);
    if (c) { c.n++; } else { counts.set(lang, { n: 1, first: p }); }
  }
  const max = Math.max(0, ...[...counts.values()].map(c => c.n));
  const langs = [...counts.entries()].filter(([, c]) => c.n * 10 >= max).sort((a, b) => b[1].n - a[1].n);
  for (const [name, c] of langs) { evidence.push({ name, kind: 'language', path: c.first }); }
  return langs.map(([name]) => name);
}

// The scan detects twice over the same listing (before reading, and after with the code it read):
// path rules over 50,000 paths are worth doing once.
const pathHitCache = new WeakMap<readonly string[], Map<StackRule, string>>();

function pathHits(paths: readonly string[]): Map<StackRule, string> {
  const cached = pathHitCache.get(paths);
  if (cached) { return cached; }
  const found = new Map<StackRule, string>();
  const pending = RULES.filter(r => !r.text);
  for (const p of paths) {
    for (let i = 0; i < pending.length; i++) {
      const r = pending[i];
      if (r.path.test(p)) {
        found.set(r, p);
        pending.splice(i--, 1);
      }
    }
    if (pending.length === 0) { break; }
  }
  pathHitCache.set(paths, found);
  return found;
}

/**
 * Detects the stack from every listed path and the texts that were read (path → content). Rules that
 * need text only look at files whose path fits (a dependency in package.json, an import in a .py file).
 */
export function detectStack(paths: readonly string[], texts: ReadonlyMap<string, string>): StackInfo {
  const evidence: StackEvidence[] = [];
  const languages = detectLanguages(paths, evidence);
  const found = new Map<StackRule, string>(pathHits(paths));
  const textRules = RULES.filter(r => r.text);
  for (const [p, text] of texts) {
    for (const r of textRules) {
      if (!found.has(r) && r.path.test(p) && r.text!.test(text)) { found.set(r, p); }
    }
  }
  const info: StackInfo = { languages, frameworks: [], orms: [], migrationTools: [], databases: [], infra: [], evidence, summary: '' };
  const lists: Record<StackKind, string[]> = {
    framework: info.frameworks, orm: info.orms, migrations: info.migrationTools, database: info.databases, infra: info.infra,
  };
  // Table order, not discovery order, so the result does not depend on the order of the listing.
  for (const r of RULES) {
    const p = found.get(r);
    if (p === undefined || lists[r.kind].includes(r.name)) { continue; }
    lists[r.kind].push(r.name);
    evidence.push({ name: r.name, kind: r.kind, path: p });
  }
  info.summary = summarize(info);
  return info;
}

function summarize(s: StackInfo): string {
  const parts = [s.languages, s.frameworks, s.orms, s.migrationTools, s.databases, s.infra]
    .filter(l => l.length > 0).map(l => l.join(', '));
  return parts.length ? parts.join(' · ') : 'not detected';
}
