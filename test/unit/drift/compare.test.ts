import * as assert from 'node:assert/strict';
import { compareRoutes } from '../../../src/drift/compare';
import type { CodeRoute, SpecDocument } from '../../../src/drift/types';
import { driftOf, lineOf, SHARED_SPEC, specLine } from './driftFixtures';

describe('drift: spec against code', () => {
  it('reports nothing when spec and code agree (FastAPI, Flask, Koa, Express, Spring, ASP.NET Core, Laravel)', async () => {
    for (const name of ['fastapi-conduit', 'flask-conduit', 'koa-conduit', 'express-conduit', 'spring-conduit', 'aspnet-conduit', 'laravel-conduit']) {
      const r = await driftOf(name);
      assert.deepEqual(r.items, [], name);
      assert.equal(r.operations.length, 19, name);
    }
  });

  it('reports each drift kind at its line in the spec and in the code (Gin)', async () => {
    const r = await driftOf('gin-conduit');
    assert.deepEqual(r.items.map(i => [i.kind, i.method, i.path, i.file, i.line]), [
      ['missing-in-code', 'GET', '/articles/feed', SHARED_SPEC, specLine('    get:', '  /articles/feed:')],
      ['missing-in-spec', 'GET', '/ping', 'hello.go', lineOf('gin-conduit', 'hello.go', 'testAuth.GET("/"')],
    ]);
    // The other side of each: where the articles are registered, and the spec's `paths:`.
    assert.deepEqual(r.items[0].related, { file: 'articles/routers.go', line: lineOf('gin-conduit', 'articles/routers.go', 'router.POST("/", ArticleCreate)') });
    assert.deepEqual(r.items[1].related, { file: SHARED_SPEC, line: specLine('paths:') });
  });

  it('reports what Django and NestJS really lack or add, and says where the other side is', async () => {
    const django = await driftOf('django-conduit');
    // Items come in file order, then line order.
    assert.deepEqual(django.items.map(i => `${i.kind} ${i.method} ${i.path} ${i.file}:${i.line}`), [
      `missing-in-code DELETE /articles/{slug} ${SHARED_SPEC}:${specLine('    delete:', '  /articles/{slug}:')}`,
      `missing-in-spec GET / conduit/apps/articles/urls.py:${lineOf('django-conduit', 'conduit/apps/articles/urls.py', 'DefaultRouter(')}`,
    ]);
    const nest = await driftOf('nestjs-conduit');
    const extra = nest.items.find(i => i.path === '/users/{slug}')!;
    assert.equal(extra.kind, 'missing-in-spec');
    assert.deepEqual(extra.related, { file: SHARED_SPEC, line: specLine('paths:') });
    assert.equal(extra.route?.file, 'src/user/user.controller.ts');
  });

  it('finds the base path: declared in code (/api), or left to a proxy (Spring), and routes outside it are notes', async () => {
    const express = await driftOf('express-conduit');
    assert.equal(express.basePath, '/api');
    assert.ok(express.notes.some(n => n.file === 'src/main.ts' && /GET \/ is outside the spec's base path \/api/.test(n.message)));
    const spring = await driftOf('spring-conduit');
    assert.equal(spring.basePath, '');
    assert.ok(spring.notes.some(n => /declared without the spec's base path \/api/.test(n.message)));
  });

  it('lets aliases, HEAD, OPTIONS and every-method routes answer what they answer', () => {
    const spec: SpecDocument = {
      file: 's.yaml', version: '3.0.0', basePaths: [''], pathsLine: 2, json: false, operations: [
        { method: 'PATCH', path: '/a/{id}', file: 's.yaml', line: 4, pathLine: 3 },
        { method: 'HEAD', path: '/b', file: 's.yaml', line: 6, pathLine: 5 },
        { method: 'OPTIONS', path: '/b', file: 's.yaml', line: 7, pathLine: 5 },
        { method: 'DELETE', path: '/c', file: 's.yaml', line: 9, pathLine: 8 },
      ],
    };
    const route = (method: CodeRoute['method'], path: string, line: number, group?: string): CodeRoute => ({ method, path, file: 'r.rb', line, framework: 'Rails', group });
    const r = compareRoutes([
      route('PUT', '/a/{x}', 1, 'g'), route('PATCH', '/a/{x}', 1, 'g'), route('GET', '/b', 2), route('ALL', '/c', 3), route('ALL', '/d', 4),
    ], [spec]);
    // PUT is PATCH's alias (one declaration); GET answers HEAD; any route answers OPTIONS; ALL answers DELETE.
    assert.deepEqual(r.items.map(i => `${i.kind} ${i.method} ${i.path}`), ['missing-in-spec ALL /d']);
  });

  it('matches ASP.NET Core routes without regard to case, and only those', () => {
    const spec: SpecDocument = { file: 's.yaml', version: '3.0.0', basePaths: [''], pathsLine: 1, json: false, operations: [{ method: 'GET', path: '/api/products', file: 's.yaml', line: 3, pathLine: 2 }] };
    const dotnet: CodeRoute = { method: 'GET', path: '/api/Products', file: 'P.cs', line: 4, framework: 'ASP.NET Core' };
    assert.deepEqual(compareRoutes([dotnet], [spec]).items, []);
    const express: CodeRoute = { ...dotnet, file: 'p.ts', framework: 'Express' };
    assert.deepEqual(compareRoutes([express], [spec]).items.map(i => i.kind).sort(), ['missing-in-code', 'missing-in-spec']);
  });

  it('counts an operation found in two documents once', () => {
    const doc = (file: string): SpecDocument => ({ file, version: '3.0.0', basePaths: [''], pathsLine: 1, json: false, operations: [{ method: 'GET', path: '/x', file, line: 3, pathLine: 2 }] });
    const r = compareRoutes([], [doc('a.yaml'), doc('b.json')]);
    assert.deepEqual(r.items.map(i => `${i.kind} ${i.file}`), ['missing-in-code a.yaml']);
  });
});

describe('drift: the report in a prompt', () => {
  it('lists each drift with its place, and says so when there is none', async () => {
    const { formatDriftForPrompt } = await import('../../../src/drift/format');
    const gin = formatDriftForPrompt(await driftOf('gin-conduit'));
    assert.match(gin, /^API drift: conduit-openapi\.yml \(19 operations, base path \/api\) against 19 routes declared in the code \(Gin\)\.\n/);
    assert.match(gin, /\nOperations in the spec with no route \(1\):\n- GET \/articles\/feed \(conduit-openapi\.yml:\d+\)\n/);
    assert.match(gin, /\nRoutes not in the spec \(1\):\n- GET \/ping \(hello\.go:\d+\)/);
    assert.match(formatDriftForPrompt(await driftOf('flask-conduit')), /\nEvery operation has a route and every route an operation\.$/);
  });
});
