// The noticeboard player. Runs for weeks unattended, on links that drop.
//
// - State (rotations with absolute time windows, slides, urgent notices, words) comes from the
//   server over Socket.IO and is kept in localStorage; the service worker keeps this page, its
//   files and the pictures, so the player keeps cycling through outages and reloads.
// - Exactly two slide layers that swap (cross-fade); one slide timer, one clock timer, one
//   heartbeat timer, socket listeners attached once: nothing grows with each slide.
// - Every slide shown is reported (proof of display), queued in localStorage until the server
//   acknowledges it.
// - Outside its on-hours the screen goes dark (and the launcher switches the display off) unless
//   an urgent notice is on; remote commands and what it reports of itself: fleet.js.

import {activePublicDay, activeUrgent as urgentAt, chooseRotation as chooseFrom, Cycle, el, fill, measurePages, picturesReady, playable,
        playVideo, renderSlide, renderUrgent, showPage, VIDEO_GIVE_UP_MS} from "./slides.js";
import {deviceToken as deviceTokenFromPage, loadJSON, reconnectWhenOnline, Reports, saveJSON} from "./device.js";
import {Commands, Darkness, DeviceReport, isOnAt, Launcher, nextPowerChange} from "./fleet.js";
import {Ticker} from "./ticker.js";

const STATE_KEY = "kiosk.state";
const MEDIA_CACHE = "kiosk-media-v1";
const HEARTBEAT_MS = 20000;
const OFFLINE_SIGN_DELAY_MS = 3000;
const FADE_MS = 600;
const DARK_CHECK_MS = 60000;    // a dark screen looks again at least this often (an urgent notice about to start)
const VIDEO_CACHE_REPORT_KEY = "kiosk.videoCache";

const app = document.getElementById("app");
const shellStrings = JSON.parse(app.dataset.strings);
const stage = document.getElementById("stage");
const layers = [...stage.querySelectorAll(".layer")];
const urgentBox = document.getElementById("urgent");
const blockedBox = document.getElementById("blocked");
const offlineSign = document.getElementById("offline");
const ticker = new Ticker(document.getElementById("ticker"),
                          (lines) => document.documentElement.classList.toggle("with-ticker", lines.length > 0));
const publicDayBanner = document.getElementById("public-day");
const clockParts = {place: document.getElementById("place"), date: document.getElementById("date"),
                    time: document.getElementById("time")};

const launcher = new Launcher();   // first: it takes its part of the address before the token's clean-up
const deviceToken = deviceTokenFromPage();
const darkness = new Darkness(launcher);
const device = new DeviceReport();
let awake = false;            // an identify lights a dark screen for its 30 s
const commands = new Commands(launcher, {words: () => words(), token: deviceToken,
  keepAwake: (on) => { awake = on; if (on) darkness.wake(); else advance(); }});
let state = loadJSON(STATE_KEY, null);
const reports = new Reports(deviceToken, block);
let visible = 0;              // index of the layer on screen
let slideTimer = null;
let offlineTimer = null;
const cycle = new Cycle();
let page = 0, pages = 1;      // paging inside a long notice
let current = null;           // {entry, start, offline} of what is on screen now
let blocked = false;
let socket = null;
let formats = null;

// ---------------------------------------------------------------- text helpers

function words() { return (state && state.strings) || {}; }

// ---------------------------------------------------------------- choosing what plays

function chooseRotation(at) { return chooseFrom(state, at); }

function activeUrgent(at) { return urgentAt(state, at); }

function clockEntry() {
  return {key: "clock", kind: "clock", duration: 30, welcome: ""};
}

function nextEntry(at) {
  return cycle.next(chooseRotation(at)) || clockEntry();
}

// ---------------------------------------------------------------- rendering

function showCurrentPage(node) { showPage(node, page, pages, words()); }

// The queue moves faster than the state is pushed: fetch it fresh when its slide comes up.
async function refreshQueue(entry) {
  try {
    const response = await fetch(entry.queue_url, {credentials: "same-origin", signal: AbortSignal.timeout(2000)});
    if (response.ok) entry.queue = await response.json();
  } catch { /* offline: the last known counts */ }
}

// Swaps can overlap (a push or an urgent notice's end arrives while a slide's pictures load): each
// has a number, and only the latest may show its slide or empty the layer it leaves.
let swaps = 0;

