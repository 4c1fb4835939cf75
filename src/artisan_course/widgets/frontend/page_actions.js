// A tap acts on what is on the screen, and a tap is never lost quietly: for every tool, in Voilà and JupyterLab.
//
// The browser half of artisan_course.widgets.kit.PageActions, a widget that is never shown: the kit opens one per
// kernel, and this module runs once its model reaches the page (anywidget's `initialize`).
//
// Why it exists. ipywidgets' front end (@jupyter-widgets/base, WidgetModel.sync) sends a changed value at once only
// if the kernel has answered the model's previous update; otherwise it holds the newest value (`_msg_buffer`) until
// the kernel reports "idle" for that earlier message (`_handle_status`). A button's click (WidgetModel.send, a
// "custom" message) is never held. On a busy laptop the kernel answers late, so a tap right after typing reaches
// the kernel before the typed value, and the tool acts on the old one (the quiz checks the half-typed answer, the
// agreement is made without the last field). Measured in tests/test_busy_browser.py: with two CPU-burning processes
// beside the browser, most type-then-tap sequences went wrong. JupyterLab runs the same code and has the same fault.
//
// What it does, at the one place every tool's taps pass through (WidgetModel.prototype):
// 1. Before any custom message (a click, a tool's own event) every held value is sent first, in order. The kernel
//    reads its messages in the order they arrive, so the tap acts on what the screen shows.
// 2. While the page has no connection to its kernel, a click is not sent (it would wait in the page and be lost if
//    the kernel is gone by the time the page reconnects); the page says "Not sent: you are offline. ..." instead.
//    Typed values still wait and are sent when the connection is back.
// 3. When the connection comes back, a message whose answer was lost with the connection no longer holds the
//    model's later values for ever (its pending count is corrected after a short wait for the server's replay), and a
//    click that left just before the connection dropped and got no answer is reported ("did not reach the laptop").
//
// This is the only module that uses ipywidgets' private front-end API: WidgetModel.prototype.sync, send,
// send_sync_message, rememberLastUpdateFor, and the fields _msg_buffer, _msg_buffer_callbacks and _pending_msgs
// (plus the widget manager's loadClass, to find WidgetModel). If any is missing, nothing is patched and the page's
// root element says data-course-actions="off"; tests/test_busy_browser.py fails then, and when the fault returns.
const MARK = Symbol.for("artisan-course.page-actions");
const REPLAY_MS = 5000;  // after a reconnection, how long the server may take to replay answers it kept for the page
const OFFLINE = "Not sent: you are offline. Tap again when the page says it is back.";
const LOST = "Your last tap did not reach the laptop. Please tap it again.";
const NEEDED = ["sync", "send", "send_sync_message", "rememberLastUpdateFor"];

function say(text) {
  // The deck shows it in its connection bar (course-deck.js); elsewhere (JupyterLab) a small notice of its own.
  const handled = !window.dispatchEvent(new CustomEvent("course-action-refused", { detail: { text }, cancelable: true }));
  if (handled) return;
  let note = document.querySelector(".course-action-note");
  if (!note) {
    note = document.createElement("div");
    note.className = "course-action-note";
    note.setAttribute("role", "alert");
    note.style.cssText = "position:fixed;left:50%;top:12px;transform:translateX(-50%);z-index:10000;" +
      "background:#7a2e00;color:#fff;padding:10px 16px;border-radius:8px;font-size:16px;max-width:90vw";
    document.body.appendChild(note);
  }
  note.textContent = text;
  note.hidden = false;
  window.clearTimeout(note.timer);
  note.timer = window.setTimeout(() => { note.hidden = true; }, 8000);
}

