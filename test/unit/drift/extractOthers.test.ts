/** Route extraction on small in-memory sources: Spring, ASP.NET Core, Go, Rails and Laravel. */
import * as assert from 'node:assert/strict';
import { extract, routesOf } from './driftFixtures';

describe('drift: Spring, ASP.NET Core, Go, Rails and Laravel routes', () => {
  it('Spring: context path, property placeholders, method arrays, Kotlin; Feign clients are not routes', () => {
    const props = new Map([['server.servlet.context-path', '/shop'], ['api.base', '/v1']]);
    assert.deepEqual(routesOf({
      'OrderController.java': `@RestController
@RequestMapping("\${api.base}/orders")
public class OrderController {
  @RequestMapping(value = {"", "/"}, method = {RequestMethod.GET, RequestMethod.HEAD})
  public List<Order> list() { return null; }

  @PatchMapping(path = "/{id}")
  public Order patch(@PathVariable Long id) { return null; }
}`,
      'PaymentsClient.java': `@FeignClient(name = "payments")
public interface PaymentsClient {
  @GetMapping("/payments/{id}")
  Payment get(@PathVariable String id);
}`,
      'Health.kt': `@RestController
class Health {
  @GetMapping("/health")
  fun health() = "ok"
}`,
    }, props), ['GET /shop/health', 'GET /shop/v1/orders', 'HEAD /shop/v1/orders', 'PATCH /shop/v1/orders/{id}']);
  });

  it('ASP.NET Core: [controller] and [action] tokens, constraints, ~/ templates, minimal APIs with groups and extensions, UsePathBase', () => {
    assert.deepEqual(routesOf({
      'Program.cs': `var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.UsePathBase("/svc");
var api = app.MapGroup("/api");
api.MapGet("/todos/{id:int}", (int id) => id);
api.MapTodoAdmin();
app.MapMethods("/ping", new[] { "GET", "HEAD" }, () => "pong");
app.Run();`,
      'TodoAdmin.cs': `public static class TodoAdmin {
  public static RouteGroupBuilder MapTodoAdmin(this RouteGroupBuilder group) {
    group.MapDelete("/todos/{id:int}", (int id) => Results.NoContent());
    return group;
  }
}`,
      'ProductsController.cs': `[ApiController, Route("api/[controller]")]
public class ProductsController : ControllerBase {
  [HttpGet("{id:guid}")]
  public IActionResult Get(Guid id) => Ok();

  [HttpPost("[action]")]
  public async Task<IActionResult> ImportAsync() => Ok();

  [HttpGet("~/health")]
  public IActionResult Health() => Ok();
}`,
    }), ['DELETE /svc/api/todos/{id}', 'GET /svc/api/Products/{id}', 'GET /svc/api/todos/{id}', 'GET /svc/health', 'GET /svc/ping',
      'HEAD /svc/ping', 'POST /svc/api/Products/Import']);
  });

  it('Go net/http and gorilla/mux: method patterns, StripPrefix mounts, Methods()', () => {
    assert.deepEqual(routesOf({
      'main.go': `package main

import (
	"net/http"

	"github.com/gorilla/mux"
)

func main() {
	api := http.NewServeMux()
	api.HandleFunc("GET /items/{id}", getItem)
	api.HandleFunc("POST /items", createItem)
	http.Handle("/api/", http.StripPrefix("/api", api))
	http.HandleFunc("/healthz", health)

	r := mux.NewRouter()
	r.HandleFunc("/orders/{id:[0-9]+}", getOrder).Methods("GET", "DELETE")
	http.ListenAndServe(":8080", r)
}`,
    }), ['ALL /healthz', 'DELETE /orders/{id}', 'GET /api/items/{id}', 'GET /orders/{id}', 'POST /api/items']);
  });

  it('chi: Route closures, Mount of a router built by another function', () => {
    assert.deepEqual(routesOf({
      'main.go': `package main

import "github.com/go-chi/chi/v5"

func main() {
	r := chi.NewRouter()
	r.Route("/articles", func(r chi.Router) {
		r.Get("/", listArticles)
		r.Route("/{articleID}", func(r chi.Router) {
			r.Get("/", getArticle)
			r.Put("/", updateArticle)
		})
	})
	r.Mount("/admin", adminRouter())
}

func adminRouter() chi.Router {
	r := chi.NewRouter()
	r.Get("/stats", stats)
	return r
}`,
    }), ['GET /admin/stats', 'GET /articles', 'GET /articles/{articleID}', 'PUT /articles/{articleID}']);
  });

  it('Rails: namespaces, member and collection blocks, match via, root, concerns', () => {
    assert.deepEqual(routesOf({
      'config/routes.rb': `Rails.application.routes.draw do
  root 'home#index'
  concern :commentable do
    resources :comments, only: [:index]
  end
  namespace :api do
    namespace :v1 do
      resources :posts, only: [:show], concerns: :commentable do
        member do
          post :publish
        end
        collection do
          get 'search'
        end
      end
      match 'ping', to: 'health#ping', via: [:get, :post]
    end
  end
end`,
    }), ['GET /', 'GET /api/v1/ping', 'GET /api/v1/posts/search', 'GET /api/v1/posts/{id}', 'GET /api/v1/posts/{post_id}/comments',
      'POST /api/v1/ping', 'POST /api/v1/posts/{id}/publish']);
  });

  it('Laravel: prefix groups, array groups, apiResource, nested resources and optional parameters', () => {
    const r = extract({
      'routes/api.php': `<?php
use Illuminate\\Support\\Facades\\Route;

Route::prefix('v1')->middleware('auth:sanctum')->group(function () {
    Route::apiResource('photos', PhotoController::class)->only(['index', 'show']);
    Route::resource('photos.comments', CommentController::class)->except(['create', 'edit', 'update']);
    Route::get('search/{term?}', [SearchController::class, 'index']);
});

Route::group(['prefix' => 'admin'], function () {
    Route::any('stats', fn () => []);
});
`,
    });
    assert.deepEqual(r.routes.map(x => `${x.method} ${x.path}`).sort(), [
      'ALL /api/admin/stats', 'DELETE /api/v1/photos/{photo}/comments/{comment}', 'GET /api/v1/photos', 'GET /api/v1/photos/{photo}',
      'GET /api/v1/photos/{photo}/comments', 'GET /api/v1/photos/{photo}/comments/{comment}', 'GET /api/v1/search/{term}',
      'POST /api/v1/photos/{photo}/comments',
    ]);
  });

  it('Laravel 11: the API prefix set in bootstrap/app.php', () => {
    assert.deepEqual(routesOf({
      'bootstrap/app.php': `<?php
return Application::configure(basePath: dirname(__DIR__))
    ->withRouting(
        web: __DIR__.'/../routes/web.php',
        api: __DIR__.'/../routes/api.php',
        apiPrefix: 'api/v2',
    )
    ->create();`,
      'routes/api.php': "<?php\nRoute::get('/orders', [OrderController::class, 'index']);\n",
      'routes/web.php': "<?php\nRoute::view('/', 'welcome');\n",
    }), ['GET /', 'GET /api/v2/orders']);
  });
});
