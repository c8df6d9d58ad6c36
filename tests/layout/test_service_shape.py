"""Every service has the one shape the README describes, and its flow table matches what it serves.

Someone who learnt one service finds their way in the next: the same folders for the same parts,
the same rules about who may import whom, and `flow.py` naming every consumed event's handler and
every endpoint's use case.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from shared.topics import consumed_by, topic_of

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "matching", "sessions", "reporting", "web")
ROOT_MODULES = {"__init__.py", "__main__.py", "app.py", "settings.py", "flow.py"}
FOLDERS = {"domain", "service_layer", "store", "entrypoints", "migrations"}
MAX_LINES = 300
# who may not import whom inside a service: the domain stays pure, use cases know no HTTP
FORBIDDEN = {
    "domain": (
        "asyncpg",
        "fastapi",
        "starlette",
        "aiokafka",
        "faststream",
        "store",
        "service_layer",
        "entrypoints",
    ),
    "service_layer": ("fastapi", "starlette", "entrypoints"),
    "store": ("fastapi", "starlette", "service_layer", "entrypoints"),
}


def folder(service: str) -> Path:
    return ROOT / "services" / service


def python_files(base: Path) -> list[Path]:
    return sorted(p for p in base.rglob("*.py") if "__pycache__" not in p.parts)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, anywhere in it except under `if TYPE_CHECKING:`."""
    tree = ast.parse(path.read_text(), str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


@pytest.mark.parametrize("service", SERVICES)
def test_the_same_folders_and_root_modules(service):
    base = folder(service)
    root_modules = {p.name for p in base.glob("*.py")}
    folders = {p.name for p in base.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert root_modules - ROOT_MODULES == set(), "only app, settings, flow and __main__ at the top"
    assert {"app.py", "settings.py", "flow.py"} <= root_modules
    assert folders == FOLDERS
    assert (base / "entrypoints" / "http" / "__init__.py").exists()
    assert list((base / "migrations").glob("0001_*.sql"))


@pytest.mark.parametrize("service", SERVICES)
def test_modules_stay_small(service):
    long = {
        str(p.relative_to(ROOT)): n
        for p in python_files(folder(service))
        if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


@pytest.mark.parametrize("service", SERVICES)
def test_layers_import_only_downwards(service):
    wrong = []
    for layer, banned in FORBIDDEN.items():
        for path in python_files(folder(service) / layer):
            for name in imports_of(path):
                for ban in banned:
                    own = f"services.{service}.{ban}"
                    if name == ban or name.startswith(f"{ban}.") or name == own or name.startswith(f"{own}."):
                        wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    assert wrong == []


def test_services_import_no_other_service():
    wrong = [
        f"{path.relative_to(ROOT)} imports {name}"
        for service in SERVICES
        for path in python_files(folder(service))
        for name in imports_of(path)
        if name.startswith("services.") and not name.startswith(f"services.{service}")
    ]
    assert wrong == []


def test_no_import_cycles():
    paths = python_files(ROOT / "shared") + python_files(ROOT / "services")
    modules = {module_name(p): p for p in paths}
    # `from package import module` is an edge to the module, not to the package's __init__
    graph = {
        name: {
            imported
            for imported in imports_of(path)
            if imported in modules
            and imported != name
            and not any(other.startswith(f"{imported}.") for other in imports_of(path) if other in modules)
        }
        for name, path in modules.items()
    }
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                walk(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            walk(node)
    assert cycles == []


def api_routes(service: str) -> dict[str, object]:
    """ "METHOD /path" -> endpoint for every API route the service's app serves (not shared probes)."""
    app = importlib.import_module(f"services.{service}.app").create_app()
    found: dict[str, object] = {}
    for context in iter_route_contexts(app.routes):
        if not isinstance(context.route, APIRoute) or context.endpoint.__module__.startswith("shared."):
            continue
        for method in sorted(set(context.methods or ()) - {"HEAD", "OPTIONS"}):
            found[f"{method} {context.path}"] = context.endpoint
    return found


def defined_in_service_layer(service: str, target: object) -> bool:
    module = inspect.getmodule(inspect.unwrap(target))  # type: ignore[arg-type]
    return module is not None and module.__name__.startswith(f"services.{service}.service_layer")


@pytest.mark.parametrize("service", SERVICES)
def test_flow_names_a_use_case_for_every_endpoint(service):
    flow = importlib.import_module(f"services.{service}.flow")
    http = {key for key in flow.COMMANDS if not key.startswith("cli ")}
    assert http == set(api_routes(service))
    not_use_cases = [k for k, v in flow.COMMANDS.items() if not defined_in_service_layer(service, v)]
    assert not_use_cases == []


@pytest.mark.parametrize("service", SERVICES)
def test_flow_names_a_handler_for_every_consumed_event(service):
    flow = importlib.import_module(f"services.{service}.flow")
    topics = {t.base_name for t in consumed_by(service)}
    handlers = flow.EVENT_HANDLERS
    if not topics:
        assert handlers == {}
        return
    assert handlers, "a consuming service names its handlers"
    for event_type, chosen in handlers.items():
        sample = event_type.model_construct()
        assert topic_of(sample).base_name in topics, f"{event_type.__name__} is not on a topic it consumes"
        assert chosen and all(defined_in_service_layer(service, h) for h in chosen)
