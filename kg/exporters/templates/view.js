// The explorer: one script for its four pages, chosen by <body data-page>.
//  - graph: graph.html (window.KG_DATA inline) or views/entity.html#<node id>[&state] (KG_DATA null:
//    the entity's data comes from data/<shard>.js, which calls kgShard({id: {title, data}, …})).
//  - article: views/article.html#<article id>[&s=start-end], from articles/<shard>.js (kgArticles).
//  - index: index.html, from views/catalogue.js (kgCatalogue).
// KG_PAGE (site.settings): base (views/ from this page), shardChars, articleChars, styles
// and typeLabels by type, relations (key → label).
// Page data: nodes drawn as [id, x, y, size]; meta (id → [type, label, date, aliases, name], empty
// trailing fields left off; label tells apart, name is as written); facts as [subject, object,
// relation, date, place, evidence] with evidence [[sentence, article, start, end, rule] …]
// (sentence -1: not carried, the article page shows it); sentences (id → text); articles
// (id → [title, published, source]). The whole graph's facts carry the first few evidence records
// and, where there are more, their count as a seventh field. Past its size it adds index ([id,
// label, owner, aliases] of every node not drawn, owner numbering in owners the entity whose page
// shows it), more (node → facts not drawn) and anchors (node → the
// entity whose page shows it). An entity page's data has tenures: [post, person id, person,
// organisation, from, to, ended by, last seen, evidence count] in kg timeline's order. A holding's
// fact date is its tenures' span as an ISO interval "from/to" (either side may be empty).
"use strict";
(function () {
const PAGE = window.KG_PAGE || {};

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function fnv1a(text) {  // as articles.fnv1a: 32-bit FNV-1a of the UTF-8 bytes
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(text)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h >>> 0;
}
const articleShard = id => fnv1a(id).toString(16).padStart(8, "0").slice(0, PAGE.articleChars);
const shardOf = id => id.split("/").pop().slice(0, PAGE.shardChars).replace(/[^0-9a-f]/g, "_");
const entityPage = id => /^(organisation|person)\//.test(id) ? "entity.html#" + id : "";
const articleLink = (article, start, end) =>
  PAGE.base + "article.html#" + encodeURIComponent(article) + (start !== undefined ? "&s=" + start + "-" + end : "");

// Data scripts (jsontext.data_script): a page from file:// may load scripts where it may not fetch,
// and each script calls a global with its JSON deflated and in base64, which is inflated here.
async function inflate(packed) {
  const bytes = Uint8Array.from(atob(packed), c => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
  return JSON.parse(await new Response(stream).text());
}
const loaded = {shard: {}, article: {}, scripts: {}, decoding: {}};
function receiver(into) {  // called while the script runs: document.currentScript is that script
  return packed => {
    const src = document.currentScript ? document.currentScript.src : "";
    loaded.decoding[src] = inflate(packed).then(value => into(value));
  };
}
window.kgShard = receiver(records => Object.assign(loaded.shard, records));
window.kgArticles = receiver(records => Object.assign(loaded.article, records));
function loadScript(src) {
  if (!loaded.scripts[src]) {
    loaded.scripts[src] = new Promise((resolve, reject) => {
      const script = el("script", {src: src});
      script.onload = () => resolve(loaded.decoding[script.src]);
      script.onerror = () => reject(new Error("cannot load " + src));
      document.body.appendChild(script);
    });
  }
  return loaded.scripts[src];
}
const loadEntity = id => loadScript(PAGE.base + "data/" + shardOf(id) + ".js").then(() => loaded.shard[id]);
const loadArticle = id => loadScript(PAGE.base + "articles/" + articleShard(id) + ".js").then(() => loaded.article[id]);

function unpack(meta) {
  const [type, label, date = "", aliases = [], name = ""] = meta;
  return {type, label, date, aliases, name: name || label, typeLabel: (PAGE.typeLabels || {})[type] || type};
}

// The hash: "[id&]key=value&…" (an entity page's id first). Read once; written as the view changes.
function readHash() {
  const raw = location.hash.slice(1);
  const parts = raw ? raw.split("&") : [];
  const state = {id: "", params: new URLSearchParams()};
  if (parts.length && !parts[0].includes("=")) state.id = decodeURIComponent(parts.shift());
  state.params = new URLSearchParams(parts.join("&"));
  return state;
}
function writeHash(id, params) {
  const query = params.toString();
  const hash = (id ? encodeURI(id) : "") + (id && query ? "&" : "") + query;
  history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
}

// Every occurrence of any of the names in the sentence, marked (longest names first, no overlaps).
function marked(sentence, names) {
  const wanted = [...new Set(names.filter(n => n && n.length > 1 || n && /[\u4e00-\u9fff]/.test(n)))]
    .sort((a, b) => b.length - a.length);
  const spans = [];
  for (const name of wanted) {
    for (let i = sentence.indexOf(name); i >= 0; i = sentence.indexOf(name, i + name.length)) {
      if (!spans.some(([a, b]) => i < b && i + name.length > a)) spans.push([i, i + name.length]);
    }
  }
  spans.sort((x, y) => x[0] - y[0]);
  const frag = document.createDocumentFragment();
  let at = 0;
  for (const [a, b] of spans) {
    frag.append(sentence.slice(at, a), el("mark", {}, sentence.slice(a, b)));
    at = b;
  }
  frag.append(sentence.slice(at));
  return frag;
}

function download(name, blob) {
  const a = el("a", {href: URL.createObjectURL(blob), download: name});
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

const csvCell = v => /[",\n\r]/.test(String(v)) ? '"' + String(v).replace(/"/g, '""') + '"' : String(v);
const csvText = rows => "\ufeff" + rows.map(r => r.map(csvCell).join(",")).join("\r\n") + "\r\n";

// "2019-04-10/2022-03-15", "2019-04-10/" or "2021-05-06": [first year, last year] (null = unbounded).
function yearsOf(date) {
  if (!date) return null;
  const [a, b] = date.includes("/") ? date.split("/") : [date, date];
  return [a ? +a.slice(0, 4) : -Infinity, b ? +b.slice(0, 4) : Infinity];
}

function shownDate(date) {
  if (!date || !date.includes("/")) return date || "";
  const [a, b] = date.split("/");
  return (a || "?") + " – " + (b || "至今 now");
}

const ENDED_BY = {stated: "免职 removed", former: "原 former", inferred: "推断 inferred"};

// The leadership table (an organisation) or career (a person), and a timeline chart drawn as SVG.
function tenureSection(rows, isPerson) {
  const section = el("section", {id: "tenure-section"});
  section.appendChild(el("h3", {}, isPerson ? "任职经历 Career" : "领导任职 Leadership over time"));
  const table = el("table", {id: "tenures"});
  const head = el("tr");
  for (const h of ["职务 post", isPerson ? "机构 organisation" : "人物 person", "自 from", "至 to", "证据 evidence"]) head.appendChild(el("th", {}, h));
  table.appendChild(head);
  for (const [post, personId, person, org, from, to, endedBy, lastSeen, count] of rows) {
    const tr = el("tr", {"data-person": personId});
    tr.appendChild(el("td", {}, post));
    tr.appendChild(el("td", {}, isPerson ? org : person));
    tr.appendChild(el("td", {class: "from"}, from || "?"));
    const end = to ? to + (ENDED_BY[endedBy] ? " (" + ENDED_BY[endedBy] + ")" : "")
                   : (lastSeen ? "至今 · last seen " + lastSeen : "");
    tr.appendChild(el("td", {class: "to"}, end));
    tr.appendChild(el("td", {}, String(count)));
    table.appendChild(tr);
  }
  section.appendChild(table);
  const dated = rows.filter(r => r[4] || r[5]);
  if (dated.length) section.appendChild(tenureChart(dated, isPerson));
  return section;
}

function tenureChart(rows, isPerson) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = (tag, attrs, text) => {
    const e = document.createElementNS(ns, tag);
    Object.entries(attrs).forEach(([k, v]) => e.setAttribute(k, v));
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const year = d => +d.slice(0, 4) + ((+d.slice(5, 7) || 1) - 1) / 12 + ((+d.slice(8, 10) || 1) - 1) / 365;
  const points = rows.flatMap(r => [r[4], r[5], r[7]].filter(Boolean).map(year));
  const first = Math.floor(Math.min(...points)), last = Math.floor(Math.max(...points)) + 1;
  const left = 150, width = 340, row = 16;
  const x = t => left + (t - first) / (last - first) * (width - left - 10);
  const chart = svg("svg", {id: "tenure-chart", width: width, height: rows.length * row + 24, role: "img"});
  for (let y = first; y <= last; y++) {
    chart.appendChild(svg("line", {x1: x(y), x2: x(y), y1: 0, y2: rows.length * row + 4, stroke: "#eee"}));
    chart.appendChild(svg("text", {x: x(y), y: rows.length * row + 18, "font-size": 10, "text-anchor": "middle", fill: "#888"}, String(y)));
  }
  rows.forEach(([post, , person, org, from, to, endedBy, lastSeen], i) => {
    const a = year(from || to), b = year(to || lastSeen || from);
    chart.appendChild(svg("text", {x: 2, y: i * row + 12, "font-size": 11}, (post + " " + (isPerson ? org : person)).slice(0, 14)));
    chart.appendChild(svg("rect", {x: x(a), y: i * row + 3, width: Math.max(x(b) - x(a), 3), height: row - 6,
      fill: to ? "#2e86ab" : "#7fbcd2", stroke: endedBy === "inferred" ? "#e4572e" : "none"}));
  });
  return chart;
}

// ---------------------------------------------------------------------------------------------
// The graph pages.

// The order a node's panel lists its facts in: [relation, direction (1: the node is the subject)].
// (Organisations and people have sections of their own: showNode.)
const PANEL_ORDER = {
  meeting: [["held", -1], ["presided", -1], ["spoke", -1], ["attended", -1], ["set_target", 1], ["document", -1], ["document", 1]],
  post: [["post_in", 1], ["holds", -1]],
};
const ROLE_RELATIONS = ["presided", "spoke", "attended"];

// Short enough to read on the canvas, with what tells it apart below (not the page's own organisation).
function drawnLabel(meta, pageLabel) {
  const cut = (s, n) => s.length <= n ? s : s.slice(0, n - 1) + "…";
  if (meta.type === "meeting" || meta.type === "post") {
    const rest = meta.label.slice(meta.name.length).replace(/^ · /, "").split(" · ");
    const second = meta.type === "meeting" ? rest[rest.length - 1] : rest[0];
    return cut(meta.name, 16) + (second && second !== pageLabel ? "\n" + cut(second, 16) : "");
  }
  return cut(meta.label, 18);
}

function startGraph(DATA, focus, state) {
  window.kgData = DATA;
  const styles = PAGE.styles || {};
  const META = new Map();
  const metaOf = id => {
    if (!META.has(id) && DATA.meta[id]) META.set(id, unpack(DATA.meta[id]));
    return META.get(id);
  };
  window.kgMeta = metaOf;
  const pageLabel = focus && DATA.meta[focus] ? unpack(DATA.meta[focus]).label : "";
  const visNode = ([id, x, y, size]) => {
    const meta = metaOf(id);
    return {id, x, y, size, ntype: meta.type, label: drawnLabel(meta, pageLabel), ...styles[meta.type],
      title: meta.label + "\n" + meta.typeLabel + (meta.aliases.length ? "\n又名: " + meta.aliases.join("、") : "")};
  };
  // Facts, each once (by subject|object|relation), and each node's facts.
  const factKey = f => f[0] + "|" + f[1] + "|" + f[2];
  const factIndex = new Map();
  const details = new Map();
  function addFacts(facts) {
    const added = [];
    for (const f of facts) {
      const key = factKey(f);
      const known = factIndex.get(key);
      if (known) {  // the whole graph's brief fact, now loaded whole from a page: complete it in place
        if (known.length > 6 && f.length === 6) known.splice(0, known.length, ...f);
        continue;
      }
      factIndex.set(key, f);
      for (const n of [f[0], f[1]]) {
        if (!details.has(n)) details.set(n, []);
        details.get(n).push(f);
      }
      added.push(f);
    }
    return added;
  }
  addFacts(DATA.facts);
  const drawnIds = new Set(DATA.nodes.map(n => n[0]));
  const edgeOf = f => ({id: factKey(f), from: f[0], to: f[1], label: PAGE.relations[f[2]] || f[2], relation: f[2], date: f[3],
    title: f[5].length && f[5][0][0] !== -1 ? DATA.sentences[f[5][0][0]] : ""});
  const nodes = new vis.DataSet(DATA.nodes.map(visNode));
  const edges = new vis.DataSet(DATA.facts.filter(f => drawnIds.has(f[0]) && drawnIds.has(f[1])).map(edgeOf));
  const hiddenTypes = new Set(), hiddenRelations = new Set();
  const range = [-Infinity, Infinity];  // the date filter's years
  const inRange = date => { const y = yearsOf(date); return !y || (y[0] <= range[1] && y[1] >= range[0]); };
  const nodeView = new vis.DataView(nodes, {filter: n => !hiddenTypes.has(n.ntype) && inRange(metaOf(n.id).date)});
  const edgeView = new vis.DataView(edges, {filter: e => !hiddenRelations.has(e.relation) && inRange(e.date)});
  const big = edges.length > 1500;
  const network = new vis.Network(document.getElementById("graph"), {nodes: nodeView, edges: edgeView}, {
    physics: {enabled: false, stabilization: {iterations: 100}},
    layout: {improvedLayout: false},
    interaction: {hover: !big, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big, multiselect: true},
    nodes: {font: {size: 14, face: "Noto Sans CJK SC, sans-serif", strokeWidth: 3, strokeColor: "#fff"}},
    edges: {arrows: {to: {enabled: true, scaleFactor: 0.5}}, font: {size: big ? 0 : 10, align: "middle"},
            color: {color: "#999", highlight: "#333"}, smooth: false},
  });
  window.kgNetwork = network;
  // Index rows come as [id, label, owner, aliases] (trailing empties left off): read here as
  // [id, type, label, aliases, page].
  // Built on first use (a search, a node not drawn): 48,000 rows at 10k articles.
  let indexed = null;
  const index = () => {
    const owners = DATA.owners || [];
    indexed = indexed || new Map((DATA.index || []).map(([id, label, owner = -1, aliases = []]) =>
      [id, [id, id.split("/")[0], label, aliases, owner >= 0 ? "entity.html#" + owners[owner] + "&sel=" + id : entityPage(id)]]));
    return indexed;
  };
  const counts = () => {
    document.getElementById("counts").textContent = nodes.length + " nodes · " + edges.length + " edges";
  };
  counts();

  // The most important nodes keep a readable label at any zoom: their font grows as the view shrinks.
  const important = DATA.nodes.slice().sort((a, b) => b[3] - a[3] || (a[0] < b[0] ? -1 : 1)).slice(0, 30).map(n => n[0]);
  window.kgImportant = important;
  let labelScale = 0;
  function scaleLabels() {
    const scale = Math.min(network.getScale(), 1);
    if (scale === labelScale) return;
    labelScale = scale;
    const size = Math.min(14 / scale, 400);
    nodes.update(important.filter(id => nodes.get(id)).map(id => ({id, font: {size}})));
  }
  network.on("afterDrawing", scaleLabels);  // after any zoom or focus; redraws once if it changed

  const filters = document.getElementById("relation-filters");
  for (const [key, label] of Object.entries(PAGE.relations)) {
    const box = el("input", {type: "checkbox", class: "relation-filter", value: key});
    box.checked = true;
    const wrap = el("label");
    wrap.append(box, label);
    filters.appendChild(wrap);
  }

  // ----- the URL: selection, expanded nodes, filters and search, so a view can be shared.
  const params = state.params;
  const expanded = [];
  function saveState() {
    const p = new URLSearchParams();
    const selected = network.getSelectedNodes();
    if (selected.length) p.set("sel", selected.join(","));
    if (expanded.length) p.set("expand", expanded.join(","));
    if (hiddenTypes.size) p.set("hide", [...hiddenTypes].join(","));
    if (hiddenRelations.size) p.set("rels", [...hiddenRelations].join(","));
    if (range[0] > -Infinity) p.set("from", range[0]);
    if (range[1] < Infinity) p.set("to", range[1]);
    const q = document.getElementById("search").value.trim();
    if (q) p.set("q", q);
    writeHash(state.id, p);
  }
  window.kgSaveState = saveState;

  // ----- the panel
  const panel = document.getElementById("panel");
  function openPage(id) {
    const page = pageOf(id);
    if (page && "entity.html#" + focus !== page) panel.appendChild(el("a", {class: "page", href: PAGE.base + page}, "打开页面 open page →"));
  }
  function pageOf(id) {
    if (entityPage(id)) return entityPage(id);
    const anchor = (DATA.anchors || {})[id] || (focus && id !== focus ? focus : "");
    if (anchor && anchor !== focus) return "entity.html#" + anchor + "&sel=" + id;
    const row = index().get(id);
    return row ? row[4] : "";
  }
  function button(text, id, action) {
    const b = el("button", {type: "button", id: id}, text);
    b.addEventListener("click", action);
    return b;
  }
  function otherLink(other) {
    const meta = metaOf(other);
    const link = el("a", {class: "other", "data-id": other}, meta ? meta.label : other);
    link.addEventListener("click", () => focusNode(other));
    return link;
  }
  function evidenceBox(f) {
    const box = el("div", {class: "evidence-list"});
    const names = [f[0], f[1]].flatMap(n => { const m = metaOf(n); return m ? [m.name, ...m.aliases] : []; });
    for (const [sentence, article, start, end, rule] of f[5]) {
      if (sentence !== -1) {
        const quote = el("div", {class: "evidence"});
        quote.appendChild(marked(DATA.sentences[sentence], names));
        box.appendChild(quote);
      }
      const [title, published] = (DATA.articles || {})[article] || [article, ""];
      const source = el("div", {class: "source"}, (sentence !== -1 ? "《" + title + "》 " + (published || "") + " · " : "") +
        article + " [" + start + "–" + end + "] · " + rule + " ");
      source.appendChild(el("a", {class: "article-link", href: articleLink(article, start, end)}, sentence !== -1 ? "原文 article →" : "在原文中阅读 read it in the article →"));
      box.appendChild(source);
    }
    if (f.length > 6 && f[6] > f[5].length) {
      box.appendChild(el("div", {class: "muted more"}, "另有 " + (f[6] - f[5].length) + " 处出处,见其页面或展开 · " +
        (f[6] - f[5].length) + " more sentences: expand the node or open its page"));
    }
    return box;
  }
  function factLine(f, id) {
    const out = f[0] === id, other = out ? f[1] : f[0];
    const box = el("div", {class: "fact", "data-relation": f[2]});
    const head = el("div");
    head.appendChild(el("span", {class: "rel"}, (out ? "→ " : "← ") + (PAGE.relations[f[2]] || f[2]) + " "));
    head.appendChild(otherLink(other));
    if (f[3]) head.appendChild(el("span", {class: "muted"}, " " + shownDate(f[3])));
    box.appendChild(head);
    box.appendChild(evidenceBox(f));
    return box;
  }
  // Who holds an organisation's posts, from the facts loaded: post, holder(s) with dates, evidence.
  function holdersTable(org, facts) {
    const posts = facts.filter(f => f[2] === "post_in" && f[1] === org).map(f => f[0]);
    if (!posts.length) return null;
    const table = el("table", {id: "holders"});
    const head = el("tr");
    for (const h of ["职务 post", "任职者 holder", "时间 dates", "证据 evidence"]) head.appendChild(el("th", {}, h));
    table.appendChild(head);
    for (const post of posts) {
      const holds = (details.get(post) || []).filter(f => f[2] === "holds" && f[1] === post);
      const title = (metaOf(post) || {name: post}).name;
      for (const f of holds.length ? holds : [null]) {
        const tr = el("tr", {"data-post": post});
        tr.appendChild(el("td", {}, title));
        const who = el("td");
        if (f) who.appendChild(otherLink(f[0]));
        tr.appendChild(who);
        tr.appendChild(el("td", {}, f ? shownDate(f[3]) : ""));
        tr.appendChild(el("td", {class: "n"}, f ? String(f.length > 6 ? f[6] : f[5].length) : ""));
        table.appendChild(tr);
      }
    }
    return table;
  }
  function section(title, facts, id, sort) {
    if (!facts.length) return;
    const s = el("section", {class: "facts"});
    s.appendChild(el("h3", {}, title + " (" + facts.length + ")"));
    for (const f of sort ? facts.slice().sort(sort) : facts) s.appendChild(factLine(f, id));
    panel.appendChild(s);
  }
  const newestFirst = (id) => (a, b) => {
    const da = metaOf(a[0] === id ? a[1] : a[0]), db = metaOf(b[0] === id ? b[1] : b[0]);
    return ((db && db.date) || "").localeCompare((da && da.date) || "") || (a[3] || "").localeCompare(b[3] || "");
  };

  function showIndexed(row) {
    const [id, , label, aliases, page] = row;
    panel.replaceChildren();
    panel.appendChild(el("h2", {id: "panel-title"}, label));
    panel.appendChild(el("div", {class: "muted"}, (PAGE.typeLabels || {})[row[1]] || row[1]));
    if (aliases.length) panel.appendChild(el("div", {}, "又名 aliases: " + aliases.join("、")));
    panel.appendChild(el("div", {class: "muted"}, "未在整体图谱中绘出 · not drawn on the whole graph"));
    if (page) {
      panel.appendChild(el("a", {class: "page", href: PAGE.base + page}, "打开页面 open page →"));
      panel.appendChild(button("加入图中 add to the graph", "bring", () => bringIn(id, page)));
    }
  }

  function showNode(id) {
    const meta = metaOf(id);
    panel.replaceChildren();
    if (!meta) return;
    panel.appendChild(el("h2", {id: "panel-title"}, meta.label));
    panel.appendChild(el("div", {class: "muted"}, meta.typeLabel + (meta.date ? " · " + meta.date : "")));
    if (meta.aliases.length) panel.appendChild(el("div", {}, "又名 aliases: " + meta.aliases.join("、")));
    openPage(id);
    const tools = el("div", {class: "panel-tools"});
    tools.appendChild(button("展开邻居 expand", "expand", () => expand(id)));
    tools.appendChild(button("路径起点 path from here", "path-from", () => { pathFrom = id; showNode(id); }));
    if (pathFrom && pathFrom !== id) {
      tools.appendChild(button("最短路径 path from " + (metaOf(pathFrom) || {label: pathFrom}).label, "path-to", () => showPath(pathFrom, id)));
    }
    panel.appendChild(tools);
    const more = (DATA.more || {})[id];
    if (more && !expanded.includes(id)) panel.appendChild(el("div", {class: "muted more"}, "另有 " + more + " 条事实连到未绘出的节点 · " +
      more + " more facts reach nodes not drawn here: expand, or open its page"));
    const facts = details.get(id) || [];
    const used = new Set();
    const take = (relation, dir) => facts.filter(f => f[2] === relation && (dir > 0 ? f[0] === id : f[1] === id) && !used.has(f) && used.add(f));
    if (meta.type === "organisation") {
      if (id === focus && DATA.tenures && DATA.tenures.length) panel.appendChild(tenureSection(DATA.tenures, false));
      else {
        const table = holdersTable(id, facts);
        if (table) { panel.appendChild(el("h3", {}, "职务与任职者 Posts and holders")); panel.appendChild(table); }
      }
      take("post_in", -1);
      section("会议 Meetings, newest first", take("held", 1), id, newestFirst(id));
      section("文件 Documents", [...take("document", 1), ...take("document", -1)], id);
      const targets = [];
      for (const f of facts) if (f[2] === "held" && f[0] === id) for (const t of (details.get(f[1]) || [])) if (t[2] === "set_target") targets.push(t);
      section("会议目标 Targets set at its meetings", targets, id);
    } else if (meta.type === "person") {
      if (id === focus && DATA.tenures && DATA.tenures.length) panel.appendChild(tenureSection(DATA.tenures, true));
      const posts = take("holds", 1);
      if (posts.length) {
        const s = el("section", {class: "facts", id: "person-posts"});
        s.appendChild(el("h3", {}, "职务 Posts (" + posts.length + ")"));
        for (const f of posts) {
          const line = factLine(f, id);
          const orgs = (details.get(f[1]) || []).filter(g => g[2] === "post_in" && g[0] === f[1]).map(g => g[1]);
          for (const org of orgs) { line.firstChild.append(" @ "); line.firstChild.appendChild(otherLink(org)); }
          s.appendChild(line);
        }
        panel.appendChild(s);
      }
      const meetings = ROLE_RELATIONS.flatMap(r => take(r, 1));
      section("会议 Meetings, newest first", meetings, id, newestFirst(id));
    } else {
      for (const [relation, dir] of PANEL_ORDER[meta.type] || []) {
        section((PAGE.relations[relation] || relation), take(relation, dir), id);
      }
    }
    section("其他 Other facts", facts.filter(f => !used.has(f)), id);
  }

  function focusNode(id) {
    if (!metaOf(id) || !nodes.get(id)) {
      if (index().has(id)) { showIndexed(index().get(id)); return true; }
      if (!metaOf(id)) return false;
      placeAround(id, [id]);
    }
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 0.8), animation: false});
    showNode(id);
    saveState();
    return true;
  }
  window.kgFocus = focusNode;
  network.on("click", p => {
    if (p.nodes.length) showNode(p.nodes[p.nodes.length - 1]);
    saveState();
  });
  network.on("doubleClick", p => { if (p.nodes.length) expand(p.nodes[0]); });

  // ----- expansion: a node's neighbours from the page data that shows it, drawn around it.
  function merge(data) {
    for (const [id, meta] of Object.entries(data.meta)) if (!DATA.meta[id]) DATA.meta[id] = meta;
    Object.assign(DATA.sentences, data.sentences);
    DATA.articles = Object.assign(DATA.articles || {}, data.articles);
    return addFacts(data.facts);
  }
  function placeAround(centre, ids) {
    const fresh = ids.filter(i => !nodes.get(i) && metaOf(i));
    if (!fresh.length) return [];
    const at = nodes.get(centre) ? network.getPosition(centre) : network.getViewPosition();
    const radius = 120 + 12 * fresh.length;
    nodes.add(fresh.map((i, k) => {
      const angle = 2 * Math.PI * k / fresh.length;
      return visNode([i, at.x + radius * Math.cos(angle), at.y + radius * Math.sin(angle), 14]);
    }));
    const shown = new Set(nodes.getIds());
    const newEdges = [];
    for (const i of fresh) for (const f of details.get(i) || []) {
      if (shown.has(f[0]) && shown.has(f[1]) && !edges.get(factKey(f))) newEdges.push(edgeOf(f));
    }
    edges.update(newEdges);
    counts();
    return fresh;
  }
  function ownerOf(id) {
    if (entityPage(id)) return id;
    return (DATA.anchors || {})[id] || "";
  }
  async function expand(id) {
    const owner = ownerOf(id);
    if (owner && !(focus && owner === focus)) {
      try {
        const record = await loadEntity(owner);
        if (record) merge(record.data);
      } catch (err) {
        document.getElementById("notice").textContent = "无法载入 cannot load the data of " + owner;
      }
    }
    const around = (details.get(id) || []).map(f => f[0] === id ? f[1] : f[0]);
    const added = placeAround(id, around);
    if (!expanded.includes(id)) expanded.push(id);
    if (metaOf(id)) showNode(id);
    saveState();
    return added.length;
  }
  window.kgExpand = expand;
  async function bringIn(id, page) {
    const owner = page.split("#")[1].split("&")[0];
    const record = await loadEntity(owner);
    if (record) merge(record.data);
    placeAround(focusOrCentre(), [id]);
    expanded.push(id);
    return focusNode(id);
  }
  const focusOrCentre = () => focus && nodes.get(focus) ? focus : "";
  window.kgBringIn = bringIn;

  // ----- shortest path over every fact loaded, in either direction.
  let pathFrom = "";
  function shortestPath(a, b) {
    const back = new Map([[a, null]]);
    let frontier = [a];
    while (frontier.length && !back.has(b)) {
      const next = [];
      for (const n of frontier) for (const f of details.get(n) || []) {
        const other = f[0] === n ? f[1] : f[0];
        if (!back.has(other)) { back.set(other, [n, f]); next.push(other); }
      }
      frontier = next;
    }
    if (!back.has(b)) return null;
    const path = [];
    for (let n = b; back.get(n); n = back.get(n)[0]) path.unshift([back.get(n)[1], n]);
    return path;
  }
  function showPath(a, b) {
    const path = shortestPath(a, b);
    panel.replaceChildren();
    panel.appendChild(el("h2", {id: "panel-title"}, "路径 Path"));
    if (!path) {
      panel.appendChild(el("div", {id: "path-none"}, "已载入的事实中没有连接 · no path among the facts loaded: expand either end and try again"));
      return null;
    }
    const ids = [a, ...path.map(p => p[1])];
    placeAround(a, ids);
    const list = el("ol", {id: "path"});
    list.appendChild(el("li", {}, "")).appendChild(otherLink(a));
    for (const [f, n] of path) {
      const li = el("li");
      li.appendChild(el("span", {class: "rel"}, (PAGE.relations[f[2]] || f[2]) + (f[1] === n ? " → " : " ← ")));
      li.appendChild(otherLink(n));
      list.appendChild(li);
    }
    panel.appendChild(list);
    network.setSelection({nodes: ids, edges: path.map(p => factKey(p[0]))}, {highlightEdges: false});
    network.fit({nodes: ids, animation: false});
    saveState();
    return ids;
  }
  window.kgPath = (a, b) => { pathFrom = a; return showPath(a, b); };

  // ----- search: a list of matches (type, what tells them apart) to pick from, with the keyboard.
  let searchable = null;  // [id, type, label, aliases] of every node the page knows, on first search
  function searchRows() {
    if (!searchable) {
      searchable = Object.keys(DATA.meta).map(id => { const m = metaOf(id); return [id, m.type, m.label, m.aliases]; });
      for (const [id, type, label, aliases] of index().values()) if (!DATA.meta[id]) searchable.push([id, type, label, aliases]);
    }
    return searchable;
  }
  const box = document.getElementById("search"), results = document.getElementById("results");
  let active = 0, shownResults = [];
  function search(q) {
    const scored = [];
    for (const row of searchRows()) {
      const [, , label, aliases] = row;
      const names = [label, ...aliases];
      const rank = names.some(n => n === q) ? 0 : names.some(n => n.startsWith(q)) ? 1 : names.some(n => n.includes(q)) ? 2 : -1;
      if (rank >= 0) scored.push([rank, label.length, label, row]);
    }
    scored.sort((x, y) => x[0] - y[0] || x[1] - y[1] || (x[2] < y[2] ? -1 : x[2] > y[2] ? 1 : 0));
    return scored.map(s => s[3]);
  }
  function renderResults() {
    results.replaceChildren();
    shownResults.slice(0, 50).forEach(([id, type, label], i) => {
      const li = el("li", {role: "option", "data-id": id, class: i === active ? "active" : ""});
      li.appendChild(el("svg", {class: "glyph-dot", style: "background:" + ((styles[type] || {}).color || "#999")}));
      li.appendChild(el("span", {class: "result-label"}, label));
      li.appendChild(el("span", {class: "muted"}, " · " + ((PAGE.typeLabels || {})[type] || type)));
      li.addEventListener("mousedown", ev => { ev.preventDefault(); pick(i); });
      results.appendChild(li);
    });
    if (shownResults.length > 50) results.appendChild(el("li", {class: "muted"}, "…共 " + shownResults.length + " 项 · " + shownResults.length + " matches: type more"));
    results.hidden = !shownResults.length;
    box.setAttribute("aria-expanded", String(!results.hidden));
  }
  function pick(i) {
    const row = shownResults[i];
    if (!row) return;
    results.hidden = true;
    focusNode(row[0]);
  }
  box.addEventListener("input", () => {
    const q = box.value.trim();
    shownResults = q ? search(q) : [];
    active = 0;
    renderResults();
    saveState();
  });
  box.addEventListener("keydown", ev => {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (!shownResults.length) return;
      ev.preventDefault();
      const last = Math.min(shownResults.length, 50) - 1;
      active = ev.key === "ArrowDown" ? Math.min(active + 1, last) : Math.max(active - 1, 0);
      renderResults();
    } else if (ev.key === "Enter") {
      ev.preventDefault();
      pick(active);
    } else if (ev.key === "Escape") {
      results.hidden = true;
    }
  });
  box.addEventListener("blur", () => { results.hidden = true; });
  box.addEventListener("focus", () => { if (shownResults.length) results.hidden = false; });
  window.kgSearch = q => search(q).map(r => r[0]);

  // ----- filters
  function applyFilters() { nodeView.refresh(); edgeView.refresh(); saveState(); }
  document.querySelectorAll(".type-filter").forEach(b => b.addEventListener("change", () => {
    if (b.checked) hiddenTypes.delete(b.value); else hiddenTypes.add(b.value);
    applyFilters();
  }));
  document.querySelectorAll(".relation-filter").forEach(b => b.addEventListener("change", () => {
    if (b.checked) hiddenRelations.delete(b.value); else hiddenRelations.add(b.value);
    applyFilters();
  }));
  const dateBoxes = [document.getElementById("date-from"), document.getElementById("date-to")];
  dateBoxes.forEach((b, i) => b.addEventListener("input", () => {
    const v = parseInt(b.value, 10);
    range[i] = Number.isFinite(v) ? v : (i ? Infinity : -Infinity);
    applyFilters();
  }));
  document.getElementById("physics").addEventListener("change", ev => network.setOptions({physics: {enabled: ev.target.checked}}));

  // ----- exports: the selection's facts as CSV, the view as PNG, the view's link.
  async function selectionRows() {
    const selected = new Set(network.getSelectedNodes());
    const visible = new Set(nodeView.getIds());
    const rows = [["subject", "subject_type", "relation", "object", "object_type", "date", "sentence", "article", "start", "end", "rule"]];
    const facts = selected.size ? [...factIndex.values()].filter(f => selected.has(f[0]) || selected.has(f[1]))
                                : [...factIndex.values()].filter(f => visible.has(f[0]) && visible.has(f[1]) && edgeView.get(factKey(f)));
    // Sentences the page does not carry are read from their articles' pages' data.
    const missing = new Set(facts.flatMap(f => f[5].filter(e => e[0] === -1).map(e => e[1])));
    const texts = new Map(await Promise.all([...missing].map(a => loadArticle(a).then(r => [a, r], () => [a, null]))));
    const sentenceOf = ([sentence, article, start, end]) => {
      if (sentence !== -1) return DATA.sentences[sentence];
      const record = texts.get(article);
      return !record ? "" : record.text ? record.text.slice(start, end) : record.sentences[String(start)] || "";
    };
    for (const f of facts) {
      const s = metaOf(f[0]), o = metaOf(f[1]);
      for (const e of f[5]) {
        rows.push([s ? s.label : f[0], s ? s.type : "", f[2], o ? o.label : f[1], o ? o.type : "", f[3],
                   sentenceOf(e), e[1], e[2], e[3], e[4]]);
      }
    }
    return rows;
  }
  window.kgSelectionRows = selectionRows;
  document.getElementById("export-csv").addEventListener("click", async () =>
    download("kg-selection.csv", new Blob([csvText(await selectionRows())], {type: "text/csv;charset=utf-8"})));
  document.getElementById("export-png").addEventListener("click", () => {
    const canvas = document.querySelector("#graph canvas");
    const out = el("canvas", {width: canvas.width, height: canvas.height});
    const ctx = out.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, 0, 0);
    out.toBlob(blob => download("kg-view.png", blob), "image/png");
  });
  document.getElementById("copy-link").addEventListener("click", () => {
    saveState();
    if (navigator.clipboard) navigator.clipboard.writeText(location.href).catch(() => {});
    document.getElementById("notice").textContent = location.href;
  });

  // ----- restore the view the URL describes, then say the page is ready.
  async function restore() {
    for (const t of (params.get("hide") || "").split(",").filter(Boolean)) {
      hiddenTypes.add(t);
      const b = document.querySelector(".type-filter[value='" + CSS.escape(t) + "']");
      if (b) b.checked = false;
    }
    for (const r of (params.get("rels") || "").split(",").filter(Boolean)) {
      hiddenRelations.add(r);
      const b = document.querySelector(".relation-filter[value='" + CSS.escape(r) + "']");
      if (b) b.checked = false;
    }
    ["from", "to"].forEach((k, i) => {
      const v = parseInt(params.get(k) || "", 10);
      if (Number.isFinite(v)) { range[i] = v; dateBoxes[i].value = String(v); }
    });
    nodeView.refresh();
    edgeView.refresh();
    for (const id of (params.get("expand") || "").split(",").filter(Boolean)) {
      if (metaOf(id) && nodes.get(id)) await expand(id);
      else if (index().has(id) && index().get(id)[4]) await bringIn(id, index().get(id)[4]);
    }
    const q = params.get("q");
    if (q) { box.value = q; shownResults = search(q); }
    const sel = (params.get("sel") || "").split(",").filter(Boolean);
    if (sel.length) {
      for (const id of sel) if (!nodes.get(id) && metaOf(id)) placeAround(focusOrCentre(), [id]);
      network.selectNodes(sel.filter(id => nodes.get(id)));
      showNode(sel[sel.length - 1]);
      if (!focus) network.focus(sel[sel.length - 1], {scale: 1, animation: false});
    } else if (focus) {
      showNode(focus);
    }
  }
  network.fit({animation: false});
  let restored = false;  // once: scaleLabels' redraw may emit afterDrawing within this handler
  network.once("afterDrawing", () => {
    if (restored) return;
    restored = true;
    scaleLabels();
    restore().finally(() => { document.body.dataset.ready = "1"; });
  });
}

