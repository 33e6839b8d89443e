import hashlib

import pytest

from desktop_app.storage.attachments import AttachmentRefused, AttachmentStore, sanitise_name

PDF = b"%PDF-1.4\n% scan of a birth certificate\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def test_a_pdf_is_copied_under_its_sha256(tmp_path):
    source = tmp_path / "Giấy khai sinh.pdf"
    source.write_bytes(PDF)
    store = AttachmentStore(tmp_path / "store")
    stored = store.add(source)
    digest = hashlib.sha256(PDF).hexdigest()
    assert stored.sha256 == digest
    assert stored.media_type == "application/pdf"
    assert stored.original_name == "Giấy khai sinh.pdf"
    assert store.path_for(digest).read_bytes() == PDF
    source.unlink()  # the stored copy does not depend on the original
    assert store.path_for(digest).exists()


def test_same_content_is_stored_once(tmp_path):
    store = AttachmentStore(tmp_path / "store")
    for name in ("a.png", "b.png"):
        (tmp_path / name).write_bytes(PNG)
        store.add(tmp_path / name)
    assert len([p for p in (tmp_path / "store").rglob("*") if p.is_file()]) == 1


def test_a_text_file_renamed_pdf_is_refused_and_nothing_copied(tmp_path):
    fake = tmp_path / "scan.pdf"
    fake.write_text("not really a pdf")
    store = AttachmentStore(tmp_path / "store")
    with pytest.raises(AttachmentRefused) as info:
        store.add(fake)
    assert "không phải PDF, JPEG, PNG hoặc TIFF" in info.value.message
    assert not (tmp_path / "store").exists()


def test_a_file_over_the_limit_is_refused(tmp_path):
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF-1.4" + b"0" * (1024 * 1024 + 10))
    with pytest.raises(AttachmentRefused) as info:
        AttachmentStore(tmp_path / "store", limit_mb=1).add(big)
    assert "vượt giới hạn 1 MB" in info.value.message
    assert not (tmp_path / "store").exists()


def test_empty_and_missing_files_are_refused(tmp_path):
    store = AttachmentStore(tmp_path / "store")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(AttachmentRefused):
        store.add(empty)
    with pytest.raises(AttachmentRefused):
        store.add(tmp_path / "missing.pdf")


def test_tiff_and_jpeg_are_accepted(tmp_path):
    store = AttachmentStore(tmp_path / "store")
    for name, data, media in (("a.tif", b"II*\x00rest", "image/tiff"), ("b.jpg", b"\xff\xd8\xff\xe0rest", "image/jpeg")):
        (tmp_path / name).write_bytes(data)
        assert store.add(tmp_path / name).media_type == media


def test_names_are_sanitised():
    assert sanitise_name('..\\..\\bad:name?.pdf') == "bad_name_.pdf"
    assert sanitise_name("Đơn xin xác nhận.pdf") == "Đơn xin xác nhận.pdf"
