"""Every report table as a CSV file: a header of column keys, then one line per row."""

from __future__ import annotations

import csv
import io

from services.reporting.domain.report import Report
from services.reporting.domain.table import Table
from services.reporting.entrypoints.http.render.cells import csv_text


def table_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.key for column in table.columns])
    for row in table.rows:
        writer.writerow([csv_text(row.get(column.key)) for column in table.columns])
    return out.getvalue()


def filename(report: Report, table: Table) -> str:
    owner = f"company-{report.company.company_id}" if report.company else "programme"
    cohort = "".join(ch if ch.isalnum() else "-" for ch in report.cohort.name)
    return f"mentornet-{owner}-{cohort}-{table.name}.csv"
