// Choosing and drawing the slides of a screen's state (GET /display/state or the `state` event):
// one module shared by the noticeboard player (player.js) and the hall board's notice area
// (display/hall/notices.js), so a notice looks the same wherever it plays. Styles: slides.css.

export function fill(template, values) {
  return (template || "").replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
}

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

// The server's countdown ([from, days left, last day?], oldest first): the latest step that has
// begun. Days are never counted here; the one rule is kiosk/disclosures/periods.py days_left.
export function countdownAt(countdown, now) {
  let current = null;
  for (const step of countdown || []) if (step[0] <= now) current = step;
  return current;
}

// ---------------------------------------------------------------- choosing what plays

function inWindows(windows, at) {
  return windows == null || windows.some(([from, until]) => from <= at && at < until);
}

export function playable(entry, at) {
  return inWindows(entry.windows, at) && (entry.until == null || at < entry.until);
}

// The same rule as kiosk/screens/state.py choose_rotation: the highest priority rotation in its
// time with something to show. Past the state's horizon (two days offline) the windows run out,
// so the player then ignores them rather than go blank. `accepts` narrows the slides a caller
// can show (the hall board leaves out the queue slide it already is).
export function chooseRotation(state, at, accepts = () => true) {
  if (!state) return null;
  const beyond = at >= state.horizon;
  const fits = beyond ? (e) => e.until == null || at < e.until : (e) => playable(e, at);
  const check = (e) => accepts(e) && fits(e);
  for (const rotation of state.rotations) {
    if ((beyond || inWindows(rotation.windows, at)) && rotation.slides.some(check)) return {rotation, check};
  }
  return null;
}

// Where a screen is in its rotation: the next playable slide after the current one (from the
// start when another rotation takes over), or null when there is nothing to play.
export class Cycle {
  constructor() {
    this.rotationId = null;
    this.position = -1;  // index in the current rotation's slides
  }

  next(choice) {
    if (!choice) { this.rotationId = null; return null; }
    const {rotation, check} = choice;
    if (rotation.id !== this.rotationId) { this.rotationId = rotation.id; this.position = -1; }
    const count = rotation.slides.length;
    for (let step = 1; step <= count; step++) {
      const index = (this.position + step) % count;
      if (check(rotation.slides[index])) { this.position = index; return rotation.slides[index]; }
    }
    return null;
  }
}

// The public day (政务公开日) whose local day `at` falls in, if any (kiosk/villages/public_days.py).
export function activePublicDay(state, at) {
  if (!state) return null;
  return (state.public_days || []).find((day) => day.from <= at && at < day.until) || null;
}

export function activeUrgent(state, at) {
  if (!state) return null;
  return state.urgent.find((u) => u.starts <= at + 60000 && (u.until == null || at < u.until)) || null;
}

// ---------------------------------------------------------------- rendering

// A number with its separators and units ("50,000.00元", "2026年10月8日", "8:30") never splits across
// lines: Chromium may break between "10" and "月", or anywhere in a narrow table cell. The same
// pattern as the server's renderer (kiosk/render/breaking.py), so a picture and a screen agree.
const NUMBER = "[0-9０-９][0-9０-９*]*(?:[.,:：/\\-][0-9０-９*]+)*";
const UNIT = "[年月日号时点分秒元角万亿%％‰]";
const WHOLE_NUMBER = new RegExp(`[¥￥$+\\-]?${NUMBER}(?:${UNIT}(?:${NUMBER}${UNIT}?)*)?`, "g");

export function keepNumbersWhole(root) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const texts = [];
  while (walker.nextNode()) texts.push(walker.currentNode);
  for (const text of texts) {
    const parts = [];
    let last = 0;
    for (const match of text.data.matchAll(WHOLE_NUMBER)) {
      if (match[0].length < 2) continue;
      parts.push(text.data.slice(last, match.index), el("span", "keep", match[0]));
      last = match.index + match[0].length;
    }
    if (!parts.length) continue;
    parts.push(text.data.slice(last));
    text.replaceWith(...parts.filter((part) => part !== ""));
  }
}

