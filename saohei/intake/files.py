"""Files from the public: type checked by content, size limited, archive bombs refused, and
metadata that could identify the reporter (EXIF and GPS in photos, author fields in Word and
Excel files) removed before anything is stored.

`clean(upload)` returns (safe name, cleaned bytes) or raises FileRefused with a Chinese
message that says what to do. Nothing is written here: the caller stores the cleaned bytes.
"""

from __future__ import annotations

import io
import re
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_FILE_MB = 10
MAX_FILES = 5
MAX_PIXELS = 50_000_000  # a 50-megapixel photo; a decompression bomb is refused before decoding
# Office documents are zip archives: limits on what they unpack to.
MAX_ENTRIES = 2000
MAX_UNPACKED = 100 * 1024 * 1024
MAX_RATIO = 100  # an entry unpacking to over 100× its packed size (and over 1 MB) is a bomb
RATIO_FLOOR = 1024 * 1024

# Stored under a name that says nothing about the reporter: 举报材料1.jpg.
STORED_NAME = "举报材料"


class FileRefused(ValueError):
    pass


def max_file_bytes() -> int:
    return getattr(settings, "SAOHEI_PORTAL_MAX_FILE_MB", MAX_FILE_MB) * 1024 * 1024


def accepted_kinds() -> str:
    return "、".join(["JPG", "PNG", "PDF", "Word（.docx）", "Excel（.xlsx）", "TXT"])


def sniff(head: bytes, name: str) -> str | None:
    """The kind of file by its first bytes (the name's extension is not trusted)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if name.lower().endswith(".txt"):
        return "txt"
    return None


def clean(upload, index: int = 1) -> tuple[str, bytes]:
    """Check and clean one uploaded file; the stored name says nothing about the reporter
    (举报材料1.jpg)."""
    original = getattr(upload, "name", "") or ""
    if upload.size > max_file_bytes():
        raise FileRefused(
            _("%(name)s is %(size).1f MB; each file may be at most %(limit)s MB.")
            % {
                "name": original,
                "size": upload.size / 1024 / 1024,
                "limit": max_file_bytes() // 1024 // 1024,
            }
        )
    if upload.size == 0:
        raise FileRefused(_("%(name)s is empty.") % {"name": original})
    upload.seek(0)
    data = upload.read(max_file_bytes() + 1)
    if len(data) > max_file_bytes():
        raise FileRefused(_("%(name)s is too large.") % {"name": original})
    kind = sniff(data[:16], original)
    cleaners = {
        "jpg": _clean_image,
        "png": _clean_image,
        "pdf": _check_pdf,
        "zip": _clean_office,
        "txt": _clean_text,
    }
    if kind is None:
        raise FileRefused(
            _("%(name)s: this kind of file is not accepted. Accepted: %(kinds)s.")
            % {"name": original, "kinds": accepted_kinds()}
        )
    kind, cleaned = cleaners[kind](data, original, kind)
    return f"{STORED_NAME}{index}.{kind}", cleaned


def _damaged(name: str) -> FileRefused:
    return FileRefused(
        _(
            "%(name)s is damaged or not the kind of file its content claims. Save it again and "
            "upload the new copy."
        )
        % {"name": name}
    )


# Images -------------------------------------------------------------------------------------


def _clean_image(data: bytes, name: str, kind: str) -> tuple[str, bytes]:
    """Decode and re-encode: only pixels survive, no EXIF (GPS, camera, time), XMP, comments
    or text chunks. The photo is first turned the way its EXIF orientation said."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise FileRefused(
                    _(
                        "%(name)s is %(w)s×%(h)s pixels; pictures up to 50 million pixels are "
                        "accepted. Reduce its size and upload it again."
                    )
                    % {"name": name, "w": width, "h": height}
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            pixels = Image.new(upright.mode, upright.size)
            pixels.paste(upright)  # a new image: carries no info dictionary at all
    except FileRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _damaged(name) from None
    out = io.BytesIO()
    if kind == "jpg":
        if pixels.mode not in ("RGB", "L", "CMYK"):
            pixels = pixels.convert("RGB")
        pixels.save(out, "JPEG", quality=92, optimize=True)
    else:
        if pixels.mode == "P" and "transparency" in getattr(upright, "info", {}):
            pixels = upright.convert("RGBA")
            pixels = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
        pixels.save(out, "PNG", optimize=True)
    return kind, out.getvalue()


# PDF ----------------------------------------------------------------------------------------


def _check_pdf(data: bytes, name: str, kind: str) -> tuple[str, bytes]:
    if b"%%EOF" not in data[-2048:]:
        raise _damaged(name)
    if re.search(rb"/(JavaScript|JS|Launch|EmbeddedFile)\b", data):
        raise FileRefused(
            _(
                "%(name)s contains scripts or embedded files. Print it to a new PDF, or upload "
                "photos of its pages instead."
            )
            % {"name": name}
        )
    return kind, _blank_pdf_info(data)


_PDF_INFO = re.compile(
    rb"/(Author|Creator|Producer|Title|Subject|Keywords)(\s*)\(((?:[^()\\]|\\.)*)\)"
)
_XMP_PEOPLE = re.compile(
    rb"(<(dc:creator|pdf:Producer|xmp:CreatorTool)[^>]*>)(.*?)(</\2>)", re.DOTALL
)


