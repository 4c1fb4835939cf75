"""``artisan-course``: the course's one command-line entry point.

    artisan-course setup             install the slide assets (once, online)
    artisan-course slides            serve the decks on this computer (offline)
    artisan-course workshop          serve the decks to a room, with a join code and private trainee identities
    artisan-course lab               open the trainee's working copy in JupyterLab
    artisan-course check             offline pre-flight for the day before a workshop
    artisan-course export-journal    write a learner's journal as Markdown and printable HTML
    artisan-course build-exercises   generate exercises/ from solutions/
    artisan-course build-translations  update the translation catalogs and make the translated decks
    artisan-course forget NAME       delete a learner and everything they wrote
    artisan-course import-quiz FILE  convert a jupyterquiz bank (JSON, base64 or hidden in a notebook) to our YAML
    artisan-course check-quiz FILE   check one question bank; prints each problem as file:id:problem
    artisan-course kit DIR           write a folder for a USB stick that installs the course offline
    artisan-course test              run the whole test suite (what `make test` does)

Every problem is reported as one plain sentence, never a traceback.
"""
from __future__ import annotations

import argparse
import errno
import os
import shlex
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import i18n, paths
from .i18n import LANGUAGES
from .limits import WEBSOCKET_LIMIT_BYTES

DEFAULT_PORT = 8866
IDLE_KERNEL_SECONDS = 20 * 60


class CourseError(Exception):
    """A problem to show the user as a sentence, with exit status 2."""


def _say(ok: bool, sentence: str) -> None:
    print(f"{'ok  ' if ok else 'FAIL'}  {sentence}")


EVERY_NETWORK = ("0.0.0.0", "", "::")  # --host values that serve every network of this computer


def listen_address(host: str) -> str:
    """What the server binds for ``--host``: ``::`` means every network, IPv4 as well as IPv6 (as on most systems),
    which the server's library binds for an empty address; any other value as given."""
    return "" if host == "::" else host


def url_host(host: str) -> str:
    """``host`` as it goes in an address: "localhost" for every network, an IPv6 address in brackets."""
    if host in EVERY_NETWORK:
        return "localhost"
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def port_problem(host: str, port: int) -> str | None:
    """A sentence if the server could not listen on ``host:port`` (None: it can), found by binding as it will."""
    address = listen_address(host)
    try:
        found = socket.getaddrinfo(address or None, port, socket.AF_UNSPEC, socket.SOCK_STREAM, 0, socket.AI_PASSIVE)
    except socket.gaierror as exc:
        return f"Cannot listen on {host}:{port} ({exc.strerror})."
    for family, kind, proto, _, where in found:
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does: old connections are
            if family == socket.AF_INET6:                              # no obstacle, another server is
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                sock.bind(where)
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    return (f"Port {port} is already in use. Is the course already running? "
                            f"Stop the other program, or choose another port with --port.")
                if family == socket.AF_INET6 and not address:
                    continue  # every network, on a computer without IPv6: IPv4 alone
                return f"Cannot listen on {host}:{port} ({exc.strerror})."
    return None


def _course_or_error():
    from .content.course_map import CourseMapError, load_course_map, missing_notebooks
    try:
        course = load_course_map()
    except (CourseMapError, paths.CourseNotFound) as exc:
        raise CourseError(str(exc)) from None
    missing = missing_notebooks(course)
    if missing:
        raise CourseError(" ".join(missing))
    return course


def _jupyter_env() -> dict[str, str]:
    """Make the course's Voilà template findable even without a full install."""
    env = dict(os.environ)
    existing = env.get("JUPYTER_PATH")
    env["JUPYTER_PATH"] = os.pathsep.join([str(paths.JUPYTER_DATA_DIR)] + ([existing] if existing else []))
    return env


# -- setup -------------------------------------------------------------------
def cmd_setup(args) -> int:
    from .serving.assets import AssetsMissing, install_assets
    try:
        install_assets(quiet=False)
    except AssetsMissing as exc:
        raise CourseError(str(exc)) from None
    print(f"reveal.js {paths.REVEAL_VERSION} and the Lao font are installed; the slides can now run offline.")
    return 0


# -- slides ------------------------------------------------------------------
def slides_argv(port: int, host: str, open_browser: bool, idle_seconds: int = IDLE_KERNEL_SECONDS) -> list[str]:
    return [
        str(paths.notebooks_dir()),
        f"--port={port}",
        "--Voila.port_retries=0",
        f"--Voila.ip={listen_address(host)}",
        f"--Voila.open_browser={open_browser}",
        "--template=artisan",
        "--VoilaConfiguration.show_tracebacks=False",
        # A kernel whose page was closed or never connected is shut down.
        f"--MappingKernelManager.cull_idle_timeout={idle_seconds}",
        f"--MappingKernelManager.cull_interval={min(60, max(1, idle_seconds // 4))}",
        "--MappingKernelManager.cull_connected=False",
    ]


