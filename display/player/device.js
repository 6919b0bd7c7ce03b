// What a screen's browser keeps for itself, shared by the player, the hall's pages and the kiosk:
// its device token, the proof-of-display reports queued in localStorage until the server
// acknowledges them, and a socket that tries again as soon as the network is back.
const TOKEN_KEY = "kiosk.token";
const REPORTS_KEY = "kiosk.reports";
const MAX_QUEUED_REPORTS = 20000;
const REPORT_BATCH = 500;

export function loadJSON(key, fallback) {
  try { return JSON.parse(localStorage.getItem(key)) ?? fallback; } catch { return fallback; }
}

export function saveJSON(key, value) {
  try { localStorage.setItem(key, JSON.stringify(value)); } catch { /* full: keep running from memory */ }
}

// The token arrives as ?token= on the first visit (the player link); it is kept, not left in the address bar.
export function deviceToken() {
  const fromUrl = new URLSearchParams(location.search).get("token");
  if (fromUrl) {
    localStorage.setItem(TOKEN_KEY, fromUrl);
    history.replaceState(null, "", location.pathname + location.hash);
  }
  return localStorage.getItem(TOKEN_KEY) || "";
}

// When the browser says the network is back (a village router restarted, a cable put back), the
// socket tries at once instead of at the end of its back-off (up to 5 s) or of an attempt that hangs
// until its timeout; a spread of up to `spreadMs` keeps a village's screens from arriving together.
export function reconnectWhenOnline(socket, spreadMs = 500) {
  window.addEventListener("online", () => {
    setTimeout(() => { if (!socket.connected) socket.disconnect().connect(); }, Math.random() * spreadMs);
  });
}

export class Reports {
  constructor(token, onUnregistered) {
    this.token = token;
    this.onUnregistered = onUnregistered;
    this.queue = loadJSON(REPORTS_KEY, []);
    this.sending = false;
  }

  // `entry` was on screen from `start` to `end` (ms); a glimpse or the stand-in clock is not a showing.
  shown(entry, start, end, offline) {
    if (end - start < 1000 || entry.key === "clock") return;
    this.queue.push({key: entry.key, kind: entry.kind, notice_id: entry.notice_id ?? null,
                     urgent_id: entry.urgent_id ?? null, start, end, offline});
    if (this.queue.length > MAX_QUEUED_REPORTS) this.queue.splice(0, this.queue.length - MAX_QUEUED_REPORTS);
    saveJSON(REPORTS_KEY, this.queue);
  }

  async send() {
    if (this.sending || !this.queue.length) return;
    this.sending = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.slice(0, REPORT_BATCH);
        const response = await fetch("/display/reports", {method: "POST", credentials: "same-origin",
          headers: {"Content-Type": "application/json", "X-Screen-Token": this.token},
          body: JSON.stringify({reports: batch})});
        if (response.status === 401) { this.onUnregistered(); break; }
        if (response.status === 400) console.warn("reports refused", await response.text());
        else if (!response.ok) break;
        this.queue.splice(0, batch.length);
        saveJSON(REPORTS_KEY, this.queue);
      }
    } catch { /* offline again: they stay queued */ }
    this.sending = false;
  }
}