def _blank_pdf_info(data: bytes) -> bytes:
    """Blank the author fields of an uncompressed document information dictionary and XMP
    packet in place, with spaces of the same length (the file's byte offsets stay valid).
    Fields inside compressed object streams are out of reach: docs/intake.md says so."""
    data = _PDF_INFO.sub(lambda m: b"/" + m[1] + m[2] + b"(" + b" " * len(m[3]) + b")", data)
    return _XMP_PEOPLE.sub(lambda m: m[1] + re.sub(rb"[^<>\s]", b" ", m[3]) + m[4], data)


# Word and Excel (zip) ------------------------------------------------------------------------

_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
    b'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
    b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"></cp:coreProperties>'
)
_APP = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties"></Properties>'
)
_DROPPED = {"docProps/custom.xml", "docProps/thumbnail.jpeg", "docProps/thumbnail.emf"}
_AUTHOR_ATTRS = re.compile(rb'\b(w:author|w:initials|w15:userId|w15:providerId)="[^"]*"')
_AUTHOR_TAGS = re.compile(rb"<author>[^<]*</author>")
_PERSON_NAMES = re.compile(rb'\b(displayName|userId|providerId)="[^"]*"')


def _clean_office(data: bytes, name: str, kind: str) -> tuple[str, bytes]:
    """A .docx or .xlsx: refuse bombs and macros; rewrite it with empty core and app
    properties (author, last modified by, company, manager), comment authors blanked and the
    photos inside cleaned like uploaded ones."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _damaged(name) from None
    names = {e.filename for e in entries}
    if "[Content_Types].xml" not in names:
        raise _damaged(name)
    if "word/document.xml" in names:
        kind = "docx"
    elif "xl/workbook.xml" in names:
        kind = "xlsx"
    else:
        raise FileRefused(
            _(
                "%(name)s: only Word (.docx) and Excel (.xlsx) documents are accepted, not other "
                "archives."
            )
            % {"name": name}
        )
    if any(e.filename.lower().endswith("vbaproject.bin") for e in entries):
        raise FileRefused(
            _(
                "%(name)s contains macros. Save it as a .docx or .xlsx without macros and upload "
                "it again."
            )
            % {"name": name}
        )
    bomb = FileRefused(
        _("%(name)s unpacks to far more than its size (an archive bomb) and was refused.")
        % {"name": name}
    )
    if len(entries) > MAX_ENTRIES:
        raise bomb
    declared = sum(e.file_size for e in entries)
    if declared > MAX_UNPACKED:
        raise bomb
    for e in entries:
        if e.file_size > RATIO_FLOOR and e.file_size > MAX_RATIO * max(e.compress_size, 1):
            raise bomb
        if e.filename.startswith("/") or ".." in e.filename.split("/"):
            raise _damaged(name)
    out = io.BytesIO()
    unpacked = 0
    try:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for e in entries:
                if e.filename in _DROPPED or e.is_dir():
                    continue
                with archive.open(e) as fh:
                    # Read no more than declared (+1): an entry lying about its size is a bomb.
                    content = fh.read(e.file_size + 1)
                if len(content) > e.file_size:
                    raise bomb
                unpacked += len(content)
                if unpacked > MAX_UNPACKED:
                    raise bomb
                target.writestr(_plain_info(e.filename), _scrub(e.filename, content, name))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError):
        raise _damaged(name) from None
    return kind, out.getvalue()


def _plain_info(filename: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(filename, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


_MEDIA = re.compile(r"^(word|xl)/media/[^/]+$")


def _scrub(filename: str, content: bytes, document: str) -> bytes:
    if _MEDIA.match(filename):
        kind = sniff(content[:16], "")
        if kind in ("jpg", "png"):
            # A photo pasted into the document carries its own EXIF (GPS included).
            try:
                return _clean_image(content, document, kind)[1]
            except FileRefused:
                raise _damaged(document) from None
        return content
    if filename == "docProps/core.xml":
        return _CORE
    if filename == "docProps/app.xml":
        return _APP
    if filename == "[Content_Types].xml":
        # The dropped parts must not stay declared, or Word reports the file as damaged.
        return re.sub(rb'<Override[^>]*PartName="/docProps/custom\.xml"[^>]*/>', b"", content)
    if filename.endswith(".rels"):
        return re.sub(
            rb'<Relationship[^>]*Target="/?docProps/(custom\.xml|thumbnail\.[a-z]+)"[^>]*/>',
            b"",
            content,
        )
    if filename.startswith("word/") and filename.endswith(".xml"):
        return _AUTHOR_ATTRS.sub(lambda m: m[1] + b'=""', content)
    if filename.startswith("xl/") and filename.endswith(".xml"):
        content = _AUTHOR_TAGS.sub(b"<author></author>", content)
        return _PERSON_NAMES.sub(lambda m: m[1] + b'=""', content)
    return content


# Text ---------------------------------------------------------------------------------------


def _clean_text(data: bytes, name: str, kind: str) -> tuple[str, bytes]:
    if b"\x00" in data:
        raise _damaged(name)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return kind, text.encode("utf-8")
    raise FileRefused(
        _("%(name)s is not readable text. Save it as UTF-8 text and upload it again.")
        % {"name": name}
    )
