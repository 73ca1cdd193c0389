/* The timeline's filters and order, applied in place. The filter and the order are kept in
   the page's address (?kind=release&year=2025&order=newest), so a filtered view can be
   linked. Without this script every event is listed, oldest first, and each filter is a
   link to a page of its own. Loaded from the site itself (CSP script-src 'self'). */
(function () {
  "use strict";
  var DIMENSIONS = ["kind", "status", "mechanism", "country", "year"];
  var bar = document.getElementById("filters");
  var axis = document.getElementById("axis");
  var status = document.getElementById("filter_status");
  if (!bar || !axis || !status) return;
  var points = Array.prototype.slice.call(axis.querySelectorAll("li.point"));
  var number = new Intl.NumberFormat(document.documentElement.lang || undefined);
  var state = read();

  function read() {
    var params = new URLSearchParams(location.search);
    var s = {order: params.get("order") === "newest" ? "newest" : "oldest"};
    DIMENSIONS.forEach(function (d) {
      var value = params.get(d);
      if (value) s[d] = value;
    });
    return s;
  }

  function write() {
    var params = new URLSearchParams();
    DIMENSIONS.forEach(function (d) {
      if (state[d]) params.set(d, state[d]);
    });
    if (state.order === "newest") params.set("order", "newest");
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }

  function matches(li) {
    return DIMENSIONS.every(function (d) {
      var wanted = state[d];
      if (!wanted) return true;
      if (d === "country") {
        return (" " + li.getAttribute("data-countries") + " ").indexOf(" " + wanted + " ") >= 0;
      }
      return li.getAttribute("data-" + d) === wanted;
    });
  }

  function reverse(box) {
    var children = Array.prototype.slice.call(box.children);
    children.reverse().forEach(function (child) { box.appendChild(child); });
  }

  function order(button) {
    var newest = state.order === "newest";
    if (axis.classList.contains("newest") !== newest) {
      reverse(axis);
      Array.prototype.forEach.call(axis.querySelectorAll(".months"), reverse);
      Array.prototype.forEach.call(axis.querySelectorAll(".month > ol.points"), reverse);
      axis.classList.toggle("newest", newest);
    }
    button.setAttribute("aria-pressed", newest ? "true" : "false");
  }

  function apply(button) {
    var active = DIMENSIONS.some(function (d) { return state[d]; });
    var shown = 0;
    // parts before the release they are drawn in: a release whose own values do not match
    // stays, dimmed, while one of its parts is shown
    points.slice().reverse().forEach(function (li) {
      var own = matches(li);
      var inner = li.querySelector("li.point:not([hidden])") !== null;
      li.hidden = !own && !inner;
      li.classList.toggle("context", !own && inner);
      if (own) shown += 1;
    });
    Array.prototype.forEach.call(axis.querySelectorAll(".month, .year"), function (box) {
      box.hidden = box.querySelector("li.point:not([hidden])") === null;
    });
    Array.prototype.forEach.call(axis.querySelectorAll(".quiet"), function (p) {
      p.hidden = active;
    });
    axis.classList.toggle("filtered", active);
    Array.prototype.forEach.call(bar.querySelectorAll("a[data-filter]"), function (a) {
      if (state[a.getAttribute("data-filter")] === a.getAttribute("data-value")) {
        a.setAttribute("aria-current", "true");
      } else {
        a.removeAttribute("aria-current");
      }
    });
    var clear = bar.querySelector("a[data-filter-clear]");
    if (clear && active) clear.removeAttribute("aria-current");
    else if (clear) clear.setAttribute("aria-current", "true");
    // on one page of a long timeline the filters apply to that page's events: say so
    var scope = bar.getAttribute("data-scope");
    status.textContent = active ? bar.getAttribute("data-shown")
      .replace("{n}", number.format(shown)).replace("{total}", number.format(points.length)) +
      (scope ? " " + scope : "") : "";
    order(button);
  }

  var row = document.createElement("div");
  row.className = "filter";
  var label = document.createElement("span");
  label.className = "filter-name";
  label.textContent = bar.getAttribute("data-order-label");
  var button = document.createElement("button");
  button.type = "button";
  button.className = "order";
  button.textContent = bar.getAttribute("data-newest");
  row.appendChild(label);
  row.appendChild(button);
  bar.insertBefore(row, status);

  button.addEventListener("click", function () {
    state.order = state.order === "newest" ? "oldest" : "newest";
    write();
    apply(button);
  });
  bar.addEventListener("click", function (event) {
    var a = event.target.closest("a[data-filter], a[data-filter-clear]");
    if (!a || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey ||
        event.altKey) return;
    event.preventDefault();
    if (a.hasAttribute("data-filter-clear")) {
      DIMENSIONS.forEach(function (d) { delete state[d]; });
    } else {
      var d = a.getAttribute("data-filter");
      var value = a.getAttribute("data-value");
      if (state[d] === value) delete state[d];
      else state[d] = value;
    }
    write();
    apply(button);
  });
  apply(button);
}());
