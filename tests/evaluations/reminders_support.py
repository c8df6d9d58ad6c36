"""A running intake with a real SMTP server (the dev stack's embedded one, aiosmtpd in a child process)
for the reminder tests, and the pairs and sessions it learns from the topics."""

from __future__ import annotations

import email
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from email.message import Message
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from shared.embedded.ports import free_port
from shared.embedded.smtp import EmbeddedSmtp, kept_mails
from shared.events import (
    AgreementRecorded,
    EvaluationOpened,
    EvaluationScores,
    EvaluationSubmitted,
    Event,
    PairMatched,
    SessionHeld,
    decode,
)
from tests.intake.conftest import ADMIN, intake_settings
from tests.intake.payloads import mentee, mentor
from tests.support.backends import Postgres
from tests.support.events import publish
from tests.support.services import eventually, run_service


@dataclass
class Mailed:
    to: str
    subject: str
    text: str
    html: str
    message: Message


def mails(maildir: Path) -> list[Mailed]:
    """Every mail the SMTP server received, oldest first, decoded."""
    found = []
    for kept in kept_mails(maildir):
        message = email.message_from_bytes(kept.path.read_bytes())
        parts = {p.get_content_type(): p for p in message.walk() if not p.is_multipart()}
        text = parts["text/plain"].get_payload(decode=True).decode()  # type: ignore[union-attr]
        html = parts["text/html"].get_payload(decode=True).decode()  # type: ignore[union-attr]
        found.append(Mailed(kept.to, kept.subject, text, html, message))
    return found


