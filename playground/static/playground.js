// The playground page: one person plays everyone. State comes from /api/state, changes from
// the server-sent events of /api/events; actions are posted back and reach the bot as updates.
"use strict";

const strings = JSON.parse(document.getElementById("strings").textContent);
const $ = (id) => document.getElementById(id);
const state = {
  personas: [], chats: {}, messages: {}, keyboards: {}, unread: {},
  persona: null, chat: null, botUsername: "", timezone: undefined,
};

// --- talking to the server ------------------------------------------------------------

async function post(path, body) {
  const options = { method: "POST" };
  if (body instanceof FormData) options.body = body;
  else {
    options.headers = { "Content-Type": "application/json" };
    options.body = JSON.stringify(body || {});
  }
  const response = await fetch(path, options);
  if (!response.ok) throw new Error(await response.text());
  return response.json();
}

async function load() {
  const data = await (await fetch("/api/state")).json();
  state.personas = data.personas;
  state.chats = data.chats;
  state.messages = {};
  for (const [chat, entries] of Object.entries(data.messages)) {
    state.messages[chat] = new Map(entries.map((m) => [m.message_id, m]));
  }
  state.keyboards = data.keyboards;
  state.botUsername = data.bot_username;
  state.timezone = data.timezone;
  state.unread = {};
  showClock(data.clock);
  const keep = state.personas.find((p) => p.id === state.persona?.id);
  selectPersona(keep || state.personas[0], keep ? state.chat : null);
}

// Changes are followed from before the state is read (and read again after a reconnection);
// those that arrive meanwhile are applied after it.
function listen() {
  let ready = false;
  let pending = [];
  const events = new EventSource("/api/events");
  events.onopen = async () => {
    ready = false;
    await load();
    ready = true;
    pending.forEach(apply);
    pending = [];
  };
  events.onmessage = (event) => {
    const change = JSON.parse(event.data);
    if (ready) apply(change);
    else pending.push(change);
  };
}

function apply(event) {
  const data = event.data;
  switch (event.kind) {
    case "user_message":
    case "message":
    case "edit": {
      const chat = String(data.chat.id);
      if (!state.messages[chat]) state.messages[chat] = new Map();
      const fresh = !state.messages[chat].has(data.message_id);
      state.messages[chat].set(data.message_id, data);
      if (fresh && Number(chat) !== state.chat) state.unread[chat] = (state.unread[chat] || 0) + 1;
      if (Number(chat) === state.chat) renderMessage(data, fresh);
      else { renderChats(); renderPersonas(); }
      break;
    }
    case "delete":
      state.messages[String(data.chat_id)]?.delete(data.message_id);
      if (data.chat_id === state.chat) document.querySelector(`[data-message="${data.message_id}"]`)?.remove();
      break;
    case "answer":
      if (data.text) data.show_alert ? alertBox(data.text) : toast(data.text);
      break;
    case "keyboard":
      if (data.keyboard) state.keyboards[data.chat_id] = data.keyboard;
      else delete state.keyboards[data.chat_id];
      if (data.chat_id === state.chat) renderKeyboard();
      break;
    case "clock":
      showClock(data);
      break;
    case "reset":
      load();
      break;
  }
}

// --- people and chats -----------------------------------------------------------------

function initial(name) { return [...name][0] || "?"; }

function hue(id) { return (Math.abs(id) * 47) % 360; }

function avatar(name, id) {
  const span = document.createElement("span");
  span.className = "avatar";
  span.style.background = `hsl(${hue(id)} 55% 52%)`;
  span.textContent = initial(name);
  return span;
}

function renderPersonas() {
  const list = $("personas");
  list.replaceChildren(...state.personas.map((persona) => {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "persona";
    button.dataset.id = persona.id;
    if (persona.id === state.persona?.id) button.setAttribute("aria-current", "true");
    const text = document.createElement("span");
    text.className = "who";
    text.innerHTML = "<b></b><small></small>";
    text.querySelector("b").textContent = persona.name;
    text.querySelector("small").textContent = `${persona.role} · ${persona.about}`;
    button.append(avatar(persona.name, persona.id), text);
    const waiting = persona.chats.reduce((sum, chat) => sum + (state.unread[chat] || 0), 0);
    if (waiting && persona.id !== state.persona?.id) button.append(badge(waiting));
    item.append(button);
    return item;
  }));
}

