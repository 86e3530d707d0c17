import * as assert from 'node:assert/strict';
import { nodeFileSource } from '../../../src/context/nodeFileSource';
import { formatContextForPrompt } from '../../../src/context/promptFormat';
import { scanWorkspace } from '../../../src/context/scan';
import type { WorkspaceContext } from '../../../src/context/types';
import { estimateTokens } from '../../../src/context/tokens';
import { fixtureDir } from './contextFixtures';

async function scan(name: string, tokenBudget = 24_000): Promise<WorkspaceContext> {
  return scanWorkspace(nodeFileSource(fixtureDir(name)), { tokenBudget });
}

const paths = (ctx: WorkspaceContext): string[] => ctx.files.map(f => f.path);
const reasonOf = (ctx: WorkspaceContext, path: string): string | undefined => ctx.files.find(f => f.path === path)?.reason;
const skippedWhy = (ctx: WorkspaceContext, path: string): string | undefined => ctx.skipped.find(s => s.path === path)?.why;

/** `earlier` is read before `later` (rank order is the order files appear in the prompt). */
function readBefore(ctx: WorkspaceContext, earlier: string, later: string): void {
  const p = paths(ctx);
  assert.ok(p.includes(earlier) && p.includes(later), `${earlier} and ${later} should both be read: ${p.join(', ')}`);
  assert.ok(p.indexOf(earlier) < p.indexOf(later), `${earlier} should come before ${later}: ${p.join(', ')}`);
}

