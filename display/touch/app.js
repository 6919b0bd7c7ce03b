// The touch kiosk (自助查询机): one page, screens shown one at a time, everything in large type.
// Words come from the server's catalogue (start.json `strings`); the app holds no text of its own.
// A visit's state (switches, what was typed, where the visitor went) lives only in `visit` and is
// thrown away after a minute without a touch: nothing a visitor did is kept on the device.
import { measurePages, showPage } from "/display/files/slides.js";
import { Attract } from "./attract.js";
import { digitKeypad, isLetter, letterKeyboard, ticketKeypad, typed } from "./keyboard.js";
import { button, el, fill, getJSON, onReachable, postJSON, startVisit, token } from "./net.js";
import { hasVoice, ReadAloud } from "./speech.js";

const IDLE_MS = 60000;
const SEARCH_DELAY_MS = 250;
const HOME_CHOICES = [
  ["take", "take", "take_hint"], ["categories", "gov", "gov_hint"], ["villages", "village", "village_hint"],
  ["guides", "guides", "guides_hint"], ["complain", "complain", "complain_hint"], ["rate", "rate", "rate_hint"]];
// While the township's survey (群众评议) is open, it is a home choice of its own, across the top.
const SURVEY_CHOICE = ["survey", "survey", "survey_hint"];

const root = document.getElementById("kiosk");
let start = null;       // the start bundle: hall, services, categories, villages, guides, channels, strings
let words = {};
let visit = null;       // everything about the current visitor
let idleTimer = null;
const speech = new ReadAloud(document.documentElement.lang === "en" ? "en-US" : "zh-CN");
const attract = new Attract(document.getElementById("attract-slide"), (yes) => setReachable(yes));

function newVisit() {
  return { trail: [], screen: "attract", params: {}, large: false, contrast: false, search: "", searchSeq: 0, survey: null,
           message: { topic: "", text: "", phone: "", field: "text", letters: "", choices: [], page: 0, seq: 0 }, rate: { number: "", code: "", field: "number" } };
}

// ---------------------------------------------------------------- screens and navigation

const screens = {};

function go(name, params = {}, remember = true) {
  if (remember && visit.screen !== "attract") visit.trail.push({ name: visit.screen, params: visit.params });
  visit.screen = name;
  visit.params = params;
  for (const section of root.querySelectorAll("[data-screen]")) section.hidden = section.dataset.screen !== name;
  document.getElementById("screens").scrollTop = 0;   // each screen starts at its top, its title in view
  root.classList.toggle("attracting", name === "attract");
  root.querySelector(".home-button").hidden = name === "home" || name === "attract";
  root.querySelector(".back-button").hidden = !visit.trail.length || name === "home" || name === "attract";
  if (name === "attract") attract.start(); else attract.stop();
  try {
    screens[name]?.(params);
  } catch (error) {
    console.error(name, error);
    calmFailure();
  }
  readScreen();
}

function back() {
  const previous = visit.trail.pop();
  if (previous) go(previous.name, previous.params, false); else go("home", {}, false);
}

function section(name) { return root.querySelector(`[data-screen="${name}"]`); }

function readScreen() {
  if (speech.on) speech.speak(section(visit.screen).innerText);
}

function showDone(text) {
  document.getElementById("done-text").textContent = text;
  go("done");
}

function failure(result) {
  if (result.status === 0) return words.reconnecting;
  return result.data.message || words.error;
}

function errorLine(container, text) {
  container.querySelector(".error")?.remove();
  const line = el("p", "error", text);
  line.setAttribute("role", "alert");
  container.append(line);
}

function qr(src, caption) {
  const figure = el("figure", "qr");
  const image = el("img");
  image.src = src;
  image.alt = "";
  figure.append(image, el("figcaption", null, caption));
  return figure;
}

function localDate(iso) {
  return iso ? new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date(iso)) : "";
}

// ---------------------------------------------------------------- home

screens.home = () => {
  const choices = document.getElementById("choices");
  choices.replaceChildren(...(start.survey ? [SURVEY_CHOICE, ...HOME_CHOICES] : HOME_CHOICES).map(([screen, label, hint]) => {
    const choice = button(`choice choice-${screen}`, null, () => go(screen));
    choice.dataset.choice = screen;
    choice.append(el("span", "label", words[label]), el("span", "hint", words[hint]));
    return choice;
  }));
  refreshStart();   // fresh waiting counts for the next screen, quietly
};