def _ready_to_serve(args) -> None:
    """What both servers need before they start: the course files, the slide assets and a free port."""
    from .serving.assets import AssetsMissing, install_assets
    _course_or_error()
    try:
        install_assets()
    except AssetsMissing as exc:
        raise CourseError(str(exc)) from None
    problem = port_problem(args.host, args.port)
    if problem:
        raise CourseError(problem)


def _owned_store(required: bool = True):
    """Open the store as its owner, as every course command does (``state/store.py``): a damaged file is set aside
    here, before any kernel starts, and the notice printed. Any other failure (a full disk, a read-only folder)
    moves nothing: a plain CourseError when the command needs the store, else a warning (the pages say it too)."""
    from .state.store import STORE_ERRORS, StoreUnavailable, describe, open_store
    try:
        store = open_store(owner=True)
    except STORE_ERRORS as exc:
        problem = str(exc) if isinstance(exc, StoreUnavailable) else (
            f"The course cannot open its answers file in {paths.store_home()} ({describe(exc)}). "
            "Nothing was moved or changed.")
        if required:
            raise CourseError(problem) from None
        print(f"WARNING: {problem} Answers cannot be saved until this is fixed.", file=sys.stderr, flush=True)
        return None
    for notice in store.notices:
        print(notice, flush=True)
    return store


def _speak(args) -> None:
    """``--lang``: the language of the server's pages and of every kernel it starts (they read the environment)."""
    if getattr(args, "lang", None):
        os.environ[i18n.ENV] = args.lang
        i18n.use(args.lang)


def cmd_slides(args) -> int:
    _speak(args)
    _ready_to_serve(args)
    _owned_store(required=False)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"WARNING: serving on {args.host} lets anyone on this network open the course. "
            "Voilà has no login: every trainee sees the same decks, and names are typed freely.",
            file=sys.stderr,
        )
    os.environ.update(_jupyter_env())
    from .documents.downloads import SERVED_HOST_ENV
    os.environ[SERVED_HOST_ENV] = args.host  # the kernels read it: save local copies only for a local learner
    from .serving.server import CourseVoila
    app = CourseVoila()
    _room_options(app, args)
    app.initialize(slides_argv(args.port, args.host, not args.no_browser, args.idle_seconds or args.idle_minutes * 60))
    shown = "localhost" if args.host in ("127.0.0.1", "localhost") else url_host(args.host)
    print(f"The course is at http://{shown}:{args.port}/  (press Ctrl-C to stop)", flush=True)
    app.start()
    return 0


# -- workshop ----------------------------------------------------------------
def _room_options(app, args) -> None:
    """How many trainees to warm decks for, the kernel cap, and how soon a closed page's kernel goes."""
    app.class_size = getattr(args, "class_size", 0) or 0
    app.max_kernels = getattr(args, "max_kernels", None)
    if getattr(args, "page_gone_seconds", None):
        app.page_gone_seconds = args.page_gone_seconds
    if getattr(args, "quiet_seconds", None) is not None:
        app.quiet_seconds = args.quiet_seconds


def cmd_workshop(args) -> int:
    from .state.identity import FIRST_WAIT_SECONDS, Attempts, Identities, new_facilitator_key, new_join_code
    from .state.learner import WORKSHOP_ENV
    from .state.store import STORE_ERRORS, Store, describe
    _speak(args)
    _ready_to_serve(args)
    needs = "A workshop needs a place to keep answers; set ARTISAN_COURSE_HOME to a folder you can write to."
    try:
        store = _owned_store()
        reader = Store(store.home)  # a second connection, for the server's quick reads (see Identities)
    except CourseError as exc:
        raise CourseError(f"{exc} {needs}") from None
    except STORE_ERRORS as exc:
        raise CourseError(f"The course cannot open its answers file ({describe(exc)}). {needs}") from None
    from .serving.workshop import Workshop, lan_address, qr_text
    everyone = args.host in EVERY_NETWORK
    join_address = f"http://{lan_address() if everyone else url_host(args.host)}:{args.port}/"
    attempts = Attempts(first_wait=args.wait_seconds or FIRST_WAIT_SECONDS)
    workshop = Workshop(Identities(store, new_join_code(), attempts, reader=reader), new_facilitator_key(),
                        join_address, anywhere=args.facilitator_anywhere)
    if getattr(args, "ask_seconds", None):
        workshop.identities.requests.seconds = args.ask_seconds
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        reach = "every device on this network" if everyone else args.host
        print(
            f"WARNING: workshop mode serves the course to other devices ({reach}). "
            "Anyone on the network who has the join code can join and open the decks, speaker notes included. "
            "Each trainee sees only their own answers. Use --host to narrow it (--host 127.0.0.1: this computer only).",
            file=sys.stderr, flush=True,
        )
    os.environ.update(_jupyter_env())
    from .documents.downloads import SERVED_HOST_ENV
    os.environ[SERVED_HOST_ENV] = args.host
    os.environ[WORKSHOP_ENV] = "1"  # every kernel takes its learner from the server, never from the address
    from .serving.server import CourseVoila
    app = CourseVoila()
    app.workshop = workshop
    here = f"http://{url_host(args.host)}:{args.port}/"
    if not args.no_browser:
        # The browser opened now signs in with a code that works once: neither its history nor the process list
        # ever holds the key.
        app.browser_url = f"{here}facilitator/start?once={workshop.new_sign_in_code()}"
    _room_options(app, args)
    app.initialize(slides_argv(args.port, args.host, not args.no_browser, args.idle_seconds or args.idle_minutes * 60))
    app.catch_ctrl_c()  # a Ctrl-C from here on stops the room cleanly, never with a traceback
    print(f"Trainees join at {workshop.join_url}", flush=True)
    print(f"Join code: {workshop.join_code}", flush=True)
    try:
        print(qr_text(workshop.qr_url), flush=True)
    except UnicodeEncodeError:
        print("(This terminal cannot draw the QR code; it is on the projector start page.)", flush=True)
    print(f"Projector start page: {here}facilitator/start", flush=True)
    print(f"Roster, journals and exports: {here}facilitator", flush=True)
    print(f"Dashboard (who is where, hardest questions, polls): {here}facilitator/dashboard", flush=True)
    where = "on any computer" if args.facilitator_anywhere else "on this computer only"
    print(f"Facilitator key: {workshop.key}  (for you alone, {where}: type it when a facilitator page asks for it; "
          "a new one is made at every start)", flush=True)
    print("Press Ctrl-C to stop.", flush=True)
    app.start()
    return 0


