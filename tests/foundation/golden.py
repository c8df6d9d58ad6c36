"""Golden JSON schemas of every contract, and the stored old events beside them.

    python -m tests.foundation.golden      pin new contracts, new versions and compatible changes

`contracts/<Type>.v<N>.schema.json` pins version N of a contract; once written, only compatible changes
(shared/events/compatibility.py) may update it: a breaking one is refused until `SCHEMA_VERSION` is
raised, which pins a new file and keeps the old one. `contracts/examples/<Type>.v<N>[.what].json` are
events as they were stored at version N; today's code must read every one of them (through the
upcasters for older versions).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from shared.events import Event, UndecodableEvent
from shared.events.compatibility import breaking_changes
from shared.events.registry import EVENT_TYPES, UPCASTERS, NewerSchemaVersion, read_event

FOLDER = Path(__file__).parent / "contracts"
_PINNED = re.compile(r"^(\w+)\.v(\d+)\.schema\.json$")
_EXAMPLE = re.compile(r"^(\w+)\.v(\d+)(?:\.[\w-]+)?\.json$")


def schema_of(contract: type[Event]) -> dict[str, Any]:
    return contract.model_json_schema()


def pinned_path(folder: Path, name: str, version: int) -> Path:
    return folder / f"{name}.v{version}.schema.json"


def pinned(folder: Path) -> dict[tuple[str, int], Path]:
    found = {}
    for path in folder.glob("*.schema.json"):
        if match := _PINNED.match(path.name):
            found[(match.group(1), int(match.group(2)))] = path
    return found


def examples(folder: Path) -> dict[Path, tuple[str, int]]:
    found = {}
    for path in sorted((folder / "examples").glob("*.json")):
        if match := _EXAMPLE.match(path.name):
            found[path] = (match.group(1), int(match.group(2)))
    return found


def problems(
    contracts: Mapping[str, type[Event]] = EVENT_TYPES,
    upcasters: Mapping[tuple[str, int], Any] = UPCASTERS,
    folder: Path = FOLDER,
) -> list[str]:
    """Everything that keeps today's contracts from matching their pins and reading their stored events."""
    found: list[str] = []
    for name, contract in sorted(contracts.items()):
        version = contract.SCHEMA_VERSION
        path = pinned_path(folder, name, version)
        if not path.exists():
            found.append(f"{name} v{version} is not pinned: run `python -m tests.foundation.golden`")
            continue
        was, now = json.loads(path.read_text()), schema_of(contract)
        if was == now:
            continue
        breaking = breaking_changes(was, now)
        if breaking:
            found.append(
                f"{name} v{version} changed incompatibly ({'; '.join(breaking)}): raise its SCHEMA_VERSION, "
                f"add an upcaster from v{version} and store a v{version} event in examples/"
            )
        else:
            found.append(
                f"{name} v{version} changed compatibly: pin it with `python -m tests.foundation.golden`"
            )
    stored = examples(folder)
    for name, version in sorted(pinned(folder)):
        contract = contracts.get(name)
        if contract is None:
            found.append(f"{name} is pinned but no longer a contract: its stored events would be skipped")
            continue
        if version > contract.SCHEMA_VERSION:
            found.append(f"{name} v{version} is pinned but the code is at v{contract.SCHEMA_VERSION}")
        for step in range(version, contract.SCHEMA_VERSION):
            if (name, step) not in upcasters:
                found.append(f"{name}: stored v{version} events cannot be read: no upcaster from v{step}")
        if (name, version) not in stored.values():
            found.append(f"{name} v{version}: no stored event in {folder.name}/examples/ to test reading it")
    for path, (name, _version) in stored.items():
        found += _unreadable(path, contracts.get(name))
    return found


def _unreadable(path: Path, contract: type[Event] | None) -> list[str]:
    try:
        event = read_event(path.read_bytes())
    except (UndecodableEvent, NewerSchemaVersion) as error:
        return [f"{path.name} can no longer be read: {error}"]
    if contract is None or not isinstance(event, contract):
        return [f"{path.name} reads as {type(event).__name__}, not a current contract"]
    if event.schema_version != contract.SCHEMA_VERSION:
        return [f"{path.name} reads as v{event.schema_version}, not v{contract.SCHEMA_VERSION}"]
    return []


def update(
    contracts: Mapping[str, type[Event]] = EVENT_TYPES, folder: Path = FOLDER
) -> tuple[list[str], list[str]]:
    """Pin what is new or compatibly changed; returns (what was written, what was refused and why)."""
    written, refused = [], []
    for name, contract in sorted(contracts.items()):
        path = pinned_path(folder, name, contract.SCHEMA_VERSION)
        now = schema_of(contract)
        if path.exists():
            was = json.loads(path.read_text())
            if was == now:
                continue
            breaking = breaking_changes(was, now)
            if breaking:
                refused.append(f"{path.name}: {'; '.join(breaking)}: raise {name}.SCHEMA_VERSION instead")
                continue
        path.write_text(json.dumps(now, indent=2, sort_keys=True) + "\n")
        written.append(path.name)
    return written, refused


def main() -> int:
    written, refused = update()
    for name in written:
        print(f"pinned {name}")
    for reason in refused:
        print(f"refused {reason}", file=sys.stderr)
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
