/* kg page: reads the graph from the JSON block, draws it with vis-network, and puts every
   text from the articles on screen with textContent / text nodes only, never as HTML. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);

  // ------------------------------------------------------------------ vocabulary shown to users

  var CLASSES = {
    Person: { label: "Personne", color: "#4e79a7", border: "#2f4f73", shape: "dot", size: 14 },
    State: { label: "État", color: "#e15759", border: "#9e2f31", shape: "square", size: 16 },
    Organization: { label: "Organisation", color: "#76b7b2", border: "#3f7f7a", shape: "triangle", size: 14 },
    Place: { label: "Lieu", color: "#59a14f", border: "#356b2f", shape: "triangleDown", size: 13 },
    Meeting: { label: "Rencontre", color: "#f28e2b", border: "#a85a10", shape: "diamond", size: 9 },
    Agreement: { label: "Accord", color: "#b07aa1", border: "#6f4766", shape: "hexagon", size: 9 },
    ArmsTransfer: { label: "Transfert d'armes", color: "#9c755f", border: "#5e4334", shape: "star", size: 10 },
    Deployment: { label: "Déploiement", color: "#edc948", border: "#8a7215", shape: "custom", size: 9 }
  };
  var ENTITY_CLASSES = ["Person", "State", "Organization", "Place"];
  var EVENT_CLASSES = ["Meeting", "Agreement", "ArmsTransfer", "Deployment"];
  var FACTUALITIES = {
    Asserted: "Affirmé",
    Reported: "Rapporté",
    Possible: "Possible",
    Denied: "Démenti"
  };
  var FACTUALITY_ORDER = ["Asserted", "Reported", "Possible", "Denied"];
  var ROLES = {
    participant: "participant",
    party: "partie",
    signatory: "signataire",
    supplier: "fournisseur",
    sender: "expéditeur",
    recipient: "destinataire",
    place: "lieu",
    affiliation: "affilié à"
  };
  var ROLE_TITLES = {
    participant: "Participants",
    party: "Parties",
    signatory: "Signataires",
    supplier: "Fournisseur",
    sender: "Expéditeur",
    recipient: "Destinataire",
    place: "Lieu"
  };
  var ROLE_ORDER = ["supplier", "sender", "recipient", "participant", "party", "signatory", "place"];
  var ITEM_CATEGORIES = {
    Ammunition: "munitions",
    Missiles: "missiles",
    RocketLaunchers: "lance-roquettes",
    Artillery: "artillerie",
    MilitaryEquipment: "équipement militaire"
  };
  var QUALIFIERS = { Exactly: "", Approximately: "environ", AtLeast: "au moins", AtMost: "au plus" };
  var MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
    "septembre", "octobre", "novembre", "décembre"];
  var WIKIDATA = /^http:\/\/www\.wikidata\.org\/entity\/Q\d+$/;
  var SVG_NS = "http://www.w3.org/2000/svg";  // a namespace name, never fetched

  // ------------------------------------------------------------------ small DOM helpers

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function formatDate(value) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
    var month;
    if (m) {
      month = MONTHS[Number(m[2]) - 1];
      if (month) return (Number(m[3]) === 1 ? "1er" : String(Number(m[3]))) + " " + month + " " + m[1];
    }
    m = /^(\d{4})-(\d{2})$/.exec(value);
    if (m && MONTHS[Number(m[2]) - 1]) return MONTHS[Number(m[2]) - 1] + " " + m[1];
    m = /^--(\d{2})-(\d{2})/.exec(value);
    if (m && MONTHS[Number(m[1]) - 1]) {
      return (Number(m[2]) === 1 ? "1er" : String(Number(m[2]))) + " " + MONTHS[Number(m[1]) - 1] + " (année inconnue)";
    }
    return value;
  }

  var numberFormat = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 6 });
  function formatQuantity(value, qualifier) {
    var text = numberFormat.format(Number(value));
    var prefix = qualifier ? QUALIFIERS[qualifier] : "";
    return prefix ? prefix + " " + text : text;
  }

  function normalize(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[\u2010-\u2015\-_'’.,]/g, " ").replace(/\s+/g, " ").trim();
  }

  function shorten(text, length) {
    return text.length > length ? text.slice(0, length - 1) + "…" : text;
  }

  // The legend swatch: the same shape and colour as the node in the graph.
  function swatch(cls) {
    var style = CLASSES[cls];
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("class", "swatch");
    svg.setAttribute("aria-hidden", "true");
    var shape;
    var points = {
      square: "2,2 14,2 14,14 2,14",
      triangle: "8,1.5 14.5,14 1.5,14",
      triangleDown: "1.5,2 14.5,2 8,14.5",
      diamond: "8,1 15,8 8,15 1,8",
      hexagon: "8,1 14,4.5 14,11.5 8,15 2,11.5 2,4.5",
      star: starPoints(8, 8.5, 7.5, 3.2),
      custom: "1.5,3 9,3 14.5,8 9,13 1.5,13 5,8"
    }[style.shape];
    if (points) {
      shape = document.createElementNS(SVG_NS, "polygon");
      shape.setAttribute("points", points);
    } else {
      shape = document.createElementNS(SVG_NS, "circle");
      shape.setAttribute("cx", "8");
      shape.setAttribute("cy", "8");
      shape.setAttribute("r", "6.5");
    }
    shape.setAttribute("fill", style.color);
    shape.setAttribute("stroke", style.border);
    shape.setAttribute("stroke-width", "1.2");
    svg.appendChild(shape);
    return svg;
  }

  function starPoints(cx, cy, outer, inner) {
    var out = [];
    for (var i = 0; i < 10; i++) {
      var r = i % 2 ? inner : outer;
      var a = Math.PI / 5 * i - Math.PI / 2;
      out.push((cx + r * Math.cos(a)).toFixed(2) + "," + (cy + r * Math.sin(a)).toFixed(2));
    }
    return out.join(" ");
  }

  // Deployments: an arrow-like chevron (troops sent somewhere), drawn by hand since vis has none.
  function drawChevron(args) {
    var ctx = args.ctx, x = args.x, y = args.y, style = args.style, label = args.label;
    var r = style.size;
    return {
      drawNode: function () {
        ctx.beginPath();
        ctx.moveTo(x - r, y - r * 0.8);
        ctx.lineTo(x + r * 0.2, y - r * 0.8);
        ctx.lineTo(x + r, y);
        ctx.lineTo(x + r * 0.2, y + r * 0.8);
        ctx.lineTo(x - r, y + r * 0.8);
        ctx.lineTo(x - r * 0.4, y);
        ctx.closePath();
        ctx.fillStyle = style.color;
        ctx.fill();
        ctx.lineWidth = args.state.selected ? 3 : style.borderWidth;
        ctx.strokeStyle = style.borderColor;
        ctx.stroke();
      },
      drawExternalLabel: function () {
        if (!label || ctx.getTransform().a * 11 < 5) return;  // too small to read: vis skips these too
        ctx.font = "11px system-ui, sans-serif";
        ctx.fillStyle = "#3e4c59";
        ctx.textAlign = "center";
        ctx.textBaseline = "top";
        ctx.fillText(label, x, y + r + 4);
      },
      nodeDimensions: { width: 2 * r, height: 2 * r }
    };
  }

  // ------------------------------------------------------------------ indexes

  var nodeById = new Map();
  var incident = new Map();  // node id → edges touching it
  data.nodes.forEach(function (node) {
    nodeById.set(node.id, node);
    incident.set(node.id, []);
  });
  data.edges.forEach(function (edge) {
    incident.get(edge.from).push(edge);
    incident.get(edge.to).push(edge);
  });
  var articleIds = Object.keys(data.articles).sort(function (a, b) {
    return data.articles[a].identifier < data.articles[b].identifier ? -1 : 1;
  });

  function other(edge, id) {
    return edge.from === id ? edge.to : edge.from;
  }

  function eventsOf(entityId) {
    return incident.get(entityId).filter(function (edge) {
      return edge.role !== "affiliation";
    }).map(function (edge) {
      return { role: edge.role, event: nodeById.get(other(edge, entityId)) };
    });
  }

  function firstDate(node) {
    return node.dates && node.dates.length ? node.dates[0].value : "";
  }

  // ------------------------------------------------------------------ the network

  var big = data.layout.fixed;  // positions computed in Python: draw them as they are
  var physics = data.layout.physics;
  var visNodes = new vis.DataSet(data.nodes.map(function (node) {
    var style = CLASSES[node.cls];
    var isEvent = node.kind === "event";
    var visNode = {
      id: node.id,
      label: isEvent ? shorten(node.label, 42) : node.label,
      title: style.label + "\n" + node.label,
      shape: style.shape,
      size: style.size,
      borderWidth: 1.5,
      color: {
        background: style.color,
        border: style.border,
        highlight: { background: style.color, border: "#111827" },
        hover: { background: style.color, border: "#111827" }
      },
      font: isEvent ? { size: 11, color: "#3e4c59" } : { size: 14, color: "#1f2933" }
    };
    if (style.shape === "custom") visNode.ctxRenderer = drawChevron;
    if (big) {
      visNode.x = node.x;
      visNode.y = node.y;
    }
    return visNode;
  }));
  var visEdges = new vis.DataSet(data.edges.map(function (edge) {
    var affiliation = edge.role === "affiliation";
    return {
      id: edge.id,
      from: edge.from,
      to: edge.to,
      label: ROLES[edge.role] || edge.role,
      arrows: { to: { enabled: edge.arrow, scaleFactor: 0.5 } },
      dashes: affiliation,
      color: { color: affiliation ? "#c3cad3" : "#9aa5b1", highlight: "#374151", hover: "#374151" },
      width: 1.2
    };
  }));

  var options = {
    autoResize: true,
    nodes: { font: { face: "system-ui, sans-serif", strokeWidth: 3, strokeColor: "#ffffff" } },
    edges: {
      font: { face: "system-ui, sans-serif", size: 10, color: "#52606d", strokeWidth: 3, strokeColor: "#ffffff", align: "middle" },
      smooth: big ? false : { enabled: true, type: "continuous", roundness: 0.3 },
      selectionWidth: 1.5
    },
    interaction: {
      hover: !big,
      tooltipDelay: 250,
      hideEdgesOnDrag: big,
      hideEdgesOnZoom: big,
      multiselect: false
    },
    layout: { improvedLayout: !big && data.nodes.length <= 150, randomSeed: 7 },
    physics: !physics ? { enabled: false } : {
      enabled: true,
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -70, springLength: 90, springConstant: 0.06, avoidOverlap: 0.4 },
      stabilization: { enabled: true, iterations: 600, updateInterval: 50, fit: true }
    }
  };

  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: visNodes, edges: visEdges }, options);
  window.kgNetwork = network;

  var stats = { nodes: data.nodes.length, edges: data.edges.length };

  function markReady() {
    if (window.kgReady) return;
    window.kgStats = { nodes: stats.nodes, edges: stats.edges };
    window.kgReady = true;
    document.body.setAttribute("data-ready", "true");
  }

  if (!physics || data.nodes.length === 0) {
    network.once("afterDrawing", markReady);
    network.redraw();
  } else {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });  // stabilised: stop moving
      network.once("afterDrawing", markReady);
      network.redraw();
    });
  }
  if (data.nodes.length === 0) {
    var message = document.getElementById("graph-message");
    message.textContent = "Ce graphe ne contient aucune entité ni aucun évènement.";
    message.hidden = false;
  }

  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0], { focus: false });
  });

  document.getElementById("fit-button").addEventListener("click", function () {
    network.fit({ animation: { duration: 300 } });
  });

  // ------------------------------------------------------------------ filters

  var chosenClasses = new Set(ENTITY_CLASSES.concat(EVENT_CLASSES));
  var chosenFactualities = new Set(FACTUALITY_ORDER);
  var chosenArticles = new Set(articleIds);
  var hiddenNodes = new Set();
  var hiddenEdges = new Set();

  function countBy(kind, key) {
    var counts = {};
    data.nodes.forEach(function (node) {
      if (node.kind === kind) counts[node[key]] = (counts[node[key]] || 0) + 1;
    });
    return counts;
  }

  function checkbox(list, value, chosen, content, count) {
    var item = el("li");
    var label = el("label");
    var input = el("input");
    input.type = "checkbox";
    input.checked = true;
    input.value = value;
    input.addEventListener("change", function () {
      if (input.checked) chosen.add(value); else chosen.delete(value);
      applyFilters();
    });
    label.appendChild(input);
    content.forEach(function (part) { label.appendChild(part); });
    if (count !== undefined) label.appendChild(el("span", "count", count));
    item.appendChild(label);
    list.appendChild(item);
    return input;
  }

  function buildFilters() {
    var counts = Object.assign(countBy("entity", "cls"), countBy("event", "cls"));
    [["filter-entity-classes", ENTITY_CLASSES], ["filter-event-classes", EVENT_CLASSES]].forEach(function (pair) {
      var list = document.getElementById(pair[0]);
      pair[1].forEach(function (cls) {
        var input = checkbox(list, cls, chosenClasses, [swatch(cls), el("span", null, CLASSES[cls].label)], counts[cls] || 0);
        input.setAttribute("data-class", cls);
      });
    });
    var factualityCounts = {};
    Object.keys(data.evidence).forEach(function (id) {
      var f = data.evidence[id].factuality;
      if (f) factualityCounts[f] = (factualityCounts[f] || 0) + 1;
    });
    var factualityList = document.getElementById("filter-factuality");
    FACTUALITY_ORDER.forEach(function (f) {
      var input = checkbox(factualityList, f, chosenFactualities, [el("span", "badge " + f, FACTUALITIES[f])], factualityCounts[f] || 0);
      input.setAttribute("data-factuality", f);
    });
    var articleList = document.getElementById("filter-articles");
    var articleInputs = articleIds.map(function (id) {
      var article = data.articles[id];
      var text = article.identifier + (article.title && article.title !== article.identifier ? " — " + article.title : "");
      var input = checkbox(articleList, id, chosenArticles, [el("span", null, text)]);
      input.setAttribute("data-article", article.identifier);
      return input;
    });
    function setAll(on) {
      articleInputs.forEach(function (input) {
        input.checked = on;
        if (on) chosenArticles.add(input.value); else chosenArticles.delete(input.value);
      });
      applyFilters();
    }
    document.getElementById("articles-all").addEventListener("click", function () { setAll(true); });
    document.getElementById("articles-none").addEventListener("click", function () { setAll(false); });
  }

  function eventVisible(node) {
    if (!chosenClasses.has(node.cls)) return false;
    if (chosenFactualities.size < FACTUALITY_ORDER.length &&
        !node.factualities.some(function (f) { return chosenFactualities.has(f); })) return false;
    if (chosenArticles.size < articleIds.length &&
        !node.articles.some(function (a) { return chosenArticles.has(a); })) return false;
    return true;
  }

  function applyFilters() {
    var articleFilter = chosenArticles.size < articleIds.length;
    var visible = new Set();
    data.nodes.forEach(function (node) {
      if (node.kind === "event" && eventVisible(node)) visible.add(node.id);
    });
    data.nodes.forEach(function (node) {
      if (node.kind !== "entity" || !chosenClasses.has(node.cls)) return;
      var linked = incident.get(node.id).some(function (edge) {
        return edge.role !== "affiliation" && visible.has(other(edge, node.id));
      });
      var mentioned = !articleFilter || node.articles.some(function (a) { return chosenArticles.has(a); });
      if (linked || mentioned) visible.add(node.id);
    });
    var nodeChanges = [];
    data.nodes.forEach(function (node) {
      var hide = !visible.has(node.id);
      if (hide !== hiddenNodes.has(node.id)) {
        nodeChanges.push({ id: node.id, hidden: hide });
        if (hide) hiddenNodes.add(node.id); else hiddenNodes.delete(node.id);
      }
    });
    var edgeChanges = [];
    var shownEdges = 0;
    data.edges.forEach(function (edge) {
      var hide = !(visible.has(edge.from) && visible.has(edge.to));
      if (!hide) shownEdges++;
      if (hide !== hiddenEdges.has(edge.id)) {
        edgeChanges.push({ id: edge.id, hidden: hide });
        if (hide) hiddenEdges.add(edge.id); else hiddenEdges.delete(edge.id);
      }
    });
    if (nodeChanges.length) visNodes.update(nodeChanges);
    if (edgeChanges.length) visEdges.update(edgeChanges);
    stats = { nodes: visible.size, edges: shownEdges };
    if (window.kgReady) window.kgStats = { nodes: stats.nodes, edges: stats.edges };
    showStats();
    buildTimeline();
  }

  function showStats() {
    var text = stats.nodes + " nœuds · " + stats.edges + " liens affichés";
    if (stats.nodes !== data.nodes.length || stats.edges !== data.edges.length) {
      text += " (sur " + data.nodes.length + " · " + data.edges.length + ")";
    }
    document.getElementById("stats").textContent = text;
  }

  // ------------------------------------------------------------------ selection and details panel

  var panel = document.getElementById("panel");

  function showNode(id, how) {
    var node = nodeById.get(id);
    if (!node) return;
    if (hiddenNodes.has(id)) {
      network.unselectAll();
    } else {
      network.selectNodes([id]);
      if (how && how.focus) network.focus(id, { scale: Math.max(network.getScale(), 1.1), animation: { duration: 350 } });
    }
    clear(panel);
    panel.setAttribute("data-node", id);
    if (node.kind === "event") showEvent(node); else showEntity(node);
    panel.scrollTop = 0;
  }

  function entityLink(id) {
    var node = nodeById.get(id);
    var button = el("button", "entity-link", node ? node.label : id);
    button.type = "button";
    button.addEventListener("click", function () { showNode(id, { focus: true }); });
    return button;
  }

  function heading(node) {
    var tag = el("div", "panel-class");
    tag.appendChild(swatch(node.cls));
    tag.appendChild(document.createTextNode(CLASSES[node.cls].label));
    panel.appendChild(tag);
    panel.appendChild(el("h3", null, node.label));
    if (hiddenNodes.has(node.id)) panel.appendChild(el("p", "panel-hint", "Masqué par les filtres actuels."));
  }

  function facts(rows) {
    var list = el("dl", "facts");
    rows.forEach(function (row) {
      if (!row) return;
      list.appendChild(el("dt", null, row[0]));
      var value = el("dd");
      (Array.isArray(row[1]) ? row[1] : [row[1]]).forEach(function (part, i) {
        if (i) value.appendChild(document.createTextNode(", "));
        value.appendChild(typeof part === "string" ? document.createTextNode(part) : part);
      });
      list.appendChild(value);
    });
    panel.appendChild(list);
  }

  function showEntity(node) {
    heading(node);
    var rows = [];
    if (node.altLabels.length) rows.push(["Variantes", node.altLabels.join(", ")]);
    if (node.roles.length) rows.push(["Fonction", node.roles.join(", ")]);
    if (node.affiliations.length) rows.push(["Affiliation", node.affiliations.map(entityLink)]);
    if (node.wikidata && WIKIDATA.test(node.wikidata)) {
      var link = el("a", null, node.wikidata.replace(/^.*\//, ""));
      link.href = node.wikidata;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      rows.push(["Wikidata", link]);
    }
    var articles = node.articles.filter(function (id) { return data.articles[id]; }).map(function (id) {
      return data.articles[id].identifier;
    });
    if (articles.length) rows.push(["Articles", articles.join(", ")]);
    facts(rows);
    var events = eventsOf(node.id);
    panel.appendChild(el("h2", null, "Évènements (" + events.length + ")"));
    if (!events.length) {
      panel.appendChild(el("p", "panel-hint", "Aucun évènement relié."));
      return;
    }
    events.sort(function (a, b) {
      var da = firstDate(a.event), db = firstDate(b.event);
      return da !== db ? (da < db ? -1 : 1) : a.event.label.localeCompare(b.event.label, "fr");
    });
    var list = el("ul", "event-list");
    events.forEach(function (item) {
      var li = el("li");
      li.appendChild(entityLink(item.event.id));
      var detail = " — " + (ROLES[item.role] || item.role);
      if (item.event.dates.length) detail += ", " + formatDate(item.event.dates[0].value);
      li.appendChild(document.createTextNode(detail));
      list.appendChild(li);
    });
    panel.appendChild(list);
  }

  function showEvent(node) {
    heading(node);
    if (node.conflict) panel.appendChild(el("p", "conflict", "Sources en désaccord (conflit sur une date ou une quantité)"));
    var byRole = {};
    incident.get(node.id).forEach(function (edge) {
      (byRole[edge.role] = byRole[edge.role] || []).push(other(edge, node.id));
    });
    var rows = ROLE_ORDER.filter(function (role) { return byRole[role]; }).map(function (role) {
      return [ROLE_TITLES[role], byRole[role].map(entityLink)];
    });
    if (node.items.length) rows.push(["Matériel", node.items.join(", ")]);
    if (node.itemCategories.length) {
      rows.push(["Catégorie", node.itemCategories.map(function (c) { return ITEM_CATEGORIES[c] || c; }).join(", ")]);
    }
    if (node.quantity !== null) rows.push(["Quantité", formatQuantity(node.quantity, node.qualifier)]);
    if (node.dates.length) rows.push([node.dates.length > 1 ? "Dates" : "Date", node.dates.map(function (d) { return formatDate(d.value); }).join(" ; ")]);
    facts(rows);
    panel.appendChild(el("h2", null, "Sources (" + node.evidence.length + ")"));
    var list = el("ul", "evidence-list");
    node.evidence.map(function (id) { return [id, data.evidence[id]]; }).sort(function (a, b) {
      var ia = articleKey(a[1]), ib = articleKey(b[1]);
      return ia !== ib ? (ia < ib ? -1 : 1) : (a[1].start || 0) - (b[1].start || 0);
    }).forEach(function (pair) { list.appendChild(evidenceItem(pair[0], pair[1])); });
    panel.appendChild(list);
  }

  function articleKey(evidence) {
    var article = evidence.article && data.articles[evidence.article];
    return article ? article.identifier : (evidence.article || "");
  }

  // The sentence as text nodes around one <mark>: offsets are code points, as in Python.
  function sentence(evidence) {
    var quote = el("blockquote");
    var chars = Array.from(evidence.text);
    if (evidence.triggerStart === null || evidence.triggerEnd === null) {
      quote.textContent = evidence.text;
      return quote;
    }
    quote.appendChild(document.createTextNode(chars.slice(0, evidence.triggerStart).join("")));
    quote.appendChild(el("mark", null, chars.slice(evidence.triggerStart, evidence.triggerEnd).join("")));
    quote.appendChild(document.createTextNode(chars.slice(evidence.triggerEnd).join("")));
    return quote;
  }

  function evidenceItem(id, evidence) {
    var item = el("li", "evidence");
    item.setAttribute("data-evidence", id);
    item.appendChild(sentence(evidence));
    var meta = el("div", "meta");
    var f = evidence.factuality;
    meta.appendChild(el("span", "badge " + (f || "unknown"), f ? FACTUALITIES[f] : "Factualité inconnue"));
    var article = evidence.article && data.articles[evidence.article];
    if (article) {
      var about = [article.date ? formatDate(article.date) : null, article.source].filter(Boolean).join(", ");
      meta.appendChild(el("span", "article", "Article " + article.identifier +
        (article.title && article.title !== article.identifier ? " — " + article.title : "") + (about ? " (" + about + ")" : "")));
    }
    if (evidence.claimerLabel) {
      var claim = el("span", "claimer", "Selon : ");
      claim.appendChild(evidence.claimer ? entityLink(evidence.claimer) : document.createTextNode(evidence.claimerLabel));
      meta.appendChild(claim);
    }
    if (evidence.quantity !== null) meta.appendChild(el("span", "quantity", "Quantité selon la source : " + formatQuantity(evidence.quantity)));
    if (evidence.dates.length) {
      meta.appendChild(el("span", "date", "Date selon la source : " + evidence.dates.map(function (d) { return formatDate(d.value); }).join(" ; ")));
    }
    item.appendChild(meta);
    return item;
  }

  // ------------------------------------------------------------------ search

  var searchIndex = data.nodes.filter(function (node) { return node.kind === "entity"; }).map(function (node) {
    return { node: node, names: [node.label].concat(node.altLabels).map(normalize) };
  });
  var searchInput = document.getElementById("search-input");
  var searchResults = document.getElementById("search-results");

  // Best first: a name equal to the query, then a word starting with it, then anywhere inside.
  function search(query) {
    var q = normalize(query);
    if (!q) return [];
    var found = [];
    searchIndex.forEach(function (entry) {
      var rank = 3;
      entry.names.forEach(function (name) {
        if (name === q) rank = Math.min(rank, 0);
        else if ((" " + name).indexOf(" " + q) >= 0) rank = Math.min(rank, 1);
        else if (name.indexOf(q) >= 0) rank = Math.min(rank, 2);
      });
      if (rank < 3) found.push({ rank: rank, node: entry.node });
    });
    found.sort(function (a, b) {
      return a.rank - b.rank || a.node.label.localeCompare(b.node.label, "fr") || (a.node.id < b.node.id ? -1 : 1);
    });
    return found.map(function (f) { return f.node; });
  }

  function showResults(matches) {
    clear(searchResults);
    if (!matches.length) {
      searchResults.appendChild(el("li", "match-note", "Aucune entité trouvée"));
    }
    matches.slice(0, 30).forEach(function (node, i) {
      var item = el("li", i === 0 ? "active" : "");
      item.setAttribute("data-node", node.id);
      item.appendChild(swatch(node.cls));
      item.appendChild(el("span", null, node.label));
      if (hiddenNodes.has(node.id)) item.appendChild(el("span", "match-note", "(masqué)"));
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();  // keep the focus in the box
        Array.prototype.forEach.call(searchResults.children, function (li) { li.classList.remove("active"); });
        item.classList.add("active");
        showNode(node.id, { focus: true });
      });
      searchResults.appendChild(item);
    });
    if (matches.length > 30) searchResults.appendChild(el("li", "match-note", "… et " + (matches.length - 30) + " autres"));
    searchResults.hidden = matches.length === 1;
  }

  function runSearch(select) {
    searchStale = false;
    var matches = search(searchInput.value);
    if (!normalize(searchInput.value)) {
      searchResults.hidden = true;
      return;
    }
    showResults(matches);
    if (matches.length && (select || matches.length === 1)) showNode(matches[0].id, { focus: true });
  }

  function moveActive(step) {
    var items = Array.prototype.slice.call(searchResults.querySelectorAll("li[data-node]"));
    if (!items.length || searchResults.hidden) return;
    var current = items.findIndex(function (li) { return li.classList.contains("active"); });
    var next = Math.min(items.length - 1, Math.max(0, current + step));
    items.forEach(function (li, i) { li.classList.toggle("active", i === next); });
    items[next].scrollIntoView({ block: "nearest" });
  }

  var searchTimer = null;
  var searchStale = false;  // typed since the list was last drawn
  searchInput.addEventListener("input", function () {
    searchStale = true;
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () { runSearch(false); }, 150);
  });
  searchInput.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      moveActive(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter") {
      event.preventDefault();
      clearTimeout(searchTimer);
      var active = searchStale || searchResults.hidden ? null : searchResults.querySelector("li.active[data-node]");
      if (active && searchResults.querySelectorAll("li[data-node]").length > 1) {
        showNode(active.getAttribute("data-node"), { focus: true });
      } else {
        runSearch(true);
      }
    } else if (event.key === "Escape") {
      searchResults.hidden = true;
    }
  });
  searchInput.addEventListener("blur", function () { searchResults.hidden = true; });
  searchInput.addEventListener("focus", function () {
    if (normalize(searchInput.value)) showResults(search(searchInput.value));
  });

  // ------------------------------------------------------------------ timeline

  var timeline = document.getElementById("timeline");

  function buildTimeline() {
    clear(timeline);
    var year = null;
    var shown = 0;
    data.timeline.forEach(function (entry) {
      if (hiddenNodes.has(entry.event)) return;
      var node = nodeById.get(entry.event);
      var entryYear = entry.date.slice(0, 4);
      if (entryYear !== year) {
        timeline.appendChild(el("li", "year-mark", entryYear));
        year = entryYear;
      }
      var item = el("li");
      var button = el("button");
      button.type = "button";
      button.setAttribute("data-node", node.id);
      button.style.borderLeftColor = CLASSES[node.cls].color;
      button.title = CLASSES[node.cls].label + " — " + node.label;
      button.appendChild(el("span", "when", formatDate(entry.date)));
      button.appendChild(el("span", "what", node.label));
      button.addEventListener("click", function () { showNode(node.id, { focus: true }); });
      item.appendChild(button);
      timeline.appendChild(item);
      shown++;
    });
    if (!shown) timeline.appendChild(el("li", "empty", "Aucun évènement daté parmi ceux affichés."));
  }

  buildFilters();
  applyFilters();
})();