# -- lab ---------------------------------------------------------------------
def cmd_lab(args) -> int:
    from .serving import workspace
    _speak(args)
    course = _course_or_error()
    work = Path(args.work_dir).expanduser() if args.work_dir else workspace.default_work_dir()
    try:
        report = workspace.sync_working_copy(work)
        workspace.match_kernel_language(work, workspace.kernel_language_info())
        workspace.write_lab_settings(work / workspace.SETTINGS_FOLDER)
        workspace.fresh_workspaces(work / workspace.WORKSPACES_FOLDER)
    except OSError as exc:
        raise CourseError(f"Could not prepare the working folder {work} ({exc.strerror or exc}).") from None
    for sentence in report.sentences():
        print(sentence)
    # JupyterLab reads these as it loads; its own settings and workspaces, never the ones every JupyterLab shares.
    os.environ.update(_jupyter_env())
    os.environ["JUPYTERLAB_SETTINGS_DIR"] = str(work / workspace.SETTINGS_FOLDER)
    os.environ["JUPYTERLAB_WORKSPACES_DIR"] = str(work / workspace.WORKSPACES_FOLDER)
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    argv = workspace.lab_argv(work, f"notebooks/{course.modules[0].notebook}", args.port, not args.no_browser,
                              as_root, WEBSOCKET_LIMIT_BYTES)
    _owned_store(required=False)  # a damaged file is set aside now, never by one of the notebooks' kernels
    print(f"Opening JupyterLab in {work}  (press Ctrl-C, or close this window, to stop it)", flush=True)
    os.chdir(work)
    return workspace.run_jupyterlab(argv)


