"""The operator's commands of `mentornet`: status, dead-letters, rebuild, asyncapi, kafka-acls.

They ask each service's HTTP API (never its database) and read the broker without a consumer group.
Service addresses are the embedded stack's (MENTORNET_HOST and MENTORNET_<SERVICE>_PORT), or
`--url SERVICE=URL` for each one elsewhere.
"""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import httpx
import typer

from shared import asyncapi
from shared.embedded.peek import BrokerUnreachable, require_broker
from shared.embedded.stack import SERVICES, StackSettings, stack_broker
from shared.logging import configure_logging
from shared.messaging import acls, dead_letters
from shared.settings import ServiceSettings
from shared.status import gather

Bootstrap = Annotated[
    str | None,
    typer.Option(help="host:port [default: MENTORNET_KAFKA_BOOTSTRAP, else 127.0.0.1:MENTORNET_KAFKA_PORT]"),
]
Prefix = Annotated[
    str, typer.Option(envvar="MENTORNET_TOPIC_PREFIX", help="topic prefix, if the stack uses one")
]
Urls = Annotated[
    list[str] | None,
    typer.Option(
        "--url", help="SERVICE=URL where a service answers (repeatable) [default: the stack's ports]"
    ),
]
AsJson = Annotated[bool, typer.Option("--json", help="One JSON document instead of lines")]


def service_urls(given: list[str] | None) -> dict[str, str]:
    stack = StackSettings()
    urls = {name: f"http://{stack.host}:{stack.port_of(name)}" for name in SERVICES}
    for item in given or ():
        name, sep, url = item.partition("=")
        if not sep or name not in urls:
            raise typer.BadParameter(f"{item!r}: expected SERVICE=URL, SERVICE one of {', '.join(SERVICES)}")
        urls[name] = url
    return urls


def _settings(bootstrap: str | None, prefix: str) -> ServiceSettings:
    address = bootstrap or stack_broker()
    try:
        require_broker(address)
    except BrokerUnreachable as error:
        print(error, file=sys.stderr)
        raise typer.Exit(2) from error
    return ServiceSettings(kafka_bootstrap=address, topic_prefix=prefix)


def register(app: typer.Typer) -> None:
    app.command()(status)
    app.command()(rebuild)
    app.command("asyncapi")(asyncapi_command)
    app.command("kafka-acls")(kafka_acls)
    letters = typer.Typer(help="Events a consumer kept failing: inspect them, send them back once fixed")
    letters.command("list")(dead_letters_list)
    letters.command("show")(dead_letters_show)
    letters.command("replay")(dead_letters_replay)
    app.add_typer(letters, name="dead-letters")


def kafka_acls(bootstrap: Bootstrap = None, topic_prefix: Prefix = "") -> None:
    """Apache Kafka: lay down every service's ACLs (derived from shared/topics.py), as the operator
    signed in with MENTORNET_KAFKA_SECURITY_PROTOCOL, _USERNAME and _PASSWORD. Safe to repeat."""
    configure_logging("console", "error")
    settings = _settings(bootstrap, topic_prefix)
    if settings.kafka_security_protocol == "PLAINTEXT":
        print("the broker is reached without signing in (PLAINTEXT): no ACLs to lay down", file=sys.stderr)
        raise typer.Exit(2)
    created = asyncio.run(acls.apply(settings))
    for user in acls.SERVICE_USERS:
        print(f"{user}: {sum(1 for acl in created if acl.user == user)} ACL(s)")
    print(f"{len(created)} ACL(s) in place on every broker")


def status(
    url: Urls = None, as_json: AsJson = False, bootstrap: Bootstrap = None, topic_prefix: Prefix = ""
) -> None:
    """Per service: up and ready, outbox pending, consumer lag per group and partition, dead letters waiting."""
    configure_logging("console", "error")
    settings = _settings(bootstrap, topic_prefix)
    found = asyncio.run(gather(settings, service_urls(url)))
    if as_json:
        print(json.dumps([s.as_dict() for s in found], indent=2))
        return
    for service in found:
        for line in service.lines():
            print(line)


def rebuild(
    service: Annotated[str, typer.Argument(help=f"one of {', '.join(SERVICES)}")],
    url: Urls = None,
    token: Annotated[str | None, typer.Option(envvar="MENTORNET_ADMIN_TOKEN", help="the staff token")] = None,
) -> None:
    """Empty SERVICE's projections and replay the topics it consumes from offset 0 (it keeps running)."""
    urls = service_urls(url)
    if service not in urls:
        print(f"unknown service {service!r}: one of {', '.join(urls)}", file=sys.stderr)
        raise typer.Exit(2)
    base = urls[service].rstrip("/")
    staff = {"Authorization": f"Bearer {token or StackSettings().admin_token}"}
    try:
        with httpx.Client(timeout=httpx.Timeout(5, read=3_600)) as client:
            where = client.get(f"{base}/ops/status").json()["rebuild_path"]
            answer = client.post(f"{base}{where}", headers=staff)
    except httpx.HTTPError as error:
        print(f"{service} does not answer at {base}: {error}", file=sys.stderr)
        raise typer.Exit(2) from error
    if answer.status_code != 200:
        print(f"{service} refused the rebuild: {answer.status_code} {answer.text}", file=sys.stderr)
        raise typer.Exit(1)
    done = answer.json()
    if done.get("note"):
        print(done["note"])
        return
    print(
        f"{service} rebuilt from {done['read']} records: {done['applied']} events applied, "
        f"{done['duplicates']} duplicates, {done['skipped']} skipped, {done['dead_lettered']} dead-lettered, "
        f"in {done['seconds']} s"
    )


