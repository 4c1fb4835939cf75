"""The command-line tool, as a user runs it: one plain sentence per problem, never a traceback."""
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def run(*args, env=None, timeout=120):
    full_env = dict(os.environ, **(env or {}))
    result = subprocess.run([sys.executable, "-m", "artisan_course.cli", *args], capture_output=True, text=True,
                            env=full_env, timeout=timeout)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def course_copy(tmp_path: Path) -> Path:
    root = tmp_path / "course"
    root.mkdir()
    shutil.copytree(REPO / "data", root / "data")
    shutil.copytree(REPO / "notebooks", root / "notebooks")
    (root / "node_modules").symlink_to(REPO / "node_modules")
    return root


def test_check_reports_a_healthy_installation(learner_home):
    result = run("check", "--port", "0")
    assert result.returncode == 0, result.stdout
    assert "The installation is ready for a workshop." in result.stdout
    assert str(learner_home) in result.stdout
    assert "Prices show kip beside USD at 1 USD = 21,500 kip" in result.stdout  # the rate the screens will use
    assert "The interface in ລາວ (lo):" in result.stdout and "messages translated" in result.stdout


def test_check_names_a_corrupt_course_map(tmp_path):
    root = course_copy(tmp_path)
    (root / "data" / "course_map.yaml").write_text("title: [unclosed\n")
    result = run("check", "--port", "0", env={"ARTISAN_COURSE_ROOT": str(root)})
    assert result.returncode == 1
    assert "course_map.yaml (line 2): this is not valid YAML" in result.stdout


def test_check_names_a_missing_notebook(tmp_path):
    root = course_copy(tmp_path)
    (root / "notebooks" / "00-welcome.ipynb").unlink()
    result = run("check", "--port", "0", env={"ARTISAN_COURSE_ROOT": str(root)})
    assert result.returncode == 1
    assert "names notebooks/00-welcome.ipynb for module 'welcome', but that file does not exist" in result.stdout


def test_check_warns_a_facilitator_whose_new_question_gives_its_answer_away(tmp_path):
    root = course_copy(tmp_path)
    bank = root / "data" / "quizzes" / "welcome.yaml"
    text = bank.read_text(encoding="utf-8")
    tell = '"Negotiation, management and communication, the three soft skills that build relationships that last"'
    bank.write_text(text.replace('"Negotiation, management and communication"', tell, 1), encoding="utf-8")
    result = run("check", "--port", "0", env={"ARTISAN_COURSE_ROOT": str(root)})
    assert result.returncode == 1
    assert "data/quizzes/welcome.yaml: welcome-three-parts: the right option is 2.4 times as long" in result.stdout


def test_check_names_a_deck_whose_notes_run_past_its_time_and_one_that_lacks_the_core_mark(tmp_path):
    root = course_copy(tmp_path)
    late = root / "notebooks" / "02-negotiation-process.ipynb"
    late.write_text(late.read_text(encoding="utf-8").replace("Core slide. About 1 minute.",
                                                             "Core slide. About 21 minutes.", 1),
                    encoding="utf-8")
    unmarked = root / "notebooks" / "05-fairness-and-culture.ipynb"
    unmarked.write_text(unmarked.read_text(encoding="utf-8").replace(
        "**Facilitator note:** Core slide. About", "**Facilitator note:** About", 1), encoding="utf-8")
    result = run("check", "--port", "0", env={"ARTISAN_COURSE_ROOT": str(root)})
    assert result.returncode == 1
    assert "02-negotiation-process.ipynb: the speaker notes add up to 62 minutes, more than the 50" in result.stdout
    assert "05-fairness-and-culture.ipynb: the note on 'Opening: the module header' should start" in result.stdout


def test_check_names_a_notebook_that_does_not_parse(tmp_path):
    root = course_copy(tmp_path)
    (root / "notebooks" / "00-welcome.ipynb").write_text("{not json")
    result = run("check", "--port", "0", env={"ARTISAN_COURSE_ROOT": str(root)})
    assert result.returncode == 1
    assert "notebooks/00-welcome.ipynb cannot be read as a notebook" in result.stdout


def test_check_names_missing_slide_assets(tmp_path):
    root = course_copy(tmp_path)
    (root / "node_modules").unlink()
    result = run("check", "--port", "0", env={"ARTISAN_COURSE_ROOT": str(root)})
    assert result.returncode == 1
    assert "reveal.css is missing. Run `artisan-course setup` while online." in result.stdout