async function swapTo(entry) {
  const mine = ++swaps;
  if (entry.kind === "queue" && online()) await refreshQueue(entry);
  if (mine !== swaps) return;
  const now = Date.now();
  const incoming = layers[1 - visible], outgoing = layers[visible];
  const node = renderSlide(entry, now, state);
  incoming.replaceChildren(node);
  await picturesReady(node);
  if (mine !== swaps) return;
  page = 0;
  pages = measurePages(node);
  showCurrentPage(node);
  incoming.classList.add("shown");
  outgoing.classList.remove("shown");
  outgoing.querySelector("video")?.pause();   // its sound must not run on under the next slide
  visible = 1 - visible;
  updateClock();
  // Empty the old layer once it has faded, so only one slide's nodes exist; a later swap may be
  // drawing into it by then.
  setTimeout(() => { if (mine === swaps) outgoing.replaceChildren(); }, FADE_MS + 50);
}

// ---------------------------------------------------------------- the cycle

function finishCurrent(now) {
  if (!current) return;
  const {entry, start, offline} = current;
  current = null;
  reports.shown(entry, start, now, offline);
}

// The next change: after the slide's time, or sooner when the notice on screen ends or the
// on-hours end.
function schedule(ms) {
  clearTimeout(slideTimer);
  const now = Date.now();
  const until = current && current.entry.until;
  const power = nextPowerChange(state, now);
  const limits = [ms, until ? until - now : ms, power !== null && !awake ? power - now : ms];
  slideTimer = setTimeout(advance, Math.max(0, Math.min(...limits)));
}

async function advance(restart = false) {
  clearTimeout(slideTimer);
  if (blocked) return;
  const now = Date.now();
  const urgent = activeUrgent(now);
  if (urgent) { darkness.wake(); showUrgent(urgent, now); schedule(1000); return; }
  hideUrgent(now);
  if (!isOnAt(state, now) && !awake) { sleep(now); return; }
  if (darkness.shown) darkness.wake();
  if (!restart && current && current.entry.kind === "notice" && page + 1 < pages && playable(current.entry, now)) {
    page += 1;
    showCurrentPage(layers[visible]);
    schedule(current.entry.duration * 1000);
    return;
  }
  finishCurrent(now);
  const entry = nextEntry(now);
  current = {entry, start: now, offline: !online()};
  try { await swapTo(entry); } catch (error) { console.error("slide failed", error); }
  if (current?.entry !== entry) return;  // meanwhile a later advance, an urgent notice or the night took over
  if (entry.kind === "video") { startVideo(entry); return; }
  // The stand-in clock page (nothing else to play) looks again every 10 s.
  schedule(entry.key === "clock" && state && state.rotations.length ? 10000 : entry.duration * 1000);
}

// Outside on-hours: nothing shown (so nothing reported), dark until the next change or a minute.
function sleep(now) {
  finishCurrent(now);
  darkness.sleep();
  const next = nextPowerChange(state, now);
  slideTimer = setTimeout(advance, Math.max(1000, Math.min(DARK_CHECK_MS, next === null ? DARK_CHECK_MS : next - now)));
}

function startVideo(entry) {
  const video = layers[visible].querySelector("video");
  if (!video) { schedule(VIDEO_GIVE_UP_MS); return; }
  schedule(playVideo(video, entry, {
    ours: () => current && current.entry === entry,
    played: (now) => {
      reports.shown(entry, current.start, now, current.offline);
      current.start = now;
      current.offline = !online();
    },
    done: advance,
    giveUp: schedule,
  }));
}

function showUrgent(urgent, now) {
  if (urgentBox.dataset.id === String(urgent.id) && !urgentBox.hidden) return;
  finishCurrent(now);
  layers[visible].querySelector("video")?.pause();   // nor under an urgent notice
  current = {entry: {key: `u${urgent.id}`, kind: "urgent", urgent_id: urgent.id}, start: now, offline: !online()};
  urgentBox.replaceChildren(renderUrgent(urgent, words()));
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
  showPublicDay(now.getTime());
  setText(clockParts.place, [state.screen.township, state.screen.unit].filter(Boolean).join(" · "));
  setText(clockParts.date, formats.date.format(now));
  setText(clockParts.time, formats.time.format(now));
  const bigTime = layers[visible].querySelector(".big-time");
  if (bigTime) {
    setText(bigTime, formats.time.format(now));
    setText(layers[visible].querySelector(".big-date"), formats.long.format(now));
  }
}

