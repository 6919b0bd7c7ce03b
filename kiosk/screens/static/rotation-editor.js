// The rotation editor: builds the rotation as JSON and saves it through the API
// (createRotation / updateRotation), showing the server's message in place when it refuses.
const data = JSON.parse(document.getElementById("editor-data").textContent);
const words = data.words;
const form = document.getElementById("rotation");
const list = document.getElementById("slides");
const errors = document.getElementById("errors");
const csrf = document.querySelector('meta[name="csrf-token"]').content;

function node(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "class") element.className = value; else element.setAttribute(key, value);
  }
  element.append(...children);
  return element;
}

function input(name, label, value, attributes = {}) {
  const field = node("input", {name, ...attributes});
  field.value = value ?? "";
  return node("label", {}, label, field);
}

function select(name, label, options, value) {
  const field = node("select", {name});
  for (const [optionValue, text] of options) field.append(new Option(text, optionValue));
  field.value = value ?? (options[0] ? options[0][0] : "");
  return node("label", {}, label, field);
}

function daypartFields(container, part = {}) {
  const days = String(part.weekdays ?? "1234567");
  const boxes = node("div", {class: "weekdays"}, words.weekdays + ": ");
  words.days.forEach((name, index) => {
    const box = node("input", {type: "checkbox", name: "weekday", value: String(index + 1), style: "display:inline;width:auto"});
    box.checked = days.includes(String(index + 1));
    boxes.append(node("label", {style: "display:inline;margin-right:.8rem"}, box, " " + name));
  });
  container.append(boxes, input("time_from", words.from, part.time_from?.slice(0, 5), {type: "time"}),
                   input("time_until", words.until, part.time_until?.slice(0, 5), {type: "time"}),
                   input("date_from", words.date_from, part.date_from, {type: "date"}),
                   input("date_until", words.date_until, part.date_until, {type: "date"}));
}

function readDaypart(container) {
  const value = (name) => container.querySelector(`:scope > label > [name="${name}"], :scope [name="${name}"]`)?.value || null;
  const days = [...container.querySelectorAll('[name="weekday"]')].filter((b) => b.checked).map((b) => b.value).join("");
  return {weekdays: days || null, time_from: value("time_from"), time_until: value("time_until"),
          date_from: value("date_from"), date_until: value("date_until")};
}

function checkboxes(name, label, options, chosen) {
  const box = node("fieldset", {class: "picker", "data-field": name}, node("legend", {}, label));
  for (const [value, text] of options) {
    const tick = node("input", {type: "checkbox", name, value: String(value), style: "display:inline;width:auto"});
    tick.checked = (chosen || []).map(String).includes(String(value));
    box.append(node("label", {class: "inline", style: "display:inline-block;margin-right:.8rem"}, tick, " " + text));
  }
  return box;
}

// Notices are picked from a list filtered by title as one types (never typed as numbers).
function noticePicker(chosen) {
  const box = checkboxes("notice_ids", words.notice_ids, data.notices, chosen);
  const search = node("input", {type: "search", name: "notice_search", placeholder: words.search});
  search.addEventListener("input", () => {
    for (const label of box.querySelectorAll("label")) {
      const match = label.textContent.includes(search.value.trim()) || label.querySelector("input").checked;
      label.style.display = match ? "inline-block" : "none";
    }
  });
  box.querySelector("legend").after(search);
  return box;
}

function kindFields(kind, slide) {
  const box = node("div", {class: "kind-fields"});
  if (kind === "notice") box.append(checkboxes("categories", words.categories, data.categories, slide.categories),
                                    noticePicker(slide.notice_ids));
  if (kind === "image") box.append(select("image_id", words.image, data.images.map((i) => [String(i.id), `${i.id} · ${i.name}`]), String(slide.image_id ?? "")),
                                   input("caption", words.caption, slide.caption));
  if (kind === "qr") box.append(input("link", words.link, slide.link, {type: "url"}), input("caption", words.caption, slide.caption));
  if (kind === "queue") box.append(select("hall", words.hall, [["", words.township_hall], ...data.halls], slide.hall ?? ""));
  if (kind === "clock") box.append(input("welcome", words.welcome, slide.welcome));
  if (kind === "video") box.append(select("video_id", words.video, data.videos.map((v) => [String(v.id),
                                     `${v.id} · ${v.name}${v.approved ? "" : ` (${words.not_approved})`}`]), String(slide.video_id ?? "")),
                                   input("plays", words.plays, slide.plays ?? 1, {type: "number", min: 1, max: 20}),
                                   input("caption", words.caption, slide.caption));
  return box;
}

function slideRow(slide = {kind: "notice", duration: 15}) {
  const row = node("li", {class: "card slide"});
  const kind = select("kind", words.kind, Object.entries(data.kinds), slide.kind);
  const when = node("details", {}, node("summary", {}, words.slide_when));
  daypartFields(when, slide);
  if (slide.weekdays || slide.time_from || slide.date_from || slide.date_until) when.open = true;
  let fields = kindFields(slide.kind, slide);
  kind.querySelector("select").addEventListener("change", (event) => {
    const next = kindFields(event.target.value, {});
    fields.replaceWith(next);
    fields = next;
  });
  const buttons = node("p", {},
    node("button", {type: "button", "data-move": "-1"}, words.up), " ",
    node("button", {type: "button", "data-move": "1"}, words.down), " ",
    node("button", {type: "button", "data-remove": ""}, words.remove));
  row.append(kind, input("duration", words.duration, slide.duration ?? 15, {type: "number", min: 3, max: 600}), fields, when, buttons);
  return row;
}

