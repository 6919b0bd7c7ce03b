// The visitor-facing tablet at a window: after each finished ticket, five big rating buttons.
import { fill, follow, getJSON, postJSON, strings } from "/hall/assets/live.js";

const body = document.getElementById("tablet");
const text = strings();
const levels = document.getElementById("levels");
let awaiting = null;
let thanking = false;

async function refresh() {
  const state = await getJSON(`/api/v1/queue/windows/${body.dataset.window}`);
  awaiting = state.awaiting_rating;
  if (thanking) return;
  levels.hidden = !awaiting;
  document.getElementById("prompt").textContent = awaiting ? text.rate : text.welcome;
  document.getElementById("ticket").textContent = awaiting ? fill(text.ticket, { code: awaiting.code }) : "";
}

levels.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-level]");
  if (!button || !awaiting) return;
  const result = await postJSON(`/api/v1/queue/tickets/${awaiting.id}/rating`, { level: Number(button.dataset.level) });
  levels.hidden = true;
  thanking = true;
  document.getElementById("prompt").textContent = result.ok ? text.thanks : (result.data.message || "");
  document.getElementById("ticket").textContent = "";
  setTimeout(() => { thanking = false; refresh(); }, 5000);
});

follow({ hall: body.dataset.hall }, refresh);
