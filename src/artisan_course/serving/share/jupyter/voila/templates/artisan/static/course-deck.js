/* Starts reveal.js for a course deck, with the course's own options.
 *
 * Why the course initialises reveal itself (instead of Voilà's bundled script):
 * - keys pressed inside a widget (slider, text box, dropdown) must change the
 *   widget, not the slide;
 * - no MathJax call on slide change (the deck has no MathJax);
 * - slide numbers, and the slide kept in the URL hash so a reload stays put;
 * - the speaker view's preview frames load a kernel-free copy of the deck
 *   (/course/preview/...), so opening it starts no kernels and re-runs no cells.
 */
(function () {
  "use strict";

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
  bar.setAttribute("aria-label", "Slides");
  bar.innerHTML = '<button type="button" class="course-phone-prev" aria-label="Previous slide">‹ Back</button>' +
    '<span class="course-phone-counter" aria-live="polite"></span>' +
    '<button type="button" class="course-phone-next" aria-label="Next slide">Next ›</button>';
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
  cue.textContent = "More below ↓";
  cue.setAttribute("aria-label", "Scroll down this slide");
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
})();