// ---------------------------------------------------------------- take a number: two touches

screens.take = ({ only }) => {
  const list = document.getElementById("services");
  const services = start.services.filter((service) => !only || service.prefix === only);
  list.replaceChildren(...services.map((service) => {
    const row = el("div", `service${service.open ? "" : " closed"}`);
    const about = el("div", "about");
    about.append(el("span", "prefix", service.prefix), el("span", "name", service.name),
                 el("span", "count", service.open ? fill(words.waiting, { n: service.waiting }) : words.closed));
    const normal = button("take normal", words.take_normal, () => takeNumber(service, "normal", row));
    const green = button("take green", words.green, () => takeNumber(service, "green", row));
    normal.dataset.prefix = green.dataset.prefix = service.prefix;
    green.append(el("small", null, words.green_hint));
    row.append(about, normal, green);
    return row;
  }));
};

async function takeNumber(service, priority, row) {
  if (root.classList.contains("busy")) return;
  root.classList.add("busy");
  try {
    const result = await postJSON(`/api/v1/queue/halls/${start.hall.code}/tickets`,
      { service: service.prefix, priority, print: start.printer === "escpos" });
    if (!result.ok) { errorLine(row, failure(result)); return; }
    go("issued", { ticket: result.data, materials: service.materials });
    if (result.data.print_mode === "browser") printInBrowser(result.data);
  } finally {
    root.classList.remove("busy");
  }
}

// A system printer: the browser prints the 58/80 mm page (silently with Chromium's --kiosk-printing).
function printInBrowser(ticket) {
  const frame = el("iframe", "print-frame");
  frame.hidden = true;
  frame.onload = () => { frame.contentWindow.print(); setTimeout(() => frame.remove(), 60000); };
  frame.src = `/hall/${start.hall.code}/tickets/${ticket.id}/print?paper=80`;
  document.body.append(frame);
}

screens.issued = ({ ticket, materials }) => {
  const box = document.getElementById("issued");
  const printing = ticket.printed || ticket.print_mode === "browser";
  box.replaceChildren(el("h2", null, words.your_number), el("p", "ticket-code", ticket.code),
                      el("p", "ticket-service", ticket.service.name));
  if (ticket.priority === "green") box.append(el("p", "ticket-green", words.green));
  box.append(el("p", "ticket-ahead", fill(words.ahead, { n: ticket.ahead ?? 0 })),
             el("p", "ticket-estimate", ticket.estimated_wait_minutes == null ? words.estimate_unknown
               : fill(words.estimate, { m: ticket.estimated_wait_minutes })),
             el("p", "ticket-print", printing ? words.take_ticket : words.no_printer),
             qr(`/qr/${ticket.qr_path}.svg`, fill(words.rating_code, { code: ticket.rating_code })));
  if (materials && materials.length) {
    const list = el("ul", "materials");
    list.append(...materials.map((line) => el("li", null, line)));
    box.append(el("h3", null, words.bring), list);
  }
  // The service's guide (办事指南), linked from its queue service: what to bring, while waiting.
  const guide = start.guides.find((g) => g.service && g.service.prefix === ticket.service.prefix);
  if (guide) box.append(button("wide guide-link", guide.title, () => go("guide", { id: guide.id })));
  box.append(button("wide done", words.done, () => go("home")));
};

// ---------------------------------------------------------------- disclosures

function grid(container, items, onTap) {
  container.replaceChildren(...items.map((item) => {
    const choice = button("tile", item.name, () => onTap(item));
    choice.dataset.code = item.code;
    if (item.colour) choice.style.borderColor = item.colour;
    return choice;
  }));
}

screens.categories = () => {
  grid(document.getElementById("categories"), [{ code: "", name: words.all }, ...start.categories],
       (category) => go("list", { category: category.code, title: category.code ? category.name : words.gov }));
};

screens.villages = () => {
  grid(document.getElementById("villages"), start.villages,
       (village) => go("list", { village: village.code, title: village.name }));
};