function patch(proto) {
  const held = new Set();      // models whose newest value waits for an earlier answer
  const waiting = new Map();   // model -> its updates sent and not yet answered: [{since}]
  const clicks = new Set();    // clicks sent and not yet answered: {since}
  let dropped = null;          // when the connection last dropped

  const answered = (callbacks, done) => {
    const iopub = Object.assign({}, callbacks && callbacks.iopub);
    const before = iopub.status;
    iopub.status = (msg) => {
      if (msg.content && msg.content.execution_state === "idle") done();
      if (before) before(msg);
    };
    return Object.assign({}, callbacks, { iopub });
  };

  const sendHeld = (model) => {
    held.delete(model);
    if (model._msg_buffer && model.comm) {
      const id = model.send_sync_message(model._msg_buffer, model._msg_buffer_callbacks);
      model.rememberLastUpdateFor(id);  // as ipywidgets does when it sends a held value itself
      model._msg_buffer = null;
      model._msg_buffer_callbacks = null;
    }
  };
  const flush = () => { for (const model of [...held]) sendHeld(model); };

  const syncOriginal = proto.sync;
  proto.sync = function (method, model, options) {
    const result = syncOriginal.call(this, method, model, options);
    if (this._msg_buffer) held.add(this);
    return result;
  };

  const sendSyncOriginal = proto.send_sync_message;
  proto.send_sync_message = function (state, callbacks) {
    const entry = { since: Date.now() };
    const list = waiting.get(this) || [];
    waiting.set(this, list);
    list.push(entry);
    const mine = answered(callbacks || {}, () => { const i = list.indexOf(entry); if (i >= 0) list.splice(i, 1); });
    return sendSyncOriginal.call(this, state, mine);
  };

  const sendOriginal = proto.send;
  proto.send = function (content, callbacks, buffers) {
    const kernel = this.widget_manager && this.widget_manager.kernel;
    const click = content && content.event === "click";
    if (click && kernel && kernel.connectionStatus !== "connected") {
      say(OFFLINE);
      return;
    }
    flush();
    if (!click) return sendOriginal.call(this, content, callbacks, buffers);
    const entry = { since: Date.now() };
    clicks.add(entry);
    return sendOriginal.call(this, content, answered(callbacks || this.callbacks(), () => clicks.delete(entry)),
                             buffers);
  };

  // After a reconnection: answers that never came (lost with the connection) stop holding later values.
  const settle = (drop) => {
    for (const [model, list] of waiting) {
      const lost = list.filter((entry) => entry.since <= drop);
      if (!lost.length) continue;
      for (const entry of lost) list.splice(list.indexOf(entry), 1);
      model._pending_msgs = Math.max(0, model._pending_msgs - lost.length);
      if (model._pending_msgs < 1) sendHeld(model);
    }
    const gone = [...clicks].filter((entry) => entry.since <= drop);
    gone.forEach((entry) => clicks.delete(entry));
    if (gone.length) say(LOST);
  };

  const watched = new WeakSet();
  return function watch(kernel) {
    if (!kernel || watched.has(kernel) || !kernel.connectionStatusChanged) return;
    watched.add(kernel);
    kernel.connectionStatusChanged.connect((_, status) => {
      if (status !== "connected") {
        if (dropped === null) dropped = Date.now();
        return;
      }
      if (dropped === null) return;
      const drop = dropped;
      dropped = null;
      window.setTimeout(() => { if (kernel.connectionStatus === "connected") settle(drop); }, REPLAY_MS);
    });
  };
}

async function initialize({ model }) {
  const manager = model.widget_manager;
  const root = document.documentElement;
  try {
    const WidgetModel = await manager.loadClass("WidgetModel", "@jupyter-widgets/base", "2.0.0");
    const proto = WidgetModel.prototype;
    if (!proto[MARK]) {
      const missing = NEEDED.filter((name) => typeof proto[name] !== "function");
      if (missing.length) throw new Error("ipywidgets has no " + missing.join(", "));
      proto[MARK] = patch(proto);
    }
    proto[MARK](manager.kernel);
    root.setAttribute("data-course-actions", "in-order");
  } catch (error) {
    root.setAttribute("data-course-actions", "off");
    console.warn("Taps may act on old values: " + error.message);
  }
}

export default { initialize };
