// What a screen does beside its slides, shared by the player and the hall board's notice area:
// - on-hours: the state carries them as instants (kiosk/screens/state.py, the one rule is
//   kiosk/screens/hours.py), so a screen goes dark and comes back by itself, offline too;
// - the launcher (display/launcher/agent.py) on 127.0.0.1, which alone touches the machine: display
//   power, a screenshot of what the browser shows, restarting the browser or the machine. It puts
//   its port and secret in the page's address (#launcher=PORT:SECRET) when it starts the browser;
//   they are kept in localStorage. Without it the screen only goes black;
// - remote commands from the screens page (`command` on the screen's socket), acknowledged and
//   answered on that socket;
// - what the screen reports of itself in its heartbeat: the version of the code it loaded, browser,
//   size, free storage, its last error.

const LAUNCHER_KEY = "kiosk.launcher";
const ERROR_EVERY_MS = 60000;      // at most one error report a minute: a looping error must not flood
const LAUNCHER_TIMEOUT_MS = 20000;

// ---------------------------------------------------------------- on-hours

// On at `at`? No on-hours means always; past the state's horizon (two days offline) the player
// stays on rather than guess.
export function isOnAt(state, at) {
  if (!state || state.on_hours == null || at >= state.horizon) return true;
  return state.on_hours.some(([from, until]) => from <= at && at < until);
}

// The next instant at which on/off may change (null: never, as far as the state knows).
export function nextPowerChange(state, at) {
  if (!state || state.on_hours == null || at >= state.horizon) return null;
  let next = state.horizon;
  for (const [from, until] of state.on_hours) {
    if (from > at) next = Math.min(next, from);
    if (until > at) next = Math.min(next, until);
  }
  return next;
}

// ---------------------------------------------------------------- the launcher

export class Launcher {
  constructor() {
    const hash = new URLSearchParams(location.hash.slice(1));
    if (hash.get("launcher")) {
      localStorage.setItem(LAUNCHER_KEY, hash.get("launcher"));
      history.replaceState(null, "", location.pathname + location.search);
    }
    const [port, secret] = (localStorage.getItem(LAUNCHER_KEY) || "").split(":");
    this.base = /^\d+$/.test(port || "") && secret ? `http://127.0.0.1:${port}` : null;
    this.secret = secret;
    this.power = null;   // what the display was last switched to
  }

  get present() { return this.base !== null; }

  async call(path, body = {}) {
    if (!this.base) throw new Error("no launcher on this screen");
    const response = await fetch(this.base + path, {
      method: "POST", body: JSON.stringify(body),
      headers: {"Content-Type": "application/json", "X-Kiosk-Agent": this.secret},
      signal: AbortSignal.timeout(LAUNCHER_TIMEOUT_MS)});
    if (!response.ok) throw new Error((await response.text()) || `launcher: HTTP ${response.status}`);
    return response;
  }

  async setPower(on) {
    if (!this.base || this.power === on) return;
    this.power = on;
    try { await this.call("/power", {on}); } catch (error) { this.power = null; console.warn("display power", error); }
  }
}

// ---------------------------------------------------------------- overlays

function overlay(id, style) {
  let node = document.getElementById(id);
  if (!node) {
    node = document.createElement("div");
    node.id = id;
    node.hidden = true;
    Object.assign(node.style, {position: "fixed", inset: "0", display: "none", flexDirection: "column",
                               alignItems: "center", justifyContent: "center", textAlign: "center", ...style});
    document.body.append(node);
  }
  return node;
}

function show(node, shown) {
  node.hidden = !shown;
  node.style.display = shown ? "flex" : "none";
}

// Outside on-hours: black over everything but an urgent notice (which wakes the screen).
export class Darkness {
  constructor(launcher) {
    this.launcher = launcher;
    this.node = overlay("dark", {zIndex: "9", background: "#000", cursor: "none"});
  }

  get shown() { return !this.node.hidden; }

  sleep() { show(this.node, true); this.launcher.setPower(false); }

  wake() { show(this.node, false); this.launcher.setPower(true); }
}

// Identify: name, place, screen number and server in large type, over everything, for its seconds.
let identifyTimer = null;

export function showIdentify(command, words, done = () => {}) {
  const node = overlay("identify", {zIndex: "40", background: "#0b3d91", color: "#fff", gap: "3vmin",
                                    fontFamily: "sans-serif", padding: "4vmin"});
  const line = (text, size, weight = 700) => {
    const part = document.createElement("div");
    part.textContent = text;
    Object.assign(part.style, {fontSize: `${size}vmin`, fontWeight: String(weight), lineHeight: "1.2"});
    return part;
  };
  node.replaceChildren(line(command.name, 12), line(command.unit, 7, 400),
                       line((words.identify_code || "No. {code}").replace("{code}", command.code), 9),
                       line(command.server, 5, 400));
  node.dataset.screen = command.code;
  show(node, true);
  clearTimeout(identifyTimer);
  identifyTimer = setTimeout(() => { show(node, false); done(); }, (command.seconds || 30) * 1000);
}

