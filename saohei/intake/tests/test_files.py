"""Uploads from the public: kinds checked by content, metadata removed (read back from the
cleaned bytes), bombs, macros and disguised files refused with a message saying why."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from saohei.intake import files
from saohei.intake.files import FileRefused

from .conftest import GPS_IFD, docx_with_author, jpeg_with_gps


def upload(name, data):
    return SimpleUploadedFile(name, data)


def test_jpeg_loses_its_gps_and_camera_exif_but_keeps_its_picture():
    original = jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(GPS_IFD)  # the test photo does carry a location
        assert before.getexif()[0x010F] == "Canon"
    name, cleaned = files.clean(upload("张三家门口.jpg", original))
    assert name == "举报材料1.jpg"  # the reporter's file name is not kept either
    with Image.open(io.BytesIO(cleaned)) as after:
        assert after.format == "JPEG"
        assert after.size == (64, 48)
        assert len(after.getexif()) == 0
        assert after.getexif().get_ifd(GPS_IFD) == {}
        assert "exif" not in after.info and "xmp" not in after.info
        r, g, b = after.convert("RGB").getpixel((10, 10))
        assert r > 150 and g < 80 and b < 80
    assert b"Canon" not in cleaned and b"GPS" not in cleaned


def test_a_photo_taken_sideways_is_turned_upright_before_its_exif_goes():
    image = Image.new("RGB", (60, 20), "blue")
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° to show
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    _name, cleaned = files.clean(upload("a.jpg", out.getvalue()))
    with Image.open(io.BytesIO(cleaned)) as after:
        assert after.size == (20, 60)


def test_png_text_chunks_are_removed():
    image = Image.new("RGB", (10, 10), "white")
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "王举报")
    info.add_text("Comment", "拍摄于长青镇")
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    _name, cleaned = files.clean(upload("shot.png", out.getvalue()))
    with Image.open(io.BytesIO(cleaned)) as after:
        assert after.format == "PNG"
        assert not getattr(after, "text", {})
    assert "王举报".encode() not in cleaned and b"Author" not in cleaned


def test_docx_author_company_and_comments_are_removed():
    original = docx_with_author()
    assert "王举报".encode() in zipfile.ZipFile(io.BytesIO(original)).read("docProps/core.xml")
    name, cleaned = files.clean(upload("情况说明.docx", original))
    assert name == "举报材料1.docx"
    archive = zipfile.ZipFile(io.BytesIO(cleaned))
    for part in ("docProps/core.xml", "docProps/app.xml"):
        text = archive.read(part).decode()
        assert "王举报" not in text and "写于家中" not in text
        assert "龙湖街道" not in text and "Li<" not in text
    from docx import Document

    document = Document(io.BytesIO(cleaned))  # still opens, content intact
    assert document.core_properties.author == ""
    assert document.core_properties.last_modified_by == ""
    assert document.paragraphs[0].text == "孙大强强占砂场的情况说明"


def test_a_photo_pasted_into_a_word_file_loses_its_gps_too():
    from docx import Document

    document = Document()
    document.add_picture(io.BytesIO(jpeg_with_gps()))
    out = io.BytesIO()
    document.save(out)
    _name, cleaned = files.clean(upload("照片.docx", out.getvalue()))
    archive = zipfile.ZipFile(io.BytesIO(cleaned))
    media = [n for n in archive.namelist() if n.startswith("word/media/")]
    assert media
    for part in media:
        with Image.open(io.BytesIO(archive.read(part))) as picture:
            assert picture.getexif().get_ifd(GPS_IFD) == {} and len(picture.getexif()) == 0
    assert len(Document(io.BytesIO(cleaned)).inline_shapes) == 1


def test_xlsx_creator_is_removed():
    from openpyxl import Workbook, load_workbook

    workbook = Workbook()
    workbook.active["A1"] = "收款记录"
    workbook.properties.creator = "王举报"
    workbook.properties.lastModifiedBy = "王举报"
    out = io.BytesIO()
    workbook.save(out)
    _name, cleaned = files.clean(upload("账本.xlsx", out.getvalue()))
    assert "王举报".encode() not in cleaned
    for info in zipfile.ZipFile(io.BytesIO(cleaned)).infolist():
        assert "王举报".encode() not in zipfile.ZipFile(io.BytesIO(cleaned)).read(info)
    book = load_workbook(io.BytesIO(cleaned))
    assert book.active["A1"].value == "收款记录"
    assert book.properties.lastModifiedBy is None
    core = zipfile.ZipFile(io.BytesIO(cleaned)).read("docProps/core.xml")
    assert b"creator" not in core and b"lastModifiedBy" not in core


def _docx_like(extra: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        z.writestr("word/document.xml", b"<w:document/>")
        for name, content in extra.items():
            z.writestr(name, content)
    return out.getvalue()


def test_an_archive_bomb_in_a_word_file_is_refused():
    bomb = _docx_like({"word/media/big.bin": b"\0" * (30 * 1024 * 1024)})
    assert len(bomb) < 100 * 1024  # 30 MB of zeros packs into a few tens of kB
    with pytest.raises(FileRefused, match="压缩炸弹"):
        files.clean(upload("bomb.docx", bomb))


def test_an_entry_lying_about_its_size_is_refused():
    data = bytearray(_docx_like({"word/media/a.bin": b"\0" * 200_000}))
    # Shrink the size declared in the central directory: unpacking would go past it.
    entry = data.find(b"word/media/a.bin", data.find(b"PK\x01\x02"))
    header = data.rfind(b"PK\x01\x02", 0, entry)
    data[header + 24 : header + 28] = (1000).to_bytes(4, "little")
    # zipfile stops at the declared size and the checksum then fails: refused as damaged.
    with pytest.raises(FileRefused, match="已损坏|压缩炸弹"):
        files.clean(upload("liar.docx", bytes(data)))


def test_macros_and_other_archives_are_refused():
    with pytest.raises(FileRefused, match="含有宏"):
        files.clean(upload("m.docx", _docx_like({"word/vbaProject.bin": b"x"})))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        z.writestr("payload.exe", b"MZ")
    with pytest.raises(FileRefused, match="不接受其他压缩文件"):
        files.clean(upload("x.docx", out.getvalue()))


@pytest.mark.parametrize(
    "name, data, words",
    [
        ("photo.jpg", b"MZ\x90\x00 an executable", "不接受此类文件"),
        ("photo.jpg", jpeg_with_gps()[:200], "已损坏"),
        ("doc.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "已损坏"),
        ("doc.pdf", b"%PDF-1.4\n<< /OpenAction << /S /JavaScript >> >>\n%%EOF", "含有脚本"),
        ("notes.txt", b"abc\x00def", "已损坏"),
        ("report.docx", b"PK\x03\x04 not really a zip", "已损坏"),
    ],
)
def test_disguised_and_malformed_files_are_refused(name, data, words):
    with pytest.raises(FileRefused, match=words):
        files.clean(upload(name, data))


def test_oversized_and_empty_files_are_refused(settings):
    settings.SAOHEI_PORTAL_MAX_FILE_MB = 1
    big = upload("big.txt", b"a" * (1024 * 1024 + 1))
    with pytest.raises(FileRefused, match="不能超过1 MB"):
        files.clean(big)
    with pytest.raises(FileRefused, match="空文件"):
        files.clean(upload("e.txt", b""))


def test_a_picture_of_too_many_pixels_is_refused_before_decoding():
    out = io.BytesIO()
    Image.new("1", (10000, 6000)).save(out, "PNG")  # 60 megapixels, a few kB
    with pytest.raises(FileRefused, match="5000万像素"):
        files.clean(upload("huge.png", out.getvalue()))


def test_text_in_gb18030_is_kept_as_utf8():
    name, cleaned = files.clean(upload("说明.txt", "孙大强收保护费".encode("gb18030")))
    assert name == "举报材料1.txt"
    assert cleaned.decode("utf-8") == "孙大强收保护费"


def test_pdf_author_fields_are_blanked_in_place():
    body = b"%PDF-1.4\n1 0 obj\n<< /Author (Wang Jubao) /Producer (WPS) >>\nendobj\n%%EOF\n"
    _name, cleaned = files.clean(upload("a.pdf", body))
    assert b"Wang" not in cleaned and b"WPS" not in cleaned
    assert len(cleaned) == len(body)  # offsets in the cross-reference table stay valid
