"""Which changes of a contract's JSON schema stored events and running consumers can live with.

Producers and consumers deploy independently and the log keeps every event for ever, so a change at the
same `schema_version` must be readable both ways: today's code reads stored events, yesterday's
consumers read today's events. Compatible: a new optional field (with a default), a field that stops
being required, new definitions, other titles or descriptions. Everything else is breaking and needs a
new `schema_version` with an upcaster from the old one (`shared/events/registry.py`).
"""

from __future__ import annotations

from typing import Any

_WORDING = frozenset({"title", "description"})
_STRUCTURE = frozenset({"properties", "required", "$defs"})


def breaking_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What in `new` a reader or writer of `old` would trip over; [] when the change is compatible."""
    problems = _object_changes(old, new, "")
    new_defs = new.get("$defs", {})
    for name, schema in old.get("$defs", {}).items():
        if name in new_defs:  # one no longer referenced shows up as the property that referenced it
            problems += _object_changes(schema, new_defs[name], f"{name}.")
    return problems


def _object_changes(old: dict[str, Any], new: dict[str, Any], path: str) -> list[str]:
    problems = []
    old_fields, new_fields = old.get("properties", {}), new.get("properties", {})
    old_required, new_required = set(old.get("required", ())), set(new.get("required", ()))
    for name, schema in old_fields.items():
        if name not in new_fields:
            problems.append(f"{path}{name} removed")
        elif _plain(schema) != _plain(_defaulted(new_fields[name], name in old_required - new_required)):
            problems.append(f"{path}{name} changed: {_plain(schema)} -> {_plain(new_fields[name])}")
        elif name in new_required - old_required:
            problems.append(f"{path}{name} became required")
    for name in new_fields.keys() - old_fields.keys():
        if name in new_required:
            problems.append(f"{path}{name} added as required (stored events lack it)")
    shape = {k: _plain(v) for k, v in old.items() if k not in _WORDING | _STRUCTURE}
    new_shape = {k: _plain(v) for k, v in new.items() if k not in _WORDING | _STRUCTURE}
    if shape != new_shape:
        problems.append(f"{path or 'the contract'} changed shape: {shape} -> {new_shape}")
    return problems


def _defaulted(schema: dict[str, Any], no_longer_required: bool) -> dict[str, Any]:
    """A field that stops being required gains a default; every stored event has the field anyway."""
    return {k: v for k, v in schema.items() if k != "default"} if no_longer_required else schema


def _plain(schema: Any) -> Any:
    """The schema without its wording, which no reader depends on."""
    if isinstance(schema, dict):
        plain = {k: _plain(v) for k, v in schema.items() if k not in _WORDING | {"properties"}}
        if "properties" in schema:  # its keys are field names, whatever they are called
            plain["properties"] = {name: _plain(v) for name, v in schema["properties"].items()}
        return plain
    if isinstance(schema, list):
        return [_plain(v) for v in schema]
    return schema