// ---------------------------------------------------------------- commands

// `hooks`: words() → the state's strings; keepAwake(on) → light the display for an identify, or let on-hours decide again; token → the device token.
export class Commands {
  constructor(launcher, hooks) {
    this.launcher = launcher;
    this.hooks = hooks;
    this.seen = new Set();
  }

  attach(socket) {
    this.socket = socket;
    socket.on("command", (command) => this.run(command));
  }

  async run(command) {
    if (!command || this.seen.has(command.id)) return;
    this.seen.add(command.id);
    this.socket.emit("command_delivered", {id: command.id});
    let answer;
    try { answer = await this.act(command); } catch (error) {
      answer = {ok: false, error: String((error && error.message) || error)};
    }
    if (answer === null) return;  // answered by the screenshot upload itself
    const after = answer.after;
    delete answer.after;
    this.socket.timeout(5000).emit("command_answer", {id: command.id, ...answer}, () => { if (after) after(); });
  }

  async act(command) {
    const launcher = this.launcher;
    switch (command.kind) {
      case "reload":
        return {ok: true, after: () => location.reload()};
      case "identify":
        this.hooks.keepAwake(true);
        showIdentify(command, this.hooks.words(), () => this.hooks.keepAwake(false));
        return {ok: true};
      case "screenshot": {
        if (!launcher.present) return {ok: true, result: {launcher: false}};
        try {
          const picture = await (await launcher.call("/screenshot")).blob();
          const response = await fetch(`/display/commands/${command.id}/screenshot`, {
            method: "POST", body: picture, credentials: "same-origin",
            headers: {"Content-Type": picture.type || "image/png", "X-Screen-Token": this.hooks.token}});
          if (!response.ok) throw new Error(`upload: HTTP ${response.status}`);
          return null;
        } catch (error) {
          return {ok: false, result: {launcher: true}, error: String(error.message || error)};
        }
      }
      case "restart_browser":
      case "reboot": {
        const answer = await (await launcher.call(command.kind === "reboot" ? "/reboot" : "/restart-browser")).json();
        return {ok: true, result: {launcher: true, ...answer}};
      }
      default:
        return {ok: false, error: `unknown command ${command.kind}`};
    }
  }
}

// ---------------------------------------------------------------- what the screen reports

function browserName() {
  const brands = (navigator.userAgentData && navigator.userAgentData.brands) || [];
  const brand = brands.find((b) => !/Not.?A.?Brand/i.test(b.brand) && b.brand !== "Chromium") ||
                brands.find((b) => b.brand === "Chromium");
  const full = navigator.userAgent.match(/(Chrome|Chromium|Firefox|Edg|Safari)\/([\d.]+)/);
  if (full) return `${brand ? brand.brand : full[1]} ${full[2]}`;
  return brand ? `${brand.brand} ${brand.version}` : navigator.userAgent.slice(0, 120);
}

export class DeviceReport {
  constructor() {
    // The version the server baked into this page when it was loaded (the player, the hall board and
    // the kiosk alike): after an upgrade, a screen still running the old page reports the old one.
    this.version = document.querySelector('meta[name="kiosk-player-version"]')?.content || "";
    this.error = null;
    this.lastErrorAt = 0;
    this.storage = null;
    addEventListener("error", (event) => this.note(event.message || String(event.error)));
    addEventListener("unhandledrejection", (event) => {
      const reason = event.reason;
      this.note(`unhandled rejection: ${(reason && reason.message) || reason}`);
    });
    this.measure();
  }

  note(message) {
    const now = Date.now();
    if (now - this.lastErrorAt < ERROR_EVERY_MS) return;
    this.lastErrorAt = now;
    this.error = {message: String(message).slice(0, 500), at: now};
  }

  async measure() {
    try {
      const {quota, usage} = await navigator.storage.estimate();
      this.storage = Math.max(0, Math.round(quota - usage));
    } catch { /* not offered: left unknown */ }
  }

  // What goes with each heartbeat (and the hello); `sent()` once the server has it.
  info() {
    this.measure();
    const info = {version: this.version, width: screen.width, height: screen.height,
                  pixel_ratio: window.devicePixelRatio, browser: browserName()};
    if (this.storage !== null) info.storage_free = this.storage;
    if (this.error) info.error = this.error;
    return info;
  }

  sent(info) { if (info.error && this.error === info.error) this.error = null; }
}
