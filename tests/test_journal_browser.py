"""Never lose a learner's words: reflections survive a kernel that dies, in the Voilà slides."""
from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path

import psutil

from conftest import screenshot_dir
from decks import deck_url, open_deck, saved_answers, server_children

REFLECTION_SLIDE = "Reveal.slide(Reveal.getHorizontalSlides().findIndex(s => s.querySelector('.course-reflection')))"


def page_kernel(server, page) -> psutil.Process:
    kernel_id = json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]
    for process, command in server_children(server.process.pid):
        if kernel_id in command:
            return process
    raise AssertionError(f"no process for kernel {kernel_id}")


def open_reflection(view, server, learner: str):
    open_deck(view.page, deck_url(server, "00-welcome.ipynb", learner=learner))
    box = view.page.locator(".course-reflection textarea")
    box.wait_for(state="attached")
    view.page.evaluate(REFLECTION_SLIDE)
    box.wait_for()
    view.page.wait_for_function("!document.querySelector('.course-reflection textarea').disabled")
    return box


def stored(server, learner: str):
    rows = saved_answers(server, learner, item="welcome-soft-skills")
    return rows[-1].value if rows else None


def saved_on_screen(view):
    """The box says "Saved at": the kernel has written this very text to the store."""
    view.page.locator(".course-reflection .course-status--saved").wait_for(timeout=15_000)


def test_text_typed_before_a_crash_is_in_the_store_and_comes_back(slide_server, offline, learner):
    view = offline()
    box = open_reflection(view, slide_server, learner)
    text = "Respect their time. ເຄົາລົບ 🙏 <script>alert(1)</script>"
    box.click()
    box.press_sequentially(text, delay=5)
    saved_on_screen(view)  # the autosave after the pause in typing
    page_kernel(slide_server, view.page).send_signal(signal.SIGKILL)
    assert stored(slide_server, learner) == text

    view.page.reload()
    box = open_reflection(view, slide_server, learner)
    assert box.input_value() == text
    assert "Saved at" in view.page.locator(".course-reflection .course-status").inner_text()
    # The learner's <script> is text, not markup.
    assert view.page.locator(".course-reflection script").count() == 0


def test_text_typed_just_before_a_crash_is_kept_in_the_browser_and_saved_when_the_page_opens_again(
        slide_server, offline, learner):
    view = offline()
    box = open_reflection(view, slide_server, learner)
    kernel = page_kernel(slide_server, view.page)
    kernel.send_signal(signal.SIGSTOP)  # freeze the kernel so nothing can be saved ...
    text = "Listen first, then speak their language."
    box.click()
    box.press_sequentially(text, delay=5)
    kernel.send_signal(signal.SIGKILL)  # ... then kill it before it ever saw the text
    status = view.page.locator(".course-reflection .course-status--unsaved")
    status.wait_for(timeout=15_000)
    assert "Not saved yet" in status.inner_text()
    assert stored(slide_server, learner) in (None, "")

    # The page opens again: the text this browser kept is saved, with no button to find.
    view.page.reload()
    open_reflection(view, slide_server, learner)
    view.page.locator(".course-reflection .course-status--saved").wait_for(timeout=15_000)
    assert stored(slide_server, learner) == text
    assert view.page.locator(".course-reflection textarea").input_value() == text
    assert view.page.get_by_role("button", name="Restore it").count() == 0


def test_kept_text_is_offered_back_not_saved_over_a_newer_answer_from_another_device(slide_server, offline, learner):
    view = offline()
    box = open_reflection(view, slide_server, learner)
    kernel = page_kernel(slide_server, view.page)
    kernel.send_signal(signal.SIGSTOP)
    kept = "Typed on the first device."
    box.click()
    box.press_sequentially(kept, delay=5)
    kernel.send_signal(signal.SIGKILL)
    view.page.locator(".course-reflection .course-status--unsaved").wait_for(timeout=15_000)
    # Meanwhile the same learner answers on another device, and that is saved.
    other = offline()
    newer = "Written later on another device."
    other_box = open_reflection(other, slide_server, learner)
    other_box.click()
    other_box.press_sequentially(newer, delay=5)
    other.page.locator(".course-reflection .course-status--saved").wait_for(timeout=15_000)
    assert stored(slide_server, learner) == newer

    # The first device opens again: its kept text does not replace the newer answer; it is offered back.
    view.page.reload()
    open_reflection(view, slide_server, learner)
    offer = view.page.locator(".course-restore")
    offer.wait_for()
    assert f"({len(kept)} characters)" in offer.inner_text()
    assert stored(slide_server, learner) == newer
    offer.get_by_role("button", name="Restore it").click()
    view.page.locator(".course-reflection .course-status--saved").wait_for(timeout=10_000)
    assert stored(slide_server, learner) == kept


