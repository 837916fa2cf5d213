// The network page's canvas: a view above the SVG limit is drawn here from the JSON of
// the same view (positions laid out on the server), with our own code. Links are drawn in
// one path per kind and culled to the view, nodes as circles in one path per kind; a
// grid over the picture finds the node under the pointer. Pan and zoom as in the SVG
// (wheel, drag, two fingers, + − arrows 0); hovering shows a node's name and neighbours,
// a click opens its page. Without this script the page says so and offers the table
// and the JSON. benches/first_picture.sh reads the `network-drawn` performance mark.
(function () {
  "use strict";
  var frame = document.getElementById("network-frame");
  var canvas = document.getElementById("network-canvas");
  if (!frame || !canvas || !frame.dataset.src || !canvas.getContext) { return; }
  var status = document.getElementById("network-status");
  var tip = document.getElementById("network-tip");
  var palette = JSON.parse(frame.dataset.palette || "{}");
  var ctx = canvas.getContext("2d");
  var home = { x: 0, y: 0, w: Number(frame.dataset.width) || 1200, h: Number(frame.dataset.height) || 800 };
  var view = { x: home.x, y: home.y, w: home.w, h: home.h };

  // The picture, once loaded: per node position, radius, colour index, importance.
  var n = 0, xs, ys, rs, colourOf, marked, loss, labels, ids, persons, kinds, cities;
  var m = 0, src, dst, edgeKind, edgeMarked;
  var edgeOrder = null, kindStart = null; // links grouped by colour: one path each
  var nodeColours = [], edgeColours = [];
  var colourOrder = []; // the most frequent kinds first, so that rare ones stay visible
  var anyMark = false;
  var adjacency = null; // CSR: start offsets and neighbour lists
  var byImportance = null;
  var grid = null; // uniform grid of node indices over the picture
  var CELL = 16;
  var maxRadius = 1;

  // The transform from picture units to CSS pixels of the canvas, "meet" as in SVG.
  var scale = 1, tx = 0, ty = 0, cssW = 0, cssH = 0, ratio = 1;
  function measure() {
    var r = canvas.getBoundingClientRect();
    cssW = r.width;
    cssH = r.height;
    ratio = window.devicePixelRatio || 1;
    var bw = Math.max(1, Math.round(cssW * ratio)), bh = Math.max(1, Math.round(cssH * ratio));
    if (canvas.width !== bw || canvas.height !== bh) {
      canvas.width = bw;
      canvas.height = bh;
    }
  }
  function fit() {
    scale = Math.min(cssW / view.w, cssH / view.h);
    tx = (cssW - view.w * scale) / 2 - view.x * scale;
    ty = (cssH - view.h * scale) / 2 - view.y * scale;
    canvas.dataset.view = view.x + " " + view.y + " " + view.w + " " + view.h;
    canvas.dataset.scale = String(scale);
    canvas.dataset.tx = String(tx);
    canvas.dataset.ty = String(ty);
  }
  function toPicture(clientX, clientY) {
    var r = canvas.getBoundingClientRect();
    return { x: (clientX - r.left - tx) / scale, y: (clientY - r.top - ty) / scale };
  }
  // The part of the picture in view (picture units), for culling.
  function visible() {
    return { x0: -tx / scale, y0: -ty / scale, x1: (cssW - tx) / scale, y1: (cssH - ty) / scale };
  }

  function colourIndex(list, colour) {
    var i = list.indexOf(colour);
    if (i < 0) { list.push(colour); i = list.length - 1; }
    return i;
  }

  function load(data) {
    var nodes = data.nodes || [], links = data.edges || [];
    n = nodes.length;
    m = links.length;
    xs = new Float32Array(n); ys = new Float32Array(n); rs = new Float32Array(n);
    colourOf = new Uint8Array(n); marked = new Uint8Array(n); loss = new Float32Array(n);
    labels = new Array(n); ids = new Array(n); persons = new Uint8Array(n); kinds = new Array(n); cities = new Array(n);
    var index = new Map();
    var value = new Float64Array(n);
    for (var i = 0; i < n; i++) {
      var d = nodes[i];
      index.set(d.key, i);
      xs[i] = d.x; ys[i] = d.y;
      persons[i] = d.kind ? 0 : 1;
      rs[i] = persons[i] ? Math.min(d.size, 6) : d.size;
      maxRadius = Math.max(maxRadius, rs[i]);
      colourOf[i] = colourIndex(nodeColours, palette.node[d.kind || "person"] || palette.edge_default);
      marked[i] = d.highlight || d.loss != null ? 1 : 0;
      loss[i] = d.loss == null ? -1 : d.loss;
      labels[i] = d.label; ids[i] = d.id; kinds[i] = d.kind; cities[i] = d.city;
      value[i] = d.value;
      if (marked[i]) { anyMark = true; }
    }
    var perColour = nodeColours.map(function () { return 0; });
    for (i = 0; i < n; i++) { perColour[colourOf[i]]++; }
    colourOrder = nodeColours.map(function (_, c) { return c; });
    colourOrder.sort(function (a, b) { return perColour[b] - perColour[a] || a - b; });
    src = new Int32Array(m); dst = new Int32Array(m); edgeKind = new Uint8Array(m); edgeMarked = new Uint8Array(m);
    var degree = new Int32Array(n + 1);
    for (var k = 0; k < m; k++) {
      var e = links[k];
      src[k] = index.get(e.source); dst[k] = index.get(e.target);
      edgeKind[k] = colourIndex(edgeColours, palette.edge[e.kind] || palette.edge_default);
      edgeMarked[k] = e.highlight ? 1 : 0;
      if (e.highlight) { anyMark = true; }
      degree[src[k]]++; degree[dst[k]]++;
    }
    kindStart = new Int32Array(edgeColours.length + 1);
    for (k = 0; k < m; k++) { kindStart[edgeKind[k] + 1]++; }
    for (var q = 0; q < edgeColours.length; q++) { kindStart[q + 1] += kindStart[q]; }
    var put = kindStart.slice(0, edgeColours.length);
    edgeOrder = new Int32Array(m);
    for (k = 0; k < m; k++) { edgeOrder[put[edgeKind[k]]++] = k; }
    // Neighbours as one flat list (CSR).
    var start = new Int32Array(n + 1);
    for (i = 0; i < n; i++) { start[i + 1] = start[i] + degree[i]; }
    var fill = start.slice(0, n), list = new Int32Array(start[n]);
    for (k = 0; k < m; k++) { list[fill[src[k]]++] = dst[k]; list[fill[dst[k]]++] = src[k]; }
    adjacency = { start: start, list: list };
    // Labels: the most important first (as the SVG places them).
    byImportance = Array.from({ length: n }, function (_, j) { return j; });
    byImportance.sort(function (a, b) {
      return value[b] - value[a] || (labels[a] < labels[b] ? -1 : labels[a] > labels[b] ? 1 : a - b);
    });
    // The grid for hit-testing.
    var cols = Math.ceil(home.w / CELL) + 1, rows = Math.ceil(home.h / CELL) + 1;
    var counts = new Int32Array(cols * rows + 1);
    var cellOf = new Int32Array(n);
    for (i = 0; i < n; i++) {
      var c = Math.min(cols - 1, Math.max(0, Math.floor(xs[i] / CELL)));
      var r = Math.min(rows - 1, Math.max(0, Math.floor(ys[i] / CELL)));
      cellOf[i] = r * cols + c;
      counts[cellOf[i] + 1]++;
    }
    for (i = 0; i < cols * rows; i++) { counts[i + 1] += counts[i]; }
    var at = counts.slice(0, cols * rows), members = new Int32Array(n);
    for (i = 0; i < n; i++) { members[at[cellOf[i]]++] = i; }
    grid = { cols: cols, rows: rows, start: counts, members: members };
  }

  // The node under a point (picture units): the nearest whose circle (or a few pixels
  // around a small one) holds it.
  function nodeAt(p) {
    if (!grid) { return -1; }
    var slack = 4 / scale;
    var reach = maxRadius + slack;
    var c0 = Math.max(0, Math.floor((p.x - reach) / CELL)), c1 = Math.min(grid.cols - 1, Math.floor((p.x + reach) / CELL));
    var r0 = Math.max(0, Math.floor((p.y - reach) / CELL)), r1 = Math.min(grid.rows - 1, Math.floor((p.y + reach) / CELL));
    var best = -1, bestD = Infinity;
    for (var r = r0; r <= r1; r++) {
      for (var c = c0; c <= c1; c++) {
        var cell = r * grid.cols + c;
        for (var k = grid.start[cell]; k < grid.start[cell + 1]; k++) {
          var i = grid.members[k];
          var dx = xs[i] - p.x, dy = ys[i] - p.y;
          var d = Math.sqrt(dx * dx + dy * dy);
          if (d <= Math.max(rs[i], slack) && d - rs[i] < bestD) { best = i; bestD = d - rs[i]; }
        }
      }
    }
    return best;
  }

  // Drawing. `sparse` (while panning or zooming a large picture) draws every k-th link
  // only; a full frame follows when the movement stops.
  var base = document.createElement("canvas");
  var lastCost = 0;
  var hovered = -1;

  function setPicture(c) {
    c.setTransform(ratio * scale, 0, 0, ratio * scale, ratio * tx, ratio * ty);
  }

  function drawEdges(c, sparse, only) {
    var v = visible();
    var px = 1 / scale;
    var step = sparse ? Math.max(1, Math.ceil(m / 40000)) : 1;
    c.lineCap = "round";
    for (var kind = 0; kind < edgeColours.length; kind++) {
      c.beginPath();
      var any = false;
      for (var o = kindStart[kind]; o < kindStart[kind + 1]; o += step) {
        var k = edgeOrder[o];
        if (only && !only(k)) { continue; }
        var a = src[k], b = dst[k];
        var ax = xs[a], ay = ys[a], bx = xs[b], by = ys[b];
        if ((ax < v.x0 && bx < v.x0) || (ax > v.x1 && bx > v.x1) || (ay < v.y0 && by < v.y0) || (ay > v.y1 && by > v.y1)) { continue; }
        c.moveTo(ax, ay);
        c.lineTo(bx, by);
        any = true;
      }
      if (any) {
        c.strokeStyle = edgeColours[kind];
        c.lineWidth = px;
        c.stroke();
      }
    }
  }

  function drawNodes(c, only) {
    var v = visible();
    var px = 1 / scale;
    for (var o = 0; o < colourOrder.length; o++) {
      var colour = colourOrder[o];
      c.beginPath();
      var any = false;
      for (var i = 0; i < n; i++) {
        if (colourOf[i] !== colour || (only && !only(i))) { continue; }
        var r = rs[i];
        if (xs[i] + r < v.x0 || xs[i] - r > v.x1 || ys[i] + r < v.y0 || ys[i] - r > v.y1) { continue; }
        c.moveTo(xs[i] + r, ys[i]);
        c.arc(xs[i], ys[i], r, 0, 2 * Math.PI);
        any = true;
      }
      if (any) {
        c.fillStyle = nodeColours[colour];
        c.fill();
        c.strokeStyle = "#ffffff";
        c.lineWidth = Math.min(1.5, px);
        c.stroke();
      }
    }
  }

  // Rings of marked nodes, and marked links, above everything.
  function drawMarks(c) {
    if (!anyMark) { return; }
    c.globalAlpha = 1;
    c.beginPath();
    for (var k = 0; k < m; k++) {
      if (edgeMarked[k]) { c.moveTo(xs[src[k]], ys[src[k]]); c.lineTo(xs[dst[k]], ys[dst[k]]); }
    }
    c.strokeStyle = palette.mark;
    c.lineWidth = 3.5;
    c.stroke();
    drawNodes(c, function (i) { return marked[i] === 1; });
    for (var i = 0; i < n; i++) {
      if (!marked[i]) { continue; }
      c.beginPath();
      c.arc(xs[i], ys[i], rs[i] + 4, 0, 2 * Math.PI);
      c.strokeStyle = loss[i] >= 0 ? palette.loss : palette.mark;
      c.lineWidth = loss[i] >= 0 ? 1.5 + 6 * loss[i] : 2.5;
      c.stroke();
    }
  }

  // Names of the most important nodes in view, as many as fit without overlapping.
  function drawLabels(c, only) {
    var v = visible();
    c.setTransform(ratio, 0, 0, ratio, 0, 0);
    c.font = "11px sans-serif";
    c.textBaseline = "middle";
    c.lineJoin = "round";
    var boxes = [];
    var tried = 0;
    for (var j = 0; j < n && boxes.length < 200 && tried < 3000; j++) {
      var i = byImportance[j];
      if (only && !only(i)) { continue; }
      if (xs[i] < v.x0 || xs[i] > v.x1 || ys[i] < v.y0 || ys[i] > v.y1) { continue; }
      tried++;
      var text = labels[i].length > 32 ? labels[i].slice(0, 32) + "…" : labels[i];
      var w = c.measureText(text).width, h = 13;
      var sx = xs[i] * scale + tx + rs[i] * scale + 3, sy = ys[i] * scale + ty;
      var box = [sx, sy - h / 2, w, h];
      if (box[0] < 0 || box[1] < 0 || box[0] + w > cssW || box[1] + h > cssH) { continue; }
      var free = true;
      for (var b = 0; b < boxes.length && free; b++) {
        var o = boxes[b];
        free = !(box[0] < o[0] + o[2] && o[0] < box[0] + box[2] && box[1] < o[1] + o[3] && o[1] < box[1] + box[3]);
      }
      if (!free) { continue; }
      boxes.push(box);
      c.strokeStyle = "#ffffff";
      c.lineWidth = 3;
      c.strokeText(text, sx, sy);
      c.fillStyle = "#222222";
      c.fillText(text, sx, sy);
    }
  }

  function clearAll(c) {
    c.setTransform(1, 0, 0, 1, 0, 0);
    c.fillStyle = "#ffffff";
    c.fillRect(0, 0, canvas.width, canvas.height);
  }

  // Many links are drawn thinner in colour, so that the nodes stay visible.
  function edgeAlpha() { return m > 20000 ? 0.35 : m > 5000 ? 0.6 : 1; }

  var baseKey = "";
  function frameKey() { return canvas.width + " " + canvas.height + " " + view.x + " " + view.y + " " + view.w + " " + view.h; }

  function drawFull(sparse) {
    var started = performance.now();
    clearAll(ctx);
    setPicture(ctx);
    var faded = anyMark ? 0.3 : 1;
    ctx.globalAlpha = faded * edgeAlpha();
    drawEdges(ctx, sparse);
    ctx.globalAlpha = faded;
    drawNodes(ctx);
    drawMarks(ctx);
    ctx.globalAlpha = 1;
    drawLabels(ctx);
    if (!sparse) {
      lastCost = performance.now() - started;
      // Kept for hovering: the overlay is drawn on a copy of this frame.
      base.width = canvas.width;
      base.height = canvas.height;
      base.getContext("2d").drawImage(canvas, 0, 0);
      baseKey = frameKey();
    }
  }

  // A node and its neighbours over the faded picture.
  function drawHover() {
    var i = hovered;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(base, 0, 0);
    ctx.fillStyle = "rgba(255,255,255,0.8)";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    var near = new Set([i]);
    for (var k = adjacency.start[i]; k < adjacency.start[i + 1]; k++) { near.add(adjacency.list[k]); }
    setPicture(ctx);
    ctx.globalAlpha = 1;
    drawEdges(ctx, false, function (k) { return src[k] === i || dst[k] === i; });
    drawNodes(ctx, function (j) { return near.has(j); });
    setPicture(ctx);
    ctx.beginPath();
    ctx.arc(xs[i], ys[i], rs[i] + 3, 0, 2 * Math.PI);
    ctx.strokeStyle = palette.mark;
    ctx.lineWidth = 2 / scale;
    ctx.stroke();
    drawLabels(ctx, function (j) { return near.has(j); });
  }

  var pending = false, sparseFrame = false, settle = null, first = true;
  function redraw(moving) {
    if (moving && lastCost > 40) {
      sparseFrame = true;
      clearTimeout(settle);
      settle = setTimeout(function () { sparseFrame = false; redraw(false); }, 150);
    }
    if (pending) { return; }
    pending = true;
    requestAnimationFrame(function () {
      pending = false;
      if (!grid) { return; }
      measure();
      fit();
      if (hovered >= 0 && !sparseFrame) {
        if (baseKey !== frameKey()) { drawFull(false); }
        drawHover();
      } else {
        drawFull(sparseFrame);
      }
      if (first) {
        first = false;
        if (status) { status.textContent = frame.dataset.drawn; }
        canvas.dataset.drawn = "true";
        // Marked after the frame with the first full picture has been painted.
        requestAnimationFrame(function () { performance.mark("network-drawn"); });
      }
    });
  }

  function zoom(factor, cx, cy) {
    var w = Math.min(Math.max(view.w * factor, home.w / 40), home.w * 4);
    var f = w / view.w;
    view.x = cx - (cx - view.x) * f;
    view.y = cy - (cy - view.y) * f;
    view.w = w;
    view.h = view.h * f;
    redraw(true);
  }
  function centre() { return { x: view.x + view.w / 2, y: view.y + view.h / 2 }; }

  canvas.addEventListener("wheel", function (e) {
    e.preventDefault();
    var p = toPicture(e.clientX, e.clientY);
    zoom(e.deltaY < 0 ? 0.85 : 1 / 0.85, p.x, p.y);
  }, { passive: false });

  function showTip(i, clientX, clientY) {
    if (!tip) { return; }
    if (i < 0) { tip.hidden = true; return; }
    var text = labels[i];
    if (cities[i]) { text += ", " + cities[i]; }
    tip.textContent = text;
    var r = frame.getBoundingClientRect();
    tip.style.left = Math.min(clientX - r.left + 12, Math.max(0, r.width - 200)) + "px";
    tip.style.top = (clientY - r.top + 12) + "px";
    tip.hidden = false;
  }
  function hover(i, clientX, clientY) {
    showTip(i, clientX, clientY);
    canvas.style.cursor = i >= 0 ? "pointer" : "grab";
    if (i !== hovered) { hovered = i; redraw(false); }
  }

  // Drag with a mouse, a pen or one finger; two fingers pinch; a click opens a node.
  var pointers = {};
  var moved = false;
  canvas.addEventListener("pointerdown", function (e) {
    pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
    moved = false;
    if (canvas.setPointerCapture) { try { canvas.setPointerCapture(e.pointerId); } catch (err) { /* not capturable */ } }
  });
  canvas.addEventListener("pointermove", function (e) {
    var last = pointers[e.pointerId];
    if (!last) { hover(nodeAt(toPicture(e.clientX, e.clientY)), e.clientX, e.clientY); return; }
    var ids = Object.keys(pointers);
    if (ids.length === 1) {
      if (Math.abs(e.clientX - last.x) + Math.abs(e.clientY - last.y) > 2) { moved = true; }
      if (moved) {
        hover(-1, 0, 0);
        view.x -= (e.clientX - last.x) / scale;
        view.y -= (e.clientY - last.y) / scale;
        redraw(true);
      }
    } else if (ids.length === 2) {
      var other = pointers[ids[0] === String(e.pointerId) ? ids[1] : ids[0]];
      var before = Math.hypot(last.x - other.x, last.y - other.y);
      var after = Math.hypot(e.clientX - other.x, e.clientY - other.y);
      if (before > 0 && after > 0) {
        var mid = toPicture((e.clientX + other.x) / 2, (e.clientY + other.y) / 2);
        zoom(before / after, mid.x, mid.y);
      }
      moved = true;
    }
    pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
  });
  function release(e) { delete pointers[e.pointerId]; }
  canvas.addEventListener("pointerup", function (e) {
    var single = Object.keys(pointers).length === 1;
    release(e);
    if (moved || !single || e.button > 0) { return; }
    var i = nodeAt(toPicture(e.clientX, e.clientY));
    if (i >= 0) {
      window.location.href = (persons[i] ? "/persons/" : "/organisations/") + encodeURIComponent(ids[i]);
    }
  });
  canvas.addEventListener("pointercancel", release);
  canvas.addEventListener("pointerleave", function (e) { if (!pointers[e.pointerId]) { hover(-1, 0, 0); } });

  frame.addEventListener("keydown", function (e) {
    var step = view.w / 10;
    var c = centre();
    switch (e.key) {
      case "+": case "=": zoom(0.8, c.x, c.y); break;
      case "-": case "_": zoom(1.25, c.x, c.y); break;
      case "0": view = { x: home.x, y: home.y, w: home.w, h: home.h }; redraw(true); break;
      case "ArrowLeft": view.x -= step; redraw(true); break;
      case "ArrowRight": view.x += step; redraw(true); break;
      case "ArrowUp": view.y -= step; redraw(true); break;
      case "ArrowDown": view.y += step; redraw(true); break;
      default: return;
    }
    e.preventDefault();
  });
  window.addEventListener("resize", function () { redraw(false); });

  // For tests and benchmarks: where a node is drawn and which node is at a point.
  window.knotenpunktNetwork = {
    view: function () { return { x: view.x, y: view.y, w: view.w, h: view.h }; },
    transform: function () { return { scale: scale, tx: tx, ty: ty }; },
    nodeAt: function (clientX, clientY) { var i = nodeAt(toPicture(clientX, clientY)); return i < 0 ? null : ids[i]; },
    lastFrameMs: function () { return lastCost; }
  };

  measure();
  fit();
  // The page preloads this address (<link rel="preload" as="fetch">): same mode and
  // credentials, so the download started while the page was still being read is used.
  fetch(frame.dataset.src, { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
    .then(function (data) {
      performance.mark("network-json");
      load(data);
      performance.mark("network-loaded");
      redraw(false);
    })
    .catch(function () {
      if (status) { status.textContent = frame.dataset.failed; }
      canvas.dataset.failed = "true";
    });
})();