function badge(count) {
  const span = document.createElement("span");
  span.className = "badge";
  span.textContent = count;
  return span;
}

function renderChats() {
  const persona = state.persona;
  $("chats").replaceChildren(...persona.chats.map((id) => {
    const chat = state.chats[id];
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "chat";
    button.dataset.id = id;
    if (id === state.chat) button.setAttribute("aria-current", "true");
    const last = [...(state.messages[id]?.values() || [])].pop();
    const text = document.createElement("span");
    text.className = "who";
    text.innerHTML = "<b></b><small></small>";
    text.querySelector("b").textContent = chat.title;
    text.querySelector("small").textContent = last ? preview(last) : "";
    button.append(avatar(chat.type === "private" ? "G" : chat.title, id), text);
    if (state.unread[id] && id !== state.chat) button.append(badge(state.unread[id]));
    item.append(button);
    return item;
  }));
}

function preview(message) {
  const text = plain(message.text || message.caption || "");
  if (text) return text.split("\n")[0];
  if (message.photo) return "📷";
  if (message.location) return "📍";
  if (message.document) return `📄 ${message.document.file_name}`;
  return "";
}

function plain(html) {
  return new DOMParser().parseFromString(`<body>${html}</body>`, "text/html").body.textContent;
}

function selectPersona(persona, chat) {
  state.persona = persona;
  selectChat(chat && persona.chats.includes(chat) ? chat : persona.chats[0]);
}

function selectChat(id) {
  state.chat = id;
  delete state.unread[id];
  renderPersonas();
  renderChats();
  $("chat-title").textContent = state.chats[id].title;
  $("chat-as").textContent = `${strings["playground-writing-as"]}: ${state.persona.name}`;
  renderMessages();
  renderKeyboard();
  $("text").focus();
}

// --- messages -------------------------------------------------------------------------

// Telegram's HTML: these tags render, everything else is shown as its text.
const TAGS = {
  B: "b", STRONG: "b", I: "i", EM: "i", U: "u", INS: "u", S: "s", STRIKE: "s", DEL: "s",
  CODE: "code", PRE: "pre", A: "a", BLOCKQUOTE: "blockquote", "TG-SPOILER": "span", SPAN: "span",
};

function telegramHtml(html) {
  const source = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html").body;
  const target = document.createElement("div");
  copy(source, target);
  return target;
}

function copy(from, to) {
  for (const node of from.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) { to.append(node.textContent); continue; }
    if (node.nodeType !== Node.ELEMENT_NODE) continue;
    const tag = TAGS[node.tagName];
    if (!tag) { copy(node, to); continue; }
    const element = document.createElement(tag);
    if (node.tagName === "TG-SPOILER" || node.classList.contains("tg-spoiler")) {
      element.className = "spoiler";
      element.addEventListener("click", () => element.classList.add("shown"));
    }
    if (tag === "a") linkTo(element, node.getAttribute("href") || "");
    copy(node, element);
    to.append(element);
  }
}

// Deep links to the bot open the person's private chat with /start, as Telegram does; a
// mention (tg://user) goes nowhere; other links open in a new tab.
function linkTo(element, href) {
  const start = deepLink(href);
  if (start !== null) {
    element.href = "#";
    element.addEventListener("click", (event) => { event.preventDefault(); openDeepLink(start); });
  } else if (/^https?:\/\//.test(href)) {
    element.href = href;
    element.target = "_blank";
    element.rel = "noopener";
  } else {
    element.className = "mention";
  }
}

