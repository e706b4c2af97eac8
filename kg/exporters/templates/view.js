// The graph explorer: one script for the whole-graph page and every entity page.
// Reads window.KG_DATA and window.KG_PAGE (settings). KG_DATA holds the drawn nodes, every member's
// meta, each fact once as [subject, object, relation, date, place, evidence, evidence count] with
// evidence (the first few) as [sentence index, article, start, end, rule], details (node → its facts' indices), sentences,
// relations (key → label), articles and pages.
"use strict";
(function () {
  const DATA = window.KG_DATA;
  const PAGE = window.KG_PAGE;
  const shown = new Set(DATA.nodes.map(n => n.id));
  const edgeOf = f => ({id: f[0] + "|" + f[1] + "|" + f[2], from: f[0], to: f[1], label: DATA.relations[f[2]],
                        relation: f[2], title: DATA.sentences[f[5][0][0]]});
  DATA.edges = DATA.facts.filter(f => shown.has(f[0]) && shown.has(f[1])).map(edgeOf);
  const nodes = new vis.DataSet(DATA.nodes);
  const edges = new vis.DataSet(DATA.edges);
  const hiddenTypes = new Set();
  const hiddenRelations = new Set();
  const nodeView = new vis.DataView(nodes, {filter: n => !hiddenTypes.has(n.ntype)});
  const edgeView = new vis.DataView(edges, {filter: e => !hiddenRelations.has(e.relation)});
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
  window.kgData = DATA;

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function showNode(id) {
    const meta = DATA.meta[id];
    const panel = document.getElementById("panel");
    panel.replaceChildren();
    if (!meta) return;
    panel.appendChild(el("h2", {id: "panel-title"}, meta.label));
    panel.appendChild(el("div", {class: "muted"}, meta.typeLabel + (meta.date ? " · " + meta.date : "")));
    if (meta.aliases.length) panel.appendChild(el("div", {}, "又名 aliases: " + meta.aliases.join("、")));
    const page = DATA.pages[id];
    if (page && page !== PAGE.self) panel.appendChild(el("a", {class: "page", href: PAGE.base + page}, "打开页面 open page →"));
    for (const index of DATA.details[id] || []) {
      const [subject, object, relation, date, , evidence, total] = DATA.facts[index];
      const out = subject === id, other = out ? object : subject;
      const box = el("div", {class: "fact"});
      const head = el("div");
      head.appendChild(el("span", {class: "rel"}, (out ? "→ " : "← ") + DATA.relations[relation] + " "));
      const link = el("a", {class: "other"}, DATA.meta[other].label);
      link.addEventListener("click", () => focusNode(other));
      head.appendChild(link);
      if (date) head.appendChild(el("span", {class: "muted"}, " " + date));
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

  // A node not drawn yet (the whole-graph page draws the best-connected ones) is added with its neighbours.
  function reveal(id) {
    if (shown.has(id) || !DATA.meta[id]) return;
    const facts = (DATA.details[id] || []).map(i => DATA.facts[i]);
    const add = [id, ...facts.map(f => f[0] === id ? f[1] : f[0])].filter(n => !shown.has(n) && DATA.meta[n]);
    const around = network.getViewPosition();
    add.forEach((n, i) => {
      const meta = DATA.meta[n];
      nodes.add(Object.assign({id: n, x: around.x + 120 * Math.cos(i), y: around.y + 120 * Math.sin(i)}, meta.draw));
      shown.add(n);
    });
    for (const fact of facts) {
      const edge = edgeOf(fact);
      if (!edges.get(edge.id)) edges.add(edge);
    }
  }

  function focusNode(id) {
    if (!DATA.meta[id]) return false;
    reveal(id);
    network.selectNodes([id]);
    network.focus(id, {scale: 1.2, animation: false});
    showNode(id);
    return true;
  }
  window.kgFocus = focusNode;
  network.on("click", params => { if (params.nodes.length) showNode(params.nodes[0]); });

  const names = document.getElementById("names");
  const byLabel = new Map();
  for (const [id, meta] of Object.entries(DATA.meta)) {
    for (const name of [meta.label, ...meta.aliases]) {
      if (!byLabel.has(name)) { byLabel.set(name, id); names.appendChild(el("option", {value: name})); }
    }
  }
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
  document.getElementById("physics").addEventListener("change", ev => network.setOptions({physics: {enabled: ev.target.checked}}));
  network.fit({animation: false});
  network.once("afterDrawing", () => {
    document.body.dataset.ready = "1";
    if (PAGE.focus) showNode(PAGE.focus);
  });
})();