function noticeButton(notice) {
  const item = button("notice-item", null, () => go("notice", { id: notice.id }));
  item.dataset.notice = notice.id;
  const facts = [notice.category.name, fill(words.published, { date: localDate(notice.show_from) })];
  if (notice.days_left != null) facts.push(notice.days_left <= 1 ? words.last_day : fill(words.days_left, { n: notice.days_left }));
  item.append(el("span", "title", notice.title), el("span", "facts", facts.join(" · ")));
  return item;
}

async function fillList(container, query) {
  container.replaceChildren(el("p", "wait", words.wait));
  try {
    const found = await getJSON(`/touch/notices.json?${new URLSearchParams(query)}`);
    container.replaceChildren(...(found.notices.length ? found.notices.map(noticeButton) : [el("p", "empty", words.none_found)]));
  } catch {
    container.replaceChildren(el("p", "error", words.reconnecting));
  }
}

screens.list = ({ category = "", village = "", title }) => {
  document.getElementById("list-title").textContent = title;
  fillList(document.getElementById("list"), { category, village });
};

screens.notice = async ({ id }) => {
  const reader = document.getElementById("reader");
  reader.replaceChildren(el("p", "wait", words.wait));
  let notice;
  try {
    notice = await getJSON(`/touch/notices/${id}.json`);
  } catch {
    reader.replaceChildren(el("p", "error", words.reconnecting));
    return;
  }
  if (visit.screen !== "notice" || visit.params.id !== id) return;   // the visitor moved on meanwhile
  const article = el("article", "notice");
  const band = el("div", "band", notice.category.name);
  band.style.background = notice.category.colour || "#b3261e";
  const facts = [notice.unit.name, fill(words.published, { date: localDate(notice.show_from) })];
  if (notice.days_left != null) facts.push(notice.days_left <= 1 ? words.last_day : fill(words.days_left, { n: notice.days_left }));
  const body = el("div", "body");
  const columns = el("div", "columns");
  columns.innerHTML = notice.body_html;   // sanitised by the disclosures feature before it reaches us
  for (const image of notice.images) columns.append(documentPage(image.url, ""));
  for (const file of notice.pages) {
    for (let page = 0; page < file.count; page++) {
      columns.append(documentPage(`/touch/documents/${file.attachment}/${page}.png`,
        fill(words.filepage, { name: file.name, n: page + 1, total: file.count })));
    }
  }
  body.append(columns);
  const pager = el("div", "pager-bar");
  const previous = button("page previous", words.previous);
  const next = button("page next", words.next);
  const count = el("p", "pager");
  pager.append(previous, count, next);
  article.append(band, el("h2", "title", notice.title), el("p", "facts", facts.join(" · ")), body, pager,
                 qr(notice.qr, words.scan_notice));
  reader.replaceChildren(article);
  let page = 0;
  let pages = 1;
  const show = () => {
    pages = measurePages(article);
    page = Math.min(page, pages - 1);
    showPage(article, page, pages, words);
    previous.disabled = page === 0;
    next.disabled = page >= pages - 1;
  };
  previous.addEventListener("click", () => { page = Math.max(0, page - 1); show(); readScreen(); });
  next.addEventListener("click", () => { page = Math.min(pages - 1, page + 1); show(); readScreen(); });
  show();
  // Pictures change the length as they arrive.
  for (const image of article.querySelectorAll(".columns img")) image.addEventListener("load", show);
  readScreen();
};

function documentPage(src, caption) {
  const figure = el("figure", "document-page");
  const image = el("img");
  image.src = src;
  image.alt = caption;
  figure.append(image);
  if (caption) figure.append(el("figcaption", null, caption));
  return figure;
}

// ---------------------------------------------------------------- search

let searchTimer = null;

