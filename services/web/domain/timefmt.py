"""Dates and times as people in the programme read them: in its time zone, in their language."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "da": ("jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."),
}


def parse(value: str | datetime | date | None) -> datetime | date | None:
    if value is None or isinstance(value, datetime | date):
        return value
    text = value.strip()
    if "T" in text or " " in text:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    return date.fromisoformat(text)


def day(value: str | date | datetime | None, language: str, zone: str) -> str:
    """3 Dec 2026 / 3. dec. 2026; a moment counts as the day it is in the programme's zone."""
    moment = parse(value)
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        moment = _local(moment, zone).date()
    month = _MONTHS.get(language, _MONTHS["en"])[moment.month - 1]
    if language == "da":
        return f"{moment.day}. {month} {moment.year}"
    return f"{moment.day} {month} {moment.year}"


def moment(value: str | datetime | None, language: str, zone: str) -> str:
    """A moment in the programme's zone: 3 Dec 2026 09:15 / 3. dec. 2026 kl. 09.15."""
    parsed = parse(value)
    if parsed is None:
        return ""
    if not isinstance(parsed, datetime):
        return day(parsed, language, zone)
    local = _local(parsed, zone)
    if language == "da":
        return f"{day(local, language, zone)} kl. {local:%H.%M}"
    return f"{day(local, language, zone)} {local:%H:%M}"


def _local(moment: datetime, zone: str) -> datetime:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(zone))
