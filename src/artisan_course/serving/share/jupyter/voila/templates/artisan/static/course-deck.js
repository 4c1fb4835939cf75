/* Starts reveal.js for a course deck, with the course's own options.
 *
 * Why the course initialises reveal itself (instead of Voilà's bundled script):
 * - keys pressed inside a widget (slider, text box, dropdown) must change the
 *   widget, not the slide;
 * - no MathJax call on slide change (the deck has no MathJax);
 * - slide numbers, and the slide kept in the URL hash so a reload stays put;
 * - the speaker view's preview frames load a kernel-free copy of the deck
 *   (/course/preview/...), so opening it starts no kernels and re-runs no cells;
 * - a page that loses its connection (a phone that locks, a Wi-Fi that drops)
 *   says so, and carries on by itself when the connection is back (see
 *   "the connection to the laptop" below).
 */
(function () {
  "use strict";

  // The page's own words in the reader's language (/course/words.js, serving/deck_words.py); English without it.
  var COURSE_WORDS = window.COURSE_WORDS || {};
  function t(english) { return COURSE_WORDS[english] || english; }

  // Controls that use the arrow keys themselves. A focused button or checkbox does
  // not, so after "Check" is clicked the arrows still move the slides.
  var ARROW_CONTROLS = "textarea, select, [contenteditable], [role=slider], .noUi-handle";
  var KEYLESS_INPUTS = ["button", "submit", "reset", "checkbox", "file", "color"];

  function insideWidget(element) {
    if (!element || !element.closest) { return false; }
    if (element.closest(ARROW_CONTROLS)) { return true; }
    return element.tagName === "INPUT" && KEYLESS_INPUTS.indexOf(element.type) < 0;
  }

  function readConfig() {
    var node = document.getElementById("course-deck-config");
    try {
      return node ? JSON.parse(node.textContent) : {};
    } catch (e) {
      return {};
    }
  }

  function previewUrl() {
    // /voila/render/<notebook>.ipynb -> /course/preview/<notebook>.ipynb
    var path = window.location.pathname.replace("/voila/render/", "/course/preview/");
    return window.location.origin + path + window.location.search;
  }

  var options = readConfig();
  // The kernel-free copy for the speaker view says so in its config.
  var isPreview = options.preview === true;

  // Voilà shuts this page's kernel down when the page closes, using the _xsrf
  // cookie; ask the course server to set it (see server.XsrfHandler).
  if (!isPreview && window.fetch) {
    var base = (document.body.getAttribute("data-base-url") || "/voila/").replace(/voila\/$/, "");
    window.fetch(base + "course/api/xsrf", { credentials: "same-origin" }).catch(function () {});
  }

  // nbconvert leaves a notes cell inside the fragment before it, and reveal
  // hides notes that sit in a fragment not yet shown. Notes belong to the
  // slide, so lift them out of fragments before reveal starts.
  document.querySelectorAll(".reveal .fragment aside.notes").forEach(function (aside) {
    aside.closest("section").appendChild(aside);
  });

  var WIDTH = options.width || 1280;
  var HEIGHT = options.height || 720;
  var MARGIN = 0.03;

  // The phone view. A projector slide shrunk onto a phone is unreadable (0.3 x:
  // 8 px text), and reveal's own scroll view, which it turns on below 435 px,
  // scrolls the page while Voilà scrolls its panel, so nothing moves. Instead,
  // when the projector slide would be shown below 0.6 x (its 28 px text under
  // 17 px), the deck keeps reveal's normal view but lays each slide out as a
  // page of the screen's own size: no scaling, the slide scrolls vertically
  // inside itself, fragments all shown, and the course's own bar at the bottom
  // (previous, slide counter, next) within reach of a thumb.
  function phoneSized() {
    var scale = Math.min(window.innerWidth * (1 - MARGIN) / WIDTH, window.innerHeight * (1 - MARGIN) / HEIGHT);
    return scale < 0.6;
  }

  function currentSlide() { return Reveal.isReady() ? Reveal.getCurrentSlide() : null; }

  // The slide's own scroll: how far it can still go down (> 0) or up.
  function roomBelow(slide) { return slide ? slide.scrollHeight - slide.clientHeight - slide.scrollTop : 0; }

  function scrollSlide(slide, fraction) {
    slide.scrollBy({ top: Math.round(slide.clientHeight * fraction), behavior: "smooth" });
  }

  // A presentation clicker sends Page Down / Page Up. On a slide taller than
  // the screen, those keys (and Space) first scroll the rest of the slide into
  // view, then move on; back scrolls up first. Unshown fragments come before
  // scrolling, as the facilitator planned them. The arrow keys keep reveal's
  // meaning: the next or previous point or slide at once.
  function forward() {
    var slide = currentSlide();
    if (slide && !Reveal.availableFragments().next && roomBelow(slide) > 4) {
      scrollSlide(slide, 0.8);
    } else {
      Reveal.next();
    }
  }
  function back() {
    var slide = currentSlide();
    if (slide && !Reveal.availableFragments().prev && slide.scrollTop > 4) {
      scrollSlide(slide, -0.8);
    } else {
      Reveal.prev();
    }
  }

  // Escape hands the keyboard back to the slides after working a widget. It
  // never opens reveal's overview (the "O" key still does); it closes it.
  function escape() {
    if (Reveal.isOverview()) { Reveal.toggleOverview(false); }
    var active = document.activeElement;
    if (active && active !== document.body && active.blur) { active.blur(); }
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && insideWidget(document.activeElement)) {
      escape();
      event.stopPropagation();  // reveal, which listens on the document, never sees it
    }
  }, true);

  var KEYS = {
    27: escape,                                          // Esc
    32: forward, 34: forward,                            // Space, Page Down
    33: back,                                            // Page Up
    40: function () { var s = currentSlide(); if (s) { scrollSlide(s, 0.25); } },   // Down: scroll the slide
    38: function () { var s = currentSlide(); if (s) { scrollSlide(s, -0.25); } }   // Up
  };

  function viewOptions(phone) {
    return phone ? {
      disableLayout: true, controls: false, slideNumber: false, touch: false, fragments: false,
      transition: "none", margin: 0
    } : {
      disableLayout: false, controls: true, slideNumber: options.slideNumber || "c/t", touch: true, fragments: true,
      transition: options.transition || "fade", margin: MARGIN
    };
  }

  var phone = phoneSized();
  document.documentElement.classList.toggle("course-phone", phone);

  Reveal.initialize(Object.assign({
    progress: true,
    center: false,
    hash: true,
    respondToHashChanges: true,
    width: WIDTH,
    height: HEIGHT,
    minScale: 0.2,
    // reveal's scroll view is never used (see phoneSized above).
    scrollActivationWidth: null,
    // The speaker view reads `url` to fill its current/next preview frames.
    url: isPreview ? undefined : previewUrl(),
    keyboard: KEYS,
    keyboardCondition: function (event) {
      return !insideWidget(event.target);
    },
    plugins: isPreview ? [] : [RevealNotes]
  }, viewOptions(phone)));

  // -- the phone bar: previous, where you are, next ----------------------------------
  var bar = document.createElement("nav");
  bar.className = "course-phone-bar";
  bar.setAttribute("aria-label", t("Slides"));
  bar.innerHTML = '<button type="button" class="course-phone-prev"></button>' +
    '<span class="course-phone-counter" aria-live="polite"></span>' +
    '<button type="button" class="course-phone-next"></button>';
  bar.querySelector(".course-phone-prev").textContent = t("‹ Back");
  bar.querySelector(".course-phone-prev").setAttribute("aria-label", t("Previous slide"));
  bar.querySelector(".course-phone-next").textContent = t("Next ›");
  bar.querySelector(".course-phone-next").setAttribute("aria-label", t("Next slide"));
  document.body.appendChild(bar);
  var prevButton = bar.querySelector(".course-phone-prev");
  var nextButton = bar.querySelector(".course-phone-next");
  var counter = bar.querySelector(".course-phone-counter");
  prevButton.addEventListener("click", function () { Reveal.prev(); });
  nextButton.addEventListener("click", function () { Reveal.next(); });

  // A cue on a slide that goes on below the screen: "More below", until its end is in view. It sits in a strip of
  // its own at the foot of the slide (the slide's scroll box is made shorter while it shows, course-theme.css:
  // section.course-cue-room), so it never covers what the slide shows: a result, a slider's value, a count.
  var cue = document.createElement("button");
  cue.type = "button";
  cue.className = "course-more-below";
  cue.textContent = t("More below ↓");
  cue.setAttribute("aria-label", t("Scroll down this slide"));
  cue.hidden = true;
  cue.addEventListener("click", function () { var s = currentSlide(); if (s) { scrollSlide(s, 0.8); } });
  document.querySelector(".reveal .slides").appendChild(cue);  // in the slide's frame: scaled with it on a projector
  function showCue(slide, show) {
    cue.hidden = !show;
    document.querySelectorAll(".reveal .slides section.course-cue-room").forEach(function (s) {
      if (s !== slide || !show) { s.classList.remove("course-cue-room"); }
    });
    if (slide && show) { slide.classList.add("course-cue-room"); }
  }

  function updateChrome() {
    if (!Reveal.isReady()) { return; }
    var slide = Reveal.getCurrentSlide();
    var total = Reveal.getHorizontalSlides().length;
    var index = Reveal.getIndices().h;
    counter.textContent = (index + 1) + " / " + total;
    prevButton.disabled = index === 0;
    nextButton.disabled = index >= total - 1;
    // Showing the cue shortens the slide, which only adds room below: it cannot flicker on and off.
    showCue(slide, !!(slide && roomBelow(slide) > 24));
  }

  // The phone's own swipe, sideways only: reveal's blocks every touch move, which would
  // stop the slide scrolling under a finger. Controls that drag (sliders) and text
  // are left alone, and a mostly vertical move is a scroll, never a slide change.
  var swipe = null;
  var NO_SWIPE = "input, textarea, select, [role=slider], .noUi-target, .widget-slider, [data-prevent-swipe]";
  var reveal = document.querySelector(".reveal");
  function scrollsSideways(element) {
    for (var node = element; node && node !== reveal; node = node.parentElement) {
      if (node.scrollWidth > node.clientWidth + 1 && /auto|scroll/.test(getComputedStyle(node).overflowX)) { return true; }
    }
    return false;
  }
  reveal.addEventListener("touchstart", function (event) {
    var t = event.touches[0];
    var target = event.target.nodeType === 1 ? event.target : event.target.parentElement;
    swipe = (event.touches.length === 1 && target && !target.closest(NO_SWIPE) && !scrollsSideways(target)) ?
      { x: t.clientX, y: t.clientY } : null;
  }, { passive: true });
  reveal.addEventListener("touchend", function (event) {
    if (!swipe || !phone) { swipe = null; return; }
    var t = event.changedTouches[0];
    var dx = t.clientX - swipe.x, dy = t.clientY - swipe.y;
    swipe = null;
    if (Math.abs(dx) > 60 && Math.abs(dx) > 2 * Math.abs(dy) && window.getSelection().isCollapsed) {
      if (dx < 0) { Reveal.next(); } else { Reveal.prev(); }
    }
  }, { passive: true });

  // Phone or projector is decided again when the screen turns or the window changes size.
  function clearLayout() {
    var slidesElement = Reveal.getSlidesElement();
    ["width", "height", "zoom", "left", "top", "bottom", "right", "transform"].forEach(function (name) {
      slidesElement.style.removeProperty(name);
    });
  }
  window.addEventListener("resize", function () {
    var now = phoneSized();
    if (now === phone) { return; }
    phone = now;
    document.documentElement.classList.toggle("course-phone", phone);
    Reveal.configure(viewOptions(phone));
    if (phone) { clearLayout(); }
    Reveal.layout();
    updateChrome();
  });

  // A name typed on a deck goes into the address, so a reload or a bookmark keeps it.
  var nameSent = false;
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest(".course-learner button")) { nameSent = true; }
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.closest && event.target.closest(".course-learner")) { nameSent = true; }
  }, true);
  function keepName() {
    if (!nameSent) { return; }
    var shown = document.querySelector(".course-learner-name strong");
    if (!shown || !window.history.replaceState) { return; }
    var query = new URLSearchParams(window.location.search);
    if (query.get("learner") === shown.textContent) { return; }
    query.set("learner", shown.textContent);
    window.history.replaceState(null, "", window.location.pathname + "?" + query.toString() + window.location.hash);
  }

  // Voilà draws outputs and widgets after the page has loaded; re-measure the
  // slides whenever their content changes so reveal's scaling stays right.
  var pending = null;
  function relayout() {
    if (pending) { return; }
    pending = window.setTimeout(function () {
      pending = null;
      if (Reveal.isReady()) { Reveal.layout(); }
      updateChrome();
      keepName();
    }, 150);
  }
  var slides = document.querySelector(".reveal .slides");
  if (slides && window.MutationObserver) {
    new MutationObserver(relayout).observe(slides, { childList: true, subtree: true });
  }
  window.addEventListener("load", relayout);
  // Voilà shows the slides (display: none until then) once the notebook has run.
  var rendered = document.getElementById("rendered_cells");
  if (rendered && window.MutationObserver) {
    new MutationObserver(relayout).observe(rendered, { attributes: true, attributeFilter: ["style"] });
  }

  // -- What a press changed comes into view ----------------------------------------------------------
  // After Send, Check, Reveal or a form's button, the kernel's answer (a confirmation, the room's bars, a field
  // that needs fixing) can arrive below the screen, or the part pressed can shrink and leave its question above it.
  // A tool marks its own box with course-into-view-scope and what to show with course-into-view (the first of
  // them, or course-into-view-top, must stay in view); when the kernel changes that box after a press there, the
  // slide scrolls just enough to show it. A poll's room bars that appear later come into view the same way, unless
  // the trainee is typing.
  var press = null;
  var answered = (window.WeakSet ? new WeakSet() : null);
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".reveal .slides button");
    var scope = button && button.closest(".course-into-view-scope");
    if (!scope) { return; }
    press = { scope: scope, at: Date.now() };
    if (answered) { answered.add(scope); }
  }, true);

  var PINNED = ".agreement-status, .course-sim-pinned, .course-sim-results, .course-room-facilitator";
  function bringIntoView(scope) {
    var slide = currentSlide();
    if (!slide || !slide.contains(scope)) { return; }
    var marked = Array.prototype.filter.call(scope.querySelectorAll(".course-into-view"), function (el) {
      var r = el.getBoundingClientRect();
      return r.height > 0 && el.textContent.trim() !== "";
    });
    if (!marked.length) { return; }
    var keep = (scope.querySelector(".course-into-view-top") || marked[0]).getBoundingClientRect();
    var bottom = Math.max.apply(null, marked.map(function (el) { return el.getBoundingClientRect().bottom; }));
    var view = slide.getBoundingClientRect();
    var top = Math.max(view.top, 0), end = Math.min(view.bottom, window.innerHeight);
    // A part pinned at the top of the slide (a form's "Saved" line, a simulator's chart) covers what is under it.
    slide.querySelectorAll(PINNED).forEach(function (pin) {
      var r = pin.getBoundingClientRect();
      if (getComputedStyle(pin).position === "sticky" && r.top <= top + 2 && r.bottom > top &&
          r.left < keep.right && r.right > keep.left && !pin.contains(scope)) { top = Math.max(top, r.bottom); }
    });
    var margin = 12, move = 0;
    if (keep.top < top + margin) {
      move = keep.top - top - margin;                                          // up: its start had gone above
    } else if (bottom > end - margin) {
      move = Math.min(bottom - end + margin, keep.top - top - margin);         // down, never past its start
    }
    var scale = slide.offsetHeight ? view.height / slide.offsetHeight : 1;     // reveal scales a projector slide
    if (Math.abs(move) > 2) { slide.scrollBy({ top: move / scale, behavior: "smooth" }); }
    var field = scope.querySelector(".course-field-problem");
    var input = field && field.querySelector("input, textarea, select");
    if (input && input.focus) { input.focus({ preventScroll: true }); }
  }

  var settling = null;
  var barsSeen = (window.WeakSet ? new WeakSet() : null);
  function inside(scope, records) { return records.some(function (r) { return scope.contains(r.target); }); }
  function afterChange(records) {
    var now = Date.now();
    var scope = null;
    // The kernel's answer to a press: followed for a few seconds after its first change (it may come in parts).
    if (press && now < (press.until || press.at + 60000) && inside(press.scope, records)) {
      scope = press.scope;
      press.until = press.until || now + 3000;
    }
    // The room's bars, the first time they appear under a question this trainee answered.
    if (!scope && answered && barsSeen) {
      records.some(function (r) {
        var node = r.target.nodeType === 1 ? r.target : r.target.parentElement;
        var box = node && node.closest && node.closest(".course-into-view-scope");
        if (!box || !answered.has(box)) { return false; }
        if (!box.querySelector(".course-room-shown")) { barsSeen.delete(box); return false; }
        if (barsSeen.has(box)) { return false; }
        barsSeen.add(box);
        if (!insideWidget(document.activeElement)) { scope = box; }
        return true;
      });
    }
    if (!scope) { return; }
    window.clearTimeout(settling);
    settling = window.setTimeout(function () { bringIntoView(scope); }, 200);  // once the widget has drawn
  }
  if (slides && window.MutationObserver) {
    new MutationObserver(afterChange).observe(slides, {
      childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ["class", "style"]
    });
  }

  Reveal.on("slidechanged", updateChrome);
  document.addEventListener("scroll", function (event) {
    if (event.target === currentSlide()) { updateChrome(); }
  }, true);

  Reveal.on("ready", function () {
    updateChrome();
    document.body.setAttribute("data-deck-ready", "true");
  });

  // -- the connection to the laptop -----------------------------------------------------
  // A phone that locks, or a Wi-Fi that drops, closes the page's websocket to its kernel. Voilà's front end (the
  // kernel connection of @jupyterlab/services) tries again, at random times up to a minute apart, 7 times, then
  // gives up for good: the page looks alive but nothing it does reaches the kernel. So while the page is not
  // connected, this asks the server every PROBE_MS whether its kernel is still there (GET /api/kernels/<id>):
  // - yes: it reconnects at once (kernel.reconnect()), so the page carries on within seconds of the network
  //   returning; the values typed meanwhile are then sent (widgets/frontend/page_actions.js);
  // - no (404, or 403 once the kernel is no longer this trainee's): the page says so and reloads by itself: the
  //   address keeps the deck and the slide, the cookie (or ?learner=) the learner, and the reflections save
  //   what this browser kept (frontend/reflection.js).
  // It reads the kernel through Voilà's app (window.jupyterapp.widgetManagerPromise, then the widget manager's
  // kernel): the one place the course uses that part of Voilà; tests/test_field_browser.py fails if it changes.
  var PROBE_MS = 2000;
  var WORDS = {
    offline: t("Offline: no connection to the course. What you type is kept here and sent when it is back."),
    gone: t("This page closed while you were away. It opens again by itself, with your work, when the connection is back."),
    reopening: t("This page closed while you were away. It opens again now, with your work."),
    back: t("Back online.")
  };
  var line = document.createElement("div");
  line.className = "course-connection";
  line.setAttribute("role", "status");
  line.setAttribute("aria-live", "polite");
  line.hidden = true;
  document.body.appendChild(line);
  var kernel = null, state = "connected", probing = null, backTimer = null, noteTimer = null, lastReconnect = 0;

  function show(kind, text) {
    window.clearTimeout(backTimer);
    line.textContent = text || WORDS[kind];
    line.className = "course-connection course-connection--" + kind;
    line.hidden = false;
    document.documentElement.setAttribute("data-course-connection", kind);
    // The slide moves down below the line (and shrinks to fit on a projector), so no words are hidden under it.
    document.documentElement.style.setProperty("--course-line", line.offsetHeight + "px");
    if (Reveal.isReady()) { Reveal.layout(); }
  }
  function hide() {
    line.hidden = true;
    document.documentElement.setAttribute("data-course-connection", "connected");
    document.documentElement.style.setProperty("--course-line", "0px");
    if (Reveal.isReady()) { Reveal.layout(); }
  }

  function kernelUrl() {
    var base = (document.body.getAttribute("data-base-url") || "/voila/").replace(/voila\/$/, "");
    return base + "api/kernels/" + encodeURIComponent(kernel.id);
  }
  function reopen() {
    if (state === "reopening") { return; }
    state = "reopening";
    window.clearInterval(probing);
    show("gone", WORDS.reopening);
    // A moment to read the sentence; the words typed are already kept in this browser.
    window.setTimeout(function () { window.location.reload(); }, 1500);
  }
  function probe() {
    if (!kernel || state === "connected" || state === "reopening") { return; }
    window.fetch(kernelUrl(), { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (response.status === 404 || response.status === 403) {
        reopen();
      } else if (response.ok && kernel.connectionStatus !== "connected" && Date.now() - lastReconnect > 2 * PROBE_MS) {
        lastReconnect = Date.now();
        kernel.reconnect().catch(function () { /* the next probe tries again */ });
      }
    }).catch(function () { /* still offline */ });
  }
  function lost(kind) {
    if (state === "reopening") { return; }
    state = kind;
    show(kind);
    if (!probing) { probing = window.setInterval(probe, PROBE_MS); }
    probe();
  }
  function connected() {
    if (state === "connected" || state === "reopening" || kernel.status === "dead") { return; }
    state = "connected";
    window.clearInterval(probing);
    probing = null;
    show("back");
    backTimer = window.setTimeout(hide, 4000);
  }
  function watch(k) {
    kernel = k;
    var seen = kernel.connectionStatus === "connected";  // before the first connection, nothing is lost yet
    document.documentElement.setAttribute("data-course-connection", "connected");
    kernel.connectionStatusChanged.connect(function (_, status) {
      if (status === "connected") { seen = true; connected(); } else if (seen && state !== "gone") { lost("offline"); }
    });
    kernel.statusChanged.connect(function (_, status) {
      if (status === "dead") { lost("gone"); }
    });
  }
  // The page comes back to the screen (a phone unlocked) or the network returns: look at once. A socket that
  // still looks open after a sleep may be dead: if the kernel does not answer within a few seconds, reconnect.
  function look() {
    if (!kernel || document.visibilityState === "hidden") { return; }
    if (state !== "connected") { probe(); return; }
    var answered = false;
    kernel.requestKernelInfo().then(function () { answered = true; }, function () {});
    window.setTimeout(function () {
      if (!answered && state === "connected" && kernel.connectionStatus === "connected") {
        lastReconnect = Date.now();
        kernel.reconnect().catch(function () {});
      }
    }, 3 * PROBE_MS);
  }
  document.addEventListener("visibilitychange", look);
  window.addEventListener("online", look);
  // Only a page brought back from the browser's memory (back/forward): a page that has just loaded has a new
  // connection, and on a busy laptop its kernel may take more than a few seconds to answer: reconnecting it then
  // would refuse the trainee's first taps as "offline".
  window.addEventListener("pageshow", function (event) { if (event.persisted) { look(); } });
  // A tap refused while offline (page_actions.js) is said here, in the same line.
  window.addEventListener("course-action-refused", function (event) {
    event.preventDefault();
    window.clearTimeout(noteTimer);
    var kind = state === "connected" ? "back" : state;
    show(kind === "back" ? "offline" : kind, event.detail.text);
    noteTimer = window.setTimeout(function () {
      if (state === "connected") { hide(); } else { show(state); }
    }, 6000);
  });


  // -- the room: the trainees' decks follow the facilitator's slide ------------------------
  // In a workshop every deck asks the server where the room is (POST course/api/room, every ROOM_MS, and at once
  // when the page comes back to the screen), saying where it is itself. There is no connection to keep open: a
  // phone that slept or lost the Wi-Fi simply asks again. Which slide is the room's, and who may release the room,
  // the server decides from the facilitator's session (serving/pacing.py), never from anything a page says.
  // - The facilitator's deck (the server says so) reports its slide, shows "On this slide: N of M" and a button
  //   that releases the room (self-paced) or calls it back.
  // - A trainee's deck goes to the room's slide when the facilitator moves, unless the trainee is typing (a text
  //   box has the focus, or a key was pressed or the screen touched in the last few seconds) or has looked back on
  //   their own: then "Back to the room" shows, and one tap returns. Released, it stays where the trainee takes it;
  //   called back, every deck follows again. A deck of another module opens the room's module the same way.
  var ROOM_MS = 1500, HIDDEN_ROOM_MS = 10000, TYPING_MS = 5000, TOUCH_MS = 2500;
  var TEXT_INPUTS = ["text", "search", "email", "tel", "url", "password", "number", ""];
  var ROOM_WORDS = {
    back: t("Back to the room"),
    release: t("Let everyone move freely"),
    gather: t("Bring everyone to my slide"),
    onSlide: t("On this slide: {here} of {of}"),
    selfPaced: t("Self-paced: phones move on their own.")
  };
  var serverBase = (document.body.getAttribute("data-base-url") || "/voila/").replace(/voila\/$/, "");
  var renderPath = serverBase + "voila/render/";
  var thisDeck = window.location.pathname.indexOf(renderPath) === 0 ?
    decodeURIComponent(window.location.pathname.slice(renderPath.length)) : "";
  var room = null, role = null, roomTimer = null, asking = false, moveWaiting = false, lastGathered = null;
  var lastKey = 0, lastTouch = 0, roomMove = false;
  var awayKey = "artisan-course-away:" + thisDeck;
  var away = false, followedHere = false;
  try {
    away = window.sessionStorage.getItem(awayKey) === "1";  // kept through a reload
    followedHere = window.sessionStorage.getItem("artisan-course-followed") === thisDeck;
    if (followedHere) {
      away = false;
      window.sessionStorage.removeItem("artisan-course-followed");
    }
  } catch (e) {}

  function setAway(value) {
    away = value;
    try {
      if (value) { window.sessionStorage.setItem(awayKey, "1"); } else { window.sessionStorage.removeItem(awayKey); }
    } catch (e) {}
  }
  function xsrf() {
    var found = document.cookie.match(/(?:^|;\s*)_xsrf=([^;]+)/);
    return found ? decodeURIComponent(found[1]) : "";
  }
  function typingIn(element) {
    if (!element || element === document.body) { return false; }
    if (element.isContentEditable || element.tagName === "TEXTAREA") { return true; }
    return element.tagName === "INPUT" && TEXT_INPUTS.indexOf((element.getAttribute("type") || "").toLowerCase()) >= 0;
  }
  document.addEventListener("keydown", function () { lastKey = Date.now(); }, true);
  document.addEventListener("input", function () { lastKey = Date.now(); }, true);
  document.addEventListener("pointerdown", function () { lastTouch = Date.now(); }, true);
  function busy() {
    return typingIn(document.activeElement) || Date.now() - lastKey < TYPING_MS || Date.now() - lastTouch < TOUCH_MS;
  }
  function where() {
    var at = Reveal.isReady() ? Reveal.getIndices() : { h: 0, v: 0 };
    return { h: at.h || 0, v: at.v || 0 };
  }
  function onRoomSlide() {
    var at = where();
    return room && room.deck === thisDeck && room.h === at.h && (room.v || 0) === at.v;
  }
  function roomUrl() {
    var path = room.deck.split("/").map(encodeURIComponent).join("/");
    return renderPath + path + "#/" + room.h + (room.v ? "/" + room.v : "");
  }

  var backButton = document.createElement("button");
  backButton.type = "button";
  backButton.className = "course-room-back";
  backButton.textContent = ROOM_WORDS.back;
  backButton.hidden = true;
  document.body.appendChild(backButton);
  function showBack(show) {
    if (backButton.hidden === !show) { return; }
    backButton.hidden = !show;
    document.documentElement.classList.toggle("course-room-behind", show);
    if (Reveal.isReady()) { Reveal.layout(); }
  }

  function goToRoom() {
    if (!room || !room.deck) { return; }
    if (room.deck === thisDeck) {
      roomMove = true;
      try { Reveal.slide(room.h, room.v || 0, undefined, "room"); } finally { roomMove = false; }
      showBack(false);
    } else {
      try { window.sessionStorage.setItem("artisan-course-followed", room.deck); } catch (e) {}
      window.location.assign(roomUrl());
    }
  }
  backButton.addEventListener("click", function () {
    setAway(false);
    var active = document.activeElement;
    if (typingIn(active) && active.blur) { active.blur(); }
    goToRoom();
  });

  function follow() {
    if (lastGathered === null) {
      // A deck the trainee opened by hand while the room is in another module: they chose it, so they are away
      // (one tap takes them to the room).
      if (room.deck && room.deck !== thisDeck && !followedHere) { setAway(true); }
    } else if (room.gathered !== lastGathered) {
      setAway(false);  // called back: every deck follows again
    }
    lastGathered = room.gathered;
    if (!room.following || !room.deck) { showBack(false); return; }
    if (onRoomSlide()) { setAway(false); showBack(false); return; }
    if (away || busy()) { showBack(true); return; }
    goToRoom();
  }

  // -- the facilitator's control: how many are on this slide, release and call back
  var pace = null;
  function paceControl() {
    if (pace) { return pace; }
    pace = document.createElement("div");
    pace.className = "course-room-pace";
    pace.setAttribute("role", "region");
    pace.setAttribute("aria-label", t("The room"));
    pace.innerHTML = '<span class="course-room-pace__count" aria-live="polite"></span>' +
      '<button type="button" class="course-room-pace__button"></button>';
    document.body.appendChild(pace);
    pace.querySelector("button").addEventListener("click", function () {
      var button = this;
      button.disabled = true;
      window.fetch(serverBase + "course/api/room/pace", {
        method: "POST", credentials: "same-origin", cache: "no-store",
        headers: { "Content-Type": "application/json", "X-XSRFToken": xsrf() },
        body: JSON.stringify({ following: !room.following })
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (answer) {
        if (answer) { heard(answer); }
      }).catch(function () {}).then(function () { button.disabled = false; });
    });
    return pace;
  }
  function showPace() {
    var control = paceControl();
    var count = control.querySelector(".course-room-pace__count");
    var button = control.querySelector("button");
    if (room.following) {
      // The sentence is one string to translate; the number on the slide is drawn larger.
      count.innerHTML = "";
      ROOM_WORDS.onSlide.split(/(\{here\}|\{of\})/).forEach(function (part) {
        if (part === "{here}") {
          var strong = document.createElement("strong");
          strong.textContent = String(room.here);
          count.appendChild(strong);
        } else {
          count.appendChild(document.createTextNode(part === "{of}" ? String(room.of) : part));
        }
      });
    } else {
      count.textContent = ROOM_WORDS.selfPaced;
    }
    count.setAttribute("data-here", String(room.here));
    count.setAttribute("data-of", String(room.of));
    control.setAttribute("data-following", room.following ? "true" : "false");
    button.textContent = room.following ? ROOM_WORDS.release : ROOM_WORDS.gather;
  }

  function heard(answer) {
    if (!answer.workshop) { window.clearTimeout(roomTimer); roomTimer = "off"; return; }
    room = answer;
    var first = role === null && answer.role === "facilitator";
    role = answer.role;
    // The facilitator opened (or reloaded) this deck: the room is here now.
    if (first) { window.setTimeout(function () { ask("move"); }, 0); }
    document.documentElement.setAttribute("data-room-role", role || "none");
    if (role === "facilitator") { showPace(); } else if (role === "trainee") { follow(); } else { showBack(false); }
  }
  function currentItems() {
    var slide = currentSlide();
    if (!slide) { return []; }
    var items = [];
    slide.querySelectorAll("[class*='course-room-item--']").forEach(function (node) {
      node.className.split(/\s+/).forEach(function (name) {
        if (name.indexOf("course-room-item--") === 0) { items.push(name.slice("course-room-item--".length)); }
      });
    });
    return items;
  }
  function ask(lead) {
    if (roomTimer === "off") { return; }
    window.clearTimeout(roomTimer);
    roomTimer = window.setTimeout(function () { ask("keep"); },
                                  document.visibilityState === "hidden" ? HIDDEN_ROOM_MS : ROOM_MS);
    if (asking && lead === "move") { moveWaiting = true; }  // sent as soon as the question in flight is answered
    if (asking || !Reveal.isReady() || !xsrf()) { return; }
    asking = true;
    if (lead === "move") { moveWaiting = false; }
    var at = where();
    var said = { deck: thisDeck, h: at.h, v: at.v };
    if (role === "facilitator") { said.lead = lead || "keep"; said.items = currentItems(); }
    var controller = window.AbortController ? new window.AbortController() : null;
    var limit = controller ? window.setTimeout(function () { controller.abort(); }, 10000) : null;
    window.fetch(serverBase + "course/api/room", {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": "application/json", "X-XSRFToken": xsrf() },
      body: JSON.stringify(said), signal: controller ? controller.signal : undefined
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (answer) {
      if (answer) { heard(answer); }
    }).catch(function () { /* offline: the next ask tries again */ }).then(function () {
      asking = false;
      window.clearTimeout(limit);
      // The facilitator moved again while the last question was on its way: say where the projector is now (a
      // "keep" would not move the room, so the room would stay on the slide before).
      if (moveWaiting && role === "facilitator") { ask("move"); }
    });
  }

  if (!isPreview && window.fetch) {
    Reveal.on("slidechanged", function (event) {
      if (role === "facilitator") { ask("move"); return; }
      if (event.origin === "room" || roomMove || !room || role !== "trainee") { return; }
      // The trainee moved on their own: onto the room's slide they follow again, elsewhere they have looked away.
      setAway(room.following && !!room.deck && !onRoomSlide());
      showBack(room.following && !!room.deck && !onRoomSlide());
      ask();
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState !== "hidden") { ask(); }
    });
    window.addEventListener("online", function () { ask(); });
    window.addEventListener("pageshow", function () { ask(); });
    // The first question waits for reveal and for the cookie the deck asked the server for (above).
    var firstAsk = window.setInterval(function () {
      if (Reveal.isReady() && xsrf()) { window.clearInterval(firstAsk); ask("keep"); }
    }, 200);
  }

  if (!isPreview) {
    var tries = 0;
    var find = window.setInterval(function () {
      tries += 1;
      var app = window.jupyterapp;
      if (app && app.widgetManagerPromise) {
        window.clearInterval(find);
        app.widgetManagerPromise.promise.then(function (manager) {
          if (manager && manager.kernel) { watch(manager.kernel); }
        });
      } else if (tries > 600) {
        window.clearInterval(find);
      }
    }, 100);
  }

  // -- a tool that is still on its way ------------------------------------------------------------------------------
  // Until a tool (a widget) is drawn, Voilà's widget manager writes "Loading widget..." in its place, and
  // "Error displaying widget..." if it cannot draw it. The page says both in plain words, in the reader's language,
  // with a moving mark (course-theme.css) so a slow phone is seen to be working. Voilà empties the place when the tool
  // is drawn, which takes these words away with it.
  var TOOL_FAILED = ["course-tool-failed", t("This tool could not be shown. Reload the page to try again.")];
  var TOOL_WORDS = {
    "Loading widget...": ["course-tool-loading", t("Getting this tool ready…")],
    "Error displaying widget": TOOL_FAILED,
    "Error displaying widget: model not found": TOOL_FAILED
  };
  function plainToolWords(node) {
    var said = node.nodeType === 3 && TOOL_WORDS[node.data];
    if (!said || !node.parentNode) { return; }
    var line = document.createElement("span");
    line.className = said[0];
    line.setAttribute("role", "status");
    line.textContent = said[1];
    node.parentNode.replaceChild(line, node);
  }
  function plainToolWordsIn(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var found = [];
    while (walker.nextNode()) { if (TOOL_WORDS[walker.currentNode.data]) { found.push(walker.currentNode); } }
    found.forEach(plainToolWords);
  }
  if (window.MutationObserver && document.body) {
    new window.MutationObserver(function (changes) {
      changes.forEach(function (change) {
        for (var i = 0; i < change.addedNodes.length; i += 1) {
          var added = change.addedNodes[i];
          // The words are often written into a place before the place is put in the page.
          if (added.nodeType === 1) {
            if (added.textContent.indexOf("widget") >= 0) { plainToolWordsIn(added); }
          } else {
            plainToolWords(added);
          }
        }
      });
    }).observe(document.body, { childList: true, subtree: true });
    plainToolWordsIn(document.body);
  }
})();
