// The visitor's phone page for one ticket: follows it live (and catches up after reconnecting).
import { fill, follow, getJSON, postJSON, strings } from "./live.js";

const root = document.getElementById("status");
const token = root.dataset.token;
const text = strings();

function render(state) {
  document.getElementById("label").textContent = state.status_label;
  const call = document.getElementById("call");
  call.hidden = !state.window;
  call.textContent = state.window ? fill(text.go_to_window, { window: state.window }) : "";
  document.body.classList.toggle("called", Boolean(state.window));
  const waiting = state.ahead !== null;
  document.getElementById("wait").hidden = !waiting;
  if (waiting) {
    document.getElementById("ahead").textContent = fill(text.ahead, { n: state.ahead });
    document.getElementById("estimate").textContent = state.estimated_wait_minutes === null
      ? text.estimate_unknown : fill(text.estimate, { m: state.estimated_wait_minutes });
  }
  document.getElementById("rate").hidden = !state.can_rate;
  const rated = document.getElementById("rated");
  rated.hidden = !state.rating;
  if (state.rating) rated.textContent = fill(text.rated, { label: state.rating.label });
}

async function refresh() {
  render(await getJSON(`/t/${token}.json`));
}

document.getElementById("rate").addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-level]");
  if (!button) return;
  const result = await postJSON(`/api/v1/queue/tickets/${root.dataset.ticket}/rating`,
    { level: Number(button.dataset.level), token });
  if (!result.ok) document.getElementById("rated").textContent = result.data.message || "";
  await refresh();
});

render(JSON.parse(document.getElementById("initial-state").textContent));
follow({ ticket: token }, refresh, (online) => { document.getElementById("offline").hidden = online; });
