"""The erasure tests reuse intake's running-service fixture (one intake per module)."""

from tests.intake.conftest import intake

__all__ = ["intake"]
