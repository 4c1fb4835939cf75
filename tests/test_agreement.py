"""The order-agreement builder without a browser: checks, photos, the printable file, the summary, drafts."""
import io
import re
from datetime import date, datetime, timezone

import numpy as np
import pytest
from PIL import Image

from artisan_course.documents import agreement as agreement_doc, photos as photo_tools
from artisan_course.models import agreement as ag
from artisan_course.limits import PHOTO_LIMIT_BYTES
from artisan_course.state import handoff
from artisan_course.state.store import Store

NASTY = "<script>alert(1)</script>"


def image_bytes(width, height, fmt="JPEG", mode="RGB", **save):
    rng = np.random.default_rng(1)
    channels = {"RGB": 3, "RGBA": 4}[mode]
    pixels = rng.integers(0, 255, (height, width, channels), dtype=np.uint8)
    if mode == "RGBA":
        pixels[..., 3] = 255
        pixels[: height // 2, :, 3] = 0  # the top half is transparent
    out = io.BytesIO()
    Image.fromarray(pixels, mode).save(out, format=fmt, **save)
    return out.getvalue()


def fields(**changes):
    base = ag.empty_fields()
    base.update(product="Silk scarf", size="180 cm x 50 cm", colours="indigo", materials="Lao silk",
                quality="No loose threads\nColours as in the sample", price="12.50", quantity="120", advance="50",
                delivery="2099-06-30", buyer="Ms Vilay, Village Crafts", artisans="Ban Phanom weavers")
    base.update(changes)
    return base


@pytest.fixture
def session(fresh_session):
    fresh_session.set_learner("Noy")
    return fresh_session


# -- the printable document ------------------------------------------------------------------
def test_every_piece_of_learner_text_is_escaped_in_the_agreement():
    photo = photo_tools.prepare_photo('"><script>alert(2)</script>.png', image_bytes(40, 30, "PNG"))
    made = ag.from_draft(fields(buyer=NASTY, product='Scarf "red" & <b>bold</b>',
                                quality="<img src=x onerror=alert(3)>", clause=NASTY, conflict=NASTY), [photo])
    page = agreement_doc.render_html(made)
    assert NASTY not in page and "<script" not in page.lower()
    assert "<img src=x" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Scarf &quot;red&quot; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    # The text summary is plain text, so it keeps the name as typed.
    assert NASTY in ag.summary(made)


def test_the_agreement_needs_nothing_outside_the_file():
    photos = [photo_tools.prepare_photo(f"sample-{i}.jpg", image_bytes(300, 200)) for i in range(3)]
    page = agreement_doc.render_html(ag.from_draft(fields(), photos))
    assert re.findall(r"https?://", page) == []
    sources = re.findall(r"""(?:src|href)\s*=\s*['"]([^'"]*)""", page)
    assert len(sources) == 3 and all(s.startswith("data:image/jpeg;base64,") for s in sources)
    assert "<link" not in page and "@import" not in page and "url(" not in page
    # Print layout: A4, and sections are not split across pages.
    assert "size: A4" in page and "break-inside: avoid" in page
    assert page.count("class='line'") >= 4  # signature and date lines for both sides


def test_a_link_typed_by_the_learner_is_text_not_a_reference():
    page = agreement_doc.render_html(ag.from_draft(fields(materials="see https://example.org/silk")))
    assert not re.search(r"""(src|href)\s*=\s*['"]https?:""", page)


def test_the_agreement_shows_the_money_worked_out():
    made = ag.from_draft(fields(price="12.50", quantity="120", advance="40"))
    page = agreement_doc.render_html(made)
    assert made.total == 1500 and made.advance_amount == 600 and made.balance == 900
    assert "1,500 USD" in page and "40% = 600 USD" in page and "900 USD" in page


# -- the summary ---------------------------------------------------------------------------------
def test_the_summary_says_price_quantity_and_dates_in_6_to_10_lines():
    plan = {"milestones": [{"name": "Batch 1", "pieces": 40, "start": "2025-05-01", "end": "2025-05-20"},
                           {"name": "Batch 2", "pieces": 80, "start": "2025-05-21", "end": "2025-06-25"}],
            "checkins": [{"date": "2025-05-10", "mode": "in person"}], "summary": "120 pieces in 2 batches."}
    milestones, checkins, finish, _ = ag.plan_texts(plan)
    full = ag.summary(ag.from_draft(fields(milestones=milestones, checkins=checkins, clause="If late, less pay.")))
    for expected in ("12.50 USD per piece", "120 pieces", "30 June 2099", "20 May 2025", "10 May 2025: in person",
                     "50% = 750 USD", "If late, less pay."):
        assert expected in full
    assert finish == "2025-06-25"
    short = ag.summary(ag.from_draft(fields(quality="", conflict="", size="", colours="", materials="")))
    for text in (full, short):
        assert 6 <= len(text.strip().splitlines()) <= 10


# -- checks on the numbers --------------------------------------------------------------------------
@pytest.mark.parametrize("changes, words", [
    ({"price": "abc"}, "Price per piece: 'abc' is not a number"),
    ({"price": "0"}, "Price per piece: it must be more than 0"),
    ({"price": "-3"}, "more than 0"),
    ({"quantity": "ten"}, "Quantity: 'ten' is not a number"),
    ({"quantity": "0"}, "Quantity: it must be more than 0"),
    ({"quantity": "12.5"}, "whole number"),
    ({"advance": "120"}, "from 0 to 100"),
    ({"advance": "-5"}, "from 0 to 100"),
    ({"product": " "}, "Product name"),
    ({"delivery": ""}, "Final delivery date"),
    ({"delivery": "2020-01-31"}, "31 January 2020 is in the past"),
])
def test_bad_input_is_refused_with_a_plain_reason(changes, words):
    with pytest.raises(ag.AgreementInputError, match=re.escape(words)):
        ag.from_draft(fields(**changes))


def test_numbers_may_be_typed_with_commas_and_signs():
    made = ag.from_draft(fields(price="$1,250", quantity="1,000", advance="50%"))
    assert (made.price, made.quantity, made.advance_percent) == (1250, 1000, 50)


# -- photos ------------------------------------------------------------------------------------------
def test_an_oversized_file_is_refused_and_named():
    content = image_bytes(10, 10, "PNG") + b"\0" * PHOTO_LIMIT_BYTES
    with pytest.raises(ag.PhotoRefused, match=r"big-scarf\.png is 20\.0 MB\. The limit is 20\.0 MB"):
        photo_tools.prepare_photo("big-scarf.png", content)


def test_a_text_file_named_jpg_is_refused():
    with pytest.raises(ag.PhotoRefused, match=r"notes\.jpg is not a photo"):
        photo_tools.prepare_photo("notes.jpg", b"This is a shopping list, not a picture.\n" * 20)


def test_a_gif_is_refused_even_with_a_photo_name():
    with pytest.raises(ag.PhotoRefused, match=r"moving\.png is a GIF file"):
        photo_tools.prepare_photo("moving.png", image_bytes(50, 40, "GIF"))


def test_a_photo_with_very_many_pixels_is_refused_unless_it_is_a_jpeg():
    def saved(fmt):
        out = io.BytesIO()
        Image.new("1" if fmt == "PNG" else "L", (9000, 7000), 1).save(out, format=fmt)
        return out.getvalue()
    with pytest.raises(ag.PhotoRefused, match=r"flat\.png has too many pixels"):
        photo_tools.prepare_photo("flat.png", saved("PNG"))
    # A 63-megapixel JPEG, as from a modern phone, is read at a reduced scale and accepted.
    photo = photo_tools.prepare_photo("phone.jpg", saved("JPEG"))
    assert max(photo.width, photo.height) == 1280


def test_a_big_photo_is_made_smaller_and_keeps_its_shape():
    photo = photo_tools.prepare_photo("camera.jpg", image_bytes(4000, 3000, quality=95))
    assert (photo.width, photo.height) == (1280, 960) and photo.mime == "image/jpeg"
    stored = Image.open(io.BytesIO(photo.data))
    assert stored.format == "JPEG" and max(stored.size) <= 1280


def test_a_webp_photo_is_accepted_and_a_small_photo_is_not_enlarged():
    photo = photo_tools.prepare_photo("small.webp", image_bytes(300, 500, "WEBP"))
    assert (photo.width, photo.height) == (300, 500) and photo.mime == "image/jpeg"


def test_transparent_png_stays_png_and_opaque_png_becomes_jpeg():
    clear = photo_tools.prepare_photo("logo.png", image_bytes(2000, 1000, "PNG", mode="RGBA"))
    assert clear.mime == "image/png" and (clear.width, clear.height) == (1280, 640)
    assert Image.open(io.BytesIO(clear.data)).getchannel("A").getextrema()[0] == 0
    solid = photo_tools.prepare_photo("photo.png", image_bytes(2000, 1000, "PNG"))
    assert solid.mime == "image/jpeg"


def test_a_phone_photo_taken_sideways_is_turned_upright():
    image = Image.new("RGB", (400, 300), "white")
    exif = image.getexif()
    exif[0x0112] = 6  # orientation: rotate 90 degrees
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    photo = photo_tools.prepare_photo("phone.jpg", out.getvalue())
    assert (photo.width, photo.height) == (300, 400)
    assert not Image.open(io.BytesIO(photo.data)).getexif()  # nothing from the camera is kept


# -- drafts ---------------------------------------------------------------------------------------------
def test_a_draft_goes_through_the_store_and_comes_back_unchanged(tmp_path):
    photo = photo_tools.prepare_photo("sample.jpg", image_bytes(640, 480))
    typed = fields(price="12,5 oops", quality="ສີຄືຕົວຢ່າງ\nNo loose threads")  # an invalid number is kept as typed
    store = Store(tmp_path)
    learner = store.learner("Noy")
    store.record(learner.id, ag.MODULE, ag.ITEM, ag.DRAFT_KIND, ag.draft_value(typed, [photo]))
    back_fields, back_photos = ag.restore_draft(store.latest(learner.id, ag.ITEM, kind=ag.DRAFT_KIND).value)
    assert back_fields == typed
    assert back_photos == [photo]


def test_a_damaged_draft_photo_is_left_out():
    good = photo_tools.prepare_photo("a.jpg", image_bytes(20, 20))
    value = ag.draft_value(fields(), [good])
    value["photos"].append({"name": "bad", "mime": "text/html", "base64": "PGI+", "width": 1, "height": 1})
    assert ag.restore_draft(value)[1] == [good]
    assert ag.restore_draft("nonsense") == (ag.empty_fields(), [])


# -- the builder's widgets, in the kernel ---------------------------------------------------------------------
def builder(**preset):
    from artisan_course.widgets.agreement import AgreementBuilder
    return AgreementBuilder(**preset)


def type_in(view, **values):
    for name, value in values.items():
        view.boxes[name].value = value


def upload(view, *files):
    view.upload.value = tuple({"name": name, "type": "image/jpeg", "size": len(data), "content": memoryview(data),
                               "last_modified": datetime.now(timezone.utc)} for name, data in files)


def test_the_builder_saves_as_you_type_and_restores_in_a_new_kernel(session):
    view = builder()
    type_in(view, product="Bamboo basket", price="4", quantity="200", quality="Tight weave")
    upload(view, ("basket.jpg", image_bytes(2000, 1500)))
    assert "Saved at" in view.status.value
    saved = session.get_store().latest(session.learner.id, ag.ITEM, kind=ag.DRAFT_KIND)
    assert saved.value["fields"]["product"] == "Bamboo basket" and len(saved.value["photos"]) == 1
    rows = session.get_store().answers(learner_id=session.learner.id, item=ag.ITEM)
    assert len(rows) == 1  # one row per sitting, updated in place

    # A new kernel: a fresh session for the same learner.
    session.learner = session.store = None
    session.listeners = []
    session.set_learner("Noy")
    again = builder()
    assert again.boxes["product"].value == "Bamboo basket" and again.boxes["quality"].value == "Tight weave"
    assert [p.name for p in again.photos] == ["basket.jpg"] and len(again.gallery.children) == 1
    assert "is back" in again.status.value


def test_bad_numbers_show_a_message_and_keep_the_last_total(session):
    view = builder()
    type_in(view, price="10", quantity="30", advance="50")
    total = view.numbers.value
    assert "300 USD" in total and "150 USD" in total
    type_in(view, price="ten")
    assert "&#x27;ten&#x27; is not a number" in view.message.value and view.numbers.value == total
    type_in(view, price="10", advance="150")
    assert "from 0 to 100" in view.message.value and view.numbers.value == total
    type_in(view, advance="20")
    assert view.message.value == "" and "60 USD" in view.numbers.value and "WFTO" in view.numbers.value
    # The typed text is saved even while it is not a valid number.
    type_in(view, quantity="thirty")
    assert session.get_store().latest(session.learner.id, ag.ITEM).value["fields"]["quantity"] == "thirty"


def test_refused_photos_are_named_and_the_others_still_added(session):
    view = builder()
    upload(view, ("good.jpg", image_bytes(800, 600)), ("fake.jpg", b"hello, not a picture"),
           ("anim.gif", image_bytes(20, 20, "GIF")))
    assert [p.name for p in view.photos] == ["good.jpg"]
    assert ("fake.jpg is not a photo" in view.photo_message.value
            and "anim.gif is a GIF file" in view.photo_message.value)
    assert view.upload.value == ()  # the upload is emptied, so the same file can be chosen again
    view.gallery.children[0].children[-1].click()  # "Remove"
    assert view.photos == [] and view.gallery.children == ()


def test_making_the_agreement_offers_two_downloads_or_says_what_is_missing(session):
    view = builder(product="Silk scarf", price=12.5, quantity=100)
    view.make.click()
    assert "Final delivery date" in view.stale.value and view.files.value == ""
    type_in(view, delivery=date(2099, 6, 30), buyer=NASTY)
    view.make.click()
    assert view.files.value.count("class='course-download'") == 2
    assert "order-agreement-silk-scarf.html" in view.files.value and "summary.txt" in view.files.value
    assert "30 June 2099" in view.summary_box.value and NASTY not in view.summary_box.value
    # A bad change afterwards: the message says so, the last files stay.
    type_in(view, price="0")
    view.make.click()
    assert "more than 0" in view.stale.value and view.files.value.count("course-download") == 2


def test_take_buttons_say_which_tool_to_use_when_there_is_nothing(session):
    view = builder()
    view.take_plan.click()
    assert "milestone planner" in view.plan_note.value and "module 06" in view.plan_note.value
    view.take_clause.click()
    assert "contingency simulator" in view.clause_note.value and "module 04" in view.clause_note.value
    assert view.boxes["milestones"].value == "" and view.boxes["clause"].value == ""


def test_take_buttons_fill_the_form_and_keep_typed_text(session):
    handoff.publish(handoff.PLAN, {
        "milestones": [{"name": "Batch 1", "pieces": 50, "start": "2025-03-01", "end": "2025-03-20"}],
        "checkins": [{"date": "2025-03-10", "mode": "video"}], "summary": "50 pieces in 1 batch.",
        "finish": "2025-03-20", "settings": {"quantity": 50}})
    handoff.publish(handoff.CLAUSE, {"clause": "If all pieces are ready by 1 March, we pay 2 USD more per piece."})
    view = builder()
    type_in(view, milestones="My own idea")
    view.take_plan.click()
    assert view.boxes["milestones"].value.startswith("My own idea")
    assert "Batch 1: 50 pieces, 1 March 2025 to 20 March 2025" in view.boxes["milestones"].value
    assert view.boxes["checkins"].value == "10 March 2025: video"
    assert view.boxes["delivery"].value == date(2025, 3, 20) and view.boxes["quantity"].value == "50"
    view.take_clause.click()
    assert "2 USD more per piece" in view.boxes["clause"].value
    assert "Taken from" in view.clause_note.value


def test_a_preset_with_an_unknown_field_says_which_fields_exist():
    with pytest.raises(KeyError, match="no field called colour"):
        builder(colour="red")


def test_the_builder_asks_for_no_leader_s_name_and_says_where_names_end_up(session):
    view = builder()
    who = view.boxes["artisans"].placeholder
    assert "name" not in who.replace("group's name", "") and "made up" in who
    shown = " ".join(w.value for w in _htmls(view.widget))
    assert "write no real names of artisans or leaders" in shown and "made-up group" in shown


def _htmls(widget):
    import ipywidgets as widgets
    if isinstance(widget, widgets.HTML):
        yield widget
    for child in getattr(widget, "children", ()):
        yield from _htmls(child)
