"""Diacritic-insensitive folding and Vietnamese alphabetical order (SPEC §11)."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.text import fold, given_name_sort_key, nfc, sort_key


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# ---------------------------------------------------------------- fold


def test_fold_removes_marks_and_maps_d_bar() -> None:
    assert fold("Đặng Thị Ánh") == "dang thi anh"
    assert fold("đường Phú Lạc") == "duong phu lac"


def test_fold_collapses_spaces_and_lowers() -> None:
    assert fold("NGUYỄN  Văn   Ánh") == "nguyen van anh"
    assert fold("  Trần\tThị\u00a0Hồng  ") == "tran thi hong"


def test_fold_all_vowels() -> None:
    assert fold("ăâêôơư ẮẰẲẴẶ ỨỪỬỮỰ ỹ") == "aaeoou aaaaa uuuuu y"


def test_fold_nfd_equals_nfc() -> None:
    name = "Nguyễn Thị Phương Đài"
    assert nfd(name) != nfc(name)
    assert fold(nfd(name)) == fold(nfc(name)) == "nguyen thi phuong dai"


def test_fold_empty() -> None:
    assert fold("") == ""
    assert fold(None) == ""


# Vietnamese letters, upper and lower, precomposed and decomposed, plus spacing and symbols.
_VIET = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
_ALPHABET = _VIET + _VIET.upper() + " \t\u00a00123456789.,-'()/" + "\u0300\u0301\u0303\u0309\u0323"


@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_fold_properties_on_vietnamese_text(text: str) -> None:
    folded = fold(text)
    assert fold(folded) == folded
    assert not any(unicodedata.combining(ch) for ch in folded)
    assert "đ" not in folded and "Đ" not in folded
    assert folded == folded.lower()
    assert "  " not in folded and folded == folded.strip()
    assert fold(nfd(text)) == folded == fold(nfc(text))


@given(st.text(max_size=40))
def test_fold_properties_on_any_text(text: str) -> None:
    folded = fold(text)
    assert fold(folded) == folded
    assert not any(unicodedata.category(ch) == "Mn" for ch in folded)
    assert "đ" not in folded


# ---------------------------------------------------------------- sorting


def test_vietnamese_alphabetical_order() -> None:
    names = ["Đào", "Dung", "Ánh", "Bình", "Ân", "An", "Ăn", "Ê", "E"]
    assert sorted(names, key=sort_key) == ["An", "Ánh", "Ăn", "Ân", "Bình", "Dung", "Đào", "E", "Ê"]


def test_letters_ordered_as_the_vietnamese_alphabet() -> None:
    letters = list("aăâbcdđeêghiklmnoôơpqrstuưvxy")
    shuffled = sorted(letters)  # code-point order puts ă â đ ê ô ơ ư after z
    assert shuffled != letters
    assert sorted(shuffled, key=sort_key) == letters


def test_tones_are_secondary() -> None:
    # Letters decide first: "Anh" (a-n-h) comes after every "An…" tone variant (a-n).
    words = ["Anh", "Ạn", "Án", "Ãn", "Ản", "Àn", "An"]
    # Tones break ties in the order ngang, huyền, hỏi, ngã, sắc, nặng.
    assert sorted(words, key=sort_key) == ["An", "Àn", "Ản", "Ãn", "Án", "Ạn", "Anh"]


def test_tone_does_not_outrank_letter() -> None:
    # "Ánh" has a tone but the letters a-n-h < a-n-h-a, so it sorts first.
    assert sorted(["Anha", "Ánh"], key=sort_key) == ["Ánh", "Anha"]
    # "Ạ" (a with nặng) is still an "a", before any "ă".
    assert sorted(["Ăn", "Ạn"], key=sort_key) == ["Ạn", "Ăn"]


def test_case_only_breaks_ties() -> None:
    assert sorted(["b", "A", "a", "B"], key=sort_key) == ["a", "A", "b", "B"]


def test_sort_key_ignores_normalisation_and_extra_spaces() -> None:
    assert sort_key(nfd("Nguyễn Thị Ánh")) == sort_key("Nguyễn Thị Ánh")
    assert sort_key("Nguyễn  Thị Ánh ") == sort_key("Nguyễn Thị Ánh")


def test_shorter_word_first() -> None:
    assert sorted(["Hoàng Anh", "Hoàng", "Hoà"], key=sort_key) == ["Hoà", "Hoàng", "Hoàng Anh"]


def test_given_name_order() -> None:
    people = ["Nguyễn Thị Đào", "Trần Văn Bình", "Lê Thị Ánh", "Phạm Văn Dũng", "Đỗ Thị Dung"]
    assert sorted(people, key=given_name_sort_key) == [
        "Lê Thị Ánh",
        "Trần Văn Bình",
        "Đỗ Thị Dung",
        "Phạm Văn Dũng",
        "Nguyễn Thị Đào",
    ]


def test_given_name_ties_broken_by_full_name() -> None:
    assert sorted(["Trần Thị Lan", "Bùi Văn Lan"], key=given_name_sort_key) == [
        "Bùi Văn Lan",
        "Trần Thị Lan",
    ]


def test_empty_sort_keys() -> None:
    assert sorted(["B", "", None], key=sort_key) == ["", None, "B"]
    assert given_name_sort_key(None) == given_name_sort_key("")
