"""Apache Kafka from its jars needs Java 17+ and (the first time) Maven: say so plainly when missing.
These run without Java; tests/cluster runs Apache Kafka itself."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from shared.embedded import apache_kafka
from shared.embedded.apache_kafka import ApacheKafkaCluster, ApacheKafkaError, kafka_jars, require_java


def fake_java(folder: Path, version_line: str) -> None:
    java = folder / "java"
    java.write_text(f"#!/bin/sh\necho '{version_line}' >&2\n")
    java.chmod(0o755)


def test_no_java_on_path_is_said_with_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ApacheKafkaError, match="Java 17 or newer and no `java` is on PATH"):
        require_java()
    with pytest.raises(ApacheKafkaError, match="Java 17"):
        ApacheKafkaCluster(tmp_path / "data").start()
    assert not (tmp_path / "data").exists()  # nothing was laid out


@pytest.mark.parametrize(
    ("line", "major"), [('openjdk version "11.0.2" 2019-01-15', 11), ('java version "1.8.0_292"', 8)]
)
def test_an_old_java_is_refused_with_its_version(tmp_path, monkeypatch, line, major):
    fake_java(tmp_path, line)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ApacheKafkaError, match=f"needs Java 17 or newer; .* is Java {major}$"):
        require_java()


def test_java_17_and_later_are_accepted(tmp_path, monkeypatch):
    fake_java(tmp_path, 'openjdk version "21.0.1" 2023-10-17')
    monkeypatch.setenv("PATH", str(tmp_path))
    assert require_java() == str(tmp_path / "java")


def test_without_cached_jars_maven_is_needed_and_said(tmp_path, monkeypatch):
    monkeypatch.setenv("MENTORNET_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ApacheKafkaError, match="fetching them needs Maven"):
        kafka_jars("4.4.0")


def test_cached_jars_are_used_without_maven(tmp_path, monkeypatch):
    monkeypatch.setenv("MENTORNET_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PATH", str(tmp_path))
    jars = tmp_path / "cache" / "apache-kafka" / "4.4.0" / "jars"
    jars.mkdir(parents=True)
    (jars / ".complete").write_text("4.4.0")
    assert kafka_jars("4.4.0") == jars


def test_the_jars_are_cached_outside_the_clone_and_the_pom_is_in_it():
    assert apache_kafka.POM.is_file()
    clone = Path(__file__).resolve().parents[2]
    assert clone not in apache_kafka.cache_root().resolve().parents


def test_cluster_ids_are_kraft_shaped():
    for _ in range(200):
        cluster_id = apache_kafka.new_cluster_id()
        assert len(cluster_id) == 22 and not cluster_id.startswith("-")
        assert len(base64.urlsafe_b64decode(cluster_id + "==")) == 16
