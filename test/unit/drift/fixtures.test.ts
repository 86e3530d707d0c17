/**
 * Route extraction on RealWorld ("Conduit") backends, one per framework, each declaring its routes the way
 * the public implementation does (test/fixtures/drift/SOURCES.md). Every backend implements the same 19
 * operations, so each expectation is "the Conduit API, plus or minus what that implementation really has".
 */
import * as assert from 'node:assert/strict';
import { checkDrift } from '../../../src/drift/drift';
import { nodeFileSource } from '../../../src/context/nodeFileSource';
import type { DriftReport } from '../../../src/drift/types';
import { driftFixture, driftOf, lineOf } from './driftFixtures';

/** The 19 operations of the Conduit API, as full paths under /api. */
const CONDUIT = [
  'POST /api/users/login', 'POST /api/users', 'GET /api/user', 'PUT /api/user',
  'GET /api/profiles/{}', 'POST /api/profiles/{}/follow', 'DELETE /api/profiles/{}/follow',
  'GET /api/articles/feed', 'GET /api/articles', 'POST /api/articles', 'GET /api/articles/{}', 'PUT /api/articles/{}', 'DELETE /api/articles/{}',
  'GET /api/articles/{}/comments', 'POST /api/articles/{}/comments', 'DELETE /api/articles/{}/comments/{}',
  'POST /api/articles/{}/favorite', 'DELETE /api/articles/{}/favorite', 'GET /api/tags',
];

function routeSet(r: DriftReport): string[] {
  return r.routes.map(x => `${x.method} ${x.path.replace(/\{[^}]*\}/g, '{}')}`).sort();
}

function expected(opts: { add?: string[]; remove?: string[]; base?: string } = {}): string[] {
  const base = opts.base ?? '/api';
  return [...CONDUIT.filter(c => !opts.remove?.includes(c)), ...(opts.add ?? [])]
    .map(c => c.replace(' /api', ` ${base}`).replace(/ $/, ' /')).sort();
}