function deepLink(href) {
  const match = /^https?:\/\/t\.me\/([A-Za-z0-9_]+)(?:\?start=([A-Za-z0-9_-]*))?$/.exec(href);
  if (!match || match[1] !== state.botUsername) return null;
  return match[2] || "";
}

async function openDeepLink(payload) {
  selectChat(state.persona.id);
  await sendText(payload ? `/start ${payload}` : "/start");
}

function renderMessages() {
  const list = $("messages");
  const messages = [...(state.messages[state.chat]?.values() || [])];
  if (!messages.length) {
    const empty = document.createElement("li");
    empty.className = "empty";
    empty.textContent = strings["playground-empty-chat"];
    list.replaceChildren(empty);
    return;
  }
  list.replaceChildren(...messages.map(messageElement));
  list.scrollTop = list.scrollHeight;
}

function renderMessage(message, fresh) {
  const list = $("messages");
  const element = messageElement(message);
  const old = list.querySelector(`[data-message="${message.message_id}"]`);
  if (old) old.replaceWith(element);
  else {
    list.querySelector(".empty")?.remove();
    list.append(element);
  }
  if (fresh) list.scrollTop = list.scrollHeight;
  renderChats();
}

function messageElement(message) {
  const fromBot = message.from.is_bot;
  const mine = !fromBot && message.from.id === state.persona.id;
  const item = document.createElement("li");
  item.className = `message ${fromBot ? "bot" : mine ? "mine" : "other"}`;
  item.dataset.message = message.message_id;
  const bubble = document.createElement("div");
  bubble.className = "bubble";
  if (!mine && state.chats[state.chat].type !== "private") {
    const name = document.createElement("div");
    name.className = "sender";
    name.style.color = `hsl(${hue(message.from.id)} 60% 38%)`;
    name.textContent = fromBot ? "gridbot" : message.from.first_name;
    bubble.append(name);
  }
  if (message.photo) {
    const image = document.createElement("img");
    image.src = `/api/files/${encodeURIComponent(message.photo.at(-1).file_id)}`;
    image.alt = "";
    image.className = "photo";
    bubble.append(image);
  }
  if (message.document) {
    const link = document.createElement("a");
    const name = message.document.file_name;
    link.href = `/api/files/${encodeURIComponent(message.document.file_id)}?name=${encodeURIComponent(name)}`;
    link.className = "document";
    link.textContent = `📄 ${name}`;
    bubble.append(link);
  }
  if (message.location) {
    const where = document.createElement("div");
    where.className = "location";
    where.textContent = `📍 ${message.location.latitude.toFixed(4)}, ${message.location.longitude.toFixed(4)}`;
    bubble.append(where);
  }
  if (message.contact) {
    const contact = document.createElement("div");
    contact.className = "location";
    contact.textContent = `👤 ${message.contact.first_name} ${message.contact.phone_number}`;
    bubble.append(contact);
  }
  const html = message.text ?? message.caption;
  if (html) {
    const text = fromBot ? telegramHtml(html) : document.createElement("div");
    if (!fromBot) text.textContent = html;
    text.className = "text";
    bubble.append(text);
  }
  const meta = document.createElement("div");
  meta.className = "meta";
  const time = new Date(message.date * 1000).toLocaleTimeString([], {
    hour: "2-digit", minute: "2-digit", timeZone: state.timezone,
  });
  meta.textContent = message.edited ? `${strings["playground-edited"]} ${time}` : time;
  bubble.append(meta);
  item.append(bubble);
  const rows = message.reply_markup?.inline_keyboard;
  if (rows?.length) item.append(inlineKeyboard(message, rows));
  return item;
}

function inlineKeyboard(message, rows) {
  const keyboard = document.createElement("div");
  keyboard.className = "inline-keyboard";
  for (const row of rows) {
    const line = document.createElement("div");
    line.className = "row";
    for (const button of row) {
      const element = document.createElement("button");
      element.type = "button";
      element.className = "inline";
      element.textContent = button.text;
      if (button.url) {
        element.classList.add("url");
        element.addEventListener("click", () => {
          const start = deepLink(button.url);
          if (start !== null) openDeepLink(start);
          else window.open(button.url, "_blank", "noopener");
        });
      } else {
        element.addEventListener("click", () => press(message, button.callback_data, element));
      }
      line.append(element);
    }
    keyboard.append(line);
  }
  return keyboard;
}