screens.search = () => {
  const box = document.getElementById("search");
  const shown = el("p", "typed");
  shown.setAttribute("aria-live", "polite");
  const results = el("div", "list results");
  const update = () => {
    shown.textContent = visit.search || "\u00a0";
    clearTimeout(searchTimer);
    const sequence = ++visit.searchSeq;
    if (!visit.search.trim()) { results.replaceChildren(el("p", "hint", words.search_hint)); return; }
    searchTimer = setTimeout(async () => {
      try {
        const found = await getJSON(`/touch/notices.json?${new URLSearchParams({ q: visit.search.trim() })}`);
        if (sequence !== visit.searchSeq) return;   // a later key is already on its way
        const guides = start.guides.filter((guide) => found.guides.includes(guide.id));
        const items = [...guides.map(guideButton), ...found.notices.map(noticeButton)];
        results.replaceChildren(...(items.length ? items
          : [el("p", "empty", fill(words.nothing_matched, { words: visit.search.trim() }))]));
      } catch {
        results.replaceChildren(el("p", "error", words.reconnecting));
      }
    }, SEARCH_DELAY_MS);
  };
  const quick = el("div", "quick-words");
  // One touch for characters: the kinds of notice showing now (低保公示, 村级财务收支, ...).
  quick.append(...start.quick_words.map((word) => button("key word", word, () => { visit.search = word; update(); })));
  box.replaceChildren(el("h2", null, words.search_title), shown, quick,
                      letterKeyboard(words, (key) => { visit.search = typed(visit.search, key, 30); update(); }), results);
  update();
};

// ---------------------------------------------------------------- service guides

screens.guides = () => {
  const list = document.getElementById("guides");
  // Applying for government information (依申请公开) is done on the visitor's phone: its own entry.
  const apply = button("wide guide-link apply-link", words.apply, () => go("apply"));
  if (!start.guides.length) { list.replaceChildren(el("p", "empty", words.no_guides), apply); return; }
  list.replaceChildren(...start.guides.map(guideButton), apply);
};

// ---------------------------------------------------------------- applying for information

screens.apply = () => {
  const box = document.getElementById("apply");
  const steps = el("ol");
  steps.append(...start.applications.guide.map((line) => el("li", null, line)));
  box.replaceChildren(el("h2", null, words.apply), steps, qr(start.applications.qr, words.apply_scan));
};

function guideButton(guide) {
  const item = button("notice-item guide-item", null, () => go("guide", { id: guide.id }));
  item.dataset.guide = guide.id;
  item.append(el("span", "title", guide.title), el("span", "facts", [guide.office, guide.time_limit].filter(Boolean).join(" · ")));
  return item;
}

screens.guide = ({ id }) => {
  const guide = start.guides.find((g) => g.id === id);
  const box = document.getElementById("guide");
  const part = (title, items, ordered) => {
    const list = el(ordered ? "ol" : "ul");
    list.append(...items.map((line) => el("li", null, line)));
    return [el("h3", null, title), list];
  };
  const facts = el("dl", "facts-table");
  for (const key of ["time_limit", "fee", "window", "hours", "office"]) {
    if (guide[key]) facts.append(el("dt", null, words[key]), el("dd", null, guide[key]));
  }
  box.replaceChildren(el("h2", null, guide.title), ...part(words.materials, guide.materials, false),
                      ...part(words.steps, guide.steps, true), facts, qr(guide.qr, words.scan_guide));
  if (guide.service) {
    const take = button("wide take-for", fill(words.take_for, { service: guide.service.name }),
                        () => go("take", { only: guide.service.prefix }));
    box.append(take);
  }
};

// ---------------------------------------------------------------- complaints and supervision

screens.complain = () => {
  const box = document.getElementById("complain");
  const cards = el("div", "channels");
  cards.append(...start.channels.map((channel) => {
    const card = el("div", "channel");
    const text = el("div", "channel-text");
    text.append(el("p", "channel-label", channel.label), el("p", "channel-value", channel.value));
    if (channel.note) text.append(el("p", "channel-note", channel.note));
    card.append(text, qr(channel.qr, channel.kind === "opinion_box" ? words.scan_notice : words.scan_call));
    return card;
  }));
  box.replaceChildren(el("h2", null, words.complain), el("p", "hint", words.channels), cards,
                      button("wide", words.leave_message, () => go("message")));
};

// Pinyin input for the message: letters gather above the keyboard, the words they may stand for
// (from the server, most used first) wait in a row of large buttons; a touch on one writes it.
const CHOICES_PER_PAGE = 6;
const PUNCTUATION = ["，", "。", "？", "！"];
const MAX_MESSAGE = 200;

