// The network page's own script: the year slider; on an SVG picture pan and zoom
// (wheel, drag, touch, keyboard), and hovering or focusing a node highlights its
// neighbours (a canvas picture has network-canvas.js). Without it the picture still
// shows and every node is a link to its page.
(function () {
  "use strict";
  // The year slider sets the date and shows that year's picture.
  var year = document.getElementById("year");
  var asOf = document.getElementById("as_of");
  var form = document.getElementById("network-filters");
  if (year && asOf && form) {
    var shown = document.getElementById("year-shown");
    year.addEventListener("input", function () { if (shown) { shown.textContent = year.value; } });
    year.addEventListener("change", function () {
      asOf.value = year.value;
      ["from", "to"].forEach(function (id) { var f = document.getElementById(id); if (f) { f.value = ""; } });
      form.submit();
    });
  }

  var frame = document.getElementById("network-frame");
  var svg = document.getElementById("network-svg");
  if (!frame || !svg) { return; }
  // The picture came with the page: marked once it has been painted (read by
  // benches/first_picture.sh, as the canvas script marks its first full frame).
  requestAnimationFrame(function () {
    requestAnimationFrame(function () { performance.mark("network-drawn"); });
  });
  var base = svg.viewBox.baseVal;
  var home = { x: base.x, y: base.y, w: base.width, h: base.height };
  var view = { x: home.x, y: home.y, w: home.w, h: home.h };

  function apply() {
    svg.setAttribute("viewBox", view.x + " " + view.y + " " + view.w + " " + view.h);
  }
  function zoom(factor, cx, cy) {
    var w = Math.min(Math.max(view.w * factor, home.w / 40), home.w * 4);
    var f = w / view.w;
    view.x = cx - (cx - view.x) * f;
    view.y = cy - (cy - view.y) * f;
    view.w = w;
    view.h = view.h * f;
    apply();
  }
  function toSvg(clientX, clientY) {
    var r = svg.getBoundingClientRect();
    return { x: view.x + (clientX - r.left) / r.width * view.w, y: view.y + (clientY - r.top) / r.height * view.h };
  }
  function centre() { return { x: view.x + view.w / 2, y: view.y + view.h / 2 }; }

  svg.addEventListener("wheel", function (e) {
    e.preventDefault();
    var p = toSvg(e.clientX, e.clientY);
    zoom(e.deltaY < 0 ? 0.85 : 1 / 0.85, p.x, p.y);
  }, { passive: false });

  // Drag with a mouse, a pen or one finger; two fingers pinch.
  var pointers = {};
  var moved = false;
  svg.addEventListener("pointerdown", function (e) {
    pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
    moved = false;
  });
  svg.addEventListener("pointermove", function (e) {
    var last = pointers[e.pointerId];
    if (!last) { return; }
    var ids = Object.keys(pointers);
    var r = svg.getBoundingClientRect();
    if (ids.length === 1) {
      var dx = (e.clientX - last.x) / r.width * view.w;
      var dy = (e.clientY - last.y) / r.height * view.h;
      if (Math.abs(e.clientX - last.x) + Math.abs(e.clientY - last.y) > 2) { moved = true; }
      view.x -= dx;
      view.y -= dy;
      apply();
    } else if (ids.length === 2) {
      var other = pointers[ids[0] === String(e.pointerId) ? ids[1] : ids[0]];
      var before = Math.hypot(last.x - other.x, last.y - other.y);
      var after = Math.hypot(e.clientX - other.x, e.clientY - other.y);
      if (before > 0 && after > 0) {
        var mid = toSvg((e.clientX + other.x) / 2, (e.clientY + other.y) / 2);
        zoom(before / after, mid.x, mid.y);
      }
      moved = true;
    }
    pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
  });
  function release(e) { delete pointers[e.pointerId]; }
  svg.addEventListener("pointerup", release);
  svg.addEventListener("pointercancel", release);
  // A drag is not a click on the node where it ended.
  svg.addEventListener("click", function (e) { if (moved) { e.preventDefault(); moved = false; } }, true);

  // On a focused node the arrow keys move to the neighbour lying most in that direction.
  function neighbourTowards(node, key) {
    var dir = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[key];
    var here = node.querySelector("circle, rect, polygon");
    if (!dir || !here) { return null; }
    var from = here.getBBox();
    var best = null, bestScore = -Infinity;
    svg.querySelectorAll("line.edge").forEach(function (l) {
      var s = l.getAttribute("data-s"), t = l.getAttribute("data-t");
      var other = s === node.id ? t : (t === node.id ? s : null);
      var el = other && document.getElementById(other);
      var shape = el && el.querySelector("circle, rect, polygon");
      if (!shape) { return; }
      var to = shape.getBBox();
      var dx = (to.x + to.width / 2) - (from.x + from.width / 2);
      var dy = (to.y + to.height / 2) - (from.y + from.height / 2);
      var length = Math.hypot(dx, dy) || 1;
      var score = (dx * dir[0] + dy * dir[1]) / length;
      if (score > 0.3 && score > bestScore) { best = el; bestScore = score; }
    });
    return best;
  }

  frame.addEventListener("keydown", function (e) {
    var active = document.activeElement;
    if (active && active.classList && active.classList.contains("node")) {
      var next = neighbourTowards(active, e.key);
      if (next) { next.focus(); e.preventDefault(); return; }
    }
    var step = view.w / 10;
    var c = centre();
    switch (e.key) {
      case "+": case "=": zoom(0.8, c.x, c.y); break;
      case "-": case "_": zoom(1.25, c.x, c.y); break;
      case "0": view = { x: home.x, y: home.y, w: home.w, h: home.h }; apply(); break;
      case "ArrowLeft": view.x -= step; apply(); break;
      case "ArrowRight": view.x += step; apply(); break;
      case "ArrowUp": view.y -= step; apply(); break;
      case "ArrowDown": view.y += step; apply(); break;
      default: return;
    }
    e.preventDefault();
  });

  // Neighbours light up; everything else fades.
  var edges = svg.querySelectorAll("line.edge");
  function highlight(key) {
    var near = {};
    near[key] = true;
    edges.forEach(function (l) {
      var s = l.getAttribute("data-s"), t = l.getAttribute("data-t");
      var on = s === key || t === key;
      if (on) { near[s] = true; near[t] = true; }
      l.classList.toggle("dim", !on);
    });
    svg.querySelectorAll("a.node").forEach(function (n) { n.classList.toggle("dim", !near[n.id]); });
    svg.querySelectorAll("#labels text").forEach(function (t) { t.classList.toggle("dim", !near[t.getAttribute("data-for")]); });
  }
  function clear() {
    svg.querySelectorAll(".dim").forEach(function (n) { n.classList.remove("dim"); });
  }
  svg.querySelectorAll("a.node").forEach(function (n) {
    n.addEventListener("mouseenter", function () { highlight(n.id); });
    n.addEventListener("focus", function () { highlight(n.id); });
    n.addEventListener("mouseleave", clear);
    n.addEventListener("blur", clear);
  });

})();
