import unicodedata

import pytest

from artisan_course.state.learner import LearnerNameError, name_key, safe_file_stem, validate_name


def test_names_match_after_nfc_trimming_and_case_folding():
    composed = unicodedata.normalize("NFC", "Thúy")
    decomposed = unicodedata.normalize("NFD", "Thúy")
    assert composed != decomposed
    assert name_key(composed) == name_key(f"  {decomposed.upper()} ")
    assert name_key("Noy  Phommachanh") == name_key("noy phommachanh")


def test_lao_names_are_kept_as_typed():
    name = "ນ້ອຍ ພົມມະຈັນ"
    assert validate_name(f"  {name} ") == name
    assert name_key(name) == name_key(f" {name}")


@pytest.mark.parametrize("bad", ["", "   ", "x" * 81, "bad\x00name"])
def test_unusable_names_get_a_plain_reason(bad):
    with pytest.raises(LearnerNameError):
        validate_name(bad)


@pytest.mark.parametrize("name", ["../../etc/passwd", "ນ້ອຍ", "C:\\Users\\x", "a/b", "..", "<script>"])
def test_file_stems_never_contain_path_characters(name):
    stem = safe_file_stem(name)
    assert stem and all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in stem)
    assert stem != safe_file_stem(name + "x")