# -- check -------------------------------------------------------------------
def cmd_check(args) -> int:
    import nbformat
    from .serving.assets import missing_assets
    from .content.course_map import CourseMapError, load_course_map, missing_notebooks
    from .state.store import STORE_ERRORS, Store, StoreUnavailable, describe

    problems = 0

    def report(ok: bool, sentence: str) -> None:
        nonlocal problems
        problems += not ok
        _say(ok, sentence)

    try:
        root = paths.course_root()
        report(True, f"The course files are in {root}.")
    except paths.CourseNotFound as exc:
        report(False, str(exc))
        return 1

    ready = []
    try:
        course = load_course_map()
        ready = course.ready_modules()
        report(True, f"The course map lists {len(course.modules)} modules; {len(ready)} are ready to teach.")
        missing = missing_notebooks(course)
        for sentence in missing:
            report(False, sentence)
    except CourseMapError as exc:
        report(False, str(exc))

    asset_problems = missing_assets()
    for sentence in asset_problems:
        report(False, sentence + " Run `artisan-course setup` while online.")
    if not asset_problems:
        report(True, f"The slide assets (reveal.js {paths.REVEAL_VERSION}, the Lao font and the course template) are "
                     "present.")

    bad_notebooks = 0
    count = 0
    for folder in ("notebooks", "exercises", "solutions"):
        for path in sorted((root / folder).glob("*.ipynb")):
            count += 1
            try:
                nbformat.validate(nbformat.read(path, as_version=4))
            except Exception as exc:  # any parse or schema error is reported the same way
                bad_notebooks += 1
                first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                report(False, f"{folder}/{path.name} cannot be read as a notebook: {first_line}")
    if not bad_notebooks:
        report(True, f"All {count} notebooks open correctly.")

    if not bad_notebooks:
        # The day's timing: every note marked core or optional, and each module's notes within its minutes.
        from .content.notebooks import NotesError, module_slides
        timing_problems = 0
        for module in ready:
            try:
                minutes = sum(slide.minutes for slide in module_slides(module))
            except NotesError as exc:
                timing_problems += 1
                report(False, str(exc))
                continue
            if minutes > module.minutes:
                timing_problems += 1
                report(False, f"{module.notebook}: the speaker notes add up to {minutes} minutes, more than the "
                              f"{module.minutes} in the course map.")
        if not timing_problems:
            report(True, "Every speaker note says core or optional, and each module's notes fit its minutes.")

    try:
        from .content.quiz_bank import load_all_banks
        from .content.quiz_cues import check_banks
        banks = {f"{module}.yaml": [q.data for q in questions] for module, questions in load_all_banks().items()}
        cues = check_banks(banks)
        for cue in cues:
            report(False, f"data/quizzes/{cue.file}: {cue.question}: {cue.problem}")
        for file, questions in banks.items():
            for q in questions:
                if q.get("review"):
                    cues.append(q)
                    report(False, f"data/quizzes/{file}: {q['id']}: import-quiz filled {', '.join(q['review'])} "
                                  "with a default; rewrite it before the workshop.")
        if not cues:
            report(True, f"The {sum(map(len, banks.values()))} quiz questions load, and none gives its answer away "
                         "(option lengths, true/false balance, absolute words, warm words).")
        from .content.knowledge_check import check_pairs
        pairs = check_pairs()
        for sentence in pairs:
            report(False, sentence)
        if not pairs:
            report(True, "The knowledge check asks the same questions at the start (module 00) and the end "
                         "(module 08).")
    except ValueError as exc:  # a bank that does not load
        report(False, str(exc))

    try:  # the rate changes: remind the facilitator which one the screens use
        from .content.currency import load_currency
        local = load_currency()
        report(True, (f"Prices show kip beside USD at 1 USD = {local.rate:,.0f} kip: set today's rate in "
                      "data/currency.yaml.") if local
               else "Prices show USD only (show_kip is off in data/currency.yaml).")
    except ValueError as exc:
        report(False, str(exc))

    from .i18n import content as content_catalogs  # the translations of what the course says
    try:
        found = content_catalogs.problems_by_kind()
        for sentence in found["lost"][:10]:  # a translation shown today that lost a number, a price or a link
            report(False, sentence)
        if len(found["lost"]) > 10:
            report(False, f"... and {len(found['lost']) - 10} more translations that lost a number or a link.")
        if found["stale"]:  # safe for the day: the new English is shown there
            report(True, f"{len(found['stale'])} translation entries are older than their English, which the decks "
                         "show there instead; run `artisan-course build-translations`, then have them reviewed.")
        report(True, content_catalogs.coverage_sentence("lo"))
    except (ValueError, OSError) as exc:
        report(False, str(exc))

    from .content.words import segmenter_available  # Lao answers: split into words, or checked in English only
    if segmenter_available():
        report(True, "Answers in Lao are split into words with a Lao dictionary (icu4py).")
    else:
        report(True, "Answers in Lao are checked in English only: icu4py (which needs Python 3.11 or newer) is not "
                     "installed. The screens say so to a trainee who writes in Lao.")

    from .i18n import interface  # the interface's catalogs: how much each language translates (the rest is English)
    for lang, name in i18n.LANGUAGES.items():
        if lang == i18n.DEFAULT:
            continue
        try:
            broken = interface.placeholder_problems(lang)
            report(not broken, f"The interface in {name} ({lang}): {interface.coverage(lang)}; what is missing shows "
                               "in English." + "".join(f" {line}." for line in broken))
        except (OSError, ValueError) as exc:
            report(False, f"The interface's {name} catalog cannot be read ({exc}); its pages show in English.")

    try:
        store = Store(owner=True)  # a damaged file is set aside (and said so); nothing else is ever moved
        store.set_setting("last_check", "ok")
        report(True, f"Answers will be saved in {store.where}.")
        for notice in store.notices:
            report(True, notice)
    except StoreUnavailable as exc:
        report(False, str(exc))
    except STORE_ERRORS as exc:
        report(False, f"The course cannot write its answers file in {paths.store_home()} ({describe(exc)}). "
                      "Nothing was moved or changed.")

    problem = port_problem(args.host, args.port)
    report(problem is None, problem or f"Port {args.port} is free for the slides.")

    print("The installation is ready for a workshop." if not problems
          else f"{problems} problem(s) need fixing before the workshop.")
    return 0 if not problems else 1


