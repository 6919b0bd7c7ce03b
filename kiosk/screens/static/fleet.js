// The on-hours form's presets fill the days; the command list refreshes itself while a command
// waits for its answer (the page's own HTML, so the list is drawn in one place).
for (const button of document.querySelectorAll("button.preset")) {
  button.addEventListener("click", () => {
    const week = JSON.parse(button.dataset.week);
    const form = button.closest("form");
    for (const [day, text] of Object.entries(week)) {
      const input = form.querySelector(`input[name$="-${day}"]`);
      if (input) input.value = text;
    }
  });
}

async function refreshCommands() {
  const list = document.getElementById("command-list");
  if (!list || !list.dataset.pending) return;
  try {
    const response = await fetch(location.pathname, {credentials: "same-origin"});
    if (response.ok) {
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html").getElementById("command-list");
      if (fresh) list.replaceWith(fresh);
    }
  } catch { /* try again */ }
  setTimeout(refreshCommands, 1500);
}

setTimeout(refreshCommands, 1500);
