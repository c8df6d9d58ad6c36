"""Apache Kafka's jars, fetched once with Maven into a cache outside the clone, and the Java that runs them."""

from __future__ import annotations

import base64
import fcntl
import os
import re
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import structlog

log = structlog.get_logger(__name__)

KAFKA_VERSION = os.environ.get("MENTORNET_APACHE_KAFKA_VERSION", "4.4.0")
POM = Path(__file__).resolve().parents[2] / "deploy" / "apache-kafka" / "pom.xml"


class ApacheKafkaError(RuntimeError):
    """Apache Kafka could not be fetched or started; the message says why and what to do."""


def cache_root() -> Path:
    """Where fetched things are kept between clones: `MENTORNET_CACHE_DIR`, else ~/.cache/mentornet."""
    if chosen := os.environ.get("MENTORNET_CACHE_DIR"):
        return Path(chosen)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mentornet"


def java_major(java: str) -> int:
    """The major version of a `java` executable (8 for "1.8.0_x", 17 for "17.0.15")."""
    done = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    found = re.search(r'version "(\d+)(?:\.(\d+))?', done.stderr + done.stdout)
    if not found:
        raise ApacheKafkaError(f"could not read the version of {java}: {done.stderr.strip()!r}")
    major = int(found.group(1))
    return int(found.group(2) or 0) if major == 1 else major


def require_java() -> str:
    java = shutil.which("java")
    if java is None:
        raise ApacheKafkaError(
            "Apache Kafka needs Java 17 or newer and no `java` is on PATH: install one"
            " (e.g. `apt-get install openjdk-17-jre-headless`) or use the embedded broker"
        )
    major = java_major(java)
    if major < 17:
        raise ApacheKafkaError(f"Apache Kafka 4 needs Java 17 or newer; {java} is Java {major}")
    return java


def kafka_jars(version: str = KAFKA_VERSION) -> Path:
    """The folder holding Apache Kafka's jars, fetched with Maven the first time (then reused)."""
    target = cache_root() / "apache-kafka" / version
    jars = target / "jars"
    if (jars / ".complete").exists():
        return jars
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ApacheKafkaError(
            f"Apache Kafka's jars are not in {jars} yet and fetching them needs Maven: install it"
            " (e.g. `apt-get install maven`) or use the embedded broker"
        )
    if not POM.exists():
        raise ApacheKafkaError(f"{POM} is missing: run from a clone of the repository")
    target.mkdir(parents=True, exist_ok=True)
    with _locked(target / ".lock"):
        if (jars / ".complete").exists():  # another process fetched them meanwhile
            return jars
        partial = target / "jars.partial"
        shutil.rmtree(partial, ignore_errors=True)
        log.info("fetching Apache Kafka's jars", version=version, into=str(jars))
        command = [
            mvn, "-q", "-B", "-f", str(POM), "dependency:copy-dependencies",
            f"-Dkafka.version={version}", f"-DoutputDirectory={partial}", "-DincludeScope=runtime",
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, cwd=target)
        if done.returncode != 0:
            raise ApacheKafkaError(
                f"Maven could not fetch org.apache.kafka:kafka_2.13:{version}:\n"
                f"{(done.stdout + done.stderr).strip()[-3000:]}"
            )
        (partial / ".complete").write_text(version)
        shutil.rmtree(jars, ignore_errors=True)
        partial.rename(jars)
    return jars


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def new_cluster_id() -> str:
    """A KRaft cluster id: a random UUID in URL-safe base64, not starting with '-' (as Kafka's own)."""
    while True:
        text = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not text.startswith("-"):
            return text
