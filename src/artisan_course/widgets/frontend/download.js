// "Download my journal": one button that downloads one printable page, the browser half of
// artisan_course.widgets.course.JournalButton.
//
// Why it is a custom widget: the journal changes with every answer, so it is made when the button is pressed, and
// the file must then reach the browser's downloads at once (a link to press a second time, as before, was missed).
// In a workshop the button fetches the journal from the server (the server checks the trainee's cookie and names
// the file); elsewhere the kernel sends the page and the browser saves it under the name the kernel gives.
function save(name, mime, text) {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.appendChild(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60000);
}

function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "course-journal-download";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "jupyter-button widget-button course-download-button";
  button.textContent = model.get("label");
  const status = document.createElement("p");
  status.className = "course-download-status";
  status.setAttribute("role", "status");
  box.append(button, status);

  const show = () => {
    status.textContent = model.get("status");
    status.classList.toggle("course-warning", model.get("problem"));
    button.disabled = model.get("busy");
  };
  button.addEventListener("click", () => {
    const href = model.get("href");
    if (href) {  // the workshop server sends the page as a download, with the trainee's name in the file name
      const link = document.createElement("a");
      link.href = href;
      link.download = "";
      document.body.appendChild(link);
      link.click();
      link.remove();
      model.send({ event: "fetched" });
      return;
    }
    model.send({ event: "prepare" });
  });
  const received = (message) => {
    if (message && message.event === "file") { save(message.name, message.mime, message.text); }
  };
  model.on("msg:custom", received);
  model.on("change:status", show);
  model.on("change:busy", show);
  model.on("change:problem", show);
  show();
  el.appendChild(box);
  return () => {
    model.off("msg:custom", received);
    model.off("change:status", show);
    model.off("change:busy", show);
    model.off("change:problem", show);
  };
}

export default { render };
