// jiuzhu static site: sorting tables, filtering the task table and searching, all in the page.
// No library and no network: the pages must work opened from disk on an offline county network.
(function () {
  "use strict";

  function cellValue(row, index, type) {
    var cell = row.cells[index];
    if (!cell) { return ""; }
    var value = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    return type === "number" ? (parseFloat(value) || 0) : value;
  }

  function sortBy(table, th) {
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var type = th.getAttribute("data-type") || "text";
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(th.parentNode.children, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index, type), y = cellValue(b, index, type);
      var order = type === "number" ? x - y : String(x).localeCompare(String(y), "zh-CN");
      return ascending ? order : -order;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }

  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("thead th").forEach(function (th) {
      th.addEventListener("click", function () { sortBy(table, th); });
    });
  });

  var filters = document.getElementById("task-filters");
  if (filters) {
    var table = document.getElementById("all-tasks");
    var unit = document.getElementById("filter-unit");
    var status = document.getElementById("filter-status");
    var source = document.getElementById("filter-source");
    var count = document.getElementById("shown-count");
    var apply = function () {
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var ok = (!unit.value || row.getAttribute("data-units").split(" ").indexOf(unit.value) >= 0) &&
          (!status.value || row.getAttribute("data-status") === status.value) &&
          (!source.value || row.getAttribute("data-source") === source.value);
        row.classList.toggle("hidden", !ok);
        if (ok) { shown += 1; }
      });
      count.textContent = "显示 " + shown + " 项";
    };
    [unit, status, source].forEach(function (s) { s.addEventListener("change", apply); });
    // tasks.html#status=逾期未完成 (the overview's cards) opens with that filter set
    var wanted = decodeURIComponent(location.hash.slice(1)).split("=");
    var preset = { unit: unit, status: status, source: source }[wanted[0]];
    if (preset && wanted.length === 2) { preset.value = wanted[1]; }
    apply();
  }

  var search = document.getElementById("search");
  if (search) {
    var entries = JSON.parse(document.getElementById("search-data").textContent);
    var list = document.getElementById("search-results");
    var said = document.getElementById("search-count");
    var limit = 200;
    var run = function () {
      var terms = search.value.trim().split(/\s+/).filter(Boolean);
      list.textContent = "";
      if (!terms.length) { said.textContent = "共 " + entries.length + " 条可搜索的内容"; return; }
      var found = entries.filter(function (e) {
        var hay = e.kind + " " + e.title + " " + e.text;
        return terms.every(function (t) { return hay.indexOf(t) >= 0; });
      });
      said.textContent = "找到 " + found.length + " 条" + (found.length > limit ? "，显示前 " + limit + " 条" : "");
      found.slice(0, limit).forEach(function (e) {
        var li = document.createElement("li");
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = e.kind;
        var link = document.createElement("a");
        link.href = e.href;
        link.textContent = e.title;
        var text = document.createElement("div");
        text.textContent = e.text;
        li.appendChild(kind); li.appendChild(link); li.appendChild(text);
        list.appendChild(li);
      });
    };
    search.addEventListener("input", run);
    var q = new URLSearchParams(location.search).get("q");
    if (q) { search.value = q; }
    run();
  }
}());
