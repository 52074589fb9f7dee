// The system's page: health, a form per contract method (from the OpenAPI param schemas),
// live bus events over the WebSocket, and the Prometheus metrics. No framework, no CDN.
"use strict";

const $ = (sel) => document.querySelector(sel);
const tokenInput = $("#token");
let doc = null;

function token() { return tokenInput.value.trim(); }

function initToken() {
  const m = location.hash.match(/token=([^&]+)/);
  const saved = sessionStorage.getItem("specloom-token");
  if (m) { tokenInput.value = decodeURIComponent(m[1]); history.replaceState(null, "", location.pathname); }
  else if (saved) { tokenInput.value = saved; }
  tokenInput.addEventListener("change", () => { sessionStorage.setItem("specloom-token", token()); connectEvents(); loadMetrics(); });
  if (token()) sessionStorage.setItem("specloom-token", token());
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") node.textContent = v; else if (v !== undefined && v !== null) node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

async function loadHealth() {
  const body = $("#health tbody");
  try {
    const r = await fetch("/healthz");
    const data = await r.json();
    body.replaceChildren(...data.modules.map((m) => el("tr", {"data-module": m.module},
      el("td", {text: m.module}), el("td", {text: m.agent || ""}), el("td", {text: (m.contracts || []).join(", ")}),
      el("td", {text: m.mode || ""}), el("td", {text: m.status || "", class: "status-" + m.status}))));
  } catch (e) { body.replaceChildren(el("tr", {}, el("td", {text: "health unavailable: " + e}))); }
}

function resolve(schema) {
  if (schema && schema.$ref && schema.$ref.startsWith("#/components/schemas/")) {
    return doc.components.schemas[schema.$ref.slice(21)] || {};
  }
  return schema || {};
}

function kindOf(schema) {
  const s = resolve(schema);
  if (Array.isArray(s.enum) && s.enum.every((v) => typeof v === "string")) return "enum";
  const t = Array.isArray(s.type) ? s.type.filter((x) => x !== "null") : [s.type];
  if (t.length === 1 && ["string", "integer", "number", "boolean"].includes(t[0])) return t[0];
  return "json";
}

function field(name, schema, required, example) {
  const s = resolve(schema);
  const kind = kindOf(schema);
  const id = "f-" + Math.random().toString(36).slice(2);
  const hint = el("span", {class: "hint", text: (required ? "required" : "optional") + (s.description ? " · " + s.description : "")});
  const label = el("label", {for: id}, name, hint);
  let input;
  const initial = example !== undefined ? example : s.default;
  if (kind === "enum") {
    input = el("select", {id, name});
    if (!required) input.append(el("option", {value: "", text: "(unset)"}));
    for (const v of s.enum) input.append(el("option", {value: v, text: v}));
    if (initial !== undefined) input.value = initial;
  } else if (kind === "boolean") {
    input = el("input", {id, name, type: "checkbox"});
    input.checked = initial === true;
  } else if (kind === "integer" || kind === "number") {
    input = el("input", {id, name, type: "number", step: kind === "integer" ? "1" : "any"});
    if (initial !== undefined && initial !== null) input.value = String(initial);
  } else if (kind === "string") {
    input = el("input", {id, name, type: "text"});
    if (typeof initial === "string") input.value = initial;
  } else {
    input = el("textarea", {id, name, placeholder: "JSON"});
    if (initial !== undefined) input.value = JSON.stringify(initial, null, 1);
  }
  input.dataset.kind = kind;
  input.dataset.required = required ? "1" : "";
  return [label, input];
}

function readValue(input) {
  const kind = input.dataset.kind;
  if (kind === "boolean") return input.checked;
  const text = input.value;
  if (text === "" && !input.dataset.required) return undefined;
  if (kind === "integer" || kind === "number") return text === "" ? undefined : Number(text);
  if (kind === "json") { try { return JSON.parse(text); } catch { throw new Error(input.name + ": not JSON"); } }
  return text;
}

function operationForm(path, verb, op) {
  const ext = op["x-specloom"];
  const fields = [];  // [name, schema, required, in]
  const params = op.parameters || [];
  for (const p of params) fields.push([p.name, p.schema, p.required, p.in]);
  let example = {};
  if (op.requestBody) {
    const content = op.requestBody.content["application/json"];
    const body = content.schema;
    const req = new Set(body.required || []);
    for (const [name, schema] of Object.entries(body.properties || {})) fields.push([name, schema, req.has(name), "body"]);
    const examples = Object.values(content.examples || {});
    if (examples.length) example = examples[0].value;
  }
  const form = el("form", {class: "call", "data-operation": op.operationId});
  for (const [name, schema, required, where] of fields) {
    const [label, input] = field(name, schema, required, example[name]);
    input.dataset.where = where;
    form.append(label, input);
  }
  const result = el("pre", {class: "result", "data-result": op.operationId, hidden: ""});
  form.append(el("button", {type: "submit", text: "Call " + ext.method}));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    result.hidden = false;
    let url = path;
    const query = new URLSearchParams();
    const body = {};
    try {
      for (const input of form.querySelectorAll("[data-where]")) {
        const value = readValue(input);
        if (value === undefined) continue;
        if (input.dataset.where === "path") url = url.replace("{" + input.name + "}", encodeURIComponent(value));
        else if (input.dataset.where === "query") query.append(input.name, String(value));
        else body[input.name] = value;
      }
    } catch (e) { result.className = "result error"; result.textContent = String(e.message); return; }
    const qs = query.toString();
    const init = {method: verb.toUpperCase(), headers: {}};
    if (token()) init.headers["authorization"] = "Bearer " + token();
    if (op.requestBody) { init.headers["content-type"] = "application/json"; init.body = JSON.stringify(body); }
    result.textContent = "…";
    try {
      const r = await fetch(url + (qs ? "?" + qs : ""), init);
      const text = await r.text();
      let shown = text;
      try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch {}
      result.className = "result " + (r.ok ? "success" : "error");
      result.dataset.status = String(r.status);
      result.textContent = r.status + " " + r.statusText + "\n" + shown;
    } catch (e) { result.className = "result error"; result.textContent = String(e); }
    loadMetrics();
  });
  return [form, result];
}

