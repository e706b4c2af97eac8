// The graph explorer: one script for the whole-graph page and the entity page.
// The whole-graph page sets window.KG_DATA; views/entity.html#<node id> leaves it null and loads
// the entity's data from data/<shard>.js, which calls kgShard({id: {title, data}, …}).
// KG_DATA holds the drawn nodes ({id, x, y, label, size, ntype}: colour and shape come from
// KG_PAGE.styles by type, the tooltip from the meta), every member's meta, each fact once as
// [subject, object, relation, date, place, evidence, evidence count] with evidence (the first few)
// as [sentence index, article, start, end, rule], details (node → its facts' indices), sentences,
// relations (key → label), articles and pages; the whole-graph page past its size limit also has
// index ([id, label, aliases, type label, page] of every node not drawn) and more (node → facts not shown).
// An entity page's data has tenures: [post, person id, person, organisation, from, to, ended by,
// last seen, evidence count], in table order (kg timeline's). A holding's fact date is its tenures'
// span as an ISO interval "from/to" (either side may be empty).
"use strict";
(function () {
function el(tag, attrs, text) {
  const e = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
  if (text !== undefined) e.textContent = text;
  return e;
}

// "2019-04-10/2022-03-15", "2019-04-10/" or "2021-05-06": [first year, last year] (null = unbounded).
function yearsOf(date) {
  if (!date) return null;
  const [a, b] = date.includes("/") ? date.split("/") : [date, date];
  return [a ? +a.slice(0, 4) : -Infinity, b ? +b.slice(0, 4) : Infinity];
}

function shownDate(date) {
  if (!date.includes("/")) return date;
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

function start(DATA, PAGE) {
  window.kgData = DATA;
  // Colour and shape come by type, the tooltip from the node's meta: pages carry neither per node.
  for (const n of DATA.nodes) {
    Object.assign(n, (PAGE.styles || {})[n.ntype]);
    const meta = DATA.meta[n.id];
    if (meta) n.title = meta.label + "\n" + meta.typeLabel + (meta.aliases.length ? "\n又名: " + meta.aliases.join("、") : "");
  }
  const shown = new Set(DATA.nodes.map(n => n.id));
  const edgeOf = f => ({id: f[0] + "|" + f[1] + "|" + f[2], from: f[0], to: f[1], label: DATA.relations[f[2]],
                        relation: f[2], date: f[3], title: DATA.sentences[f[5][0][0]]});
  DATA.edges = DATA.facts.filter(f => shown.has(f[0]) && shown.has(f[1])).map(edgeOf);
  const nodes = new vis.DataSet(DATA.nodes);
  const edges = new vis.DataSet(DATA.edges);
  const hiddenTypes = new Set();
  const hiddenRelations = new Set();
  const range = [-Infinity, Infinity];  // the date filter's years
  const inRange = date => { const y = yearsOf(date); return !y || (y[0] <= range[1] && y[1] >= range[0]); };
  const nodeView = new vis.DataView(nodes, {filter: n => !hiddenTypes.has(n.ntype) && inRange((DATA.meta[n.id] || {}).date)});
  const edgeView = new vis.DataView(edges, {filter: e => !hiddenRelations.has(e.relation) && inRange(e.date)});
  const big = DATA.edges.length > 1500;
  const network = new vis.Network(document.getElementById("graph"), {nodes: nodeView, edges: edgeView}, {
    physics: {enabled: false, stabilization: {iterations: 100}},
    layout: {improvedLayout: false},
    interaction: {hover: !big, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big},
    nodes: {font: {size: 16, face: "Noto Sans CJK SC, sans-serif"}},
    edges: {arrows: {to: {enabled: true, scaleFactor: 0.5}}, font: {size: big ? 0 : 10, align: "middle"},
            color: {color: "#999", highlight: "#333"}, smooth: false},
  });
  window.kgNetwork = network;
  const index = new Map((DATA.index || []).map(row => [row[0], row]));

  document.getElementById("counts").textContent = DATA.nodes.length + " nodes · " + DATA.edges.length + " edges";
  const filters = document.getElementById("relation-filters");
  for (const [key, label] of Object.entries(DATA.relations)) {
    const box = el("input", {type: "checkbox", class: "relation-filter", value: key});
    box.checked = true;
    const wrap = el("label");
    wrap.append(box, label);
    filters.appendChild(wrap);
  }

  function openPage(panel, page) {
    if (page && page !== PAGE.self) panel.appendChild(el("a", {class: "page", href: PAGE.base + page}, "打开页面 open page →"));
  }

  // A node the page does not carry (not drawn on the whole-graph page): its name, and the page that shows it.
  function showIndexed(row) {
    const [, label, aliases, typeLabel, page] = row;
    const panel = document.getElementById("panel");
    panel.replaceChildren();
    panel.appendChild(el("h2", {id: "panel-title"}, label));
    panel.appendChild(el("div", {class: "muted"}, typeLabel));
    if (aliases.length) panel.appendChild(el("div", {}, "又名 aliases: " + aliases.join("、")));
    panel.appendChild(el("div", {class: "muted"}, "未在整体图谱中绘出 · not drawn on the whole graph"));
    openPage(panel, page);
  }

  function showNode(id) {
    const meta = DATA.meta[id];
    const panel = document.getElementById("panel");
    panel.replaceChildren();
    if (!meta) return;
    panel.appendChild(el("h2", {id: "panel-title"}, meta.label));
    panel.appendChild(el("div", {class: "muted"}, meta.typeLabel + (meta.date ? " · " + meta.date : "")));
    if (meta.aliases.length) panel.appendChild(el("div", {}, "又名 aliases: " + meta.aliases.join("、")));
    openPage(panel, DATA.pages[id]);
    if (id === PAGE.focus && DATA.tenures && DATA.tenures.length) panel.appendChild(tenureSection(DATA.tenures, meta.type === "person"));
    const more = (DATA.more || {})[id];
    if (more) panel.appendChild(el("div", {class: "muted more"}, "另有 " + more + " 条事实连到未绘出的节点 · " +
      more + " more facts reach nodes not drawn here" + (DATA.pages[id] ? ": open its page" : "")));
    for (const i of DATA.details[id] || []) {
      const [subject, object, relation, date, , evidence, total] = DATA.facts[i];
      const out = subject === id, other = out ? object : subject;
      const box = el("div", {class: "fact"});
      const head = el("div");
      head.appendChild(el("span", {class: "rel"}, (out ? "→ " : "← ") + DATA.relations[relation] + " "));
      const link = el("a", {class: "other"}, DATA.meta[other].label);
      link.addEventListener("click", () => focusNode(other));
      head.appendChild(link);
      if (date) head.appendChild(el("span", {class: "muted"}, " " + shownDate(date)));
      box.appendChild(head);
      for (const [sentence, article, start, end, rule] of evidence) {
        box.appendChild(el("div", {class: "evidence"}, DATA.sentences[sentence]));
        const art = DATA.articles[article] || {title: article, published: ""};
        box.appendChild(el("div", {class: "source"}, "《" + art.title + "》 " + (art.published || "") + " · " +
          article + " [" + start + "–" + end + "] · " + rule));
      }
      if (total > evidence.length) {
        box.appendChild(el("div", {class: "muted more"}, "另有 " + (total - evidence.length) + " 处出处 · " +
          (total - evidence.length) + " more sentences in graph.ttl / graph.json"));
      }
      panel.appendChild(box);
    }
  }

  function focusNode(id) {
    if (!DATA.meta[id]) {
      if (!index.has(id)) return false;
      showIndexed(index.get(id));
      return true;
    }
    network.selectNodes([id]);
    network.focus(id, {scale: 1.2, animation: false});
    showNode(id);
    return true;
  }
  window.kgFocus = focusNode;
  network.on("click", params => { if (params.nodes.length) showNode(params.nodes[0]); });

  const names = document.getElementById("names");
  const byLabel = new Map();
  const named = [...Object.entries(DATA.meta).map(([id, meta]) => [id, meta.label, meta.aliases]),
                 ...(DATA.index || []).map(([id, label, aliases]) => [id, label, aliases])];
  const options = [];
  for (const [id, label, aliases] of named) {
    for (const name of [label, ...aliases]) {
      if (!byLabel.has(name)) { byLabel.set(name, id); options.push(el("option", {value: name})); }
    }
  }
  names.append(...options.slice(0, 20000));  // a datalist of 100,000 names stalls the page
  document.getElementById("search").addEventListener("input", ev => {
    const q = ev.target.value.trim();
    if (!q) return;
    const exact = byLabel.get(q);
    if (exact) { focusNode(exact); return; }
    for (const [name, id] of byLabel) { if (name.includes(q)) { focusNode(id); return; } }
  });
  document.querySelectorAll(".type-filter").forEach(box => box.addEventListener("change", () => {
    if (box.checked) hiddenTypes.delete(box.value); else hiddenTypes.add(box.value);
    nodeView.refresh();
  }));
  document.querySelectorAll(".relation-filter").forEach(box => box.addEventListener("change", () => {
    if (box.checked) hiddenRelations.delete(box.value); else hiddenRelations.add(box.value);
    edgeView.refresh();
  }));
  for (const [i, box] of [[0, "date-from"], [1, "date-to"]]) {
    document.getElementById(box).addEventListener("input", ev => {
      const v = parseInt(ev.target.value, 10);
      range[i] = Number.isFinite(v) ? v : (i ? Infinity : -Infinity);
      nodeView.refresh();
      edgeView.refresh();
    });
  }
  document.getElementById("physics").addEventListener("change", ev => network.setOptions({physics: {enabled: ev.target.checked}}));
  network.fit({animation: false});
  network.once("afterDrawing", () => {
    document.body.dataset.ready = "1";
    if (PAGE.focus) showNode(PAGE.focus);
  });
}

function shardOf(id, chars) {  // as html.shard_of: the first hex digits of the id's hash part
  return id.split("/").pop().slice(0, chars).replace(/[^0-9a-f]/g, "_");
}

function notFound(id) {
  document.getElementById("notice").textContent = "没有此页面 · no page for " + (id || "(none)") +
    ": open one from the index.";
  document.body.dataset.ready = "1";
}

if (window.KG_DATA) {
  start(window.KG_DATA, window.KG_PAGE);
} else {
  // views/entity.html#<node id>: the entity's page data comes from its shard.
  const id = decodeURIComponent(location.hash.slice(1));
  const settings = window.KG_PAGE;
  window.addEventListener("hashchange", () => location.reload());  // a link to another entity
  window.kgShard = records => {
    const record = records[id];
    if (!record) { notFound(id); return; }
    document.title = record.title;
    document.querySelector("h1").textContent = record.title;
    start(record.data, {base: settings.base, styles: settings.styles, self: "entity.html#" + id, focus: id});
  };
  if (!id) {
    notFound("");
  } else {
    const script = el("script", {src: "data/" + shardOf(id, settings.shardChars) + ".js"});
    script.onerror = () => notFound(id);
    document.body.appendChild(script);
  }
}
})();
