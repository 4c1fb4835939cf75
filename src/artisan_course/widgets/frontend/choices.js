// A choice question whose options carry maths: the browser half of artisan_course.widgets.choices.Choices.
//
// Why it is a custom widget: ipywidgets' radio buttons and checkboxes show their labels as plain text, and an
// option such as P(A | B) needs its maths drawn. The page is built as ipywidgets builds its own radio buttons
// (checkboxes in the same rows), so the course's styles, the phone view and the keys work the same: the arrow
// keys move between the options of one question (one radio group), Space ticks a box.
function render({ model, el }) {
  const multiple = model.get("multiple");
  const box = document.createElement("div");
  // Laid out as ipywidgets lays out radio buttons, checkboxes too, so both look alike and take the same styles.
  box.className = "widget-radio-box widget-radio-box-vertical course-choices" + (multiple ? " course-choices-multi" : "");
  box.setAttribute("role", multiple ? "group" : "radiogroup");
  box.setAttribute("aria-label", model.get("label"));
  const group = "course-choice-" + Math.random().toString(36).slice(2);
  const inputs = [];
  for (const option of model.get("options")) {
    const label = document.createElement("label");
    const text = document.createElement("span");
    text.className = "course-choice-text";
    // Made by the course in Python (content.quiz_markup.to_html): every text escaped, maths as MathML.
    text.innerHTML = option.html;
    const input = document.createElement("input");
    input.type = multiple ? "checkbox" : "radio";
    input.name = group;
    input.value = option.key;
    input.addEventListener("change", () => {
      if (multiple) {
        model.set("values", inputs.filter((i) => i.checked).map((i) => i.value));
      } else if (input.checked) {
        model.set("value", input.value);
      }
      model.save_changes();
    });
    inputs.push(input);
    label.append(text, input);  // as in ipywidgets' radio buttons: the words, then the circle (shown first)
    box.appendChild(label);
  }
  const show = () => {
    const value = model.get("value");
    const values = model.get("values");
    for (const input of inputs) {
      input.checked = multiple ? values.includes(input.value) : input.value === value;
      input.disabled = model.get("disabled");
    }
  };
  model.on("change:value", show);
  model.on("change:values", show);
  model.on("change:disabled", show);
  show();
  el.appendChild(box);
  return () => {
    model.off("change:value", show);
    model.off("change:values", show);
    model.off("change:disabled", show);
  };
}

export default { render };
