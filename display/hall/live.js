// Follows a hall or a ticket over Socket.IO: joins the rooms, then asks for the current state.
// It does the same after every reconnect, so a page that was offline catches up by itself.
// Events only say "something changed"; the state always comes from the server's JSON.
import { reconnectWhenOnline } from "/display/files/device.js";

const SAFETY_REFRESH_MS = 60000;
const RETRY_MS = 3000;
// A request on a connection that died with the network can hang; give up and try again.
const FETCH_TIMEOUT_MS = 8000;

export function follow(subscription, refresh, onConnection = () => {}) {
  let running = false;
  let again = false;
  async function update() {
    if (running) { again = true; return; }
    running = true;
    try {
      do { again = false; await refresh(); } while (again);
    } catch (error) {
      console.warn("refresh failed, trying again shortly", error);
      setTimeout(update, RETRY_MS);
    } finally {
      running = false;
    }
  }
  // eslint-disable-next-line no-undef
  const socket = io({ transports: ["websocket", "polling"] });
  socket.on("connect", () => {
    onConnection(true);
    socket.emit("queue.follow", subscription, () => update());
  });
  socket.on("disconnect", () => onConnection(false));
  socket.on("queue.changed", update);
  socket.on("ticket.changed", update);
  reconnectWhenOnline(socket);
  // A safety net for a socket that is silently broken: the state is fetched now and then anyway.
  setInterval(update, SAFETY_REFRESH_MS);
  return { socket, update };
}

export async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store",
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

// POST JSON as the logged-in page (CSRF token from the page); resolves to {ok, data}.
export async function postJSON(url, body = {}) {
  const token = document.querySelector('meta[name="csrf-token"]')?.content;
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json", ...(token ? { "X-CSRFToken": token } : {}) },
    body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  return { ok: response.ok, status: response.status, data };
}

export function strings(id = "queue-strings") {
  return JSON.parse(document.getElementById(id).textContent);
}

// "{n} waiting" + {n: 3} -> "3 waiting": the catalogue's strings with the page's values.
export function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}
