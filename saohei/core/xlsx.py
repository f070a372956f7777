"""Excel downloads (users live in Excel): one function that writes a titled sheet in
openpyxl's write-only mode, so a large export streams rows instead of holding them all."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from urllib.parse import quote

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font


def write_ledger_sheet(fileobj, title: str, headers: list[str], widths: list[int], rows) -> None:
    """A ledger (台账) as users keep it: one sheet, the header row in bold and frozen, the
    columns at readable widths, rows streamed in write-only mode."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    ws.freeze_panes = "A2"
    for index, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    ws.append([_bold(ws, text) for text in headers])
    for row in rows:
        ws.append(row)
    wb.save(fileobj)


def xlsx_response(filename: str, title: str, headers: list[str], rows: Iterable[list]):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    ws.append([_bold(ws, title)])
    ws.append([_bold(ws, h) for h in headers])
    for row in rows:
        ws.append(row)
    return attachment_response(wb.save, filename)


CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def attachment_response(write, filename: str) -> FileResponse:
    """A download (.xlsx or .docx, by the file name) written by `write(fileobj)` into a
    temporary file."""
    extension = filename.rsplit(".", 1)[-1].lower()
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    write(tmp)
    tmp.seek(0)
    response = FileResponse(tmp, content_type=CONTENT_TYPES[extension])
    # RFC 6266: the Chinese file name for browsers, an ASCII fallback for the rest.
    response["Content-Disposition"] = (
        f"attachment; filename=export.{extension}; filename*=UTF-8''{quote(filename)}"
    )
    return response


def _bold(ws, value):
    cell = WriteOnlyCell(ws, value=value)
    cell.font = Font(bold=True)
    return cell
