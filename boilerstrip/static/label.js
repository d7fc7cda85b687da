// boilerstrip labeling page: shows the page's blocks, toggles labels, saves them.
// Block text is inserted with textContent only: page text is never parsed as HTML.
"use strict";

(function () {
  const token = document.querySelector('meta[name="bs-token"]').content;
  const doc = document.getElementById("doc");
  const statusEl = document.getElementById("status");
  const countsEl = document.getElementById("counts");
  const saveBtn = document.getElementById("save");
  let blocks = [];
  let labels = [];
  let saved = [];
  let lastClicked = null;
  let downAt = null;

  function setStatus(text, kind) {
    statusEl.textContent = text;
    statusEl.className = kind || "";
  }

  function paint(i) {
    const el = doc.querySelector('[data-index="' + i + '"]');
    const isContent = labels[i] === 1;
    el.classList.toggle("content", isContent);
    el.classList.toggle("boilerplate", !isContent);
    el.classList.toggle("changed", labels[i] !== blocks[i].model);
    el.setAttribute("aria-pressed", isContent ? "true" : "false");
    el.dataset.label = String(labels[i]);
  }

  function updateCounts() {
    const content = labels.filter(function (x) { return x === 1; }).length;
    const changed = labels.filter(function (x, i) { return x !== blocks[i].model; }).length;
    const never = saved.length > 0 && saved[0] === -1;
    const unsaved = labels.some(function (x, i) { return x !== saved[i]; });
    countsEl.textContent = blocks.length + " blocks · " + content + " content · " +
      (blocks.length - content) + " boilerplate · " + changed + " changed from the model" +
      (never ? " · not saved yet" : (unsaved ? " · unsaved changes" : " · saved"));
  }

  function toggle(i, shift) {
    const value = labels[i] === 1 ? 0 : 1;
    if (shift && lastClicked !== null && lastClicked !== i) {
      const lo = Math.min(lastClicked, i);
      const hi = Math.max(lastClicked, i);
      const target = labels[lastClicked];
      for (let k = lo; k <= hi; k++) {
        labels[k] = target;
        paint(k);
      }
    } else {
      labels[i] = value;
      paint(i);
    }
    lastClicked = i;
    updateCounts();
    setStatus("");
  }

  function render(data) {
    document.getElementById("page-file").textContent =
      data.file + " → " + data.corpus + " (id " + data.id + ")";
    doc.textContent = "";
    const title = document.createElement("h1");
    title.className = "page-title";
    title.textContent = data.title ? "Page title: " + data.title : "(no page title)";
    doc.appendChild(title);
    blocks = data.blocks;
    labels = blocks.map(function (b) { return b.label; });
    saved = data.saved ? labels.slice() : blocks.map(function () { return -1; });
    blocks.forEach(function (b, i) {
      const el = document.createElement("div");
      el.className = "block t-" + b.tag + (b.link > 0.5 ? " linky" : "") +
        (b.headline ? " headline" : "");
      el.dataset.index = String(i);
      el.tabIndex = 0;
      el.setAttribute("role", "button");
      const chip = document.createElement("span");
      chip.className = "chip";
      chip.textContent = "#" + i + " " + b.tag + " " + b.score.toFixed(2) +
        (b.headline ? " · headline" : "");
      chip.title = "block " + i + ", <" + b.tag + ">, model score " + b.score +
        " (threshold " + data.threshold + ")";
      el.appendChild(chip);
      el.appendChild(document.createTextNode(b.text));
      el.addEventListener("mousedown", function (ev) {
        downAt = [ev.clientX, ev.clientY];
        if (ev.shiftKey) { ev.preventDefault(); } // shift-click labels, it does not select
      });
      el.addEventListener("click", function (ev) {
        // dragging over text to select (and copy) it is not a click on the block
        if (downAt && Math.abs(ev.clientX - downAt[0]) + Math.abs(ev.clientY - downAt[1]) > 6) {
          return;
        }
        toggle(i, ev.shiftKey);
      });
      el.addEventListener("keydown", function (ev) {
        if (ev.key === " " || ev.key === "Enter") {
          ev.preventDefault();
          toggle(i, ev.shiftKey);
        }
      });
      doc.appendChild(el);
      paint(i);
    });
    updateCounts();
  }

  function load() {
    fetch("/api/page").then(function (r) {
      if (!r.ok) { throw new Error("server answered " + r.status); }
      return r.json();
    }).then(render).catch(function (e) {
      setStatus("Could not load the page: " + e.message, "error");
    });
  }

  saveBtn.addEventListener("click", function () {
    saveBtn.disabled = true;
    setStatus("Saving…");
    fetch("/api/save", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Boilerstrip-Token": token },
      body: JSON.stringify({ labels: labels })
    }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (res) {
      if (!res.ok) { throw new Error(res.body.error || "save failed"); }
      saved = labels.slice();
      updateCounts();
      setStatus("Saved as " + res.body.id + " in " + res.body.gold + " (" + res.body.content +
        " content, " + res.body.boilerplate + " boilerplate blocks" +
        (res.body.replaced ? "; replaced the earlier record" : "") + ").", "ok");
    }).catch(function (e) {
      setStatus("Not saved: " + e.message, "error");
    }).finally(function () {
      saveBtn.disabled = false;
    });
  });

  document.getElementById("reset").addEventListener("click", function () {
    labels = blocks.map(function (b) { return b.model; });
    blocks.forEach(function (b, i) { paint(i); });
    updateCounts();
    setStatus("Back to the model's decisions (not saved yet).");
  });

  document.getElementById("hide").addEventListener("change", function (ev) {
    document.body.classList.toggle("hide-boilerplate", ev.target.checked);
  });

  window.addEventListener("beforeunload", function (ev) {
    if (labels.some(function (x, i) { return x !== saved[i]; })) {
      ev.preventDefault();
      ev.returnValue = "";
    }
  });

  load();
})();