function renderNotice(entry, now, state, words) {
  const box = el("article", "slide notice");
  const band = el("div", "band");
  band.style.background = entry.category.colour || "#b3261e";
  band.append(el("span", "category", entry.category.name));
  if (entry.correction) band.append(el("span", "correction", fill(words.correction, {date: entry.correction})));
  if (entry.signed_off) band.append(el("span", "signed-off", words.signed_off));
  if (entry.public_day) box.classList.add("on-public-day");   // one of the public day's set
  box.append(band);
  box.append(el("h1", "title", entry.title));
  const body = el("div", "body");
  const columns = el("div", "columns");
  columns.innerHTML = entry.body_html; // sanitised by the disclosures feature (nh3) before it reaches us
  keepNumbersWhole(columns);
  body.append(columns);
  const main = el("div", "notice-main");
  const foot = el("footer", "notice-foot");
  const facts = el("div", "facts");
  const step = countdownAt(entry.countdown, now);
  if (step && step[1] > 0) {
    const template = entry.period_unit === "working_days" ? words.working_days_left : words.days_left;
    facts.append(el("p", "days-left", step[2] ? words.last_day : fill(template, {n: step[1]})));
  }
  const comments = entry.comment_from != null && now >= entry.comment_from ? countdownAt(entry.comment_countdown, now) : null;
  if (comments && comments[1] > 0) {
    facts.append(el("p", "comment-days-left", comments[2] ? words.comment_last_day : fill(words.comment_days_left, {n: comments[1]})));
  }
  if (entry.publisher) facts.append(el("p", "publisher", entry.publisher));
  if (entry.index_no) facts.append(el("p", "index-no", `${words.index_no} ${entry.index_no}`));
  facts.append(el("p", "pager"));
  foot.append(facts);
  if (entry.qr) {
    const qr = el("figure", "qr");
    const image = el("img");
    image.src = entry.qr;
    image.alt = "";
    qr.append(image, el("figcaption", null, words.scan));
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

function renderQueue(entry, words) {
  const box = el("article", "slide queue");
  box.append(el("h1", "title", words.queue_title));
  const list = el("ul", "services");
  const services = (entry.queue && entry.queue.services) || [];
  for (const service of services) {
    const row = el("li", service.open === false ? "closed" : "");
    row.append(el("span", "prefix", service.prefix), el("span", "name", service.name),
               el("span", "waiting", service.open === false ? words.closed : fill(words.waiting, {n: service.waiting})));
    list.append(row);
  }
  box.append(list);
  return box;
}

function renderClock(entry, state, words) {
  const box = el("article", "slide clockface");
  box.append(el("p", "big-time", ""), el("p", "big-date", ""),
             el("h1", "welcome", entry.welcome || words.welcome || ""),
             el("p", "unit", state ? state.screen.unit : ""));
  return box;
}

// A video slide: muted and looping until playVideo takes it over (sound where the group allows it,
// and its plays).
function renderVideo(entry) {
  const box = el("figure", "slide video");
  const video = el("video");
  Object.assign(video, {muted: true, autoplay: true, loop: true, playsInline: true, preload: "auto"});
  video.setAttribute("muted", "");
  video.poster = entry.poster;
  video.src = entry.video;
  box.append(video);
  if (entry.caption) box.append(el("figcaption", null, entry.caption));
  return box;
}

export const VIDEO_GIVE_UP_MS = 3000;
export const VIDEO_MARGIN_MS = 15000;

// A video slide lasts its plays, for the player and the hall board alike: each play but the last
// ends with `played(now)` (proof of display: the caller reports it and starts the next), the last
// with `done()`. Muted unless the group allows sound (and if the browser refuses sound without a
// touch, muted rather than not at all). A video that cannot play (not kept on this screen, and the
// link down) calls `giveUp(VIDEO_GIVE_UP_MS)`; the caller also gives it its length and a margin.
export function playVideo(video, entry, {ours, played, done, giveUp}) {
  let plays = 0;
  video.loop = false;
  video.muted = !entry.sound;
  video.onended = () => {
    if (!ours()) return;
    plays += 1;
    if (plays >= entry.plays) { done(); return; }
    played(Date.now());
    video.currentTime = 0;
    video.play().catch(() => {});
  };
  video.onerror = () => { if (ours()) giveUp(VIDEO_GIVE_UP_MS); };
  video.currentTime = 0;
  video.play().catch((error) => {
    if (!ours() || error.name !== "NotAllowedError" || video.muted) return;
    video.muted = true;
    video.play().catch(() => {});
  });
  return (entry.length * entry.plays) * 1000 + VIDEO_MARGIN_MS;
}

export function renderSlide(entry, now, state) {
  const words = (state && state.strings) || {};
  switch (entry.kind) {
    case "notice": return renderNotice(entry, now, state, words);
    case "image": return renderImage(entry);
    case "qr": return renderQr(entry);
    case "queue": return renderQueue(entry, words);
    case "video": return renderVideo(entry);
    default: return renderClock(entry, state, words);
  }
}

export function renderUrgent(urgent, words) {
  const box = el("div", "urgent-inner");
  box.append(el("p", "urgent-label", words.urgent), el("h1", "urgent-title", urgent.title),
             el("div", "urgent-body", urgent.body), el("p", "urgent-from", urgent.publisher));
  return box;
}

// Pictures must be decoded before the fade, or the slide would flash empty.
export function picturesReady(node) {
  return Promise.all([...node.querySelectorAll("img")].map((image) => pictureReady(image)));
}

const PICTURE_LOADS = 2;

// A load that failed once (a dropped link, a service worker busy starting on a loaded box) is
// asked for again before the picture is given up for this showing. Chromium also rejects decode()
// under memory pressure for a picture that loaded and draws: that one is shown, not hidden.
async function pictureReady(image) {
  for (let attempt = 1; ; attempt += 1) {
    try { await image.decode(); return; } catch { /* see below */ }
    if (image.complete && image.naturalWidth > 0) return;
    if (attempt === PICTURE_LOADS || !image.isConnected) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
    image.src = image.getAttribute("src");   // setting src, even unchanged, loads it again
  }
  image.classList.add("missing");
}

// ---------------------------------------------------------------- paging inside a long notice

// A table wider than the page is fitted, never cut (the renderer's rule, kiosk/render/typeset.py):
// smaller type down to a readable floor, then long words and numbers in text cells may wrap (a cell
// that is one number stays whole), then the columns are split into parts that follow one another,
// each repeating the first column so a row can still be read across.
const TABLE_SIZES = [0.85, 0.8, 0.75, 0.7, 0.65, 0.6];   // of the body text; 0.6 is the floor

function tableFits(table, room) { return table.getBoundingClientRect().width <= room + 0.5; }

function splitColumns(table, room) {
  const rows = [...table.rows];
  const count = Math.max(...rows.map((row) => row.cells.length));
  const part = (columns) => {
    const copy = table.cloneNode(true);
    for (const row of copy.rows) {
      for (let c = row.cells.length - 1; c >= 1; c--) if (!columns.includes(c)) row.deleteCell(c);
    }
    return copy;
  };
  const parts = [];
  let columns = [0];
  for (let c = 1; c < count; c++) {
    const trial = part([...columns, c]);
    table.before(trial);
    const fits = tableFits(trial, room);
    trial.remove();
    if (fits || columns.length === 1) columns.push(c);
    else { parts.push(part(columns)); columns = [0, c]; }
  }
  parts.push(part(columns));
  table.replaceWith(...parts);
}

export function fitTables(body) {
  const room = body.clientWidth;
  for (const table of body.querySelectorAll("table")) {
    for (const size of TABLE_SIZES) {
      table.style.fontSize = `${size}em`;
      if (tableFits(table, room)) break;
    }
    if (tableFits(table, room)) continue;
    for (const cell of table.querySelectorAll("td, th")) {
      const keep = cell.querySelector(".keep");
      if (keep && cell.textContent.trim() === keep.textContent) cell.classList.add("number");
    }
    table.classList.add("wrapping");
    if (!tableFits(table, room)) splitColumns(table, room);
  }
}

export function measurePages(node) {
  const body = node.querySelector(".notice .body");
  if (!body) return 1;
  fitTables(body);
  const columns = body.firstElementChild;
  const step = body.clientWidth + parseFloat(getComputedStyle(columns).columnGap || "0");
  return Math.max(1, Math.round((columns.scrollWidth + parseFloat(getComputedStyle(columns).columnGap || "0")) / step));
}

export function showPage(node, page, pages, words) {
  const body = node.querySelector(".notice .body");
  if (!body) return;
  const columns = body.firstElementChild;
  const gap = parseFloat(getComputedStyle(columns).columnGap || "0");
  columns.style.transform = `translateX(${-page * (body.clientWidth + gap)}px)`;
  const pager = node.querySelector(".pager");
  pager.textContent = pages > 1 ? fill(words.page, {n: page + 1, total: pages}) : "";
}