function renderContracts() {
  const root = $("#contracts");
  const byTag = new Map();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [verb, op] of Object.entries(item)) {
      const tag = (op.tags || ["other"])[0];
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push([path, verb, op]);
    }
  }
  const described = Object.fromEntries((doc.tags || []).map((t) => [t.name, t.description || ""]));
  for (const [tag, ops] of byTag) {
    const box = el("div", {class: "contract", "data-contract": tag}, el("h3", {text: tag}));
    if (described[tag]) box.append(el("p", {class: "small", text: described[tag]}));
    for (const [path, verb, op] of ops) {
      const summary = el("summary", {}, el("span", {class: "verb", text: verb.toUpperCase()}), " ",
        el("code", {text: path}), " — " + (op.summary || ""));
      const details = el("details", {class: "method", "data-method": op["x-specloom"].method}, summary);
      details.append(...operationForm(path, verb, op));
      box.append(details);
    }
    root.append(box);
  }
}

let socket = null;
function connectEvents() {
  if (socket) { socket.onclose = null; socket.close(); socket = null; }
  const conn = $("#conn");
  if (!token()) { conn.textContent = "events: need a token"; conn.className = "pill"; return; }
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const all = $("#all-traffic").checked ? "&all=1" : "";
  socket = new WebSocket(`${scheme}//${location.host}/ws/events?token=${encodeURIComponent(token())}${all}`);
  socket.onopen = () => { conn.textContent = "events: live"; conn.className = "pill live"; };
  socket.onclose = () => { conn.textContent = "events: offline"; conn.className = "pill"; };
  socket.onmessage = (msg) => {
    const env = JSON.parse(msg.data);
    const topic = env.topic || (env.payload && env.payload.metadata && env.payload.metadata.topic);
    const label = env.message_type === "event" ? (topic || "event") : `${env.message_type} ${env.source_agent} → ${env.target_agent}`;
    const item = el("li", {class: "event", "data-type": env.message_type},
      el("strong", {text: label}), el("pre", {class: "event-data", text: JSON.stringify(env.payload && env.payload.data)}));
    const list = $("#events");
    list.prepend(item);
    while (list.children.length > 100) list.lastChild.remove();
  };
}

async function loadMetrics() {
  const box = $("#metrics");
  if (!token()) { box.textContent = "(needs a token)"; return; }
  try {
    const r = await fetch("/metrics", {headers: {authorization: "Bearer " + token()}});
    if (!r.ok) { box.textContent = "metrics: HTTP " + r.status; return; }
    const lines = (await r.text()).split("\n").filter((l) => l.startsWith("specloom_") && !l.includes("_bucket{") && !l.includes("_created"));
    box.textContent = lines.join("\n") || "(no calls yet)";
  } catch (e) { box.textContent = "metrics unavailable: " + e; }
}

async function start() {
  initToken();
  $("#all-traffic").addEventListener("change", connectEvents);
  const r = await fetch("/openapi.json");
  doc = await r.json();
  renderContracts();
  await loadHealth();
  connectEvents();
  loadMetrics();
  setInterval(loadHealth, 10000);
  setInterval(loadMetrics, 5000);
  document.body.dataset.ready = "1";
}

start();