def test_check_names_an_unwritable_store(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = run("check", "--port", "0", env={"ARTISAN_COURSE_HOME": str(blocker / "store")})
    assert result.returncode == 1
    assert "The course cannot save answers in" in result.stdout


@pytest.fixture
def busy_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_check_and_slides_name_a_port_in_use(busy_port):
    result = run("check", "--port", str(busy_port))
    assert f"Port {busy_port} is already in use." in result.stdout
    result = run("slides", "--port", str(busy_port), "--no-browser")
    assert result.returncode == 2
    assert f"Port {busy_port} is already in use. Is the course already running?" in result.stderr


def test_slides_refuses_a_corrupt_course_map_in_one_sentence(tmp_path):
    root = course_copy(tmp_path)
    (root / "data" / "course_map.yaml").write_text("title: T\nmodules: []\n")
    result = run("slides", "--port", "0", "--no-browser", env={"ARTISAN_COURSE_ROOT": str(root)})
    assert result.returncode == 2
    assert result.stderr.startswith("artisan-course: ") and "course_map.yaml" in result.stderr


def test_forget_deletes_a_learner_and_their_words(learner_home):
    from artisan_course.state.store import Store
    store = Store(learner_home)
    noy = store.learner("Noy")
    store.record(noy.id, "welcome", "q", "reflection", "private words")
    store.close()
    result = run("forget", "noy")
    assert result.returncode == 0 and "1 saved answer(s)" in result.stdout
    assert Store(learner_home).answers() == []
    assert run("forget", "noy").returncode == 1


def test_a_course_command_owns_the_store_it_sets_a_damaged_file_aside_and_says_where(learner_home):
    """Kernels never move the store (state/store.py); the course's commands do, once, when the file is damaged."""
    learner_home.mkdir(parents=True)
    (learner_home / "course.sqlite3").write_bytes(b"not a database" * 200)
    result = run("forget", "noy")
    assert "It was kept as course.sqlite3.unreadable-" in result.stdout and "No learner called 'noy'" in result.stdout
    kept = [p for p in learner_home.iterdir() if ".unreadable-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"not a database")


def start_workshop(host: str, env: dict | None = None):
    """`artisan-course workshop` on a free port; returns the process and what it printed up to "Press Ctrl-C"."""
    import signal
    import time
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "artisan_course.cli", "workshop", "--port", str(port),
                                "--host", host, "--no-browser"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=dict(os.environ, **(env or {})))
    printed = []
    deadline = time.monotonic() + 90
    for line in process.stdout:
        printed.append(line)
        if line.startswith("Press Ctrl-C") or time.monotonic() > deadline:
            break
    process.send_signal(signal.SIGINT)
    _, errors = process.communicate(timeout=30)
    return port, "".join(printed), errors


def test_workshop_prints_the_join_address_code_qr_and_key_once_and_warns_beyond_this_computer():
    port, printed, errors = start_workshop("127.0.0.2")
    assert f"Trainees join at http://127.0.0.2:{port}/join" in printed
    code = re.search(r"^Join code: ([A-Z]{4})$", printed, re.MULTILINE).group(1)
    key = re.search(r"^Facilitator key: (\S{16,}) ", printed, re.MULTILINE).group(1)
    assert "▀" in printed or "▄" in printed  # the QR code, drawn in the terminal
    assert f"Projector start page: http://127.0.0.2:{port}/facilitator/start\n" in printed and code != key
    # The key is shown once, on its own line, after every address: no address carries it.
    assert printed.count(key) == 1 and "key=" not in printed + errors
    assert printed.index("Facilitator key:") > printed.index("Dashboard")
    assert "WARNING" in errors and "Anyone on the network who has the join code can join" in errors
    assert "--host" in errors and "Traceback" not in printed + errors


def test_workshop_help_names_the_facilitator_flag_and_every_network():
    result = run("workshop", "--help")
    assert "--facilitator-anywhere" in result.stdout and "only this computer" in " ".join(result.stdout.split())
    assert "::" in result.stdout


def test_workshop_on_this_computer_only_gives_no_warning():
    port, printed, errors = start_workshop("127.0.0.1")
    assert f"Trainees join at http://127.0.0.1:{port}/join" in printed and "WARNING" not in errors


def test_workshop_names_a_port_in_use(busy_port):
    result = run("workshop", "--port", str(busy_port), "--host", "127.0.0.1", "--no-browser")
    assert result.returncode == 2 and f"Port {busy_port} is already in use." in result.stderr


def test_the_join_address_is_this_computers_address_on_the_network():
    from artisan_course.serving.workshop import lan_address
    address = lan_address()
    assert address and address not in ("0.0.0.0", "127.0.0.1")
