"""The course's languages: a deck's path in each, and a plain error for a language the course does not have."""
import pytest

from artisan_course import i18n


def test_a_lao_deck_lives_in_its_own_folder_and_its_path_gives_back_the_language():
    assert i18n.deck_path("00-welcome.ipynb", "en") == "00-welcome.ipynb"
    assert i18n.deck_path("00-welcome.ipynb", "lo") == "lo/00-welcome.ipynb"
    assert i18n.deck_language("lo/00-welcome.ipynb") == ("lo", "00-welcome.ipynb")
    assert i18n.deck_language("00-welcome.ipynb") == ("en", "00-welcome.ipynb")


def test_an_unknown_language_is_refused_in_plain_words():
    with pytest.raises(ValueError, match="no language 'fr'.*lo"):
        i18n.use("fr")
    assert i18n.language() == "en"
