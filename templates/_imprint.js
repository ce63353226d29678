/* 版记 at the foot of the last page in print (GB/T 9704 §7.4). CSS alone cannot anchor a block to
   the bottom of the last page, so this counts the pages: it lays the line boxes before the 版记 on
   225 mm pages (a line that does not fit starts the next page), then makes the printed body exactly
   that many pages tall with the 版记 at its bottom (see @media print in the style). Without
   scripts the 版记 simply follows the text. */
(function () {
  var PAGE_MM = 225, PX_PER_MM = 96 / 25.4;
  function place() {
    var body = document.body, imprint = document.querySelector(".imprint");
    if (!imprint) return;
    body.classList.remove("imprint-bottom");
    var origin = body.getBoundingClientRect().top + parseFloat(getComputedStyle(body).paddingTop);
    var lines = [], walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT), range = document.createRange();
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (imprint.contains(node) || node.parentNode.nodeName === "SCRIPT") continue;
      range.selectNodeContents(node);
      var lineHeight = parseFloat(getComputedStyle(node.parentNode).lineHeight);
      Array.prototype.forEach.call(range.getClientRects(), function (r) {  /* glyph box -> line box */
        var half = Math.max(0, (lineHeight || r.height) - r.height) / 2;
        if (r.height) lines.push({top: r.top - half, bottom: r.bottom + half});
      });
    }
    Array.prototype.forEach.call(document.querySelectorAll("hr"), function (hr) {
      if (!imprint.contains(hr)) lines.push(hr.getBoundingClientRect());
    });
    var boxes = lines.map(function (r) { return [(r.top - origin) / PX_PER_MM, (r.bottom - origin) / PX_PER_MM]; })
      .sort(function (a, b) { return a[0] - b[0]; });
    var shift = 0, pageEnd = PAGE_MM, end = 0;
    boxes.forEach(function (box) {
      var top = box[0] + shift;
      while (top >= pageEnd) pageEnd += PAGE_MM;
      if (box[1] + shift > pageEnd + 0.1 && top > pageEnd - PAGE_MM + 0.1) {  /* pushed to the next page */
        shift += pageEnd - top;
        pageEnd += PAGE_MM;
      }
      end = Math.max(end, box[1] + shift);
    });
    var gap = parseFloat(getComputedStyle(imprint).marginTop) / PX_PER_MM;
    var need = end + gap + imprint.getBoundingClientRect().height / PX_PER_MM + 2;  /* 2 mm to spare */
    body.style.setProperty("--pages", String(Math.max(1, Math.ceil(need / PAGE_MM))));
    body.style.setProperty("--imprint-space", (need - end) + "mm");
    body.classList.add("imprint-bottom");
  }
  place();
  window.addEventListener("load", place);
  window.addEventListener("beforeprint", place);
  if (document.fonts) document.fonts.ready.then(place);
})();
