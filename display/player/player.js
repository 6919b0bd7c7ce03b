// The noticeboard player. Runs for weeks unattended, on links that drop.
//
// - State (rotations with absolute time windows, slides, urgent notices, words) comes from the
//   server over Socket.IO and is kept in localStorage; the service worker keeps this page, its
//   files and the pictures, so the player keeps cycling through outages and reloads.
// - Exactly two slide layers that swap (cross-fade); one slide timer, one clock timer, one
//   heartbeat timer, socket listeners attached once: nothing grows with each slide.
// - Every slide shown is reported (proof of display), queued in localStorage until the server
//   acknowledges it.

const STATE_KEY = "kiosk.state";
const REPORTS_KEY = "kiosk.reports";
const TOKEN_KEY = "kiosk.token";
const MEDIA_CACHE = "kiosk-media-v1";
const MAX_QUEUED_REPORTS = 20000;
const REPORT_BATCH = 500;
const HEARTBEAT_MS = 20000;
const OFFLINE_SIGN_DELAY_MS = 3000;
const FADE_MS = 600;

const app = document.getElementById("app");
const shellStrings = JSON.parse(app.dataset.strings);
const stage = document.getElementById("stage");
const layers = [...stage.querySelectorAll(".layer")];
const urgentBox = document.getElementById("urgent");
const blockedBox = document.getElementById("blocked");
const offlineSign = document.getElementById("offline");
const clockParts = {place: document.getElementById("place"), date: document.getElementById("date"),
                    time: document.getElementById("time")};

let state = loadJSON(STATE_KEY, null);
let reports = loadJSON(REPORTS_KEY, []);
let visible = 0;              // index of the layer on screen
let slideTimer = null;
let offlineTimer = null;
let rotationId = null;
let position = -1;            // index in the current rotation's slides
let page = 0, pages = 1;      // paging inside a long notice
let current = null;           // {entry, start, offline} of what is on screen now
let blocked = false;
let socket = null;
let sending = false;
let formats = null;

// ---------------------------------------------------------------- storage

function loadJSON(key, fallback) {
  try { return JSON.parse(localStorage.getItem(key)) ?? fallback; } catch { return fallback; }
}

function saveJSON(key, value) {
  try { localStorage.setItem(key, JSON.stringify(value)); } catch { /* full: keep running from memory */ }
}

function token() {
  const fromUrl = new URLSearchParams(location.search).get("token");
  if (fromUrl) {
    localStorage.setItem(TOKEN_KEY, fromUrl);
    history.replaceState(null, "", location.pathname);
  }
  return localStorage.getItem(TOKEN_KEY) || "";
}

const deviceToken = token();

// ---------------------------------------------------------------- text helpers

function words() { return (state && state.strings) || {}; }

