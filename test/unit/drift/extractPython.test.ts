/** Route extraction on small in-memory sources: FastAPI, Flask and Django REST framework. */
import * as assert from 'node:assert/strict';
import { extract, routesOf } from './driftFixtures';

describe('drift: FastAPI, Flask and Django routes', () => {
  it('FastAPI: router prefixes, include prefixes, f-strings with settings, api_route and add_api_route', () => {
    assert.deepEqual(routesOf({
      'app/core/config.py': 'API_V1_STR: str = "/api/v1"\n',
      'app/main.py': `from fastapi import FastAPI
from app.core.config import API_V1_STR
from app.routers import items

app = FastAPI()
app.include_router(items.router, prefix=f"{API_V1_STR}/shop")

@app.api_route("/ping", methods=["GET", "HEAD"])
def ping():
    return "pong"

app.add_api_route("/status", status, methods=["GET"])
`,
      'app/routers/items.py': `from fastapi import APIRouter

router = APIRouter(prefix="/items", tags=["items"])

@router.get("/{item_id}")
async def read_item(item_id: int):
    return {}

@router.put(
    "/{item_id}",
    status_code=200,
)
async def update_item(item_id: int):
    return {}
`,
    }), ['GET /api/v1/shop/items/{item_id}', 'GET /ping', 'GET /status', 'HEAD /ping', 'PUT /api/v1/shop/items/{item_id}']);
  });

  it('Flask: a blueprint\'s own url_prefix, replaced when it is registered with one; MethodView and flask-restful methods', () => {
    assert.deepEqual(routesOf({
      'shop/__init__.py': `from flask import Flask
from flask_restful import Api
from .views import admin, bp, ItemAPI, Todo

app = Flask(__name__)
app.register_blueprint(bp)
app.register_blueprint(admin, url_prefix="/backoffice")
app.add_url_rule("/items/<int:item_id>", view_func=ItemAPI.as_view("item"))
api = Api(app, prefix="/rest")
api.add_resource(Todo, "/todos/<todo_id>")
`,
      'shop/views.py': `from flask import Blueprint
from flask.views import MethodView
from flask_restful import Resource

bp = Blueprint("shop", __name__, url_prefix="/shop")
admin = Blueprint("admin", __name__, url_prefix="/admin")

@bp.get("/cart")
def cart():
    return {}

@bp.route("/cart/<int:line>", methods=["PUT", "PATCH", "DELETE"])
def cart_line(line):
    return {}

@admin.route("/stats")
def stats():
    return {}

class ItemAPI(MethodView):
    def get(self, item_id):
        return {}

    def delete(self, item_id):
        return {}

class Todo(Resource):
    def get(self, todo_id):
        return {}

    def put(self, todo_id):
        return {}
`,
    }), ['DELETE /items/{item_id}', 'DELETE /shop/cart/{line}', 'GET /backoffice/stats', 'GET /items/{item_id}', 'GET /rest/todos/{todo_id}',
      'GET /shop/cart', 'PATCH /shop/cart/{line}', 'PUT /rest/todos/{todo_id}', 'PUT /shop/cart/{line}']);
  });

  it('Django: path() converters under include(), @api_view methods, a ModelViewSet with an @action', () => {
    const r = extract({
      'site/settings.py': 'ROOT_URLCONF = "site.urls"\n',
      'site/urls.py': `from django.urls import include, path

urlpatterns = [
    path("api/", include("shop.urls")),
]
`,
      'shop/urls.py': `from django.urls import include, path
from rest_framework.routers import SimpleRouter
from . import views

router = SimpleRouter()
router.register("orders", views.OrderViewSet, basename="order")

urlpatterns = [
    path("items/<int:pk>/", views.item_detail),
    path("", include(router.urls)),
]
`,
      'shop/views.py': `from rest_framework import viewsets
from rest_framework.decorators import action, api_view

@api_view(["GET", "DELETE"])
def item_detail(request, pk):
    return None

class OrderViewSet(viewsets.ModelViewSet):
    lookup_field = "number"

    @action(detail=True, methods=["post"], url_path="cancel")
    def cancel(self, request, number=None):
        return None
`,
    });
    assert.deepEqual(r.routes.map(x => `${x.method} ${x.path}`).sort(), [
      'DELETE /api/items/{pk}', 'DELETE /api/orders/{number}', 'GET /api/items/{pk}', 'GET /api/orders', 'GET /api/orders/{number}',
      'PATCH /api/orders/{number}', 'POST /api/orders', 'POST /api/orders/{number}/cancel', 'PUT /api/orders/{number}',
    ]);
    assert.deepEqual(r.notes, []);
  });
});
