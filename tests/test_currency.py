"""Prices in kip beside USD: a facilitator's setting in data/currency.yaml, used by text.money."""
from pathlib import Path

import pytest

from artisan_course.content.currency import load_currency, rate_note
from artisan_course.content.reader import ContentError
from artisan_course.text import LocalCurrency, money

SETTING = "usd_to_kip: {rate}\nrate_note: set for the test\nround_to: 500\nshow_kip: {show}\n"


def write(tmp_path, rate=20000, show="true"):
    tmp_path.mkdir(exist_ok=True)
    path = tmp_path / "currency.yaml"
    path.write_text(SETTING.format(rate=rate, show=show), encoding="utf-8")
    return path


def test_the_course_setting_shows_kip_with_a_documented_rate():
    local = load_currency()
    assert local is not None and local.name == "kip" and local.rate > 1000
    assert rate_note().startswith(f"1 USD = {local.rate:,.0f} kip: ")


def test_trainees_read_the_rate_in_plain_words_and_the_guide_names_the_file():
    assert "currency.yaml" not in rate_note() and "setting" not in rate_note()
    guide = (Path(__file__).resolve().parents[1] / "docs" / "facilitator-guide.md").read_text(encoding="utf-8")
    assert "`data/currency.yaml`" in guide and "usd_to_kip:" in guide


def test_a_price_reads_in_usd_then_kip_rounded_like_a_price():
    kip = LocalCurrency("kip", 21500, 500)
    assert money(18, local=kip) == "18 USD (about 387,000 kip)"
    assert money(6.5, local=kip) == "6.50 USD (about 140,000 kip)"
    assert money(6.5) == "6.50 USD"  # without the setting, dollars only, as before


def test_the_facilitator_changes_the_rate_and_the_prices_follow(tmp_path):
    assert money(10, local=load_currency(write(tmp_path, rate=25000))) == "10 USD (about 250,000 kip)"
    assert load_currency(write(tmp_path / "off", show="false")) is None


@pytest.mark.parametrize("rate", ["0", "abc"])
def test_a_bad_rate_is_named(tmp_path, rate):
    with pytest.raises(ContentError, match="currency.yaml: usd_to_kip"):
        load_currency(write(tmp_path, rate=rate))