function renderKeyboard() {
  const box = $("reply-keyboard");
  const keyboard = state.keyboards[state.chat];
  if (!keyboard) { box.hidden = true; box.replaceChildren(); return; }
  box.hidden = false;
  box.replaceChildren(...keyboard.keyboard.map((row) => {
    const line = document.createElement("div");
    line.className = "row";
    for (const key of row) {
      const label = typeof key === "string" ? key : key.text;
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = label;
      button.addEventListener("click", async () => {
        if (key.request_location) await post("/api/location", target());
        else if (key.request_contact) await post("/api/contact", target());
        else await sendText(label);
        if (keyboard.one_time_keyboard) { box.hidden = true; }
      });
      line.append(button);
    }
    return line;
  }));
}

// --- acting -----------------------------------------------------------------------------

function target() { return { user: state.persona.id, chat: state.chat }; }

async function sendText(text) {
  await post("/api/send", { ...target(), text });
}

async function press(message, data, element) {
  element.classList.add("pressed");
  try {
    await post("/api/press", { ...target(), message_id: message.message_id, data });
  } finally {
    setTimeout(() => element.classList.remove("pressed"), 300);
  }
}

$("composer").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = $("text");
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  await sendText(text);
});

$("photo").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  const form = new FormData();
  form.append("user", state.persona.id);
  form.append("chat", state.chat);
  form.append("caption", $("text").value.trim());
  form.append("photo", file);
  $("text").value = "";
  event.target.value = "";
  await post("/api/photo", form);
});

$("send-location").addEventListener("click", () => post("/api/location", target()));

$("personas").addEventListener("click", (event) => {
  const button = event.target.closest(".persona");
  if (button) selectPersona(state.personas.find((p) => p.id === Number(button.dataset.id)), state.chat);
});

$("chats").addEventListener("click", (event) => {
  const button = event.target.closest(".chat");
  if (button) selectChat(Number(button.dataset.id));
});

// --- time, reset, notices ------------------------------------------------------------------

function showClock(clock) {
  $("clock").textContent = clock.local;
  $("clock-ahead").textContent = clock.ahead ? `(${clock.ahead})` : "";
}

async function timeAction(button, path, body) {
  document.querySelectorAll(".time button").forEach((b) => { b.disabled = true; });
  try {
    const result = await post(path, body);
    $("time-result").textContent = result.text;
    showClock(result.clock);
  } finally {
    document.querySelectorAll(".time button").forEach((b) => { b.disabled = false; });
  }
}

document.querySelectorAll("[data-hours]").forEach((button) => {
  button.addEventListener("click", () => timeAction(button, "/api/clock", { hours: Number(button.dataset.hours) }));
});
document.querySelectorAll("[data-job]").forEach((button) => {
  button.addEventListener("click", () => timeAction(button, `/api/jobs/${button.dataset.job}`));
});

$("reset").addEventListener("click", async () => {
  if (!confirm(strings["playground-reset-confirm"])) return;
  document.body.classList.add("busy");
  $("time-result").textContent = strings["playground-starting"];
  try { await post("/api/reset"); } finally { document.body.classList.remove("busy"); }
  $("time-result").textContent = "";
});

$("language-switch").addEventListener("click", async (event) => {
  event.preventDefault();
  document.body.classList.add("busy");
  const language = event.currentTarget.dataset.language;
  await post("/api/reset", { language });
  window.location.href = `/?lang=${language}`;
});

let toastTimer = null;
function toast(text) {
  const box = $("toast");
  box.textContent = text;
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, 3000);
}

function alertBox(text) {
  $("alert-text").textContent = text;
  $("alert-ok").textContent = strings["playground-alert-ok"];
  $("alert").showModal();
}

listen();
