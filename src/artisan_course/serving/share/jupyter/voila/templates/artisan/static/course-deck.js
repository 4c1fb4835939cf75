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

  // Escape hands the keyboard back to the deck after working a widget.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && insideWidget(document.activeElement) && document.activeElement.blur) {
      document.activeElement.blur();
    }
  }, true);

  // nbconvert leaves a notes cell inside the fragment before it, and reveal
  // hides notes that sit in a fragment not yet shown. Notes belong to the
  // slide, so lift them out of fragments before reveal starts.
  document.querySelectorAll(".reveal .fragment aside.notes").forEach(function (aside) {
    aside.closest("section").appendChild(aside);
  });

  Reveal.initialize({
    controls: true,
    progress: true,
    center: false,
    hash: true,
    respondToHashChanges: true,
    transition: options.transition || "fade",
    slideNumber: options.slideNumber || "c/t",
    width: options.width || 1280,
    height: options.height || 720,
    margin: 0.03,
    // The speaker view reads `url` to fill its current/next preview frames.
    url: isPreview ? undefined : previewUrl(),
    keyboardCondition: function (event) {
      return !insideWidget(event.target);
    },
    plugins: isPreview ? [] : [RevealNotes]
  });

  // Voilà draws outputs and widgets after the page has loaded; re-measure the
  // slides whenever their content changes so reveal's scaling stays right.
  var pending = null;
  function relayout() {
    if (pending) { return; }
    pending = window.setTimeout(function () {
      pending = null;
      if (Reveal.isReady()) { Reveal.layout(); }
    }, 150);
  }
  var slides = document.querySelector(".reveal .slides");
  if (slides && window.MutationObserver) {
    new MutationObserver(relayout).observe(slides, { childList: true, subtree: true });
  }
  window.addEventListener("load", relayout);

  Reveal.on("ready", function () {
    document.body.setAttribute("data-deck-ready", "true");
  });
})();