# -- question banks ------------------------------------------------------------
def cmd_import_quiz(args) -> int:
    from .content.course_map import CourseMapError, load_course_map
    from .content.jupyterquiz import ImportProblem, convert, read_source, to_yaml
    from .content.quiz_bank import QuizBankError, check_bank_file, parse_bank, quiz_dir

    source = Path(args.file)
    if not source.is_file():
        raise CourseError(f"there is no file {source}.")
    try:
        questions = read_source(source)
    except ImportProblem as exc:
        raise CourseError(str(exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CourseError(f"{source} cannot be read: {exc}") from None
    try:
        course = load_course_map()
    except CourseMapError as exc:
        raise CourseError(str(exc)) from None
    module = next((m for m in course.modules if m.id == args.module), None)
    seed, seed_is_default = args.seed_section, False
    if seed is None:
        if module is None or not module.seed_sections:
            raise CourseError(f"module '{args.module}' is not in the course map, so give --seed-section "
                              "(a row of the course map's seed_map).")
        seed, seed_is_default = module.seed_sections[0], True
    elif seed not in course.seed_map:
        raise CourseError(f"--seed-section '{seed}' is not a row of the course map's seed_map; "
                          f"use one of: {', '.join(course.seed_map)}.")
    out = Path(args.out) if args.out else quiz_dir() / f"{args.module}.yaml"
    if out.exists():
        raise CourseError(f"{out} already exists. Choose another --out, then copy the questions you want into "
                          "the bank by hand.")
    result = convert(questions, args.module, seed, prefix=args.prefix, seed_is_default=seed_is_default)
    for number, qid, theirs, ours in result.kept:
        print(f"kept     question {number} ({theirs}) as {qid} ({ours})")
    for qid, note in result.notes:
        print(f"note     {qid}: {note}")
    for number, reason in result.skipped:
        print(f"skipped  question {number}: {reason}")
    if not result.questions:
        print(f"No question of {source} could be converted; nothing was written.")
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(to_yaml(args.module, result.questions, source.name), encoding="utf-8")
    reviews = sum(1 for q in result.questions if q.get("review"))
    print(f"Wrote {len(result.questions)} of {len(questions)} questions to {out}"
          f"{f'; {len(result.skipped)} could not be represented' if result.skipped else ''}. "
          f"{reviews} have fields filled with a default, listed under review.")
    try:
        parse_bank(out, course.seed_map)
        print("The bank loads.", end=" ")
    except QuizBankError as exc:
        print(f"The bank does not load yet: {exc}", end=" ")
    problems = check_bank_file(out)
    print(f"`artisan-course check-quiz {out}` lists {len(problems)} thing(s) to fix or rewrite.")
    return 0


def cmd_check_quiz(args) -> int:
    from .content.quiz_bank import check_bank_file

    total = 0
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            print(f"{name}:*:there is no such file.")
            total += 1
            continue
        problems = check_bank_file(path)
        total += len(problems)
        for file, qid, problem in problems:
            print(f"{file}:{qid}:{problem}")
    if not total:
        print(f"No problems in {', '.join(args.files)}.")
    return 0 if not total else 1


# -- export-journal --------------------------------------------------------------
def cmd_export_journal(args) -> int:
    from .documents.journal import certificate_html, journal_html, journal_markdown
    from .state.learner import LearnerNameError, os_user, safe_file_stem, validate_name
    from .state.session import LAB_LEARNER_SETTING
    from .state.store import Learner
    store = _owned_store()
    try:
        name = validate_name(args.learner or store.get_setting(LAB_LEARNER_SETTING) or os_user())
    except LearnerNameError as exc:
        raise CourseError(str(exc)) from None
    learner = store.find_learner(name) or Learner(id=-1, name=name)
    out = Path(args.out).expanduser()
    try:
        out.mkdir(parents=True, exist_ok=True)
        stem = f"journal-{safe_file_stem(name)}"
        written = [out / f"{stem}.md", out / f"{stem}.html"]
        written[0].write_text(journal_markdown(store, learner), encoding="utf-8")
        written[1].write_text(journal_html(store, learner), encoding="utf-8")
        certificate = certificate_html(store, learner)
        if certificate:
            written.append(out / f"certificate-{safe_file_stem(name)}.html")
            written[-1].write_text(certificate, encoding="utf-8")
    except OSError as exc:
        raise CourseError(f"Could not write the journal to {out} ({exc.strerror or exc}).") from None
    if learner.id < 0 or not store.answers(learner_id=learner.id):
        print(f"There is nothing in {name}'s journal yet; the files say so.")
    for path in written:
        print(f"Wrote {path}")
    return 0


# -- print-materials ---------------------------------------------------------------
def cmd_print_materials(args) -> int:
    from .content.reader import ContentError
    from .documents.materials import write_materials
    out = Path(args.out).expanduser()
    try:
        written = write_materials(out)
    except ContentError as exc:
        raise CourseError(str(exc)) from None
    except OSError as exc:
        raise CourseError(f"Could not write the materials to {out} ({exc.strerror or exc}).") from None
    print(f"Wrote {len(written) - 1} pages to print, and an index: {written[0]}")
    return 0


# -- export-evaluation ---------------------------------------------------------------
def cmd_export_evaluation(args) -> int:
    from .documents.evaluation import evaluation_csv
    store = _owned_store()
    text, answered = evaluation_csv(store)
    out = Path(args.out).expanduser()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise CourseError(f"Could not write {out} ({exc.strerror or exc}).") from None
    print(f"Wrote the evaluation of {answered} trainee(s), without names, to {out}")
    return 0


# -- build-exercises -----------------------------------------------------------------
def cmd_build_exercises(args) -> int:
    from .content.build_exercises import SolutionMarkerError, build
    root = paths.course_root()
    try:
        written = build(root / "solutions", root / "exercises")
    except SolutionMarkerError as exc:
        raise CourseError(str(exc)) from None
    for path in written:
        print(f"Wrote {path.relative_to(root)}")
    return 0


# -- build-translations --------------------------------------------------------------
def cmd_build_translations(args) -> int:
    from .i18n import content
    root = paths.course_root()
    try:
        if args.check:
            stale = content.problems() + [f"{path.relative_to(root)} is older than its catalog; run "
                                          "`artisan-course build-translations`." for path in content.build_decks(
                                              check_only=True)]
            for sentence in stale:
                print(sentence)
            print(content.coverage_sentence("lo"))
            return 1 if stale else 0
        for path in content.update():
            print(f"Wrote {path.relative_to(content.LOCALE_DIR.parent)}")
        for path in content.build_decks():
            print(f"Wrote {path.relative_to(root)}")
        for sentence in content.problems():
            print(sentence)
        print(content.coverage_sentence("lo"))
    except content.CatalogError as exc:
        raise CourseError(str(exc)) from None
    return 0


# -- forget ------------------------------------------------------------------
def cmd_forget(args) -> int:
    from .state.store import STORE_ERRORS, describe
    store = _owned_store()
    try:
        removed = store.forget(args.name)
    except STORE_ERRORS as exc:
        raise CourseError(f"Nothing was deleted: {describe(exc, store.home)}. Try again when that is fixed.") from None
    if removed < 0:
        print(f"No learner called '{args.name}' is in {store.where}. Nothing was deleted.")
        return 1
    print(f"Deleted learner '{args.name}' and {removed} saved answer(s) from {store.where}.")
    return 0


# -- kit ---------------------------------------------------------------------
def cmd_kit(args) -> int:
    from .packaging.kit import KitError, make_kit
    try:
        make_kit(Path(args.dir), args.platform, args.python, Path(args.wheel) if args.wheel else None)
    except KitError as exc:
        raise CourseError(str(exc)) from None
    return 0


# -- test --------------------------------------------------------------------
def find_browser() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def cmd_test(args) -> int:
    from .serving.assets import AssetsMissing, install_assets
    if args.fast and os.environ.get("CI") == "true":
        raise CourseError("--fast leaves out the browser tests, and in CI they must run: use `artisan-course test`.")
    try:
        install_assets()
    except AssetsMissing as exc:
        raise CourseError(str(exc)) from None
    env = dict(os.environ)
    if not args.fast:
        browser = find_browser()
        if browser:
            env["CHROMIUM"] = browser
        elif env.get("CI") == "true":
            raise CourseError("No Chromium found at $CHROMIUM or /usr/bin/chromium; in CI the browser tests must run. "
                              "Install Debian's chromium package.")
        else:
            print("No system Chromium found; installing Playwright's own browser (needs internet).")
            if subprocess.call([sys.executable, "-m", "playwright", "install", "chromium"]) != 0:
                raise CourseError("Could not install a browser for the tests. Install Chromium and set "
                                  "$CHROMIUM to it.")
            env["CHROMIUM"] = ""
    env["JUPYTER_PATH"] = _jupyter_env()["JUPYTER_PATH"]
    root = paths.course_root()
    with tempfile.TemporaryDirectory(prefix="artisan-course-test-") as home:
        env["ARTISAN_COURSE_HOME"] = home
        # --durations lists the slowest tests, to keep the whole suite within about 15 minutes.
        # The folders are pytest's testpaths, so `artisan-course test tests/test_store.py` runs that file alone.
        folders = "tests notebooks exercises solutions"
        if args.fast:
            # Not the browser tests (tests/conftest.py marks every test that drives Chromium "browser"), and
            # not the notebooks run top to bottom, which start a kernel each and take over a minute of their own.
            folders = "tests"
        # tests/offline_install needs a kit and a network namespace: tests/offline_install/run.sh runs it
        # (.ci/run does).
        command = [sys.executable, "-m", "pytest", "--nbval-lax", "--durations=25", "-o", f"testpaths={folders}",
                   "--ignore=tests/offline_install"]
        if args.fast:
            command += ["-m", "not browser"]
        command += args.pytest_args
        print("Running:", shlex.join(command[2:]), flush=True)
        started = time.monotonic()
        code = subprocess.call(command, cwd=root, env=env)
        if args.fast:
            print(f"The fast tests took {time.monotonic() - started:.0f} s "
                  "(the browser tests and the notebook runs were left out: `artisan-course test` runs them).")
        return code


# -- hub ---------------------------------------------------------------------
def cmd_hub(args) -> int:
    """JupyterHub on this machine (deploy/jupyterhub/jupyterhub_config.py), with the PostgreSQL store."""
    import shutil
    import secrets
    from .state.store import DATABASE_URL_ENV
    config = paths.course_root() / "deploy" / "jupyterhub" / "jupyterhub_config.py"
    if not config.is_file():
        raise CourseError(f"The hub's settings file is not here ({config}); run this from a copy of the course's "
                          "source (docs/deploy.md).")
    if not os.environ.get(DATABASE_URL_ENV, "").strip():
        raise CourseError(f"A hub keeps every trainee's work in PostgreSQL: set {DATABASE_URL_ENV} to the database "
                          "it owns, for example postgresql://course:PASSWORD@127.0.0.1/course (docs/deploy.md).")
    proxy = os.environ.get("ARTISAN_COURSE_HUB_PROXY") or shutil.which("configurable-http-proxy")
    if not proxy:
        raise CourseError("JupyterHub needs configurable-http-proxy: `npm install -g configurable-http-proxy`, or "
                          "set ARTISAN_COURSE_HUB_PROXY to where it is (docs/deploy.md).")
    home = Path(args.home or os.environ.get("ARTISAN_COURSE_HUB_HOME") or Path.home() / "artisan-course-hub")
    (home / "homes").mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.setdefault("ARTISAN_COURSE_HUB_CODE", secrets.token_hex(3).upper())
    env.setdefault("ARTISAN_COURSE_HUB_FACILITATOR_PASSWORD", secrets.token_urlsafe(12))
    env.update({"ARTISAN_COURSE_HUB_HOMES": str(home / "homes"), "ARTISAN_COURSE_HUB_IP": args.host,
                "ARTISAN_COURSE_HUB_PORT": str(args.port)})
    facilitator = env.get("ARTISAN_COURSE_HUB_FACILITATOR", "facilitator")
    print(f"The hub is at http://{url_host(args.host)}:{args.port}/ . Trainees sign in with any name and the "
          f"workshop code {env['ARTISAN_COURSE_HUB_CODE']}; you sign in as '{facilitator}' with the password in "
          "ARTISAN_COURSE_HUB_FACILITATOR_PASSWORD" + ("" if "ARTISAN_COURSE_HUB_FACILITATOR_PASSWORD" in os.environ
                                                     else f" ({env['ARTISAN_COURSE_HUB_FACILITATOR_PASSWORD']})")
          + ".", flush=True)
    argv = [sys.executable, "-m", "jupyterhub", "-f", str(config),
            f"--ConfigurableHTTPProxy.command={proxy}"]
    os.chdir(home)
    os.execve(sys.executable, argv, env)
    return 0  # pragma: no cover - execve does not return


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="artisan-course",
                                     description="Warm with the people, tough on business needs: the "
                                                 "course's commands.")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("setup",
                   help="install the slide assets (reveal.js, the Lao font) once, "
                        "while online").set_defaults(func=cmd_setup)

    slides = sub.add_parser("slides", help="serve the course as slides with Voilà")
    slides.add_argument("--lang", choices=sorted(LANGUAGES), default=None,
                        help="the language of the pages and widgets: en (English, the default) or lo (Lao)")
    slides.add_argument("--port", type=int, default=DEFAULT_PORT)
    slides.add_argument("--host", default="127.0.0.1",
                        help="use 0.0.0.0 (or ::) to serve trainees on the same network")
    slides.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    slides.add_argument("--idle-minutes", type=int, default=IDLE_KERNEL_SECONDS // 60,
                        help="shut down a page's kernel after this many idle minutes (default 20)")
    slides.add_argument("--idle-seconds", type=int, help=argparse.SUPPRESS)  # for tests
    slides.add_argument("--page-gone-seconds", type=float, help=argparse.SUPPRESS)  # for tests
    slides.set_defaults(func=cmd_slides)

    workshop = sub.add_parser("workshop", help="serve the course to a room: join code, QR code, private identities")
    workshop.add_argument("--lang", choices=sorted(LANGUAGES), default=None,
                        help="the language of the pages and widgets: en (English, the default) or lo (Lao)")
    workshop.add_argument("--port", type=int, default=DEFAULT_PORT)
    workshop.add_argument("--host", default="0.0.0.0",
                          help="the address to serve on: this computer's address on one network (such as its Wi-Fi "
                               "address), 127.0.0.1 for this computer only, or 0.0.0.0 or :: for every network "
                               "(default 0.0.0.0)")
    workshop.add_argument("--no-browser", action="store_true", help="do not open the projector start page")
    workshop.add_argument("--facilitator-anywhere", action="store_true",
                          help="accept the facilitator key from other computers on the network too (for example a "
                               "tablet for the dashboard); by default only this computer can use it")
    workshop.add_argument("--idle-minutes", type=int, default=IDLE_KERNEL_SECONDS // 60,
                          help="shut down a page's kernel after this many idle minutes (default 20)")
    workshop.add_argument("--idle-seconds", type=int, help=argparse.SUPPRESS)  # for tests
    workshop.add_argument("--wait-seconds", type=float, help=argparse.SUPPRESS)  # first wait after wrong tries (tests)
    workshop.add_argument("--ask-seconds", type=float, help=argparse.SUPPRESS)  # how long "It's me" waits (tests)
    workshop.add_argument("--class-size", type=int, default=0,
                          help="trainees expected: each deck is made ready for this many before they open it")
    workshop.add_argument("--max-kernels", type=int,
                          help="at most this many decks open at once (default: as many as the free memory holds)")
    workshop.add_argument("--page-gone-seconds", type=float, help=argparse.SUPPRESS)  # for tests
    workshop.add_argument("--quiet-seconds", type=float, help=argparse.SUPPRESS)  # for tests
    workshop.set_defaults(func=cmd_workshop)

    hub = sub.add_parser("hub", help="serve the course on JupyterHub on this machine, with the PostgreSQL store")
    hub.add_argument("--port", type=int, default=8000)
    hub.add_argument("--host", default="127.0.0.1", help="the address to serve on (default: this computer only)")
    hub.add_argument("--home", help="the hub's folder: its records and every trainee's home (default "
                                    "~/artisan-course-hub)")
    hub.set_defaults(func=cmd_hub)

    lab = sub.add_parser("lab", help="open your working copy of the course in JupyterLab")
    lab.add_argument("--lang", choices=sorted(LANGUAGES), default=None,
                        help="the language of the pages and widgets: en (English, the default) or lo (Lao)")
    lab.add_argument("--work-dir", help="working folder (default: ~/artisan-course-work)")
    lab.add_argument("--port", type=int)
    lab.add_argument("--no-browser", action="store_true")
    lab.set_defaults(func=cmd_lab)

    check = sub.add_parser("check", help="offline pre-flight check for the day before a workshop")
    check.add_argument("--port", type=int, default=DEFAULT_PORT)
    check.add_argument("--host", default="127.0.0.1")
    check.set_defaults(func=cmd_check)

    export = sub.add_parser("export-journal", help="write a learner's journal as Markdown and printable HTML")
    export.add_argument("--learner", help="whose journal (default: the JupyterLab learner, or your user name)")
    export.add_argument("--out", default=".", help="folder to write into (default: the current folder)")
    export.set_defaults(func=cmd_export_journal)

    materials = sub.add_parser("print-materials",
                               help="write the run sheets, paper quizzes with answer keys, role cards and glossary")
    materials.add_argument("--out", default="printed-materials",
                           help="folder to write into (default: printed-materials)")
    materials.set_defaults(func=cmd_print_materials)

    evaluation = sub.add_parser("export-evaluation", help="write the room's end-of-day evaluation (no names) as CSV")
    evaluation.add_argument("--out", default="evaluation.csv", help="file to write (default: evaluation.csv)")
    evaluation.set_defaults(func=cmd_export_evaluation)

    build = sub.add_parser("build-exercises", help="generate exercises/ from the solution notebooks")
    build.set_defaults(func=cmd_build_exercises)

    translations = sub.add_parser("build-translations",
                                  help="update the translation catalogs (locale/) and make the translated decks")
    translations.add_argument("--check", action="store_true",
                              help="change nothing; list stale catalogs and decks (exit 1 if any) and the coverage")
    translations.set_defaults(func=cmd_build_translations)

    from .packaging.kit import DEFAULT_PYTHON, PLATFORM_CHOICES
    kit = sub.add_parser("kit", help="write a folder for a USB stick that installs the course with no internet")
    kit.add_argument("dir", help="a new or empty folder")
    kit.add_argument("--platform", action="append", choices=PLATFORM_CHOICES,
                     help="a platform to include; repeat it for more "
                          "(default: this machine, windows, macos-arm64 and macos-intel)")
    kit.add_argument("--python", default=DEFAULT_PYTHON,
                     help=f"the Python version the kit's computers have (default {DEFAULT_PYTHON})")
    kit.add_argument("--wheel", help="the course's wheel (default: build it from this checkout, which needs npm)")
    kit.set_defaults(func=cmd_kit)

    forget = sub.add_parser("forget", help="delete a learner and everything they wrote")
    forget.add_argument("name")
    forget.set_defaults(func=cmd_forget)

    imports = sub.add_parser("import-quiz",
                             help="convert a jupyterquiz bank (JSON, base64, or hidden in a notebook) to a course bank")
    imports.add_argument("file", help="the jupyterquiz questions: a .json file, or a notebook or page that hides them")
    imports.add_argument("--module", required=True, help="the course module the questions belong to")
    imports.add_argument("--seed-section",
                         help="the seed_map row they teach (default: the module's first, marked for review)")
    imports.add_argument("--out", help="the bank to write (default: data/quizzes/MODULE.yaml; never overwritten)")
    imports.add_argument("--prefix", help="start of the question ids (default: MODULE-imported)")
    imports.set_defaults(func=cmd_import_quiz)

    check_quiz = sub.add_parser("check-quiz", help="check question bank files; prints every problem as file:id:problem")
    check_quiz.add_argument("files", nargs="+", metavar="FILE")
    check_quiz.set_defaults(func=cmd_check_quiz)

    # allow_abbrev=False: a pytest option such as --f... is passed on to pytest, never taken for --fast.
    test = sub.add_parser("test", help="run the whole test suite", allow_abbrev=False)
    test.add_argument("--fast", action="store_true",
                      help="all but the browser tests and the notebook runs, in under two minutes; prints the time")
    # Anything else after `test` is passed to pytest, for example `artisan-course test -k store`.
    test.set_defaults(func=cmd_test)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command == "test":
        args.pytest_args = extra
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return args.func(args)
    except CourseError as exc:
        print(f"artisan-course: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
