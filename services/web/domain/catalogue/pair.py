"""Texts of the mentor's and mentee's pages (a pair's personal link)."""

TEXT: dict[str, dict[str, str]] = {
    "en": {},
    "da": {},
}
