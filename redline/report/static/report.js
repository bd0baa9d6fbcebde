/* redline report: progressive enhancement only.  Without this script the report is complete
   (text, highlights, tables, native tooltips on the badges); with it the reader gets rich
   tooltips, filters and keyboard navigation.  Document text reaches this script only as JSON
   data (never as code) and reaches the page only through textContent, never innerHTML. */
(function () {
  "use strict";
  var dataEl = document.getElementById("rl-data");
  if (!dataEl) { return; }
  var data = JSON.parse(dataEl.textContent);
  var F = {}, T = {};
  data.findings.forEach(function (f) { F[f.id] = f; });
  data.techniques.forEach(function (t) { T[t.id] = t; });
  var visF = {}, visT = {};
  Object.keys(F).forEach(function (id) { visF[id] = true; });
  Object.keys(T).forEach(function (id) { visT[id] = true; });
  var root = document.documentElement;
  root.classList.add("js");

  /* ---- tooltip ------------------------------------------------------------------------ */
  var tip = document.getElementById("rl-tip");
  var current = null;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function row(dl, term, value) {
    dl.appendChild(el("dt", null, term));
    dl.appendChild(el("dd", null, value));
  }

  function findingCard(f) {
    var box = el("div", "tip-item");
    var head = "Finding " + f.id + " \u00b7 severity " + f.severity + " \u00b7 " +
      f.action.replace(/_/g, " ") + " \u00b7 " + f.modality + (f.conditional ? " (conditional)" : "");
    box.appendChild(el("div", "tip-title", head));
    var dl = el("dl");
    row(dl, "Action", f.action.replace(/_/g, " "));
    row(dl, "Modality", f.modality + (f.conditional ? ", conditional" : ""));
    row(dl, "Speaker", f.speaker === null ? "\u2014" : f.speaker);
    row(dl, "Actor \u2192 targets", (f.actor || "\u2014") + " \u2192 " +
      (f.targets.length ? f.targets.join("; ") : "\u2014"));
    row(dl, "Severity", f.severity + " / 10");
    row(dl, "Confidence", f.confidence.toFixed(2));
    if (f.cameo) { row(dl, "CAMEO", f.cameo); }
    box.appendChild(dl);
    if (f.evidence.length) {
      box.appendChild(el("div", "tip-sub", "Evidence:"));
      var ul = el("ul");
      f.evidence.forEach(function (ev) {
        ul.appendChild(el("li", null, "\u201c" + ev[0] + "\u201d \u2014 " + ev[1]));
      });
      box.appendChild(ul);
    }
    return box;
  }

  function techniqueCard(t) {
    var box = el("div", "tip-item");
    box.appendChild(el("div", "tip-title",
      "Technique " + t.id + " \u00b7 " + t.technique.replace(/_/g, " ")));
    var dl = el("dl");
    row(dl, "Confidence", t.confidence.toFixed(2));
    row(dl, "Why", t.why);
    box.appendChild(dl);
    return box;
  }

  function ids(node, attr) {
    var raw = node.getAttribute(attr);
    return raw ? raw.split(" ") : [];
  }

  function show(node) {
    var fs = ids(node, "data-f").filter(function (id) { return F[id] && visF[id]; });
    var ts = ids(node, "data-t").filter(function (id) { return T[id] && visT[id]; });
    if (!fs.length && !ts.length) { hide(); return; }
    tip.textContent = "";
    fs.forEach(function (id) { tip.appendChild(findingCard(F[id])); });
    ts.forEach(function (id) { tip.appendChild(techniqueCard(T[id])); });
    tip.hidden = false;
    if (current && current !== node) { current.removeAttribute("aria-describedby"); }
    current = node;
    node.setAttribute("aria-describedby", "rl-tip");
    var r = node.getBoundingClientRect();
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var top = r.bottom + 6;
    if (top + h > window.innerHeight && r.top - h - 6 > 0) { top = r.top - h - 6; }
    var left = Math.max(8, Math.min(r.left, document.documentElement.clientWidth - w - 8));
    tip.style.top = (top + window.scrollY) + "px";
    tip.style.left = (left + window.scrollX) + "px";
  }

  function hide() {
    tip.hidden = true;
    if (current) { current.removeAttribute("aria-describedby"); current = null; }
  }

  var SEL = "[data-f],[data-t]";
  function target(ev) {
    var t = ev.target;
    if (!t || !t.closest) { return null; }
    var node = t.closest(SEL);
    return node && !node.closest("tr") && !node.closest("form") ? node : null;
  }
  document.addEventListener("mouseover", function (ev) {
    var node = target(ev);
    if (node) { show(node); } else if (current && document.activeElement !== current) { hide(); }
  });
  document.addEventListener("focusin", function (ev) {
    var node = target(ev);
    if (node) { show(node); } else { hide(); }
  });
  document.addEventListener("focusout", function () { hide(); });
  window.addEventListener("resize", hide);

  /* The badges carry a native title for readers without JavaScript; the rich tooltip
     replaces it here so that the two do not show at once. */
  document.querySelectorAll(".badge[title], .tbadge[title]").forEach(function (b) {
    b.removeAttribute("title");
  });

  /* ---- jumping between text and tables ------------------------------------------------ */
  function flash(id) {
    var attr = id.charAt(0) === "f" ? "data-f" : "data-t";
    var nodes = document.querySelectorAll(".doc [" + attr + "~='" + id.replace(/[^\w-]/g, "") + "']");
    nodes.forEach(function (n) { n.classList.add("flash"); });
    window.setTimeout(function () {
      nodes.forEach(function (n) { n.classList.remove("flash"); });
    }, 1600);
  }
  /* A link to a row behind "Show all" opens its table (CSS :target shows the row alone). */
  function reveal(id) {
    var row = document.getElementById(id);
    var wrap = row && row.classList.contains("more") ? row.closest(".table-wrap") : null;
    var bar = wrap ? wrap.previousElementSibling : null;
    var box = bar ? bar.querySelector(".more-toggle") : null;
    if (box) { box.checked = true; }
  }
  window.addEventListener("hashchange", function () {
    var id = decodeURIComponent(location.hash.slice(1));
    if (/^[ft]\d+$/.test(id)) { flash(id); }
    if (/^(row-[ft]\d+|ent-e\d+)$/.test(id)) { reveal(id); }
  });

  /* ---- filters ------------------------------------------------------------------------- */
  var form = document.getElementById("rl-filters");
  var count = document.getElementById("rl-count");
  function val(name) { var c = form.elements[name]; return c ? c.value : ""; }

  function apply() {
    var sp = val("speaker"), ac = val("action"), mo = val("modality");
    var min = parseInt(val("severity") || "0", 10), te = val("technique");
    var speaker = sp === "" ? undefined : data.speakers[parseInt(sp, 10)];
    var nF = 0, nT = 0;
    data.findings.forEach(function (f) {
      var ok = (speaker === undefined || f.speaker === speaker) && (!ac || f.action === ac) &&
        (!mo || f.modality === mo) && f.severity >= min;
      visF[f.id] = ok;
      if (ok) { nF += 1; }
    });
    data.techniques.forEach(function (t) {
      var ok = (speaker === undefined || t.speaker === speaker) && (!te || t.technique === te);
      visT[t.id] = ok;
      if (ok) { nT += 1; }
    });
    document.querySelectorAll(".doc mark.hl").forEach(function (m) {
      var best = -1;
      ids(m, "data-f").forEach(function (id) {
        if (visF[id] && F[id].severity > best) { best = F[id].severity; }
      });
      m.classList.toggle("f-off", best < 0);
      m.className = m.className.replace(/\bsev-\d\b/, "sev-" + band(best < 0 ? m.getAttribute("data-sev") : best));
    });
    document.querySelectorAll(".doc .tq").forEach(function (n) {
      n.classList.toggle("t-off", !ids(n, "data-t").some(function (id) { return visT[id]; }));
    });
    document.querySelectorAll(".badge[data-f], .pt[data-f]").forEach(function (b) {
      b.classList.toggle("f-off", !visF[b.getAttribute("data-f")]);
    });
    document.querySelectorAll(".tbadge[data-t]").forEach(function (b) {
      b.classList.toggle("t-off", !visT[b.getAttribute("data-t")]);
    });
    document.querySelectorAll("tr[data-f]").forEach(function (r) {
      r.hidden = !visF[r.getAttribute("data-f")];
    });
    document.querySelectorAll("tr[data-t]").forEach(function (r) {
      r.hidden = !visT[r.getAttribute("data-t")];
    });
    document.querySelectorAll("[data-pf]").forEach(function (li) {
      li.hidden = !visF[li.getAttribute("data-pf")];
    });
    /* a filter shows every matching row, so the long tables open */
    var filtered = sp !== "" || ac || mo || min > 0 || te;
    if (filtered) {
      document.querySelectorAll(".more-toggle").forEach(function (b) { b.checked = true; });
    }
    document.querySelectorAll(".doc .seg").forEach(function (s) {
      var who = s.hasAttribute("data-speaker") ? s.getAttribute("data-speaker") : null;
      s.classList.toggle("dim", speaker !== undefined && who !== speaker);
    });
    count.textContent = "Showing " + nF + " of " + data.findings.length + " findings and " +
      nT + " of " + data.techniques.length + " techniques";
    hide();
  }

  function band(sev) {
    sev = parseInt(sev, 10);
    if (sev >= 8) { return 4; }
    if (sev >= 6) { return 3; }
    if (sev >= 4) { return 2; }
    return sev >= 1 ? 1 : 0;
  }

  if (form) {
    form.hidden = false;
    form.addEventListener("change", apply);
    form.addEventListener("input", apply);
    form.addEventListener("submit", function (ev) { ev.preventDefault(); apply(); });
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    var keys = document.getElementById("rl-keys");
    if (keys) { keys.hidden = false; }
  }

  /* ---- keyboard: n / p (or j / k) move between visible findings, Esc closes the tip ---- */
  function step(dir) {
    var badges = Array.prototype.filter.call(document.querySelectorAll(".doc .badge"),
      function (b) { return !b.classList.contains("f-off") && !b.closest(".seg.dim"); });
    if (!badges.length) { return; }
    var at = badges.indexOf(document.activeElement), next;
    if (at >= 0) {
      next = at + dir;
    } else {
      var y = 0;
      next = dir > 0 ? badges.length - 1 : 0;
      for (var i = 0; i < badges.length; i += 1) {
        y = badges[i].getBoundingClientRect().top;
        if (dir > 0 && y > 1) { next = i; break; }
        if (dir < 0 && y < -1) { next = i; }
      }
    }
    next = Math.max(0, Math.min(badges.length - 1, next));
    badges[next].focus();
  }
  document.addEventListener("keydown", function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
    var tag = (ev.target && ev.target.tagName) || "";
    if (/^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(tag)) {
      if (ev.key === "Escape") { hide(); }
      return;
    }
    if (ev.key === "Escape") { hide(); } else if (ev.key === "n" || ev.key === "j") {
      step(1); ev.preventDefault();
    } else if (ev.key === "p" || ev.key === "k") {
      step(-1); ev.preventDefault();
    }
  });

  root.setAttribute("data-ready", "1");
}());