// On a public day its banner stays above the slides all day (the state carries the day's instants).
function showPublicDay(at) {
  const day = activePublicDay(state, at);
  setText(publicDayBanner, day ? fill(words().public_day, {name: day.name}) : "");
  publicDayBanner.hidden = !day;
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
  ticker.update(state);
  warmMedia();
  document.documentElement.lang = state.locale;
  if (mustSwitch(Date.now())) {
    cycle.position -= 1;  // show the edited slide's new version (or whatever took its place) now
    advance(true);
  }
}

// After new state: switch now if the urgent layer or the rotation changes, or if what is on
// screen was edited or removed; otherwise the next slide simply comes from the new state.
function mustSwitch(now) {
  if (!current || current.entry.kind === "clock") return true;
  if (isOnAt(state, now) === darkness.shown) return true;
  if (Boolean(activeUrgent(now)) !== !urgentBox.hidden) return true;
  const choice = chooseRotation(now);
  if ((choice ? choice.rotation.id : null) !== cycle.rotationId) return true;
  const same = choice.rotation.slides.find((s) => s.key === current.entry.key);
  return !same || JSON.stringify(same) !== JSON.stringify(current.entry) || !choice.check(same);
}

// Keep every picture of the current state in the cache (the service worker answers from it
// offline) and drop the ones no longer used, so storage stays flat. Videos too, in the order the
// rotations play them, as many as the screen's budget holds (state.video_budget); the server is
// told which are kept and which did not fit (the staff's Videos page lists them). One pass at a
// time; a download that failed (a dropped link) is tried again at the next heartbeat.
let warming = Promise.resolve();
let mediaIncomplete = false;

function warmMedia() {
  warming = warming.then(keepMedia);
}

async function keepMedia() {
  if (!state || !("caches" in window)) return;
  const wanted = new Set();
  const videos = new Map();    // url → slide, first occurrence first
  const absolute = (url) => new URL(url, location.href).href;
  for (const rotation of state.rotations) {
    for (const slide of rotation.slides) {
      for (const url of [slide.image, slide.qr, slide.poster]) if (url) wanted.add(absolute(url));
      if (slide.video && !videos.has(absolute(slide.video))) videos.set(absolute(slide.video), slide);
    }
  }
  const budget = state.video_budget || 0;
  let used = 0;
  const missing = [];
  for (const [url, slide] of videos) {
    if (used + slide.bytes <= budget) { used += slide.bytes; wanted.add(url); } else missing.push(slide.video_id);
  }
  try {
    const cache = await caches.open(MEDIA_CACHE);
    const have = new Set((await cache.keys()).map((request) => request.url));
    for (const url of have) if (!wanted.has(url)) await cache.delete(url);
    for (const url of wanted) {
      if (have.has(url)) continue;
      // A video past the HTTP cache: a partial copy there (from the <video>'s Range requests) can
      // turn this download into a 206, which the Cache API refuses; and it is not kept twice.
      const request = new Request(url, {credentials: "same-origin", cache: videos.has(url) ? "no-store" : "default"});
      await cache.add(request).catch((error) => console.warn("media cache", url, error));
    }
    const kept = new Set((await cache.keys()).map((request) => request.url));
    mediaIncomplete = [...wanted].some((url) => !kept.has(url));
    const keptVideos = [...videos].filter(([url]) => kept.has(url)).map(([, slide]) => slide);
    videoCache = {budget, used: keptVideos.reduce((sum, slide) => sum + slide.bytes, 0),
                  kept: keptVideos.map((slide) => slide.video_id),
                  missing: [...missing, ...[...videos].filter(([url]) => wanted.has(url) && !kept.has(url))
                                                     .map(([, slide]) => slide.video_id)]};
    sendVideoCache();
  } catch (error) { console.warn("media cache", error); }
}

// What the screen keeps of its videos, sent when it changed (again at a heartbeat if it failed).
let videoCache = null;

