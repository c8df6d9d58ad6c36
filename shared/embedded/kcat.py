"""Running Debian's kcat against the embedded broker.

Debian 12's kcat is linked to librdkafka 2.0.2, which cannot parse tansu's ApiVersions v3 reply
("Read underflow"); librdkafka 2.6 and newer can. The confluent-kafka wheel ships a current
librdkafka, so kcat is run with that library preloaded: same kcat, current protocol code. That newer
library warns that kcat sets a deprecated property (`api.version.request`) on every call; that warning is
about kcat, not about anything the user did, so it is left out.

Against Apache Kafka with SASL, kcat signs in with MENTORNET_KAFKA_SECURITY_PROTOCOL, _SASL_MECHANISM,
_USERNAME and _PASSWORD (the operator's, as every `mentornet` command), read from a file of mode 600 (`-F`)
so the password never shows on a command line.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from shared.settings import ServiceSettings


class KcatUnavailable(RuntimeError):
    """kcat or a current librdkafka is missing; the message says how to get it."""


def current_librdkafka() -> Path:
    try:
        import confluent_kafka
    except ImportError as error:
        raise KcatUnavailable(
            "kcat needs the confluent-kafka wheel (a current librdkafka), a development-only extra: "
            "pip install -e '.[embedded]' (python3 dev.py does)"
        ) from error
    package = Path(confluent_kafka.__file__).resolve().parent
    found = sorted(glob.glob(str(package.parent / "confluent_kafka.libs" / "librdkafka*.so*")))
    if not found:
        raise KcatUnavailable(f"no librdkafka shipped beside {package}")
    return Path(found[0])


def kcat_command(bootstrap: str, args: list[str]) -> tuple[list[str], dict[str, str]]:
    """The command line and environment that run kcat against `bootstrap` with a current librdkafka."""
    kcat = shutil.which("kcat") or shutil.which("kafkacat")
    if kcat is None:
        raise KcatUnavailable("kcat is not installed: apt-get install kcat")
    env = {**os.environ, "LD_PRELOAD": str(current_librdkafka())}
    return [kcat, "-b", bootstrap, *args], env


@contextmanager
def sign_in_file(settings: ServiceSettings) -> Iterator[list[str]]:
    """kcat's `-F FILE` with the SASL properties while the block runs (removed after), or nothing."""
    if settings.kafka_security_protocol == "PLAINTEXT":
        yield []
        return
    with tempfile.NamedTemporaryFile("w", prefix="mentornet-kcat-", suffix=".conf") as config:  # mode 600
        config.write(
            f"security.protocol={settings.kafka_security_protocol}\n"
            f"sasl.mechanisms={settings.kafka_sasl_mechanism}\n"
            f"sasl.username={settings.kafka_username}\n"
            f"sasl.password={settings.kafka_password.get_secret_value()}\n"
        )
        config.flush()
        yield ["-F", config.name]


def _kcat_noise(line: bytes) -> bool:
    return b"CONFWARN" in line and b"is deprecated" in line


def run_kcat(bootstrap: str, args: list[str]) -> int:
    """Run kcat against `bootstrap`, passing its output through except librdkafka's deprecation warning."""
    with sign_in_file(ServiceSettings(kafka_bootstrap=bootstrap)) as config:
        return _run([*config, *args], bootstrap)


def _run(args: list[str], bootstrap: str) -> int:
    command, env = kcat_command(bootstrap, args)
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE)
    assert process.stderr is not None
    try:
        for line in process.stderr:
            if not _kcat_noise(line):
                sys.stderr.buffer.write(line)
                sys.stderr.buffer.flush()
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        return process.wait()