function notFound(what) {
  document.getElementById("notice").textContent = "没有此页面 · no page for " + (what || "(none)") + ": open one from the index.";
  document.body.dataset.ready = "1";
}

function graphPage() {
  const state = readHash();
  if (window.KG_DATA) { startGraph(window.KG_DATA, "", state); return; }
  // views/entity.html#<node id>: the entity's page data comes from its shard.
  const id = state.id;
  // The page writes its state with replaceState, which fires no hashchange: one is a link followed.
  window.addEventListener("hashchange", () => location.reload());
  if (!id) { notFound(""); return; }
  loadEntity(id).then(record => {
    if (!record) { notFound(id); return; }
    document.title = record.title;
    document.querySelector("h1").textContent = record.title;
    startGraph(record.data, id, state);
  }, () => notFound(id));
}

// ---------------------------------------------------------------------------------------------
// The article page: the cleaned text, every sentence a fact was read from marked, its facts beside.

function articlePage() {
  const state = readHash();
  const id = state.id;
  window.addEventListener("hashchange", () => location.reload());
  if (!id) { notFound(""); return; }
  loadArticle(id).then(record => {
    if (!record) { notFound(id); return; }
    const meta = Object.fromEntries(Object.entries(record.meta).map(([n, m]) => [n, unpack(m)]));
    document.title = record.title;
    document.getElementById("article-title").textContent = record.title;
    const source = document.getElementById("article-source");
    source.textContent = (record.published ? record.published + " · " : "") + "文件 file: " + id;
    if (record.source) {
      source.append(" · 来源 source: ");
      source.appendChild(el("a", {href: record.source, rel: "noreferrer"}, record.source));
    }
    // Sentences (start-end) → the facts read from them.
    const bySentence = new Map();
    for (const f of record.facts) {
      const key = f[3] + "-" + f[4];
      if (!bySentence.has(key)) bySentence.set(key, []);
      bySentence.get(key).push(f);
    }
    const wanted = state.params.get("s") || "";
    const text = document.getElementById("article-text");
    const namesOf = facts => facts.flatMap(f => [f[0], f[1]]).flatMap(n => meta[n] ? [meta[n].name, ...meta[n].aliases] : []);
    const spans = [...bySentence.keys()].map(k => k.split("-").map(Number)).sort((a, b) => a[0] - b[0]);
    let at = 0;
    const body = record.text;
    for (const [start, end] of spans) {
      const facts = bySentence.get(start + "-" + end);
      const sentence = body ? body.slice(start, end) : record.sentences[String(start)] || "";
      if (body && start < at) continue;  // overlapping sentences: the first wins
      if (body) text.append(body.slice(at, start));
      const mark = el("span", {class: "fact-sentence" + (wanted === start + "-" + end ? " wanted" : ""), id: "s" + start + "-" + end,
        title: facts.map(f => (meta[f[0]] || {label: f[0]}).label + " " + (PAGE.relations[f[2]] || f[2]) + " " + (meta[f[1]] || {label: f[1]}).label).join("\n")});
      mark.appendChild(marked(sentence, namesOf(facts)));
      text.appendChild(mark);
      if (!body) text.append("\n\n");
      at = end;
    }
    if (body) text.append(body.slice(at));
    else document.getElementById("notice").textContent = "此导出不含全文,仅显示有事实的句子 · the full text is not in this export: sentences with facts only";
    const list = document.getElementById("article-facts");
    list.appendChild(el("h2", {}, "事实 Facts (" + record.facts.length + ")"));
    for (const [s, o, relation, start, end, rule] of record.facts) {
      const row = el("div", {class: "fact", "data-span": start + "-" + end});
      for (const [n, sep] of [[s, " " + (PAGE.relations[relation] || relation) + " "], [o, ""]]) {
        const m = meta[n] || {label: n};
        const page = entityPage(n);
        row.appendChild(page ? el("a", {href: page}, m.label) : el("span", {}, m.label));
        if (sep) row.appendChild(el("span", {class: "rel"}, sep));
      }
      const jump = el("a", {class: "muted", href: "#" + encodeURIComponent(id) + "&s=" + start + "-" + end}, " [" + start + "–" + end + "] " + rule);
      jump.addEventListener("click", ev => {
        ev.preventDefault();
        document.querySelectorAll(".fact-sentence.wanted").forEach(e => e.classList.remove("wanted"));
        const target = document.getElementById("s" + start + "-" + end);
        if (target) { target.classList.add("wanted"); target.scrollIntoView({block: "center"}); }
        history.replaceState(null, "", "#" + encodeURIComponent(id) + "&s=" + start + "-" + end);
      });
      row.appendChild(jump);
      list.appendChild(row);
    }
    const target = wanted && document.getElementById("s" + wanted);
    if (target) target.scrollIntoView({block: "center"});
    document.body.dataset.ready = "1";
  }, () => notFound(id));
}