function readSlide(row) {
  const value = (name) => row.querySelector(`.kind-fields [name="${name}"]`)?.value.trim() ?? "";
  const ticked = (name) => [...row.querySelectorAll(`.kind-fields [name="${name}"]:checked`)].map((box) => box.value);
  const slide = {kind: row.querySelector('[name="kind"]').value,
                 duration: Number(row.querySelector('[name="duration"]').value), ...readDaypart(row.querySelector("details"))};
  if (slide.kind === "notice") { slide.categories = ticked("categories"); slide.notice_ids = ticked("notice_ids").map(Number); }
  if (slide.kind === "image") { slide.image_id = Number(value("image_id")) || null; slide.caption = value("caption"); }
  if (slide.kind === "qr") { slide.link = value("link") || null; slide.caption = value("caption"); }
  if (slide.kind === "queue") slide.hall = value("hall") || null;
  if (slide.kind === "clock") slide.welcome = value("welcome");
  if (slide.kind === "video") {
    slide.video_id = Number(value("video_id")) || null; slide.plays = Number(value("plays")) || 1; slide.caption = value("caption");
  }
  return slide;
}

function fillGroups() {
  const unit = form.elements.unit.value;
  const groupSelect = form.elements.group;
  const previous = groupSelect.value || data.rotation?.group;
  groupSelect.replaceChildren(...data.groups.filter((g) => g.unit === unit).map((g) => new Option(g.name, g.code)));
  if (previous) groupSelect.value = previous;
}

list.addEventListener("click", (event) => {
  const row = event.target.closest("li");
  if (event.target.dataset.move) {
    const sibling = event.target.dataset.move === "-1" ? row.previousElementSibling : row.nextElementSibling?.nextElementSibling;
    list.insertBefore(row, sibling ?? (event.target.dataset.move === "-1" ? list.firstElementChild : null));
  } else if ("remove" in event.target.dataset) row.remove();
});
document.getElementById("add-slide").addEventListener("click", () => list.append(slideRow()));
form.elements.unit.addEventListener("change", fillGroups);

function rotationBody() {
  return {name: form.elements.name.value, unit: form.elements.unit.value, group: form.elements.group.value,
          priority: Number(form.elements.priority.value), enabled: form.elements.enabled.checked,
          ...readDaypart(form.querySelector(".daypart")), slides: [...list.children].map(readSlide)};
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  errors.textContent = "";
  const body = rotationBody();
  const response = await fetch(form.dataset.save, {method: form.dataset.method, credentials: "same-origin",
    headers: {"Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json"}, body: JSON.stringify(body)});
  if (response.ok) { location.assign(form.dataset.done); return; }
  showProblem(await response.json().catch(() => ({message: response.statusText})));
});

// Every error the server names, listed at once and marked beside its field ("slides.1.duration"
// is the second slide's duration, which the server already calls 幻灯片 2 · 每页秒数).
function showProblem(problem) {
  for (const old of form.querySelectorAll(".field-error")) old.remove();
  const listed = problem.errors || [{field: problem.field, message: problem.message, label: ""}];
  errors.replaceChildren(node("p", {}, words.failed),
    node("ul", {}, ...listed.map((e) => node("li", {}, e.label ? `${e.label}：${e.message}` : e.message))));
  for (const e of listed) {
    const [first, index, name] = (e.field || "").split(".");
    const scope = first === "slides" && index !== undefined ? list.children[Number(index)] : form;
    const target = scope?.querySelector(`[name="${first === "slides" ? name : first}"], [data-field="${name}"]`);
    const label = target?.closest("label, fieldset");
    if (label) label.append(node("span", {class: "form-error field-error"}, e.message));
  }
  errors.scrollIntoView();
}
// The strip of slides the chosen screen would play if this rotation were saved (previewRotation).
const preview = document.getElementById("preview");
preview?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const strip = document.getElementById("strip");
  const response = await fetch(preview.dataset.url, {method: "POST", credentials: "same-origin",
    headers: {"Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json"},
    body: JSON.stringify({screen: Number(preview.elements.screen.value), rotation_id: data.rotation_id,
                          rotation: rotationBody()})});
  const result = await response.json().catch(() => ({message: response.statusText}));
  if (!response.ok) { strip.replaceChildren(node("li", {class: "form-error"}, `${words.failed} ${result.message}`)); return; }
  strip.replaceChildren(node("li", {class: "why"}, result.why.join(" ")), ...result.slides.map((slide) => node("li", {},
    node("img", {src: slide.image, alt: slide.title}), node("small", {}, `${slide.title || data.kinds[slide.kind] || slide.kind} · ${slide.duration}s × ${slide.pages}`))));
});

document.getElementById("delete")?.addEventListener("click", async (event) => {
  if (!confirm(words.confirm_delete)) return;
  const response = await fetch(event.target.dataset.url, {method: "DELETE", credentials: "same-origin",
    headers: {"X-CSRFToken": csrf, Accept: "application/json"}});
  if (response.ok) location.assign(form.dataset.done);
  else showProblem(await response.json());
});

const rotation = data.rotation || {slides: [{kind: "notice", duration: 15}]};
form.elements.name.value = rotation.name || "";
if (rotation.unit) form.elements.unit.value = rotation.unit;
form.elements.priority.value = rotation.priority ?? 0;
form.elements.enabled.checked = rotation.enabled ?? true;
daypartFields(form.querySelector(".daypart"), rotation);
fillGroups();
for (const slide of rotation.slides) list.append(slideRow(slide));