function fill(template, values) {
  return (template || "").replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function localDay(ms) {
  // yyyy-mm-dd of an instant in the township's time zone
  return new Intl.DateTimeFormat("en-CA", {timeZone: state.timezone}).format(new Date(ms));
}

function daysLeft(untilMs, now) {
  const a = Date.parse(localDay(now)), b = Date.parse(localDay(untilMs - 1));
  return Math.round((b - a) / 86400000);
}

// ---------------------------------------------------------------- choosing what plays

function inWindows(windows, at) {
  return windows == null || windows.some(([from, until]) => from <= at && at < until);
}

function playable(entry, at) {
  return inWindows(entry.windows, at) && (entry.until == null || at < entry.until);
}

// The same rule as kiosk/screens/state.py choose_rotation: the highest priority rotation in its
// time with something to show. Past the state's horizon (two days offline) the windows run out,
// so the player then ignores them rather than go blank.
function chooseRotation(at) {
  if (!state) return null;
  const beyond = at >= state.horizon;
  for (const rotation of state.rotations) {
    const check = beyond ? (e) => e.until == null || at < e.until : (e) => playable(e, at);
    if ((beyond || inWindows(rotation.windows, at)) && rotation.slides.some(check)) return {rotation, check};
  }
  return null;
}

function activeUrgent(at) {
  if (!state) return null;
  return state.urgent.find((u) => u.starts <= at + 60000 && (u.until == null || at < u.until)) || null;
}

function clockEntry() {
  return {key: "clock", kind: "clock", duration: 30, welcome: ""};
}

function nextEntry(at) {
  const choice = chooseRotation(at);
  if (!choice) { rotationId = null; return clockEntry(); }
  const {rotation, check} = choice;
  if (rotation.id !== rotationId) { rotationId = rotation.id; position = -1; }
  const count = rotation.slides.length;
  for (let step = 1; step <= count; step++) {
    const index = (position + step) % count;
    if (check(rotation.slides[index])) { position = index; return rotation.slides[index]; }
  }
  return clockEntry();
}

// ---------------------------------------------------------------- rendering

function renderNotice(entry, now) {
  const box = el("article", "slide notice");
  const band = el("div", "band");
  band.style.background = entry.category.colour || "#b3261e";
  band.append(el("span", "category", entry.category.name));
  if (entry.correction) band.append(el("span", "correction", fill(words().correction, {date: entry.correction})));
  box.append(band);
  box.append(el("h1", "title", entry.title));
  const body = el("div", "body");
  const columns = el("div", "columns");
  columns.innerHTML = entry.body_html; // sanitised by the disclosures feature (nh3) before it reaches us
  body.append(columns);
  const main = el("div", "notice-main");
  const foot = el("footer", "notice-foot");
  const facts = el("div", "facts");
  if (entry.period_until) {
    const left = daysLeft(entry.period_until, now);
    facts.append(el("p", "days-left", left <= 0 ? words().last_day : fill(words().days_left, {n: left})));
  }
  if (entry.publisher) facts.append(el("p", "publisher", entry.publisher));
  if (entry.index_no) facts.append(el("p", "index-no", `${words().index_no} ${entry.index_no}`));
  facts.append(el("p", "pager"));
  foot.append(facts);
  if (entry.qr) {
    const qr = el("figure", "qr");
    const image = el("img");
    image.src = entry.qr;
    image.alt = "";
    qr.append(image, el("figcaption", null, words().scan));
    foot.append(qr);
  }
  main.append(body, foot);
  box.append(main);
  return box;
}

function renderImage(entry) {
  const box = el("figure", "slide picture");
  const image = el("img");
  image.src = entry.image;
  image.alt = entry.caption || "";
  box.append(image);
  if (entry.caption) box.append(el("figcaption", null, entry.caption));
  return box;
}

function renderQr(entry) {
  const box = el("article", "slide qrcard");
  const image = el("img");
  image.src = entry.qr;
  image.alt = "";
  box.append(el("h1", "caption", entry.caption), image, el("p", "link", entry.link));
  return box;
}

function renderQueue(entry) {
  const box = el("article", "slide queue");
  box.append(el("h1", "title", words().queue_title));
  const list = el("ul", "services");
  const services = (entry.queue && entry.queue.services) || [];
  for (const service of services) {
    const row = el("li", service.open === false ? "closed" : "");
    row.append(el("span", "prefix", service.prefix), el("span", "name", service.name),
               el("span", "waiting", service.open === false ? words().closed : fill(words().waiting, {n: service.waiting})));
    list.append(row);
  }
  box.append(list);
  return box;
}

function renderClock(entry) {
  const box = el("article", "slide clockface");
  box.append(el("p", "big-time", ""), el("p", "big-date", ""),
             el("h1", "welcome", entry.welcome || words().welcome || ""),
             el("p", "unit", state ? state.screen.unit : ""));
  return box;
}

function render(entry, now) {
  switch (entry.kind) {
    case "notice": return renderNotice(entry, now);
    case "image": return renderImage(entry);
    case "qr": return renderQr(entry);
    case "queue": return renderQueue(entry);
    default: return renderClock(entry);
  }
}

// Pictures must be decoded before the fade, or the slide would flash empty.
function picturesReady(node) {
  const images = [...node.querySelectorAll("img")];
  return Promise.all(images.map((image) => image.decode().catch(() => image.classList.add("missing"))));
}

function measurePages(node) {
  const body = node.querySelector(".notice .body");
  if (!body) return 1;
  const columns = body.firstElementChild;
  const step = body.clientWidth + parseFloat(getComputedStyle(columns).columnGap || "0");
  return Math.max(1, Math.round((columns.scrollWidth + parseFloat(getComputedStyle(columns).columnGap || "0")) / step));
}

function showPage(node) {
  const body = node.querySelector(".notice .body");
  if (!body) return;
  const columns = body.firstElementChild;
  const gap = parseFloat(getComputedStyle(columns).columnGap || "0");
  columns.style.transform = `translateX(${-page * (body.clientWidth + gap)}px)`;
  const pager = node.querySelector(".pager");
  pager.textContent = pages > 1 ? fill(words().page, {n: page + 1, total: pages}) : "";
}

// The queue moves faster than the state is pushed: fetch it fresh when its slide comes up.
async function refreshQueue(entry) {
  try {
    const response = await fetch(entry.queue_url, {credentials: "same-origin", signal: AbortSignal.timeout(2000)});
    if (response.ok) entry.queue = await response.json();
  } catch { /* offline: the last known counts */ }
}

async function swapTo(entry) {
  if (entry.kind === "queue" && online()) await refreshQueue(entry);
  const now = Date.now();
  const incoming = layers[1 - visible], outgoing = layers[visible];
  const node = render(entry, now);
  incoming.replaceChildren(node);
  await picturesReady(node);
  page = 0;
  pages = measurePages(node);
  showPage(node);
  incoming.classList.add("shown");
  outgoing.classList.remove("shown");
  visible = 1 - visible;
  updateClock();
  // Empty the old layer once it has faded, so only one slide's nodes exist.
  setTimeout(() => { if (!outgoing.classList.contains("shown")) outgoing.replaceChildren(); }, FADE_MS + 50);
}

// ---------------------------------------------------------------- the cycle

function finishCurrent(now) {
  if (!current) return;
  const {entry, start, offline} = current;
  current = null;
  if (now - start < 1000 || entry.key === "clock") return;
  reports.push({key: entry.key, kind: entry.kind, notice_id: entry.notice_id ?? null,
                urgent_id: entry.urgent_id ?? null, start, end: now, offline});
  if (reports.length > MAX_QUEUED_REPORTS) reports.splice(0, reports.length - MAX_QUEUED_REPORTS);
  saveJSON(REPORTS_KEY, reports);
}

function schedule(ms) {
  clearTimeout(slideTimer);
  slideTimer = setTimeout(advance, ms);
}

async function advance(restart = false) {
  clearTimeout(slideTimer);
  if (blocked) return;
  const now = Date.now();
  const urgent = activeUrgent(now);
  if (urgent) { showUrgent(urgent, now); schedule(1000); return; }
  hideUrgent(now);
  if (!restart && current && current.entry.kind === "notice" && page + 1 < pages && playable(current.entry, now)) {
    page += 1;
    showPage(layers[visible]);
    schedule(current.entry.duration * 1000);
    return;
  }
  finishCurrent(now);
  const entry = nextEntry(now);
  current = {entry, start: now, offline: !online()};
  try { await swapTo(entry); } catch (error) { console.error("slide failed", error); }
  // A clock page waits only until something else may play (e.g. the first notice arrives).
  schedule(entry.kind === "clock" && state && state.rotations.length ? 10000 : entry.duration * 1000);
}

function showUrgent(urgent, now) {
  if (urgentBox.dataset.id === String(urgent.id) && !urgentBox.hidden) return;
  finishCurrent(now);
  current = {entry: {key: `u${urgent.id}`, kind: "urgent", urgent_id: urgent.id}, start: now, offline: !online()};
  const box = el("div", "urgent-inner");
  box.append(el("p", "urgent-label", words().urgent), el("h1", "urgent-title", urgent.title),
             el("div", "urgent-body", urgent.body), el("p", "urgent-from", urgent.publisher));
  urgentBox.replaceChildren(box);
  urgentBox.dataset.id = String(urgent.id);
  urgentBox.hidden = false;
  if (socket && socket.connected) socket.emit("urgent_shown", {id: urgent.id});
}

function hideUrgent(now) {
  if (urgentBox.hidden) return;
  finishCurrent(now);
  urgentBox.hidden = true;
  urgentBox.replaceChildren();
  delete urgentBox.dataset.id;
}

// ---------------------------------------------------------------- clock and offline sign

function updateClock() {
  if (!state) return;
  if (!formats || formats.zone !== state.timezone || formats.locale !== state.locale) {
    formats = {zone: state.timezone, locale: state.locale,
      date: new Intl.DateTimeFormat(state.locale, {timeZone: state.timezone, month: "long", day: "numeric", weekday: "long"}),
      time: new Intl.DateTimeFormat(state.locale, {timeZone: state.timezone, hour: "2-digit", minute: "2-digit", hourCycle: "h23"}),
      long: new Intl.DateTimeFormat(state.locale, {timeZone: state.timezone, year: "numeric", month: "long", day: "numeric", weekday: "long"})};
  }
  const now = new Date();
  setText(clockParts.place, [state.screen.township, state.screen.unit].filter(Boolean).join(" · "));
  setText(clockParts.date, formats.date.format(now));
  setText(clockParts.time, formats.time.format(now));
  const bigTime = layers[visible].querySelector(".big-time");
  if (bigTime) {
    setText(bigTime, formats.time.format(now));
    setText(layers[visible].querySelector(".big-date"), formats.long.format(now));
  }
}

function setText(node, text) { if (node.textContent !== text) node.textContent = text; }

function online() { return Boolean(socket && socket.connected); }

// The sign appears once the link has been down for a few seconds (not on every short blip).
function linkChanged() {
  if (online()) {
    clearTimeout(offlineTimer);
    offlineTimer = null;
    offlineSign.hidden = true;
    return;
  }
  if (offlineTimer !== null || !offlineSign.hidden) return;
  offlineTimer = setTimeout(() => {
    offlineTimer = null;
    setText(offlineSign, words().offline || "");
    offlineSign.hidden = online();
  }, OFFLINE_SIGN_DELAY_MS);
}

// ---------------------------------------------------------------- state, media, reports

function applyState(next) {
  if (!next || next.registered === false) { block(); return; }
  const changed = !state || state.digest !== next.digest;
  state = next;
  saveJSON(STATE_KEY, state);
  if (!changed) return;
  warmMedia();
  document.documentElement.lang = state.locale;
  if (mustSwitch(Date.now())) {
    position -= 1;  // show the edited slide's new version (or whatever took its place) now
    advance(true);
  }
}

// After new state: switch now if the urgent layer or the rotation changes, or if what is on
// screen was edited or removed; otherwise the next slide simply comes from the new state.
function mustSwitch(now) {
  if (!current || current.entry.kind === "clock") return true;
  if (Boolean(activeUrgent(now)) !== !urgentBox.hidden) return true;
  const choice = chooseRotation(now);
  if ((choice ? choice.rotation.id : null) !== rotationId) return true;
  const same = choice.rotation.slides.find((s) => s.key === current.entry.key);
  return !same || JSON.stringify(same) !== JSON.stringify(current.entry) || !choice.check(same);
}

// Keep every picture of the current state in the cache (the service worker answers from it
// offline) and drop the ones no longer used, so storage stays flat.
async function warmMedia() {
  if (!("caches" in window)) return;
  const wanted = new Set();
  for (const rotation of state.rotations) {
    for (const slide of rotation.slides) {
      for (const url of [slide.image, slide.qr]) if (url) wanted.add(new URL(url, location.href).href);
    }
  }
  try {
    const cache = await caches.open(MEDIA_CACHE);
    const have = new Set((await cache.keys()).map((request) => request.url));
    for (const url of have) if (!wanted.has(url)) await cache.delete(url);
    for (const url of wanted) if (!have.has(url)) await cache.add(new Request(url, {credentials: "same-origin"})).catch(() => {});
  } catch (error) { console.warn("media cache", error); }
}

async function sendReports() {
  if (sending || !reports.length || !online()) return;
  sending = true;
  try {
    while (reports.length) {
      const batch = reports.slice(0, REPORT_BATCH);
      const response = await fetch("/display/reports", {method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-Screen-Token": deviceToken},
        body: JSON.stringify({reports: batch})});
      if (response.status === 401) { block(); break; }
      if (response.status === 400) console.warn("reports refused", await response.text());
      else if (!response.ok) break;
      reports.splice(0, batch.length);
      saveJSON(REPORTS_KEY, reports);
    }
  } catch { /* offline again: they stay queued */ }
  sending = false;
}

function block() {
  blocked = true;
  clearTimeout(slideTimer);
  state = null;
  localStorage.removeItem(STATE_KEY);
  blockedBox.replaceChildren(el("h1", null, shellStrings.not_registered), el("p", null, shellStrings.not_registered_hint));
  blockedBox.hidden = false;
  urgentBox.hidden = true;
  if (socket) socket.disconnect();
  // After a while, offer a pairing code so a manager can register this browser again.
  setTimeout(() => location.assign("/display/"), 60000);
}

// ---------------------------------------------------------------- the link

function heartbeat() {
  if (!online()) return;
  const entry = current && current.entry;
  socket.timeout(10000).emit("heartbeat", {
    version: state ? state.version : "", width: screen.width, height: screen.height,
    showing: entry ? {key: entry.key, kind: entry.kind, title: entry.title || entry.caption || "",
                      urgent: entry.urgent_id ?? ""} : null,
  }, (error, reply) => {
    if (error) { socket.disconnect().connect(); return; } // a half-open link: start again
    if (reply && reply.registered === false) block();
  });
  sendReports();
}

function askForState() {
  socket.timeout(15000).emit("state", null, (error, next) => { if (!error) applyState(next); });
}

function connect() {
  socket = io("/screens", {
    auth: (send) => send({token: deviceToken, version: state ? state.version : "", width: screen.width,
                          height: screen.height}),
    reconnectionDelay: 1000, reconnectionDelayMax: 2000, randomizationFactor: 0.3,
  });
  socket.on("connect", () => { linkChanged(); askForState(); heartbeat(); });
  socket.on("disconnect", linkChanged);
  socket.on("connect_error", (error) => {
    linkChanged();
    if (error && error.message === "not_registered") block();
  });
  socket.on("changed", (message) => {
    if (message && message.urgent && state) {  // show it at once; the full state follows
      state.urgent = [message.urgent, ...state.urgent.filter((u) => u.id !== message.urgent.id)];
      advance();
    }
    if (message && message.cleared && state) {
      state.urgent = state.urgent.filter((u) => u.id !== message.cleared);
      advance();
    }
    askForState();
  });
  socket.on("revoked", block);
  // Notice changes are published on the default namespace (same connection, multiplexed).
  const notices = io("/", {reconnectionDelay: 1000, reconnectionDelayMax: 2000, randomizationFactor: 0.3});
  notices.on("connect", () => notices.emit("screens.follow", {token: deviceToken}));
  notices.on("notice.changed", askForState);
}

async function start() {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/display/sw.js", {scope: "/display/"}).catch((error) => console.warn("no service worker", error));
  }
  setInterval(updateClock, 1000);
  setInterval(heartbeat, HEARTBEAT_MS);
  if (state) { updateClock(); advance(); }
  else layers[visible].replaceChildren(el("p", "starting", shellStrings.starting));
  connect();
  linkChanged();
}

start();
