"""Files a learner takes away: a browser download always, a local copy only when the learner is at this computer."""
import base64
import re

from artisan_course.documents import downloads
from artisan_course.documents.downloads import Download, offer_html


def hrefs(page: str) -> list[bytes]:
    return [base64.b64decode(h) for h in re.findall(r"base64,([A-Za-z0-9+/=]+)'", page)]


def test_the_links_carry_the_files_and_a_local_copy_is_kept_in_jupyterlab(learner_home, monkeypatch):
    monkeypatch.delenv("VOILA_KERNEL_ID", raising=False)
    monkeypatch.delenv("SERVER_SOFTWARE", raising=False)
    items = [Download("agreement.html", "text/html", "<p>ຂອບໃຈ</p>", "Agreement"),
             Download("plan.ics", "text/calendar", b"BEGIN:VCALENDAR", "Calendar")]
    page = offer_html(items, "Noy <b>")
    assert hrefs(page) == ["<p>ຂອບໃຈ</p>".encode(), b"BEGIN:VCALENDAR"]
    saved = sorted((learner_home / "documents").rglob("*.*"))
    assert [p.name for p in saved] == ["agreement.html", "plan.ics"]
    assert saved[0].read_text(encoding="utf-8") == "<p>ຂອບໃຈ</p>"
    assert "<" not in str(saved[0]) and " " not in saved[0].parent.name  # the raw name never goes into a path
    assert "Also saved on this computer" in page


def test_no_copy_on_the_facilitators_laptop_when_trainees_download_over_the_network(learner_home, monkeypatch):
    monkeypatch.setenv("VOILA_KERNEL_ID", "k")
    monkeypatch.setenv(downloads.SERVED_HOST_ENV, "0.0.0.0")
    page = offer_html([Download("summary.txt", "text/plain", "We agreed.", "Summary")], "Noy")
    assert hrefs(page) == [b"We agreed."]
    assert not (learner_home / "documents").exists() and "Also saved" not in page
    monkeypatch.setenv(downloads.SERVED_HOST_ENV, "127.0.0.1")
    offer_html([Download("summary.txt", "text/plain", "We agreed.", "Summary")], "Noy")
    assert len(list((learner_home / "documents").rglob("summary.txt"))) == 1


def test_a_file_name_cannot_break_out_of_the_link(learner_home):
    page = offer_html([Download("x' onclick='alert(1).txt", "text/plain", "x", "<b>label</b>")], None)
    assert "onclick='alert" not in page and "&lt;b&gt;label" in page
