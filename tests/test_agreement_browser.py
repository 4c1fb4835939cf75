"""The order-agreement builder in the Voilà slides, offline: a learner fills the form, adds photos (one of them
bigger than tornado's default websocket limit), is told why a fake photo is refused, downloads the agreement,
which prints cleanly, and finds the draft again on a new page."""
import base64
import re

import numpy as np
from PIL import Image
from playwright.sync_api import expect

from conftest import screenshot_dir
from decks import assert_readable_slide, deck_url, field, open_deck, wait_saved, wait_settled

PRODUCT = "Silk scarf <b>hand-woven</b>"
TORNADO_DEFAULT_LIMIT = 10 * 1024 * 1024


def check_the_slide(page, name):
    wait_settled(page)
    page.screenshot(path=screenshot_dir("agreement") / f"{name}.png")
    assert_readable_slide(page)


def photo_files(folder):
    """A small PNG, a JPEG, a noise PNG of about 15 MB, and a text file named like a photo."""
    rng = np.random.default_rng(7)
    small = folder / "colour-card.png"
    Image.new("RGB", (900, 600), "#23336b").save(small)
    photo = folder / "scarf-sample.jpg"
    Image.fromarray(rng.integers(0, 255, (1500, 2000, 3), dtype=np.uint8)).save(photo, quality=90)
    big = folder / "big-noise.png"
    Image.fromarray(rng.integers(0, 255, (2240, 2240, 3), dtype=np.uint8)).save(big, compress_level=1)
    fake = folder / "fake.jpg"
    fake.write_text("This is a note, not a photo.\n" * 10)
    return small, photo, big, fake


def choose_files(page, *paths):
    """Pick files in the FileUpload's <input type=file>, which opens from the "Add photos" button."""
    with page.expect_file_chooser() as chooser:
        page.locator(".widget-upload").click()
    assert chooser.value.is_multiple()
    chooser.value.set_files([str(p) for p in paths])


def photo_button_reads(page) -> str:
    """What the photo button shows: its words as drawn (the button's own text is hidden under them)."""
    return page.evaluate("""() => { const b = document.querySelector('.course-photo-upload');
      const own = parseFloat(getComputedStyle(b).fontSize) > 0 ? b.innerText.trim() : '';
      return (own + ' ' + getComputedStyle(b, '::after').content.replace(/^"|"$/g, '')).trim(); }""")


