import * as assert from 'node:assert/strict';
import { detectStack, isStackFile } from '../../../src/context/stack';

const detect = (files: Record<string, string>, extraPaths: string[] = []) =>
  detectStack([...Object.keys(files), ...extraPaths], new Map(Object.entries(files)));

describe('context stack detection', () => {
  it('reads Kotlin + Ktor + Exposed + Flyway from a Gradle Kotlin build', () => {
    const s = detect({
      'build.gradle.kts': 'dependencies {\n implementation("io.ktor:ktor-server-netty:2.3.11")\n implementation("org.jetbrains.exposed:exposed-core:0.50.0")\n implementation("org.flywaydb:flyway-core:10.0.0")\n runtimeOnly("org.postgresql:postgresql:42.7.3")\n}',
    }, ['src/main/kotlin/App.kt', 'src/main/kotlin/Routes.kt']);
    assert.deepEqual([s.languages, s.frameworks, s.orms, s.migrationTools, s.databases], [['Kotlin'], ['Ktor'], ['Exposed'], ['Flyway'], ['PostgreSQL']]);
  });

  it('reads Rust, Sinatra, Symfony and Fastify manifests', () => {
    assert.deepEqual(detect({ 'Cargo.toml': '[dependencies]\naxum = "0.7"\nsqlx = { version = "0.7", features = ["postgres"] }\n' }).frameworks, ['Axum']);
    assert.deepEqual(detect({ Gemfile: "gem 'sinatra'\ngem 'sequel'\n" }).frameworks, ['Sinatra']);
    assert.deepEqual(detect({ 'composer.json': '{"require": {"symfony/framework-bundle": "^7.0", "doctrine/orm": "^3"}}' }).orms, ['Doctrine']);
    assert.deepEqual(detect({ 'package.json': '{"dependencies": {"fastify": "^4", "mongoose": "^8", "ioredis": "^5"}}' }).databases, ['MongoDB', 'Redis']);
  });

  it('does not mistake names that merely contain a dependency for it', () => {
    const s = detect({
      'package.json': '{"name": "express-helpers", "dependencies": {"express-validator": "^7"}}',
      'requirements.txt': 'fastapi-users==13\nflask-cors==4\n',
    });
    assert.deepEqual(s.frameworks, []);
  });

  it('names databases from compose images, connection URLs and ORM config', () => {
    const s = detect({
      'docker-compose.yml': 'services:\n  db:\n    image: "postgres:16"\n  cache:\n    image: bitnami/redis:7\n  mq:\n    image: rabbitmq:3-management\n',
      'src/main/resources/application.properties': 'spring.datasource.url=jdbc:mysql://db/x\n',
    });
    assert.deepEqual([...s.databases].sort(), ['MySQL', 'PostgreSQL', 'Redis']);
    assert.deepEqual(s.infra, ['RabbitMQ', 'Docker Compose']);
  });

  it('counts languages by files, ignoring a stray script, and summarises', () => {
    const paths = [...Array.from({ length: 30 }, (_, i) => `src/f${i}.ts`), 'scripts/tool.py', 'jest.config.js'];
    const s = detectStack(paths, new Map());
    assert.deepEqual(s.languages, ['TypeScript']);
    assert.equal(s.summary, 'TypeScript');
    assert.equal(detectStack([], new Map()).summary, 'not detected');
  });

  it('gives the same answer whatever order files come in, with evidence', () => {
    const files = { 'package.json': '{"dependencies": {"express": "4", "pg": "8", "knex": "3"}}', 'knexfile.js': '', 'Dockerfile': 'FROM node' };
    const a = detect(files);
    const b = detectStack(Object.keys(files).reverse(), new Map(Object.entries(files).reverse()));
    assert.deepEqual(b, a);
    assert.deepEqual(a.evidence.find(e => e.name === 'Knex'), { name: 'Knex', kind: 'orm', path: 'package.json' });
  });

  it('knows which files to read first for detection', () => {
    for (const p of ['package.json', 'apps/api/pyproject.toml', 'go.mod', 'Api.csproj', 'compose.yaml', 'prisma/schema.prisma', 'config/database.yml']) {
      assert.ok(isStackFile(p), p);
    }
    assert.ok(!isStackFile('src/index.ts'));
  });
});