describe('drift: routes of real-world backends', () => {
  it('Express: 20 routes through Router().use chains and a default export mounted at /api, lines at the call', async () => {
    const r = await checkDrift(nodeFileSource(driftFixture('express-conduit')));
    assert.deepEqual(r.frameworks, ['Express']);
    assert.equal(r.routes.length, 20);
    assert.deepEqual(routeSet(r), expected({ add: ['GET /'] }));
    const feed = r.routes.find(x => x.path === '/api/articles/feed')!;
    assert.equal(feed.file, 'src/app/routes/article/article.controller.ts');
    // A call spread over lines is reported where it starts, not where its path is.
    assert.equal(feed.line, lineOf('express-conduit', feed.file, "'/articles/feed'") - 1);
  });

  it('NestJS: 21 routes with @Controller prefixes and the global prefix from main.ts', async () => {
    const r = await driftOf('nestjs-conduit');
    assert.deepEqual(r.frameworks, ['NestJS']);
    assert.equal(r.routes.length, 21);
    assert.deepEqual(routeSet(r), expected({ add: ['GET /api', 'DELETE /api/users/{}'] }));
    const del = r.routes.find(x => x.method === 'DELETE' && x.path === '/api/users/{slug}')!;
    assert.equal(del.line, lineOf('nestjs-conduit', 'src/user/user.controller.ts', "@Delete('users/:slug')"));
  });

  it('Koa: 19 routes through koa-router, router.del and routers exported as .routes()', async () => {
    const r = await driftOf('koa-conduit');
    assert.deepEqual(r.frameworks, ['Koa']);
    assert.equal(r.routes.length, 19);
    assert.deepEqual(routeSet(r), expected());
  });

  it('Fastify: 20 routes from @fastify/autoload plugins; the prefix from the environment is noted, not guessed', async () => {
    const r = await driftOf('fastify-conduit');
    assert.deepEqual(r.frameworks, ['Fastify']);
    assert.equal(r.routes.length, 20);
    assert.deepEqual(routeSet(r), expected({ base: '', add: ['POST /sentiment/score'] }));
    assert.ok(r.routes.every(x => x.partial));
    assert.ok(r.notes.some(n => n.file === 'lib/routes/tags/index.js' && /options\.prefix/.test(n.message)));
  });

  it('FastAPI: 19 routes through nested include_router prefixes and settings.api_prefix', async () => {
    const r = await driftOf('fastapi-conduit');
    assert.deepEqual(r.frameworks, ['FastAPI']);
    assert.equal(r.routes.length, 19);
    assert.deepEqual(routeSet(r), expected());
    assert.ok(r.routes.some(x => x.path === '/api/articles/{slug}/comments/{comment_id}'));
  });

  it('Flask: 19 routes from blueprints registered in an app factory', async () => {
    const r = await driftOf('flask-conduit');
    assert.deepEqual(r.frameworks, ['Flask']);
    assert.equal(r.routes.length, 19);
    assert.deepEqual(routeSet(r), expected());
  });

  it('Django REST framework: 20 routes from url() regexes, include(), a router and view classes', async () => {
    const r = await driftOf('django-conduit');
    assert.deepEqual(r.frameworks, ['Django']);
    assert.equal(r.routes.length, 20);
    // No DestroyModelMixin on the viewset: no DELETE /articles/{slug}. RetrieveUpdateAPIView answers PATCH too.
    // DefaultRouter adds its API root view.
    assert.deepEqual(routeSet(r), expected({ remove: ['DELETE /api/articles/{}'], add: ['GET /api', 'PATCH /api/user'] }));
    assert.ok(r.notes.some(n => /admin\.site\.urls/.test(n.message)));
  });

  it('Spring: 19 routes from class and method mappings, with and without leading slashes', async () => {
    const r = await driftOf('spring-conduit');
    assert.deepEqual(r.frameworks, ['Spring']);
    assert.equal(r.routes.length, 19);
    assert.deepEqual(routeSet(r), expected({ base: '' }));
  });

  it('ASP.NET Core: 19 routes from [Route] on controllers with primary constructors and [HttpX] on actions', async () => {
    const r = await driftOf('aspnet-conduit');
    assert.deepEqual(r.frameworks, ['ASP.NET Core']);
    assert.equal(r.routes.length, 19);
    assert.deepEqual(routeSet(r), expected({ base: '' }));
  });

  it('Gin: 19 routes through groups handed to functions in other packages', async () => {
    const r = await driftOf('gin-conduit');
    assert.deepEqual(r.frameworks, ['Gin']);
    assert.equal(r.routes.length, 19);
    assert.deepEqual(routeSet(r), expected({ remove: ['GET /api/articles/feed'], add: ['GET /api/ping'] }));
  });

  it('Echo: 20 routes through a router made in another package and a method taking the group', async () => {
    const r = await checkDrift(nodeFileSource(driftFixture('echo-conduit')));
    assert.deepEqual(r.frameworks, ['Echo']);
    assert.equal(r.routes.length, 20);
    assert.deepEqual(routeSet(r), expected({ add: ['GET /swagger/{}'] }));
  });

  it('chi: 7 routes, some inside r.Group closures', async () => {
    const r = await driftOf('chi-conduit');
    assert.deepEqual(r.frameworks, ['chi']);
    assert.equal(r.routes.length, 7);
    assert.deepEqual(routeSet(r), ['DELETE /api/profiles/{}/follow', 'GET /api/profiles/{}', 'GET /api/user', 'POST /api/articles',
      'POST /api/profiles/{}/follow', 'POST /api/users', 'POST /api/users/login']);
  });

  it('Rails: 34 routes from scope, resources with param:, nested resources and devise_for with the model\'s modules', async () => {
    const r = await driftOf('rails-conduit');
    assert.deepEqual(r.frameworks, ['Rails']);
    assert.equal(r.routes.length, 34);
    const devise = ['GET /api/users/login', 'DELETE /api/users/sign_out', 'GET /api/users/password/new', 'GET /api/users/password/edit',
      'PATCH /api/users/password', 'PUT /api/users/password', 'POST /api/users/password', 'GET /api/users/cancel', 'GET /api/users/sign_up',
      'GET /api/users/edit', 'PATCH /api/users', 'PUT /api/users', 'DELETE /api/users'];
    assert.deepEqual(routeSet(r), expected({ add: [...devise, 'PATCH /api/user', 'PATCH /api/articles/{}'] }));
    assert.ok(r.routes.some(x => x.path === '/api/articles/{article_slug}/comments/{id}'));
  });

  it('Laravel: 22 routes from routes/api.php under the provider\'s api prefix, resources and match()', async () => {
    const r = await driftOf('laravel-conduit');
    assert.deepEqual(r.frameworks, ['Laravel']);
    assert.equal(r.routes.length, 22);
    assert.deepEqual(routeSet(r), expected({ add: ['GET /', 'PATCH /api/user', 'PATCH /api/articles/{}'] }));
  });
});