function pinyinInput(form, redraw) {
  const write = (words) => { if (form.text.length + words.length <= MAX_MESSAGE) form.text += words; };
  const lookUp = async () => {
    const sequence = ++form.seq;
    form.page = 0;
    if (!form.letters) { form.choices = []; redraw(); return; }
    let choices;
    try {
      choices = (await getJSON(`/touch/pinyin.json?${new URLSearchParams({ letters: form.letters })}`)).candidates;
    } catch {
      choices = [{ text: form.letters, uses: form.letters.length }];   // offline: the letters as typed
    }
    if (sequence !== form.seq) return;   // a later key is already on its way
    form.choices = choices;
    redraw();
  };
  const choose = (choice) => {
    write(choice.text);
    form.letters = form.letters.slice(choice.uses);
    lookUp();
  };
  const onKey = (key) => {
    if (key === "space") {
      if (form.letters && form.choices.length) choose(form.choices[0]); else form.text = typed(form.text, key, MAX_MESSAGE);
    } else if (key === "delete") {
      if (form.letters) form.letters = form.letters.slice(0, -1); else form.text = typed(form.text, key, MAX_MESSAGE);
    } else if (key === "clear") {
      form.letters = ""; form.text = "";
    } else {
      form.letters = typed(form.letters, key, 30);
    }
    redraw();
    if (key !== "space") lookUp();
  };
  const composing = el("p", form.letters ? "composing" : "composing hint", form.letters || words.pinyin_hint);
  composing.setAttribute("aria-live", "polite");
  const row = el("div", "candidates");
  if (!form.letters) {
    row.append(...PUNCTUATION.map((mark) => button("key word candidate", mark, () => { write(mark); redraw(); })));
  } else {
    const pages = Math.ceil(form.choices.length / CHOICES_PER_PAGE);
    const shown = form.choices.slice(form.page * CHOICES_PER_PAGE, (form.page + 1) * CHOICES_PER_PAGE);
    row.append(...shown.map((choice) => button("key word candidate", choice.text, () => choose(choice))));
    if (pages > 1) {
      row.append(button("key word more", words.more_words, () => { form.page = (form.page + 1) % pages; redraw(); }));
    }
  }
  return [composing, row, letterKeyboard(words, onKey)];
}

screens.message = () => {
  const box = document.getElementById("message");
  const form = visit.message;
  const topics = el("div", "grid topics");
  const text = el("p", "typed field");
  const phone = el("p", "typed field");
  const keys = el("div", "keys");
  const draw = () => {
    for (const topic of topics.children) topic.setAttribute("aria-pressed", String(topic.dataset.code === form.topic));
    text.textContent = form.text || "\u00a0";
    phone.textContent = form.phone || "\u00a0";
    text.classList.toggle("active", form.field === "text");
    phone.classList.toggle("active", form.field === "phone");
    keys.replaceChildren(...(form.field === "text"
      ? pinyinInput(form, draw)
      : [digitKeypad(words, (key) => { form.phone = typed(form.phone, key, 12); draw(); })]));
  };
  topics.append(...start.topics.map((topic) => {
    const choice = button("tile", topic.label, () => { form.topic = topic.code; draw(); });
    choice.dataset.code = topic.code;
    return choice;
  }));
  const textLabel = button("field-label", words.message_words, () => { form.field = "text"; draw(); });
  const phoneLabel = button("field-label", words.phone, () => { form.field = "phone"; draw(); });
  text.addEventListener("click", () => { form.field = "text"; draw(); });
  phone.addEventListener("click", () => { form.field = "phone"; draw(); });
  const send = button("wide send", words.send, async () => {
    // Letters not yet turned into words are sent as typed rather than dropped.
    const message = form.text + form.letters;
    const result = await postJSON("/touch/messages", { topic: form.topic, message, phone: form.phone });
    if (result.ok) { visit.message = newVisit().message; showDone(words.sent); return; }
    errorLine(box, result.status === 429 ? words.too_many : failure(result));
  });
  box.replaceChildren(el("h2", null, words.leave_message), el("h3", null, words.about), topics,
                      textLabel, text, phoneLabel, phone, keys, send);
  draw();
};