def test_history_keeps_one_row_per_sitting_not_per_autosave(slide_server, offline, learner):
    view = offline()
    box = open_reflection(view, slide_server, learner)
    box.click()
    for word in ["one ", "two ", "three "]:
        box.press_sequentially(word, delay=5)
        saved_on_screen(view)  # each pause autosaves, into the same row
    # Focus leaves the box: the sitting ends. The kernel hears of it before the next edit,
    # which travels after it on the same connection.
    box.blur()
    box.click()
    box.press("End")
    box.press_sequentially("four", delay=5)
    saved_on_screen(view)
    rows = saved_answers(slide_server, learner, item="welcome-soft-skills")
    assert [r.value for r in rows] == ["one two three ", "one two three four"]


def test_the_journal_downloads_from_the_deck_as_one_page_named_for_a_lao_name_and_opens_offline(slide_server, offline,
                                                                                                 learner):
    own = learner  # "Trainee 1a2b3c4d": this test's own
    learner = f"ນ້ອຍ {own} <b>"  # Lao script and markup in the name
    text = "<script>alert('x')</script> ຂອບໃຈຫຼາຍໆ 🙏 thank you"
    view = offline()
    box = open_reflection(view, slide_server, learner)
    box.click()
    box.press_sequentially(text, delay=5)
    view.page.locator(".course-reflection .course-status--saved").wait_for()

    page = view.page
    page.evaluate("Reveal.slide(Reveal.getHorizontalSlides().findIndex(s => s.innerText.includes('Download "
                  "my journal')))")
    slide = page.locator("section.present")
    # One press, one file: no second link to find, no Markdown for a trainee to puzzle over.
    with page.expect_download(timeout=60_000) as download_info:
        slide.get_by_role("button", name="Download my journal").click()
    download = download_info.value
    # Named after the learner, Lao letters and their tone mark kept; the markup's brackets are not in it.
    assert download.suggested_filename == f"journal-ນ້ອຍ-{own.replace(' ', '-')}-b.html"
    assert slide.get_by_text("Markdown").count() == 0 and slide.locator("a.course-download").count() == 0
    slide.get_by_text(f"Look in your downloads for {download.suggested_filename}").wait_for()
    journal = Path(download.path()).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; ຂອບໃຈຫຼາຍໆ 🙏 thank you" in journal
    assert "<script>" not in journal
    page.screenshot(path=screenshot_dir("journal") / "journal-button-1280.png")

    reader = offline(900, 700)
    reader.page.set_content(journal)
    assert reader.page.locator(".answer").inner_text() == text
    reader.page.screenshot(path=screenshot_dir("journal") / "journal.png", full_page=True)
    assert reader.external_requests() == []
    assert reader.console_errors == []


def test_in_a_workshop_the_journal_button_downloads_the_page_the_server_names_for_the_trainee(tmp_path, offline,
                                                                                              learner):
    from conftest import free_port, make_course_copy
    from test_workshop_browser import WorkshopServer, join
    server = WorkshopServer(make_course_copy(tmp_path / "course"), tmp_path / "store", free_port())
    try:
        name = f"ນ້ອຍ {learner}"
        phone = offline(390, 844, is_mobile=True, has_touch=True)
        join(phone, server, name)
        box = open_reflection_at(phone, server.deck("00-welcome.ipynb"))
        box.click()
        box.press_sequentially("Patience ຂອບໃຈ", delay=5)
        saved_on_screen(phone)
        page = phone.page
        page.evaluate("Reveal.slide(Reveal.getHorizontalSlides().findIndex(s => s.innerText.includes('Download "
                      "my journal')))")
        with page.expect_download(timeout=60_000) as download_info:
            page.locator("section.present").get_by_role("button", name="Download my journal").tap()
        download = download_info.value
        assert download.suggested_filename == f"journal-ນ້ອຍ-{learner.replace(' ', '-')}.html"
        assert "Patience ຂອບໃຈ" in Path(download.path()).read_text(encoding="utf-8")
        page.screenshot(path=screenshot_dir("journal") / "journal-button-phone.png")
        # The server names the file (any script, for every browser) and answers only the cookie's owner.
        answer = phone.context.request.get(server.url + "course/my-journal")
        assert answer.status == 200
        assert "filename*=UTF-8''journal-%E0%BA%99%E0%BB%89%E0%BA%AD%E0%BA%8D-" in answer.headers["content-disposition"]
        assert offline().context.request.get(server.url + "course/my-journal").status == 403
        assert phone.external_requests() == []
    finally:
        server.stop()


def open_reflection_at(view, url: str):
    open_deck(view.page, url)
    box = view.page.locator(".course-reflection textarea")
    box.wait_for(state="attached")
    view.page.evaluate(REFLECTION_SLIDE)
    box.wait_for()
    view.page.wait_for_function("!document.querySelector('.course-reflection textarea').disabled")
    return box


def test_lao_script_has_a_system_font():
    # CI installs fonts-noto-core, which covers Lao; without it Lao text shows as boxes.
    fonts = subprocess.run(["fc-list", ":lang=lo", "family"], capture_output=True, text=True).stdout
    assert "Lao" in fonts