@dataclass
class Running:
    client: httpx.AsyncClient
    settings: IntakeSettings
    pool: Any
    maildir: Path
    smtp: EmbeddedSmtp

    async def company(self) -> dict[str, str]:
        body = {
            "name": f"Company {uuid.uuid4().hex[:8]}",
            "hr_contact_name": "Lone Holm",
            "hr_contact_email": "hr@example.com",
        }
        created = await self.client.post("/v1/companies", json=body, headers=ADMIN)
        key = await self.client.post(
            f"/v1/companies/{created.json()['company_id']}/api-keys", json={}, headers=ADMIN
        )
        return {"company_id": created.json()["company_id"], "auth": f"Bearer {key.json()['api_key']}"}

    async def cohort(self) -> str:
        today = date.today()
        body = {"name": f"Cohort {uuid.uuid4().hex[:8]}", "intake_opens_on": (today - timedelta(days=10)).isoformat(),
                "intake_closes_on": (today + timedelta(days=30)).isoformat()}  # fmt: skip
        return (await self.client.post("/v1/cohorts", json=body, headers=ADMIN)).json()["cohort_id"]

    async def register(self, company: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        answer = await self.client.post(
            "/v1/participants", json=body, headers={"Authorization": company["auth"]}
        )
        assert answer.status_code == 201, answer.text
        return answer.json()

    async def pair(self, matched_on: date, mentee_languages: list[str], mentor_languages: list[str]) -> Pair:
        """A mentee and a mentor of two companies, registered here, matched (by matching's event) on a day."""
        cohort, a, b = await self.cohort(), await self.company(), await self.company()
        m1 = await self.register(a, mentee(cohort, languages=mentee_languages))
        m2 = await self.register(b, mentor(cohort, languages=mentor_languages))
        pair = Pair(uuid.uuid4(), uuid.UUID(cohort), m1, m2, a, b)
        at = datetime.combine(matched_on, time(10), tzinfo=UTC)
        await publish(self.settings, [PairMatched(
            pair_id=pair.pair_id, cohort_id=pair.cohort_id, mentee_id=m1["participant_id"], mentor_id=m2["participant_id"],
            mentee_company_id=a["company_id"], mentor_company_id=b["company_id"], score=0.8, occurred_at=at, producer="matching",
        )])  # fmt: skip
        await eventually(
            lambda: self.count("SELECT count(*) FROM reminder_pairs WHERE pair_id = $1", pair.pair_id), 1
        )
        return pair

    async def session(self, pair: Pair, held_on: date) -> None:
        session_id = uuid.uuid4()
        await publish(self.settings, [SessionHeld(
            session_id=session_id, pair_id=pair.pair_id, cohort_id=pair.cohort_id, held_on=held_on,
            started_at=datetime.combine(held_on, time(9), tzinfo=UTC), duration_minutes=90, format="online",
            logged_by="mentee", version=1, producer="sessions",
        )])  # fmt: skip
        await eventually(
            lambda: self.count("SELECT count(*) FROM reminder_sessions WHERE session_id = $1", session_id), 1
        )

    async def agreement(self, pair: Pair, recorded_on: date) -> None:
        await publish(self.settings, [AgreementRecorded(
            pair_id=pair.pair_id, cohort_id=pair.cohort_id, frequency="monthly", recorded_on=recorded_on,
            recorded_by="mentee", producer="sessions",
        )])  # fmt: skip
        await eventually(
            lambda: self.count("SELECT count(*) FROM reminder_agreements WHERE pair_id = $1", pair.pair_id), 1
        )

    async def evaluation(self, cohort_id: uuid.UUID, opens_on: date, closes_on: date) -> uuid.UUID:
        evaluation_id = uuid.uuid4()
        await publish(self.settings, [EvaluationOpened(
            evaluation_id=evaluation_id, cohort_id=cohort_id, kind="midpoint", opens_on=opens_on,
            closes_on=closes_on, producer="sessions",
        )])  # fmt: skip
        await eventually(
            lambda: self.count(
                "SELECT count(*) FROM reminder_evaluations WHERE evaluation_id = $1", evaluation_id
            ),
            1,
        )
        return evaluation_id

    async def answer(self, evaluation_id: uuid.UUID, pair: Pair, role: str, on: date) -> None:
        member = pair.mentee if role == "mentee" else pair.mentor
        scores = EvaluationScores(expectations_met=4, learning=4, openness=5, programme=3)
        await publish(self.settings, [EvaluationSubmitted(
            evaluation_id=evaluation_id, cohort_id=pair.cohort_id, kind="midpoint", pair_id=pair.pair_id,
            participant_id=member["participant_id"], role=role, scores=scores, submitted_on=on, producer="sessions",
        )])  # fmt: skip
        await eventually(
            lambda: self.count(
                "SELECT count(*) FROM reminder_evaluation_answers WHERE evaluation_id = $1 AND participant_id = $2",
                evaluation_id,
                uuid.UUID(member["participant_id"]),
            ),
            1,
        )

    async def run(self, today: date) -> dict[str, int]:
        answer = await self.client.post(
            "/v1/reminders/runs", json={"today": today.isoformat()}, headers=ADMIN
        )
        assert answer.status_code == 200, answer.text
        return answer.json()

    async def count(self, sql: str, *args: Any) -> int:
        async with self.pool.acquire() as conn:
            return int(await conn.fetchval(sql, *args))

    async def events(self, event_type: str) -> list[Event]:
        async with self.pool.acquire() as conn:
            rows = await conn.fetch(
                "SELECT payload FROM outbox WHERE event_type = $1 ORDER BY position", event_type
            )
        return [e for row in rows if (e := decode(bytes(row["payload"]))) is not None]

    def mails_to(self, address: str) -> list[Mailed]:
        return [m for m in mails(self.maildir) if address.lower() in m.to.lower()]


@dataclass
class Pair:
    pair_id: uuid.UUID
    cohort_id: uuid.UUID
    mentee: dict[str, Any]
    mentor: dict[str, Any]
    mentee_company: dict[str, str]
    mentor_company: dict[str, str]


@pytest.fixture(scope="module")
def smtp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedSmtp]:
    """The stack's SMTP server (aiosmtpd in a child process), keeping mails where the stack does."""
    data_dir = tmp_path_factory.mktemp("stack")
    server = EmbeddedSmtp(data_dir / "mail", port=free_port())  # `mentornet mails --data-dir` finds them
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def running(postgres: Postgres, kafka: str, smtp: EmbeddedSmtp) -> AsyncIterator[Running]:
    """A fresh intake (its own database and topics) per test: each run of the rules sees only its pairs."""
    settings = await intake_settings(
        postgres, kafka, smtp_port=smtp.port, staff_email=f"staff-{uuid.uuid4().hex[:8]}@programme.example",
        reminders_every_s=3600, reminders_send_every_s=3600, mail_retry_s=0.2, web_url="http://web.example",
    )  # fmt: skip
    app = create_app(settings)
    async with run_service(app) as client:
        yield Running(client, settings, app.state.runtime.pool, smtp.maildir, smtp)


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, as PEM files: the SMTP server's, and the CA file to trust."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "smtp.crt", folder / "smtp.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_file, key_file