// ---------------------------------------------------------------- 群众评议: the open survey, a question a screen

// The answers stay in the visit until sent; the server takes one answer per visit (X-Kiosk-Visit).
screens.survey = () => {
  const box = document.getElementById("survey");
  const survey = start.survey;
  if (!survey) { showDone(words.survey_closed); return; }
  if (!visit.survey || visit.survey.id !== survey.id) {
    visit.survey = { id: survey.id, step: 0, answers: {}, text: "", letters: "", choices: [], page: 0, seq: 0 };
  }
  const form = visit.survey;
  const question = survey.questions[form.step];
  const key = String(question.id);
  const last = form.step === survey.questions.length - 1;
  const redraw = () => { if (visit.screen === "survey") screens.survey(); };
  const head = [el("h2", null, survey.title),
                el("p", "hint survey-progress", fill(words.survey_progress, { n: form.step + 1, total: survey.questions.length })),
                el("h3", "survey-question", question.text)];
  let answer;
  if (question.kind === "scale") {
    answer = el("div", "levels survey-options survey-scale");
    answer.append(...[...survey.scale].reverse().map(({ value, label }) => {
      const choice = button(`level level-${value}`, label, () => { form.answers[key] = value; redraw(); });
      choice.dataset.value = value;
      choice.setAttribute("aria-pressed", String(form.answers[key] === value));
      return choice;
    }));
  } else if (question.kind === "text") {
    answer = el("div", "survey-text");
    answer.append(el("p", "hint", words.survey_text_hint), el("p", "typed field active", form.text || "\u00a0"),
                  ...pinyinInput(form, redraw));
  } else {
    answer = el("div", `survey-options survey-${question.kind}`);
    if (question.kind === "multiple") head.push(el("p", "hint", words.survey_any));
    answer.append(...question.options.map((option, index) => {
      const list = form.answers[key] || [];
      const chosen = question.kind === "multiple" ? list.includes(index) : form.answers[key] === index;
      const choice = button("tile survey-option", option, () => {
        if (question.kind === "multiple") form.answers[key] = chosen ? list.filter((i) => i !== index) : [...list, index];
        else form.answers[key] = index;
        redraw();
      });
      choice.dataset.index = index;
      choice.setAttribute("aria-pressed", String(chosen));
      return choice;
    }));
  }
  const answered = question.kind === "text" || (question.kind === "multiple"
    ? (form.answers[key] || []).length > 0 : form.answers[key] !== undefined);
  const nav = el("div", "survey-nav");
  if (form.step > 0) nav.append(button("wide done survey-previous", words.survey_previous, () => { form.step -= 1; redraw(); }));
  nav.append(button(`wide ${last ? "survey-send" : "survey-next"}`, last ? words.survey_send : words.survey_next, async () => {
    if (!answered) { errorLine(box, words.survey_answer_first); return; }
    if (!last) { form.step += 1; redraw(); return; }
    const answers = { ...form.answers };
    const free = survey.questions.find((q) => q.kind === "text");
    if (free) answers[String(free.id)] = form.text + form.letters;   // letters not yet words are sent as typed
    const result = await postJSON(`/touch/surveys/${survey.id}/answers`, { answers });
    if (result.ok) { visit.survey = null; showDone(words.survey_thanks); return; }
    errorLine(box, result.status === 429 ? words.too_many : failure(result));
  }));
  box.replaceChildren(...head, answer, nav);
  if (form.step === 0) {
    if (survey.intro) box.insertBefore(el("p", "survey-intro", survey.intro), head[2]);
    box.append(qr(survey.qr, words.survey_phone));
  }
};

// ---------------------------------------------------------------- rating your own ticket

