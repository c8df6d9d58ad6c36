"""The broker's ACLs come from shared/topics.py: each service writes only what it produces, reads only
what it consumes (tests/cluster/test_authorization.py asks a real Apache Kafka the same)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from shared.messaging.acls import SERVICE_USERS, USERS, Acl, Operation, Pattern, Resource, acls, writers
from shared.messaging.kafka import client_options, faststream_security
from shared.settings import ServiceSettings
from shared.topics import (
    ALL_TOPICS,
    DEAD_LETTER,
    INTAKE,
    MATCHING,
    PARKED,
    SESSIONS,
    consumed_by,
    uses_broker,
)


def topics_with(user: str, operation: Operation, prefix: str = "") -> set[str]:
    return {
        a.name
        for a in acls(prefix)
        if a.user == user and a.resource is Resource.TOPIC and a.operation is operation
    }


def test_each_service_may_write_only_its_own_topic_and_where_consumers_put_what_failed():
    failed = {DEAD_LETTER.base_name, PARKED.base_name}
    assert topics_with("intake", Operation.WRITE) == {INTAKE.base_name} | failed  # it consumes too
    assert topics_with("matching", Operation.WRITE) == {MATCHING.base_name} | failed
    assert topics_with("sessions", Operation.WRITE) == {SESSIONS.base_name} | failed
    assert topics_with("reporting", Operation.WRITE) == failed  # it produces nothing, but dead-letters
    assert all(writers(topic) == (topic.producer,) for topic in (INTAKE, MATCHING, SESSIONS))


def test_each_service_reads_what_it_consumes_in_groups_named_after_it():
    for user in SERVICE_USERS:
        assert topics_with(user, Operation.READ, "t1.") == {t.name("t1.") for t in consumed_by(user)}
        groups = {a for a in acls("t1.") if a.user == user and a.resource is Resource.GROUP}
        expected = {Acl(user, Resource.GROUP, f"t1.mentornet-{user}", Pattern.PREFIXED, Operation.READ)}
        assert groups == (expected if consumed_by(user) else set())


def test_only_services_that_produce_or_consume_events_are_broker_users():
    assert SERVICE_USERS == ("intake", "matching", "sessions", "reporting")
    assert USERS == ("admin", "broker", *SERVICE_USERS)  # deploy/apache-kafka/format-with-users.sh's order
    assert not uses_broker("web") and "web" not in USERS  # it reads the services' APIs, not their events
    assert not [acl for acl in acls() if acl.user == "web"]
    assert all(uses_broker(user) for user in SERVICE_USERS)


def test_nobody_but_the_operator_may_alter_a_topic_it_does_not_write_and_every_acl_names_a_service():
    for acl in acls():
        assert acl.user in SERVICE_USERS
        if acl.operation is Operation.ALTER_CONFIGS:
            topic = next(t for t in ALL_TOPICS if t.name() == acl.name)
            assert acl.user in writers(topic)
    assert set(USERS) == {"admin", "broker", *SERVICE_USERS}


def test_sasl_settings_need_credentials_and_never_show_the_password():
    with pytest.raises(ValidationError, match="MENTORNET_KAFKA_USERNAME"):
        ServiceSettings(kafka_security_protocol="SASL_PLAINTEXT")
    settings = ServiceSettings(
        kafka_security_protocol="SASL_PLAINTEXT", kafka_username="intake", kafka_password="s3cret-pw"
    )
    assert "s3cret-pw" not in repr(settings) and "s3cret-pw" not in str(settings.model_dump())
    options = client_options(settings)
    assert options["sasl_plain_username"] == "intake" and options["sasl_plain_password"] == "s3cret-pw"
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    security = faststream_security(settings)
    assert security is not None and security.username == "intake"  # type: ignore[attr-defined]
    assert client_options(ServiceSettings()) == {"bootstrap_servers": "127.0.0.1:9092"}  # tansu: no SASL
    assert faststream_security(ServiceSettings()) is None
