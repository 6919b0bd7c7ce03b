// Live preview of a notice as a portrait screen shows it. The server renders and sanitises the
// Markdown (the same code the screens use); this only puts the result in place.
const form = document.getElementById("notice-form");
const preview = document.getElementById("preview");

if (form && preview) {
  const title = document.getElementById("preview-title");
  const summary = document.getElementById("preview-summary");
  const body = document.getElementById("preview-body");
  const band = document.getElementById("preview-band");
  const categoryName = document.getElementById("preview-category");
  const category = form.elements.namedItem("category");
  let timer = null;
  let sequence = 0;

  function showCategory() {
    const option = category.options[category.selectedIndex];
    if (!option) return;
    band.style.background = option.dataset.colour;
    categoryName.textContent = option.textContent.split(" · ")[0];
  }

  async function refresh() {
    const mine = ++sequence;
    const data = new FormData();
    for (const name of ["csrf_token", "title", "summary", "body"]) {
      data.append(name, form.elements.namedItem(name).value);
    }
    const response = await fetch(form.dataset.previewUrl, { method: "POST", body: data, credentials: "same-origin" });
    if (!response.ok || mine !== sequence) return;
    const rendered = await response.json();
    title.textContent = rendered.title;
    summary.textContent = rendered.summary;
    body.innerHTML = rendered.body_html;  // already sanitised by the server's allow-list
  }

  form.addEventListener("input", (event) => {
    if (event.target === category) showCategory();
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  });
  category.addEventListener("change", showCategory);
  showCategory();
  refresh();
}

// Leaving the page with unsaved changes asks first; every button of the form saves them.
if (form) {
  let dirty = false;
  form.addEventListener("input", () => { dirty = true; });
  form.addEventListener("submit", () => { dirty = false; });
  window.addEventListener("beforeunload", (event) => { if (dirty) event.preventDefault(); });
}
