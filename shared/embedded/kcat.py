"""Running Debian's kcat against the embedded broker.

Debian 12's kcat is linked to librdkafka 2.0.2, which cannot parse tansu's ApiVersions v3 reply
("Read underflow"); librdkafka 2.6 and newer can. The confluent-kafka wheel ships a current
librdkafka, so kcat is run with that library preloaded: same kcat, current protocol code.
"""

from __future__ import annotations

import glob
import os
import shutil
from pathlib import Path


class KcatUnavailable(RuntimeError):
    """kcat or a current librdkafka is missing; the message says how to get it."""


def current_librdkafka() -> Path:
    try:
        import confluent_kafka
    except ImportError as error:
        raise KcatUnavailable("the confluent-kafka wheel (a current librdkafka) is not installed") from error
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
