// The kiosk's requests: every one carries the device token (the kiosk has no login), gives up
// after a while instead of hanging, and tells the page when the server is out of reach so it
// can show a calm "please wait" while what is loaded keeps working.
import { deviceToken } from "/display/files/device.js";

const TIMEOUT_MS = 8000;
export const token = deviceToken();
const listeners = [];

export function onReachable(callback) { listeners.push(callback); }
function reachable(yes) { for (const callback of listeners) callback(yes); }

const csrf = document.querySelector('meta[name="csrf-token"]')?.content;
let visitId = "";

// A new visitor (after the idle reset): the server limits messages and numbers per visit by this id.
export function startVisit() {
  visitId = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0")).join("");
}

function headers(extra = {}) {
  // The token is in localStorage once the kiosk was paired here; otherwise its cookie speaks for it.
  return { Accept: "application/json", ...(token ? { "X-Screen-Token": token } : {}),
           ...(csrf ? { "X-CSRFToken": csrf } : {}), ...(visitId ? { "X-Kiosk-Visit": visitId } : {}), ...extra };
}

// Resolves to the JSON, or rejects; a failed network (not a refusal) marks the server unreachable.
export async function getJSON(url) {
  let response;
  try {
    response = await fetch(url, { headers: headers(), credentials: "same-origin", signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    reachable(false);
    throw error;
  }
  // The service worker answers from its cache when offline and says so.
  reachable(response.headers.get("X-Kiosk-Offline") !== "1");
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

// Resolves to {ok, status, data}; status 0 when the server could not be reached.
export async function postJSON(url, body) {
  try {
    const response = await fetch(url, { method: "POST", credentials: "same-origin", body: JSON.stringify(body),
      headers: headers({ "Content-Type": "application/json" }), signal: AbortSignal.timeout(TIMEOUT_MS) });
    reachable(true);
    return { ok: response.ok, status: response.status, data: await response.json().catch(() => ({})) };
  } catch {
    reachable(false);
    return { ok: false, status: 0, data: {} };
  }
}

// "{n} waiting" + {n: 3} -> "3 waiting"
export function fill(template, values) {
  return (template || "").replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

export function button(className, text, onTap) {
  const node = el("button", className, text);
  node.type = "button";
  if (onTap) node.addEventListener("click", onTap);
  return node;
}
