// The reflection box: the browser half of artisan_course.widgets.reflection.Reflection.
//
// Why it is a custom widget: a learner's words must never be lost.
// - Text goes to the kernel after a pause in typing (debounced), and when the
//   box loses focus, not on every keystroke.
// - Until the kernel confirms a save, the text is also kept in this browser
//   (localStorage), with the saved text it continues. If the kernel has died, the
//   box says "not saved yet"; when the page opens again (the deck reloads by
//   itself once the connection is back), the kept text is saved at once if the
//   store still has the text it continued, so nothing newer is overwritten (words
//   typed offline on a phone, then the same answer edited on another device).
//   Otherwise it is offered back with "Restore it". Words kept for a box on
//   another deck (its page closed before they were saved) are sent by the first
//   box of the next deck that opens ("kept"); the kernel saves them under the same
//   rule and says so ("kept-saved"), and only then are they dropped here. Drafts are kept per owner
//   (draft_key: the learner's id in a workshop), and the join page clears them
//   all when a shared phone changes hands ("Not you? Leave").
// - When the kernel says the text was not saved (a full disk, a closed question:
//   the model's "problem"), the box shows that sentence and a link that
//   downloads what is in the box, made here, so it works with no kernel at all.
const PAUSE_MS = 800;
const ACK_MS = 4000;

// The box's fixed wording, in the kernel's language: the widget sends its translations (reflection.py, WORDS);
// a word it lacks is shown in English.
function words(model) {
  const table = model.get("words") || {};
  return (english, values) => {
    let said = table[english] || english;
    for (const [name, value] of Object.entries(values || {})) said = said.split("{" + name + "}").join(String(value));
    return said;
  };
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;  // never innerHTML: learner text is data
  return node;
}

