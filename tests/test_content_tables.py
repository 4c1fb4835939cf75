"""The two CSV tables are checked on load: a mistake names the file, the line, the row and the problem."""
import pytest

from artisan_course.content.reader import ContentError
from artisan_course.content.tables import load_group, load_group_rows, load_products

HEADER = "name,unit,cost,market_low,market_high,fair_price,usual_price,buyer_limit\n"


def write(tmp_path, text, name="products.csv"):
    path = tmp_path / name
    path.write_text("# a note line\n" + text, encoding="utf-8")
    return path


def test_the_course_tables_load_with_every_column_checked():
    products = load_products()
    assert products and all(p.market_low <= p.market_high and p.fair_price >= p.cost for p in products.values())
    group = load_group()
    assert list(group.columns) == ["name", "hours", "pieces", "quality", "dependants"] and len(group) >= 3


@pytest.mark.parametrize("row, problem", [
    ("Scarf,piece,twelve,20,30,25,15,18", r"line 3 \(Scarf\): the column 'cost' 'twelve' is not a number"),
    ("Scarf,piece,12,20,30,25,15", r"line 3: this row has 7 cells, but the header has 8"),
    ("Scarf,piece,-1,20,30,25,15,18", r"line 3 \(Scarf\): the column 'cost' -1 is below 0"),
    (",piece,12,20,30,25,15,18", r"line 3: the column 'name' is empty"),
    ("Scarf,piece,12,40,30,25,15,18", r"'Scarf'\): market_low \(40\) is above market_high \(30\)"),
    ("Scarf,piece,12,20,30,10,15,18", r"the fair price \(10\) is below the artisans' cost \(12\)"),
    ("Scarf,piece,12,20,30,18,10,18", r"the usual price \(10\) is below the artisans' cost \(12\)"),
])
def test_a_bad_product_row_is_named(tmp_path, row, problem):
    path = write(tmp_path, HEADER + row + "\n")
    with pytest.raises(ContentError, match=problem) as caught:
        load_products(path)
    assert str(path) in str(caught.value)


def test_a_missing_column_and_a_repeated_name_are_named(tmp_path):
    with pytest.raises(ContentError, match=r"the column 'buyer_limit' is missing from the header"):
        load_products(write(tmp_path, "name,unit,cost,market_low,market_high,fair_price,usual_price\n"
                                      "Scarf,piece,1,2,3,2,2\n"))
    twice = HEADER + "Scarf,piece,12,20,30,25,15,18\nScarf,piece,12,20,30,25,15,18\n"
    with pytest.raises(ContentError, match=r"line 4: 'Scarf' is listed twice \(first on line 3\)"):
        load_products(write(tmp_path, twice, "twice.csv"))


def test_a_producer_group_quality_outside_zero_to_one_is_named(tmp_path):
    path = write(tmp_path, "name,hours,pieces,quality,dependants\nMrs. Keo,40,30,95,3\n", "group.csv")
    with pytest.raises(ContentError, match=r"line 3 \(Mrs. Keo\): the column 'quality' 95 is above 1"):
        load_group_rows(path)


def test_a_broken_table_shows_one_sentence_on_the_slide_not_a_traceback(tmp_path, monkeypatch, fresh_session):
    from ipywidgets import HTML
    import artisan_course.widgets.anchoring as view
    broken = write(tmp_path, HEADER + "Scarf,piece,twelve,20,30,25,15,18\n")
    monkeypatch.setattr(view, "load_products", lambda: load_products(broken))
    shown = []
    monkeypatch.setattr("artisan_course.widgets.kit.display", shown.append)
    view.show_anchoring_simulator()
    assert len(shown) == 1 and isinstance(shown[0], HTML)
    assert "cannot start" in shown[0].value and "is not a number" in shown[0].value
