import unicodedata

import pytest

from artisan_course.state.learner import LearnerNameError, name_key, safe_file_stem, unique_file_stem, validate_name


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
def test_unique_file_stems_never_contain_path_characters(name):
    stem = unique_file_stem(name)
    assert stem and all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in stem)
    assert stem != unique_file_stem(name + "x")


@pytest.mark.parametrize("name, stem", [
    ("ນ້ອຍ", "ນ້ອຍ"),                        # Lao, with its tone mark (a combining mark) kept
    ("ນ້ອຍ ພົມມະຈັນ", "ນ້ອຍ-ພົມມະຈັນ"),
    ("Noy Phommachanh", "Noy-Phommachanh"),
    ("Thúy", "Thúy"),
    ("../../etc/passwd", "etc-passwd"),
    ("C:\\Users\\x", "C-Users-x"),
    ("a/b", "a-b"),
    ("..", "learner"),
    ("<script>", "script"),
    ("CON", "learner-CON"),                   # a name Windows keeps for itself
    ("tab\tand\u200bzero-width", "tab-and-zero-width"),
])
def test_file_stems_keep_the_name_readable_in_any_script_and_safe_on_every_file_system(name, stem):
    assert safe_file_stem(name) == stem


def test_a_long_name_gives_a_stem_of_sensible_length_whole_characters_only():
    for name in ("ພົມມະຈັນ " * 20, "x" * 80, "🙏" * 80):
        stem = safe_file_stem(name)
        assert 0 < len(stem) <= 48 and len(stem.encode("utf-8")) <= 120
        assert stem.encode("utf-8").decode("utf-8") == stem and not stem.endswith("-")
        assert all(ch not in stem for ch in '/\\:*?"<>|\x00')