function render({ model, el }) {
  const t = words(model);
  const box = element("div", "course-reflection");
  const prompt = element("p", "course-prompt", model.get("prompt"));
  const hints = element("ul", "course-hints");
  for (const hint of model.get("hints")) hints.appendChild(element("li", "", hint));
  const area = element("textarea", "course-reflection-text");
  area.rows = 4;
  area.placeholder = model.get("placeholder");
  area.setAttribute("aria-label", model.get("prompt"));
  const footer = element("div", "course-reflection-footer");
  const status = element("span", "course-status");
  status.setAttribute("role", "status");
  const count = element("span", "course-count");
  footer.append(status, count);
  const offer = element("div", "course-restore");
  offer.hidden = true;
  const keep = element("div", "course-reflection-keep");
  keep.hidden = true;
  box.append(prompt);
  if (model.get("hints").length) box.append(hints);
  if (model.get("privacy")) box.append(element("p", "course-privacy", model.get("privacy")));
  box.append(area, footer, keep, offer);
  el.appendChild(box);

  let pauseTimer = null;
  let ackTimer = null;

  const key = () => model.get("draft_key");
  const readDraft = () => {
    try { return key() ? JSON.parse(window.localStorage.getItem(key())) : null; } catch (e) { return null; }
  };
  // A short fingerprint of the saved text a draft continues (the store's text is not kept twice in the browser).
  const fingerprint = (text) => {
    let hash = 5381;
    for (let i = 0; i < text.length; i += 1) hash = ((hash * 33) ^ text.charCodeAt(i)) >>> 0;
    return text.length + ":" + hash.toString(36);
  };
  const writeDraft = (text) => {
    const base = fingerprint(model.get("saved_text") || "");
    try { if (key()) window.localStorage.setItem(key(), JSON.stringify({ text, at: Date.now(), base })); } catch (e) { /* storage full or blocked */ }
  };
  const clearDraft = () => { try { if (key()) window.localStorage.removeItem(key()); } catch (e) { /* ignore */ } };

  function showStatus(text, state) {
    status.textContent = text;
    status.className = "course-status" + (state ? " course-status--" + state : "");
  }
  function showCount() {
    const n = area.value.length;
    count.textContent = t(n === 1 ? "{n} character" : "{n} characters", { n });
  }
  function showSaved() {
    if (model.get("saved_at") && model.get("saved_text") === area.value) {
      const draft = readDraft();
      if (!draft || draft.text === area.value) clearDraft();  // a draft with other words is not saved yet: kept
      showStatus(t("Saved at {time}", { time: model.get("saved_at") }), "saved");
      return true;
    }
    return false;
  }

  function showProblem() {
    const problem = model.get("problem");
    keep.replaceChildren();
    keep.hidden = !problem;
    if (!problem) return false;
    showStatus(problem, "unsaved");
    const link = element("a", "course-download", t("Download what you wrote"));
    link.download = "my-answer.txt";
    const refresh = () => { link.href = "data:text/plain;charset=utf-8," + encodeURIComponent(area.value); };
    refresh();
    link.addEventListener("click", refresh);
    keep.append(link);
    return true;
  }

  function send(reason) {
    window.clearTimeout(pauseTimer);
    pauseTimer = null;
    if (model.get("disabled")) return;
    if (area.value !== model.get("value")) {
      model.set("value", area.value);
      model.save_changes();
      showStatus(t("Saving…"), "pending");
      window.clearTimeout(ackTimer);
      ackTimer = window.setTimeout(() => {
        if (!showSaved() && !showProblem()) {
          showStatus(t("Not saved yet. Your text is kept in this browser and saved when the connection is back."), "unsaved");
        }
      }, ACK_MS);
    }
    if (reason === "blur") model.send({ event: "blur" });
  }

  function offerDraft() {
    const draft = readDraft();
    offer.replaceChildren();
    offer.hidden = true;
    if (!draft || typeof draft.text !== "string" || draft.text === area.value || !draft.text) return;
    if (draft.base === fingerprint(model.get("saved_text") || "") && !model.get("disabled")) {
      // Newer than what the store has, and this owner's: save it, no button needed.
      area.value = draft.text;
      showCount();
      send("restore");
      showStatus(t("Saving what you typed while the page was away…"), "pending");
      return;
    }
    offer.append(element("span", "", t("This browser kept text you wrote earlier that was not saved ({n} characters).", { n: draft.text.length })));
    const restore = element("button", "course-button course-button--primary", t("Restore it"));
    const discard = element("button", "course-button", t("Discard it"));
    restore.type = discard.type = "button";
    restore.addEventListener("click", () => {
      area.value = draft.text;
      showCount();
      offer.hidden = true;
      send("restore");
    });
    discard.addEventListener("click", () => { clearDraft(); offer.hidden = true; });
    offer.append(restore, discard);
    offer.hidden = false;
  }

  // Words kept for this owner's boxes on other decks: each is sent once per page, by whichever box gets here first
  // (the kernel ignores a box that is on this page: that box saves its own, above).
  const ownerPrefix = () => key().slice(0, key().lastIndexOf(":") + 1);
  function sendKept() {
    if (!key() || model.get("disabled")) return;
    const sent = (window.__courseKeptSent = window.__courseKeptSent || new Set());
    const prefix = ownerPrefix();
    let keys = [];
    try {
      for (let i = 0; i < window.localStorage.length; i += 1) keys.push(window.localStorage.key(i));
    } catch (e) { return; }
    for (const other of keys) {
      if (!other || !other.startsWith(prefix) || other === key() || sent.has(other)) continue;
      let draft = null;
      try { draft = JSON.parse(window.localStorage.getItem(other)); } catch (e) { draft = null; }
      if (!draft || typeof draft.text !== "string" || !draft.text || typeof draft.base !== "string") continue;
      sent.add(other);
      model.send({ event: "kept", item: other.slice(prefix.length), text: draft.text, base: draft.base });
    }
  }
  model.on("msg:custom", (message) => {
    if (!message || message.event !== "kept-saved" || !key()) return;
    const other = ownerPrefix() + message.item;
    try {
      const draft = JSON.parse(window.localStorage.getItem(other));
      if (draft && draft.text === message.text) window.localStorage.removeItem(other);
    } catch (e) { /* storage blocked: nothing to drop */ }
  });

  function syncFromModel() {
    area.disabled = model.get("disabled");
    if (document.activeElement !== area) area.value = model.get("value");
    showCount();
    if (showProblem()) { /* the kernel's sentence, with the download */ }
    else if (model.get("disabled")) showStatus(model.get("message") || t("Type your name at the top first."));
    else if (!showSaved()) showStatus(model.get("value") ? "" : t("Not written yet."));
    offerDraft();
    sendKept();
  }

  area.addEventListener("input", () => {
    showCount();
    writeDraft(area.value);
    showStatus(t("Not saved yet…"), "pending");
    window.clearTimeout(pauseTimer);
    pauseTimer = window.setTimeout(() => send("pause"), PAUSE_MS);
  });
  area.addEventListener("blur", () => send("blur"));
  model.on("change:saved_at", showSaved);
  model.on("change:saved_text", showSaved);
  model.on("change:problem", () => { if (!showProblem()) showSaved(); });
  model.on("change:disabled", syncFromModel);
  model.on("change:draft_key", syncFromModel);
  model.on("change:value", () => { if (document.activeElement !== area) syncFromModel(); });
  syncFromModel();
  return () => { window.clearTimeout(pauseTimer); window.clearTimeout(ackTimer); };
}

export default { render };
