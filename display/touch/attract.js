// The attract loop: while nobody touches the kiosk it plays the screen's own rotation, chosen
// and drawn exactly as the noticeboard player does (its state from /display/state, the player's
// slides module), and reports each slide shown for proof of display. It also keeps the kiosk
// known to the screens page: heartbeats on the /screens namespace, and a new state when one is
// pushed (`state`) or announced (`changed`).
// Outside the screen's on-hours the kiosk is not switched off: its attract loop becomes a dim
// "closed" page (a late visitor or the guard can still touch it to read notices); an urgent
// notice still shows. It takes remote commands and reports itself like the player (fleet.js).
import { activeUrgent, chooseRotation, Cycle, measurePages, picturesReady, renderSlide, renderUrgent,
  showPage } from "/display/files/slides.js";
import { loadJSON, reconnectWhenOnline, Reports, saveJSON } from "/display/files/device.js";
import { Commands, DeviceReport, isOnAt, Launcher, nextPowerChange } from "/display/files/fleet.js";
import { getJSON, token } from "./net.js";

const HEARTBEAT_MS = 20000;
const IDLE_LOOK_MS = 10000;
const CLOSED_CHECK_MS = 60000;
const STATE_KEY = "kiosk.touch.state";   // the screen's state (notices), not anything a visitor did

export class Attract {
  // onConnection(true/false): the live link to the server came or went.
  constructor(pane, onConnection) {
    this.pane = pane;
    this.cycle = new Cycle();
    this.state = loadJSON(STATE_KEY, null);   // offline after a reload: the last notices still play
    this.current = null;
    this.timer = null;
    this.running = false;
    // Proof-of-display reports are sent with the token (a kiosk opened by its cookie alone has none to send).
    this.reports = token ? new Reports(token, () => location.reload()) : null;
    // eslint-disable-next-line no-undef
    this.socket = io("/screens", { auth: token ? { token } : {}, transports: ["websocket", "polling"] });
    this.socket.on("connect", () => { onConnection(true); this.refresh(); this.heartbeat(); });
    this.socket.on("disconnect", () => onConnection(false));
    this.socket.on("changed", () => this.refresh());
    this.socket.on("state", () => this.refresh());
    this.socket.on("revoked", () => location.reload());
    this.device = new DeviceReport();
    this.commands = new Commands(new Launcher(), { words: () => (this.state && this.state.strings) || {}, token,
      keepAwake: () => {} });
    this.commands.attach(this.socket);
    reconnectWhenOnline(this.socket);
    setInterval(() => this.heartbeat(), HEARTBEAT_MS);
  }

  async refresh() {
    try {
      const next = await getJSON("/display/state");
      const changed = !this.state || this.state.digest !== next.digest;
      this.state = next;
      saveJSON(STATE_KEY, next);
      if (changed && this.running) this.advance();
    } catch (error) {
      console.warn("attract: state not fetched, playing the last one", error);
    }
  }

  heartbeat() {
    if (!this.socket.connected) return;
    const entry = this.current && this.current.entry;
    const info = this.device.info();
    this.socket.emit("heartbeat", { ...info,
      showing: entry ? { key: entry.key, kind: entry.kind, title: entry.title || "" } : null }, () => this.device.sent(info));
    this.reports?.send();
  }

  start() {
    if (this.running) return;
    this.running = true;
    this.advance();
  }

  stop() {
    this.running = false;
    clearTimeout(this.timer);
    this.finish(Date.now());
    this.pane.replaceChildren();
  }

  finish(now) {
    if (this.current && this.reports) this.reports.shown(this.current.entry, this.current.start, now, !this.socket.connected);
    this.current = null;
  }

  async advance() {
    clearTimeout(this.timer);
    if (!this.running) return;
    const now = Date.now();
    const words = (this.state && this.state.strings) || {};
    const urgent = activeUrgent(this.state, now);
    if (!urgent && !isOnAt(this.state, now)) { this.closed(now, words); return; }
    const entry = urgent ? { key: `u${urgent.id}`, kind: "urgent", urgent_id: urgent.id, duration: 15 }
      : this.cycle.next(chooseRotation(this.state, now));
    this.finish(now);
    if (!entry) { this.pane.replaceChildren(); this.timer = setTimeout(() => this.advance(), IDLE_LOOK_MS); return; }
    const node = urgent ? renderUrgent(urgent, words) : renderSlide(entry, now, this.state);
    this.current = { entry, start: now };
    this.pane.replaceChildren(node);
    await picturesReady(node);
    // A long notice shows its first page only: the visitor touches to read on.
    showPage(node, 0, measurePages(node), words);
    this.timer = setTimeout(() => this.advance(), (entry.duration || 10) * 1000);
  }

  // Outside on-hours: a dim page saying the hall is closed (nothing reported: no notice is shown).
  closed(now, words) {
    this.finish(now);
    const page = document.createElement("div");
    page.className = "closed-page";
    Object.assign(page.style, { background: "#111", color: "#777", display: "flex", alignItems: "center",
      justifyContent: "center", width: "100%", height: "100%", fontSize: "3vmin", textAlign: "center" });
    page.textContent = words.kiosk_closed || "";
    this.pane.replaceChildren(page);
    const next = nextPowerChange(this.state, now);
    this.timer = setTimeout(() => this.advance(),
      Math.max(1000, Math.min(CLOSED_CHECK_MS, next === null ? CLOSED_CHECK_MS : next - now)));
  }
}