screens.rate = () => {
  const box = document.getElementById("rate");
  const form = visit.rate;
  const number = el("p", "typed field");
  const code = el("p", "typed field");
  const draw = () => {
    number.textContent = form.number || "\u00a0";
    code.textContent = form.code || "\u00a0";
    number.classList.toggle("active", form.field === "number");
    code.classList.toggle("active", form.field === "code");
  };
  const letters = start.services.map((service) => service.prefix);
  const keypad = ticketKeypad(letters, words, (key) => {
    if (form.field === "number") {
      form.number = isLetter(key) ? key.toUpperCase() : typed(form.number, key, 4);
    } else if (!isLetter(key)) {
      form.code = typed(form.code, key, 4);
    }
    if (form.field === "number" && form.number.length === 4) form.field = "code";
    draw();
  });
  const numberLabel = button("field-label", words.ticket_number, () => { form.field = "number"; draw(); });
  const codeLabel = button("field-label", words.ticket_code, () => { form.field = "code"; draw(); });
  number.addEventListener("click", () => { form.field = "number"; draw(); });
  code.addEventListener("click", () => { form.field = "code"; draw(); });
  const levels = el("div", "levels");
  levels.append(...start.levels.map(({ level, label }) => {
    const choice = button(`level level-${level}`, label, () => rate(level, box));
    choice.dataset.level = level;
    return choice;
  }));
  box.replaceChildren(el("h2", null, words.rate_title), el("p", "hint", words.rate_scan),
                      numberLabel, number, codeLabel, code, keypad, el("h3", null, words.rate_level), levels);
  draw();
};

async function rate(level, box) {
  const form = visit.rate;
  let result;
  if (form.scanned) {   // the ticket's own QR: its secret link proves it is the visitor's
    const ticket = await getJSON(`/t/${form.scanned}.json`).catch(() => null);
    if (!ticket) { errorLine(box, words.error); return; }
    result = await postJSON(`/api/v1/queue/tickets/${ticket.id}/rating`, { level, token: form.scanned });
  } else {
    if (form.number.length < 2 || form.code.length !== 4) { errorLine(box, words.type_both); return; }
    const number = form.number[0] + form.number.slice(1).padStart(3, "0");
    result = await postJSON(`/api/v1/queue/halls/${start.hall.code}/ratings`, { ticket: number, code: form.code, level });
  }
  if (!result.ok) { errorLine(box, failure(result)); return; }
  visit.rate = newVisit().rate;
  showDone(words.thanks);
}

// A handheld scanner types the ticket's QR link and Enter: take its secret as the proof.
let scanned = "";
window.addEventListener("keydown", (event) => {
  if (visit.screen !== "rate") return;
  if (event.key === "Enter") {
    const match = scanned.match(/\/t\/([A-Za-z0-9_-]{20,64})/);
    scanned = "";
    if (match) { visit.rate.scanned = match[1]; visit.rate.number = "QR"; visit.rate.code = "✓"; screens.rate(); }
  } else if (event.key.length === 1) {
    scanned = (scanned + event.key).slice(-200);
  }
});

screens.done = () => {
  const box = section("done");
  box.querySelector(".wide")?.remove();
  box.append(button("wide", words.done, () => go("home")));
};

// ---------------------------------------------------------------- switches: large text, contrast, read aloud

function applySwitches() {
  root.classList.toggle("large-text", visit.large);
  root.classList.toggle("high-contrast", visit.contrast);
  const pressed = { large: visit.large, contrast: visit.contrast, read: speech.on };
  for (const tool of root.querySelectorAll("[data-tool]")) {
    if (tool.dataset.tool in pressed) tool.setAttribute("aria-pressed", String(pressed[tool.dataset.tool]));
  }
  root.querySelector('[data-tool="read"]').textContent = speech.on ? words.stop_reading : words.read_aloud;
}

root.querySelector(".tools").addEventListener("click", (event) => {
  const tool = event.target.closest("[data-tool]")?.dataset.tool;
  if (tool === "large") visit.large = !visit.large;
  if (tool === "contrast") visit.contrast = !visit.contrast;
  if (tool === "read") { if (speech.on) speech.stop(); else { speech.on = true; readScreen(); } }
  if (tool === "language") { switchLanguage(); return; }
  applySwitches();
});

// The other language, on the same screen: the visitor keeps their place, what they typed and the
// switches (the server remembers the choice for the requests that follow, until the idle reset).
async function switchLanguage() {
  const english = document.documentElement.lang !== "en";
  try {
    start = await getJSON(`/touch/start.json?lang=${english ? "en" : "zh"}`);
  } catch {
    return;   // offline: the visitor stays in the language they have
  }
  words = start.strings;
  document.documentElement.lang = english ? "en" : "zh-CN";
  speech.lang = english ? "en-US" : "zh-CN";
  label();
  applySwitches();
  tick();
  go(visit.screen, visit.params, false);
}

