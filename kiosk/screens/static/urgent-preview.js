// The urgent-notice form's preview: the picture the renderer draws (previewUrgentNotice), redrawn
// a moment after the title, text or publisher change.
const preview = document.getElementById("urgent-preview");
const form = preview.closest("section").querySelector("form");
let timer = null;

function redraw() {
  const query = new URLSearchParams({title: form.elements.title.value, body: form.elements.body.value,
                                     unit: form.elements.unit.value, width: "960"});
  preview.src = `${preview.dataset.url}?${query}`;
}

form.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(redraw, 400); });
redraw();