def asyncapi_command(
    out: Annotated[Path, typer.Option(help="where to write it")] = asyncapi.DOCS_FILE,
    check: Annotated[bool, typer.Option("--check", help="only say whether the file is up to date")] = False,
) -> None:
    """Write the AsyncAPI document of every topic and event (docs/asyncapi.json), from the contracts."""
    if check:
        current = out.read_text() if out.exists() else ""
        if current != asyncapi.dumps(asyncapi.document()):
            print(f"{out} is out of date: run `mentornet asyncapi`", file=sys.stderr)
            raise typer.Exit(1)
        print(f"{out} is up to date")
        return
    asyncapi.write(out)
    print(f"wrote {out}")


def dead_letters_list(
    group: Annotated[str | None, typer.Option(help="only this consumer group's")] = None,
    as_json: AsJson = False,
    bootstrap: Bootstrap = None,
    topic_prefix: Prefix = "",
) -> None:
    """Every dead letter: id (its offset), original topic, group, error, age, and whether it was replayed."""
    configure_logging("console", "error")
    found = asyncio.run(dead_letters.list_dead_letters(_settings(bootstrap, topic_prefix)))
    found = [d for d in found if group is None or d.group == group]
    if as_json:
        print(json.dumps([d.facts() for d in found], indent=2))
        return
    now = datetime.now(UTC)
    for d in found:
        state = f"replayed {dead_letters.age(now - d.replayed.at)} ago" if d.replayed else "waiting"
        print(
            f"{d.offset} {d.envelope.get('event_type', '?')} from {d.topic}[{d.partition}]@{d.original_offset} "
            f"group {d.group}, {d.age(now)} ago, {state}: {d.error}"
        )
    waiting = sum(1 for d in found if d.replayed is None)
    print(f"{len(found)} dead letter(s), {waiting} waiting")


def dead_letters_show(
    dead_letter_id: Annotated[int, typer.Argument(metavar="ID", help="its offset on the dead-letter topic")],
    as_json: AsJson = False,
    bootstrap: Bootstrap = None,
    topic_prefix: Prefix = "",
) -> None:
    """One dead letter: where it came from, the error, its headers and the event's envelope and ids."""
    configure_logging("console", "error")
    found = asyncio.run(dead_letters.list_dead_letters(_settings(bootstrap, topic_prefix)))
    letter = next((d for d in found if d.offset == dead_letter_id), None)
    if letter is None:
        print(f"no dead letter {dead_letter_id}: `mentornet dead-letters list` shows them", file=sys.stderr)
        raise typer.Exit(2)
    facts = letter.facts()
    if as_json:
        print(json.dumps(facts, indent=2))
        return
    for name in ("id", "original_topic", "original_partition", "original_offset", "consumer_group", "key"):
        print(f"{name}: {facts[name]}")
    print(f"dead-lettered at: {facts['dead_lettered_at']} ({letter.age()} ago)")
    print(f"replayed at: {facts['replayed_at'] or 'not yet'}")
    print(f"error: {facts['error']}")
    for name, value in facts["headers"].items():
        print(f"header {name}: {value}")
    for name, value in facts["event"].items():
        print(f"event {name}: {value}")


def dead_letters_replay(
    ids: Annotated[
        list[int] | None, typer.Argument(metavar="[ID]...", help="dead letters to send back")
    ] = None,
    group: Annotated[str | None, typer.Option(help="every waiting dead letter of this group")] = None,
    bootstrap: Bootstrap = None,
    topic_prefix: Prefix = "",
) -> None:
    """Once the consumer is fixed: send dead letters back to their topic and key; their group applies each once."""
    configure_logging("console", "error")
    if not ids and group is None:
        print("name the dead letters (IDs) or --group GROUP", file=sys.stderr)
        raise typer.Exit(2)
    outcome = asyncio.run(dead_letters.replay(_settings(bootstrap, topic_prefix), ids or (), group))
    for d in outcome.sent:
        print(f"replayed {d.offset} to {d.topic} for group {d.group}")
    for d in outcome.already:
        assert d.replayed is not None
        print(f"{d.offset} was replayed already at {d.replayed.at.isoformat()}: not sent again")
    for offset in outcome.unknown:
        print(f"no dead letter {offset}")
    print(f"{len(outcome.sent)} dead letter(s) replayed")
    if outcome.unknown:
        raise typer.Exit(2)
