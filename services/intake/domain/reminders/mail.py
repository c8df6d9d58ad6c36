"""What a reminder mail says: subject, plain text and simple HTML, in Danish or English, from the
Jinja2 files beside this module. Only names, dates, counts and links: never a note, an expectation or
any other free text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.utils import formataddr
from pathlib import Path
from typing import Literal

from jinja2 import Environment, FileSystemLoader, StrictUndefined

Language = Literal["da", "en"]
LANGUAGES: tuple[Language, ...] = ("da", "en")
DEFAULT_LANGUAGE: Language = "da"

SUBJECTS: dict[Language, dict[str, str]] = {
    "da": {
        "pair_at_risk": "Påmindelse: det er et stykke tid siden jeres sidste mentorsamtale",
        "evaluation_unanswered": "Påmindelse: vi mangler dit svar på evalueringen",
        "agreement_missing": "Påmindelse: husk jeres samarbejdsaftale",
        "staff_pair_at_risk": "Par i risiko: {mentee_name} og {mentor_name}",
    },
    "en": {
        "pair_at_risk": "Reminder: it has been a while since your last mentoring session",
        "evaluation_unanswered": "Reminder: we are still missing your evaluation",
        "agreement_missing": "Reminder: please record your mentoring agreement",
        "staff_pair_at_risk": "Pair at risk: {mentee_name} and {mentor_name}",
    },
}

_POLICY = policy.default.clone(max_line_length=998)  # RFC 5322: a long link stays one header line
_HERE = Path(__file__).parent / "templates"
_TEXT = Environment(
    loader=FileSystemLoader(_HERE), autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True
)
_HTML = Environment(loader=FileSystemLoader(_HERE), autoescape=True, undefined=StrictUndefined)


def language_of(languages: Sequence[str]) -> Language:
    """A participant's mail language: the first of the languages they gave that we write in, else Danish."""
    for code in languages:
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Mail:
    """Everything one reminder mail needs; `template` is the rule, or `staff_pair_at_risk`."""

    template: str
    language: Language
    to_address: str
    to_name: str
    facts: dict[str, str | int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # the recipient's, the partner's, or the pair's
    links: dict[str, str] = field(default_factory=dict)  # pair page, opt-out, staff page


def subject(mail: Mail) -> str:
    return SUBJECTS[mail.language][mail.template].format(**mail.names)


def render(mail: Mail) -> tuple[str, str, str]:
    """Subject, plain text and HTML of the mail."""
    context = {"facts": mail.facts, "names": mail.names, "links": mail.links}
    name = f"{mail.language}/{mail.template}"
    text = _TEXT.get_template(f"{name}.txt").render(context)
    html = _HTML.get_template(f"{name}.html").render(context)
    return subject(mail), text, html


def message(mail: Mail, sender: str, message_id: str) -> EmailMessage:
    """The MIME message: plain text with an HTML alternative; its Message-ID is the reminder's, so a
    mail sent twice (see docs/intake.md) is recognisably the same mail; List-Unsubscribe when it has one."""
    title, text, html = render(mail)
    msg = EmailMessage(policy=_POLICY)
    msg["Subject"] = title
    msg["From"] = sender
    msg["To"] = formataddr((mail.to_name, mail.to_address))
    msg["Message-ID"] = message_id
    msg["Content-Language"] = mail.language
    if "opt_out" in mail.links:
        msg["List-Unsubscribe"] = f"<{mail.links['opt_out']}>"
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    return msg