// ---------------------------------------------------------------------------------------------
// The index: every kind's table, sortable, filtered across kinds, a page of rows at a time.

const PAGE_ROWS = 50;
function indexPage() {
  window.kgCatalogue = receiver(catalogue => {
    const kinds = catalogue.kinds;
    const state = readHash().params;
    let kind = state.get("kind") || kinds[0].type;
    let q = state.get("q") || "";
    let sortColumn = +(state.get("sort") || 0), descending = state.get("desc") === "1";
    let pageNo = +(state.get("page") || 0);
    const filterBox = document.getElementById("filter");
    filterBox.value = q;
    const matches = rows => q ? rows.filter(r => r.slice(2).some(c => String(c).includes(q))) : rows;
    function save() {
      const p = new URLSearchParams({kind: kind});
      if (q) p.set("q", q);
      if (sortColumn || descending) { p.set("sort", sortColumn); if (descending) p.set("desc", "1"); }
      if (pageNo) p.set("page", pageNo);
      writeHash("", p);
    }
    function render() {
      const tabs = document.getElementById("kinds");
      tabs.replaceChildren();
      for (const k of kinds) {
        const b = el("button", {type: "button", role: "tab", "data-kind": k.type, "aria-selected": String(k.type === kind)},
          k.label + " (" + matches(k.rows).length + ")");
        b.addEventListener("click", () => { kind = k.type; pageNo = 0; sortColumn = 0; descending = false; render(); });
        tabs.appendChild(b);
      }
      const current = kinds.find(k => k.type === kind) || kinds[0];
      const rows = matches(current.rows).slice();
      const column = sortColumn + 2;
      rows.sort((a, b) => {
        const x = a[column], y = b[column];
        const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "zh");
        return descending ? -order : order;
      });
      const pages = Math.max(1, Math.ceil(rows.length / PAGE_ROWS));
      pageNo = Math.min(Math.max(pageNo, 0), pages - 1);
      const head = el("tr");
      current.columns.forEach((c, i) => {
        const th = el("th", {"data-column": i, "aria-sort": i === sortColumn ? (descending ? "descending" : "ascending") : "none"},
          c + (i === sortColumn ? (descending ? " ▼" : " ▲") : ""));
        th.addEventListener("click", () => {
          if (sortColumn === i) descending = !descending; else { sortColumn = i; descending = typeof current.rows[0]?.[i + 2] === "number"; }
          pageNo = 0;
          render();
        });
        head.appendChild(th);
      });
      document.querySelector("#catalogue thead").replaceChildren(head);
      const body = document.querySelector("#catalogue tbody");
      body.replaceChildren(...rows.slice(pageNo * PAGE_ROWS, (pageNo + 1) * PAGE_ROWS).map(([id, page, ...cells]) => {
        const tr = el("tr", {"data-id": id});
        cells.forEach((c, i) => {
          const td = el("td", typeof c === "number" ? {class: "n"} : {});
          if (i === 0 && page) td.appendChild(el("a", {href: PAGE.base + page}, String(c)));
          else td.textContent = String(c);
          tr.appendChild(td);
        });
        return tr;
      }));
      const pager = document.getElementById("pager");
      pager.replaceChildren();
      const go = (n, text, id) => {
        const b = el("button", {type: "button", id: id}, text);
        b.disabled = n < 0 || n >= pages || n === pageNo;
        b.addEventListener("click", () => { pageNo = n; render(); });
        pager.appendChild(b);
      };
      go(0, "« 首页 first", "page-first");
      go(pageNo - 1, "‹ 上一页 previous", "page-prev");
      pager.appendChild(el("span", {id: "page-no"}, " " + (pageNo + 1) + " / " + pages + " · " + rows.length + " 行 rows "));
      go(pageNo + 1, "下一页 next ›", "page-next");
      go(pages - 1, "末页 last »", "page-last");
      save();
    }
    let timer = 0;
    filterBox.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => { q = filterBox.value.trim(); pageNo = 0; render(); }, 120);
    });
    render();
    document.body.dataset.ready = "1";
  });
}

const kind = document.body.dataset.page;
if (kind === "article") articlePage();
else if (kind === "index") indexPage();
else graphPage();
})();