// ---------------------------------------------------------------- idle reset: forget the visitor

function reset() {
  speech.stop();
  scanned = "";
  clearTimeout(searchTimer);
  visit = newVisit();
  startVisit();
  if (document.documentElement.lang === "en") { location.replace("/touch/?lang=zh"); return; }   // Chinese first
  for (const box of root.querySelectorAll("[data-screen] > div[id]")) box.replaceChildren();
  applySwitches();
  go("attract", {}, false);
}

function touched() {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(reset, IDLE_MS);
}

// ---------------------------------------------------------------- kiosk hardening

document.addEventListener("contextmenu", (event) => event.preventDefault());
document.addEventListener("dragstart", (event) => event.preventDefault());
// Pinch and ctrl+wheel zoom.
document.addEventListener("wheel", (event) => { if (event.ctrlKey) event.preventDefault(); }, { passive: false });
document.addEventListener("gesturestart", (event) => event.preventDefault());
document.addEventListener("touchmove", (event) => { if (event.touches.length > 1) event.preventDefault(); }, { passive: false });
// Never a blank page or a stack trace: a failure says so calmly and offers the way home.
const calmFailure = () => { if (visit && visit.screen !== "attract") showDone(words.error); };
window.addEventListener("error", calmFailure);
window.addEventListener("unhandledrejection", calmFailure);

function setReachable(yes) {
  document.getElementById("calm").hidden = yes;
}
onReachable(setReachable);

root.addEventListener("pointerdown", touched, true);
window.addEventListener("keydown", touched, true);
document.getElementById("attract").addEventListener("click", () => go("home"));
root.addEventListener("click", (event) => {
  const target = event.target.closest("[data-go], [data-back]");
  if (!target) return;
  if (target.matches("[data-back]")) back(); else go(target.dataset.go);
});

function tick() {
  document.getElementById("time").textContent = new Intl.DateTimeFormat(document.documentElement.lang, {
    timeZone: "Asia/Shanghai", month: "long", day: "numeric", weekday: "long", hour: "2-digit", minute: "2-digit",
  }).format(new Date());
}

async function refreshStart() {
  try {
    start = await getJSON("/touch/start.json");
  } catch { /* offline: the last bundle (the service worker's copy) stays */ }
}

function label() {
  for (const node of root.querySelectorAll("[data-text]")) node.textContent = words[node.dataset.text];
  root.querySelector(".home-button").textContent = words.home;
  root.querySelector(".back-button").textContent = words.back;
  root.querySelector('[data-tool="large"]').textContent = words.large_text;
  root.querySelector('[data-tool="contrast"]').textContent = words.contrast;
  root.querySelector('.tools [data-go="search"]').textContent = words.search;
  root.querySelector('[data-tool="language"]').textContent = words.language;
  document.getElementById("touch-to-start").textContent = words.touch_to_start;
  document.querySelector("#calm p").textContent = words.wait;
  document.getElementById("place").textContent = start.hall.name;
}

async function boot() {
  for (;;) {
    try { start = await getJSON("/touch/start.json"); break; } catch (error) {
      if (String(error.message).endsWith(": 401")) { location.replace("/display/"); return; }   // unpaired
      setReachable(false);
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  }
  words = start.strings;
  visit = newVisit();
  startVisit();
  label();
  applySwitches();
  tick();
  setInterval(tick, 15000);
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/touch/sw.js", { scope: "/touch/" }).catch(() => {});
  // Without a Chinese voice read-aloud would be silent: the button goes, and the note for staff goes
  // to the browser's log (the launcher keeps it), never onto the visitors' screen.
  hasVoice("zh").then((yes) => {
    root.querySelector('[data-tool="read"]').hidden = !yes;
    if (!yes) console.warn("No Chinese voice: read-aloud is off. See display/launcher/README.md.");
  });
  root.dataset.ready = "1";
  go(location.hash === "#take" ? "take" : "attract", {}, false);
  touched();
}

boot();