def test_agreement_builder_in_the_slides(slide_server, offline, tmp_path, learner):
    view = offline()
    page = view.page
    open_deck(page, deck_url(slide_server, "zz-fixture-agreement.ipynb", learner))
    page.locator(".course-agreement").wait_for()
    check_the_slide(page, "form")

    # Fill the form as a learner would.
    field(page, "Product name").locator("input").fill(PRODUCT)
    field(page, "Size").locator("input").fill("180 cm x 50 cm")
    field(page, "Colours").locator("input").fill("indigo and white")
    field(page, "Quality criteria (one per line)").locator("textarea").fill("No loose threads\nColours as in the photo")
    field(page, "Price per piece").locator("input").fill("12.50")
    field(page, "Quantity (pieces)").locator("input").fill("120")
    field(page, "Advance payment (%)").locator("input").fill("40")
    page.locator(".agreement-total").filter(has_text="1,500 USD").wait_for()
    page.locator(".agreement-advance").filter(has_text="600 USD").wait_for()
    field(page, "Final delivery date").locator("input").fill("2099-06-30")
    field(page, "Buyer").locator("input").fill("<script>alert(1)</script>")
    field(page, "Artisans").locator("input").fill("Ban Phanom weavers")
    page.locator(".agreement-status").get_by_text("Saved at").wait_for()

    # A bad number: a message, and the last total stays.
    field(page, "Price per piece").locator("input").fill("abc")
    page.get_by_text("is not a number").wait_for()
    assert "1,500 USD" in page.locator(".agreement-total").inner_text()
    field(page, "Price per piece").locator("input").fill("12.50")
    page.get_by_text("is not a number").wait_for(state="detached")

    # Nothing to take yet: the builder says which tool to use.
    page.get_by_role("button", name="Take from the contingency simulator").click()
    page.get_by_text("Use the contingency simulator in module 04").wait_for()

    # Photos: two ordinary ones, one above tornado's default 10 MiB message size, and a fake.
    small, photo, big, fake = photo_files(tmp_path)
    assert 14 * 1024 * 1024 < big.stat().st_size < 20 * 1024 * 1024 and big.stat().st_size > TORNADO_DEFAULT_LIMIT
    choose_files(page, small, photo)
    page.get_by_text("Added: colour-card.png, scarf-sample.jpg.").wait_for(timeout=60_000)
    choose_files(page, big)
    page.get_by_text("Added: big-noise.png.").wait_for(timeout=120_000)
    choose_files(page, fake)
    page.get_by_text("fake.jpg is not a photo").wait_for(timeout=60_000)
    expect(page.locator(".agreement-photo")).to_have_count(3)
    page.locator(".agreement-photo").nth(2).scroll_into_view_if_needed()
    check_the_slide(page, "photos")
    # The photo button counts the photos in the agreement (ipywidgets' own "(0)" counted the files still in it).
    assert photo_button_reads(page) == "Add photos (3 added)"

    # Remove one photo, then add it again.
    page.locator(".agreement-photo").filter(has_text="colour-card.png").get_by_role("button", name="Remove").click()
    page.get_by_text("Removed: colour-card.png.").wait_for()
    expect(page.locator(".agreement-photo")).to_have_count(2)
    choose_files(page, small)
    page.get_by_text("Added: colour-card.png.").wait_for(timeout=60_000)
    expect(page.locator(".agreement-photo")).to_have_count(3)

    # The draft in the store has the typed text and the small photos.
    draft = wait_saved(slide_server, learner, lambda row: len(row.value["photos"]) == 3,
                       item="order-agreement", kind="draft").value
    assert draft["fields"]["product"] == PRODUCT and len(draft["photos"]) == 3
    assert all(max(p["width"], p["height"]) <= 1280 for p in draft["photos"])

    # Make the agreement and download it.
    page.get_by_role("button", name="Make the agreement").click()
    link = page.locator("a.course-download", has_text="agreement to print")
    link.wait_for()
    assert link.get_attribute("download").endswith(".html")
    page.locator(".agreement-summary-text").get_by_text("12.50 USD per piece").wait_for()
    summary_link = page.locator("a.course-download", has_text="summary")
    summary = base64.b64decode(summary_link.get_attribute("href").split(";base64,", 1)[1]).decode()
    assert "120 pieces" in summary and "30 June 2099" in summary
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".html")
    document = base64.b64decode(link.get_attribute("href").split(";base64,", 1)[1]).decode("utf-8")
    assert "&lt;b&gt;hand-woven&lt;/b&gt;" in document and "<b>hand-woven</b>" not in document
    assert "<script>alert(1)</script>" not in document and not re.search(r"https?://", document)
    assert document.count("<img src='data:image/") == 3
    page.locator(".agreement-summary-text").scroll_into_view_if_needed()
    check_the_slide(page, "made")

    # The agreement prints cleanly: render it alone, as a PDF and as a picture.
    printed = view.context.new_page()
    printed.set_viewport_size({"width": 900, "height": 1200})
    printed.set_content(document)
    printed.wait_for_function("() => Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
    assert printed.evaluate("document.images.length") == 3
    pdf = screenshot_dir("agreement") / "agreement.pdf"
    printed.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and 1 <= len(re.findall(rb"/Type\s*/Page[^s]", data)) <= 6
    printed.emulate_media(media="print")
    printed.screenshot(path=screenshot_dir("agreement") / "agreement-print.png", full_page=True)
    # Nothing is wider than the page, and the signature lines are there for both sides.
    assert printed.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert printed.locator(".signatures .line").count() >= 4
    printed.close()

    # A new page for the same learner (a new kernel): the draft comes back.
    again = offline()
    open_deck(again.page, deck_url(slide_server, "zz-fixture-agreement.ipynb", learner))
    again.page.locator(".agreement-status").get_by_text("is back").wait_for()
    assert field(again.page, "Product name").locator("input").input_value() == PRODUCT
    assert field(again.page, "Quality criteria (one per line)").locator("textarea").input_value() == \
        "No loose threads\nColours as in the photo"
    assert field(again.page, "Final delivery date").locator("input").input_value() == "2099-06-30"
    expect(again.page.locator(".agreement-photo")).to_have_count(3)
    check_the_slide(again.page, "restored")

    for v in (view, again):
        assert v.external_requests() == [] and v.console_errors == [], ("first page" if v is view
                                                                        else "page opened again", v.console_errors)


# Whether the element is wholly on screen inside the current slide, and seen (not covered).
ON_SCREEN = """(e) => {
  const slide = Reveal.getCurrentSlide(), v = slide.getBoundingClientRect(), r = e.getBoundingClientRect();
  if (r.height === 0 || r.top < Math.max(v.top, 0) - 1 || r.bottom > Math.min(v.bottom, innerHeight) + 1) return false;
  const hit = document.elementFromPoint(r.left + 20, r.top + r.height / 2); return !!hit && e.contains(hit); }"""


def test_a_form_error_takes_the_trainee_to_the_field_and_marks_it(slide_server, offline, learner):
    view = offline(390, 844, is_mobile=True, has_touch=True)
    page = view.page
    open_deck(page, deck_url(slide_server, "zz-fixture-agreement.ipynb", learner))
    page.locator(".course-agreement").wait_for()
    assert photo_button_reads(page) == "Add photos"  # no "(0)" before any photo
    field(page, "Product name").locator("input").fill("Silk scarf")
    field(page, "Quantity (pieces)").locator("input").fill("120")
    field(page, "Final delivery date").locator("input").fill("2099-06-30")
    page.locator(".agreement-status").get_by_text("Saved at").wait_for()
    price = field(page, "Price per piece")  # left empty: the first problem the agreement finds
    make = page.get_by_role("button", name="Make the agreement")
    make.scroll_into_view_if_needed()
    assert not price.evaluate(ON_SCREEN)  # far above the button, as on a phone
    make.tap()
    # The slide scrolls back to the field, which is marked, says why under its box, and has the cursor.
    page.wait_for_function(ON_SCREEN, arg=price.element_handle(), timeout=30_000)
    expect(price).to_have_class(re.compile(r"\bcourse-field-problem\b"))
    expect(price.locator(".course-field-note")).to_have_text("Price per piece: please type a number.")
    page.wait_for_function("e => e.contains(document.activeElement)", arg=price.element_handle(), timeout=10_000)
    wait_settled(page)
    page.screenshot(path=screenshot_dir("agreement") / "field-problem-phone.png")
    # Typing in the field takes the mark away; the next "Make the agreement" makes it.
    price.locator("input").fill("12.50")
    expect(price).not_to_have_class(re.compile(r"\bcourse-field-problem\b"))
    make.tap()
    page.locator("a.course-download", has_text="agreement to print").wait_for()
    assert view.external_requests() == [] and view.console_errors == []
