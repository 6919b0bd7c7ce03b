// The clerk's window page: the current ticket and its actions; follows the hall live.
import { fill, follow, getJSON, postJSON, strings } from "/hall/assets/live.js";

const root = document.getElementById("clerk");
const windowId = root.dataset.window;
const text = strings();
const api = `/api/v1/queue/windows/${windowId}`;
const message = document.getElementById("message");
let state = null;

function show(note, bad = false) {
  message.textContent = note || "";
  message.classList.toggle("bad", bad);
}

function render() {
  const current = state.current;
  document.getElementById("current-code").textContent = current ? current.code : "—";
  document.getElementById("current-info").textContent = current
    ? `${current.service.name} · ${current.status_label}${current.priority === "green" ? " · " + text.priority : ""}`
    : (state.paused ? text.paused : "");
  for (const button of root.querySelectorAll("[data-needs]")) {
    button.disabled = !current || !button.dataset.needs.split(" ").includes(current.status);
  }
  root.querySelector('[data-action="call-next"]').disabled = Boolean(current) || state.paused;
  document.getElementById("pause").textContent = state.paused ? text.resume : text.pause;
  const mine = new Set(state.services);
  document.getElementById("waiting").replaceChildren(...state.hall.services.filter((s) => mine.has(s.prefix)).map((s) => {
    const item = document.createElement("li");
    item.textContent = `${s.prefix} ${s.name}: ${fill(text.waiting, { n: s.waiting })}`;
    return item;
  }));
  document.getElementById("calls").replaceChildren(...state.hall.calls.map((call) => {
    const item = document.createElement("li");
    item.textContent = `${call.at} ${call.code} → ${fill(text.window, { window: call.window })}`;
    return item;
  }));
}

async function refresh() {
  state = await getJSON(api);
  render();
}

async function act(action) {
  const current = state && state.current;
  let url;
  let body = {};
  if (action === "call-next") url = `${api}/call-next`;
  else if (action === "pause") { url = `${api}/pause`; body = { paused: !state.paused }; }
  else {
    url = `${api}/tickets/${current.id}/${action}`;
    if (action === "transfer") body = { service: document.getElementById("transfer-to").value };
  }
  const result = await postJSON(url, body);
  if (!result.ok) show(result.data.message || String(result.status), true);
  else if (action === "call-next" && !result.data.ticket) show(text.nobody);
  else show("");
  await refresh();
}

root.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-action]");
  if (button && !button.disabled) act(button.dataset.action);
});

follow({ hall: root.dataset.hall }, refresh, (online) => {
  const badge = document.getElementById("connection");
  badge.textContent = online ? text.online : text.offline;
  badge.className = `badge ${online ? "good" : "bad"}`;
});