describe('context scan of fixture backends', () => {
  it('Node: Express + Prisma on PostgreSQL, with Prisma Migrate, an OpenAPI spec and docker compose', async () => {
    const ctx = await scan('express-prisma');
    assert.deepEqual(ctx.stack.languages, ['JavaScript']);
    assert.deepEqual(ctx.stack.frameworks, ['Express']);
    assert.deepEqual(ctx.stack.orms, ['Prisma']);
    assert.deepEqual(ctx.stack.migrationTools, ['Prisma Migrate']);
    assert.deepEqual(ctx.stack.databases, ['PostgreSQL']);
    assert.deepEqual(ctx.stack.infra, ['Docker', 'Docker Compose']);
    assert.equal(ctx.stack.summary, 'JavaScript · Express · Prisma · Prisma Migrate · PostgreSQL · Docker, Docker Compose');
    assert.deepEqual(ctx.entryPoints, ['src/index.js']);
    assert.deepEqual(ctx.routes, ['src/routes/orders.js', 'src/routes/users.js']);
    assert.deepEqual(ctx.models, ['prisma/schema.prisma']);
    assert.equal(ctx.migrations.length, 3);
    assert.deepEqual(ctx.specs, ['docs/api/openapi.yaml']);
    assert.deepEqual(ctx.deployment, ['Dockerfile', 'docker-compose.yml']);
    assert.equal(paths(ctx)[0], 'package.json');
    readBefore(ctx, 'prisma/schema.prisma', 'src/routes/users.js');
    readBefore(ctx, 'src/routes/users.js', 'src/services/orderService.js');
    readBefore(ctx, 'prisma/migrations/20240420101500_order_status/migration.sql', 'prisma/migrations/20240312093000_add_orders/migration.sql');
    readBefore(ctx, 'src/middleware/auth.js', 'test/users.test.js');
    assert.equal(reasonOf(ctx, 'prisma/schema.prisma'), 'Prisma schema (data model)');
    assert.equal(reasonOf(ctx, 'prisma/migrations/20240420101500_order_status/migration.sql'), 'Prisma migration (newest)');
    assert.equal(reasonOf(ctx, 'prisma/migrations/20240105120000_init/migration.sql'), 'Prisma migration (first)');
    assert.match(skippedWhy(ctx, 'package-lock.json') ?? '', /lock file/);
    assert.ok(!paths(ctx).includes('package-lock.json'));
    // Dev passwords in compose and the .env template are redacted too.
    const compose = ctx.files.find(f => f.path === 'docker-compose.yml')!;
    assert.equal(compose.redactions, 2);
    assert.ok(!compose.content.includes('shop-dev-password'));
  });

  it('Python: FastAPI + SQLAlchemy + Alembic on PostgreSQL, deployed to Kubernetes', async () => {
    const ctx = await scan('fastapi-sqlalchemy');
    assert.deepEqual(ctx.stack.languages, ['Python']);
    assert.deepEqual(ctx.stack.frameworks, ['FastAPI']);
    assert.deepEqual(ctx.stack.orms, ['SQLAlchemy']);
    assert.deepEqual(ctx.stack.migrationTools, ['Alembic']);
    assert.deepEqual(ctx.stack.databases, ['PostgreSQL']);
    assert.ok(ctx.stack.infra.includes('Kubernetes') && ctx.stack.infra.includes('Docker'));
    assert.deepEqual(ctx.entryPoints, ['app/main.py']);
    assert.deepEqual(ctx.routes, ['app/routers/items.py', 'app/routers/warehouses.py']);
    assert.deepEqual(ctx.models, ['app/models.py']);
    assert.deepEqual(ctx.migrations, ['alembic/versions/0001_create_warehouses.py', 'alembic/versions/0002_create_items.py']);
    assert.deepEqual(ctx.deployment, ['Dockerfile', 'k8s/deployment.yaml', 'k8s/service.yaml']);
    assert.equal(paths(ctx)[0], 'pyproject.toml');
    readBefore(ctx, 'app/models.py', 'app/routers/items.py');
    readBefore(ctx, 'app/routers/items.py', 'app/db.py');
    assert.match(skippedWhy(ctx, 'poetry.lock') ?? '', /lock file/);
    // Empty package markers are not worth a header in the prompt.
    assert.ok(!paths(ctx).includes('app/__init__.py'));
  });

  it('Java: Spring Boot + JPA + Flyway on PostgreSQL', async () => {
    const ctx = await scan('spring-flyway');
    assert.deepEqual(ctx.stack.languages, ['Java']);
    assert.deepEqual(ctx.stack.frameworks, ['Spring Boot']);
    assert.deepEqual(ctx.stack.orms, ['JPA/Hibernate']);
    assert.deepEqual(ctx.stack.migrationTools, ['Flyway']);
    assert.deepEqual(ctx.stack.databases, ['PostgreSQL']);
    const java = 'src/main/java/com/example/orders';
    assert.deepEqual(ctx.entryPoints, [`${java}/OrdersApplication.java`]);
    assert.deepEqual(ctx.routes, [`${java}/web/OrderController.java`]);
    assert.deepEqual(ctx.models, [`${java}/domain/OrderStatus.java`, `${java}/domain/PurchaseOrder.java`]);
    assert.deepEqual(ctx.migrations, ['src/main/resources/db/migration/V1__create_purchase_order.sql', 'src/main/resources/db/migration/V2__add_status.sql']);
    assert.equal(paths(ctx)[0], 'pom.xml');
    readBefore(ctx, `${java}/web/OrderController.java`, `${java}/service/OrderService.java`);
    readBefore(ctx, `${java}/service/OrderService.java`, 'src/test/java/com/example/orders/OrderControllerTest.java');
    const config = ctx.files.find(f => f.path === 'src/main/resources/application.yml')!;
    assert.equal(config.reason, 'Spring config');
    assert.equal(config.redactions, 1);
    assert.ok(!config.content.includes('orders-local-Passw0rd'));
  });

  it('Go: chi + pgx + goose, with an OpenAPI spec', async () => {
    const ctx = await scan('go-chi');
    assert.deepEqual(ctx.stack.languages, ['Go']);
    assert.deepEqual(ctx.stack.frameworks, ['chi']);
    assert.deepEqual(ctx.stack.migrationTools, ['goose']);
    assert.deepEqual(ctx.stack.databases, ['PostgreSQL']);
    assert.deepEqual(ctx.entryPoints, ['cmd/api/main.go']);
    assert.deepEqual(ctx.routes, ['internal/httpapi/handlers.go']);
    assert.deepEqual(ctx.models, ['internal/store/models.go']);
    assert.deepEqual(ctx.migrations, ['migrations/00001_create_accounts.sql', 'migrations/00002_balance_check.sql']);
    assert.deepEqual(ctx.specs, ['api/openapi.yaml']);
    assert.equal(paths(ctx)[0], 'go.mod');
    assert.match(skippedWhy(ctx, 'go.sum') ?? '', /lock file/);
  });

  it('Ruby: Rails with Active Record migrations on PostgreSQL', async () => {
    const ctx = await scan('rails');
    assert.deepEqual(ctx.stack.languages, ['Ruby']);
    assert.deepEqual(ctx.stack.frameworks, ['Rails']);
    assert.deepEqual(ctx.stack.orms, ['Active Record']);
    assert.deepEqual(ctx.stack.migrationTools, ['Rails migrations']);
    assert.deepEqual(ctx.stack.databases, ['PostgreSQL']);
    assert.ok(ctx.stack.infra.includes('Sidekiq'));
    assert.ok(ctx.routes.includes('config/routes.rb'));
    assert.ok(ctx.models.includes('db/schema.rb') && ctx.models.includes('app/models/article.rb'));
    assert.equal(paths(ctx)[0], 'Gemfile');
    readBefore(ctx, 'db/schema.rb', 'app/models/article.rb');
    readBefore(ctx, 'config/routes.rb', 'app/controllers/articles_controller.rb');
    assert.match(skippedWhy(ctx, 'Gemfile.lock') ?? '', /lock file/);
    // An ERB reference to an environment variable is not a secret value.
    assert.match(ctx.files.find(f => f.path === 'config/database.yml')!.content, /BLOG_DATABASE_PASSWORD/);
  });

  it('PHP: Laravel with Eloquent and migrations on MySQL, vendor/ not read', async () => {
    const ctx = await scan('laravel');
    assert.deepEqual(ctx.stack.languages, ['PHP']);
    assert.deepEqual(ctx.stack.frameworks, ['Laravel']);
    assert.deepEqual(ctx.stack.orms, ['Eloquent']);
    assert.deepEqual(ctx.stack.migrationTools, ['Laravel migrations']);
    assert.deepEqual(ctx.stack.databases, ['MySQL']);
    assert.ok(ctx.routes.includes('routes/api.php') && ctx.routes.includes('app/Http/Controllers/TicketController.php'));
    assert.deepEqual(ctx.models, ['app/Models/Ticket.php']);
    assert.deepEqual(ctx.migrations, ['database/migrations/2024_01_10_000000_create_tickets_table.php']);
    assert.equal(paths(ctx)[0], 'composer.json');
    assert.ok(paths(ctx).every(p => !p.startsWith('vendor/')));
    assert.match(skippedWhy(ctx, 'vendor/') ?? '', /vendored/);
    assert.match(skippedWhy(ctx, 'composer.lock') ?? '', /lock file/);
  });

  it('.NET: ASP.NET Core + EF Core on PostgreSQL, the model snapshot kept although generated', async () => {
    const ctx = await scan('dotnet-efcore');
    assert.deepEqual(ctx.stack.languages, ['C#']);
    assert.deepEqual(ctx.stack.frameworks, ['ASP.NET Core']);
    assert.deepEqual(ctx.stack.orms, ['Entity Framework Core']);
    assert.deepEqual(ctx.stack.migrationTools, ['EF Core migrations']);
    assert.deepEqual(ctx.stack.databases, ['PostgreSQL']);
    assert.deepEqual(ctx.entryPoints, ['Program.cs']);
    assert.deepEqual(ctx.routes, ['Controllers/ProductsController.cs']);
    assert.ok(paths(ctx).includes('Migrations/CatalogDbContextModelSnapshot.cs'));
    assert.equal(paths(ctx)[0], 'Catalog.Api.csproj');
    const settings = ctx.files.find(f => f.path === 'appsettings.json')!;
    assert.ok(!settings.content.includes('Catalog-Dev-2024'));
    assert.match(settings.content, /Username=catalog;Password=\[redacted\]/);
  });

  it('Python: Django + DRF, SECRET_KEY redacted from settings', async () => {
    const ctx = await scan('django-shop');
    assert.deepEqual(ctx.stack.frameworks, ['Django', 'Django REST framework']);
    assert.deepEqual(ctx.stack.orms, ['Django ORM']);
    assert.deepEqual(ctx.stack.migrationTools, ['Django migrations']);
    assert.deepEqual(ctx.stack.databases, ['PostgreSQL']);
    assert.deepEqual(ctx.routes, ['orders/urls.py', 'orders/views.py', 'shop/urls.py']);
    assert.deepEqual(ctx.models, ['orders/models.py']);
    assert.deepEqual(ctx.migrations, ['orders/migrations/0001_initial.py']);
    const settings = ctx.files.find(f => f.path === 'shop/settings.py')!;
    assert.match(settings.content, /SECRET_KEY = "\[redacted\]"/);
    assert.match(settings.content, /os\.environ\.get\("DB_PASSWORD", ""\)/);
  });

  it('fits a small budget with the most telling files and says what was left out', async () => {
    const ctx = await scan('express-prisma', 1200);
    assert.ok(ctx.tokens <= 1200, `${ctx.tokens} tokens`);
    assert.equal(ctx.tokens, estimateTokens(formatContextForPrompt(ctx)));
    assert.equal(paths(ctx)[0], 'package.json');
    assert.ok(paths(ctx).includes('prisma/schema.prisma'));
    assert.ok(!paths(ctx).includes('test/users.test.js'));
    assert.ok(ctx.notRead > 0);
    assert.ok(ctx.skipped.some(s => /token budget/.test(s.why)), JSON.stringify(ctx.skipped));
  });
});