async function sendVideoCache() {
  if (!videoCache || !online()) return;
  const body = JSON.stringify(videoCache);
  if (localStorage.getItem(VIDEO_CACHE_REPORT_KEY) === body) return;
  try {
    const response = await fetch("/display/videos/cache", {method: "POST", credentials: "same-origin", body,
      headers: {"Content-Type": "application/json", "X-Screen-Token": deviceToken}});
    if (response.ok) localStorage.setItem(VIDEO_CACHE_REPORT_KEY, body);
  } catch { /* offline: at the next heartbeat */ }
}

function sendReports() {
  if (online()) reports.send();
}

function block() {
  blocked = true;
  clearTimeout(slideTimer);
  state = null;
  ticker.update(null);
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
  const info = device.info();
  socket.timeout(10000).emit("heartbeat", {
    ...info,
    showing: entry ? {key: entry.key, kind: entry.kind, title: entry.title || entry.caption || "",
                      urgent: entry.urgent_id ?? ""} : darkness.shown ? {key: "dark", kind: "dark"} : null,
  }, (error, reply) => {
    if (error) { socket.disconnect().connect(); return; } // a half-open link: start again
    if (reply && reply.registered === false) block();
    else device.sent(info);
  });
  sendReports();
  if (mediaIncomplete) warmMedia();
  sendVideoCache();
}

// A change reaches the screen as its new state, pushed to every screen sharing it (`state`).
// `changed` alone means the push could not be made: ask a few seconds later (spread out, so a
// failed push does not make every screen ask at once), unless the push comes meanwhile.
let pullTimer = null;

function expectState() {
  clearTimeout(pullTimer);
  pullTimer = setTimeout(askForState, 2000 + Math.random() * 3000);
}

function applyShared(shared) {
  if (!state || !shared || !shared.shared) return;
  const {shared: sharedDigest, ...rest} = shared;
  // Only a push that brings something new settles an announcement (a late push of an older
  // change must not cancel the check that the newest one arrived).
  if (sharedDigest === state.digest.slice(0, 16)) return;
  clearTimeout(pullTimer);
  applyState({...rest, screen: state.screen, digest: sharedDigest + state.digest.slice(16)});
}

// The digest of what we hold goes along: a screen that is already current gets a few bytes back.
function askForState() {
  clearTimeout(pullTimer);
  socket.timeout(15000).emit("state", {digest: state ? state.digest : null}, (error, next) => {
    if (!error && !(next && next.unchanged)) applyState(next);
  });
}

function connect() {
  socket = io("/screens", {
    auth: (send) => send({token: deviceToken, ...device.info()}),
    // Spread out: after a server restart a whole county's screens come back over several seconds.
    reconnectionDelay: 1000, reconnectionDelayMax: 5000, randomizationFactor: 0.5,
  });
  socket.on("connect", () => { linkChanged(); askForState(); heartbeat(); });
  socket.on("disconnect", linkChanged);
  socket.on("connect_error", (error) => {
    linkChanged();
    if (error && error.message === "not_registered") block();
  });
  socket.on("changed", (message) => {
    if (message && message.reason === "membership") {  // other groups: join their rooms afresh
      socket.disconnect().connect();
      return;
    }
    // An urgent notice and its clearing carry what the player draws: no state to fetch.
    if (message && message.urgent && state) {
      state.urgent = [message.urgent, ...state.urgent.filter((u) => u.id !== message.urgent.id)];
      saveJSON(STATE_KEY, state);
      advance();
      return;
    }
    if (message && message.cleared && state) {
      state.urgent = state.urgent.filter((u) => u.id !== message.cleared);
      saveJSON(STATE_KEY, state);
      advance();
      return;
    }
    expectState();
  });
  socket.on("state", applyShared);
  socket.on("revoked", block);
  commands.attach(socket);
  reconnectWhenOnline(socket);
}

async function start() {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/display/sw.js", {scope: "/display/"}).catch((error) => console.warn("no service worker", error));
  }
  setInterval(updateClock, 1000);
  setInterval(heartbeat, HEARTBEAT_MS);
  if (state) { updateClock(); ticker.update(state); advance(); }
  else layers[visible].replaceChildren(el("p", "starting", shellStrings.starting));
  connect();
  linkChanged();
}

start();
