/* The timeline's filters, applied in place when the timeline is one page. The filter is
   kept in the page's address (?kind=release&year=2025), so a filtered view can be linked,
   and it goes along to the other order (timeline/ is oldest first, timeline/newest/ newest
   first, each a set of pages made without a script). On a timeline of several pages the
   page holds only some of the events: there each filter stays a link to the page (or pages)
   of that filter, which lists all of its events, and a filtered address opens that page.
   Without this script every filter is such a link. Loaded from the site itself (CSP
   script-src 'self'). */
(function () {
  "use strict";
  var DIMENSIONS = ["kind", "status", "mechanism", "country", "year"];
  var bar = document.getElementById("filters");
  var axis = document.getElementById("axis");
  var status = document.getElementById("filter_status");
  if (!bar || !axis || !status) return;
  var state = read();
  var chosen = DIMENSIONS.filter(function (d) { return state[d]; });

  function read() {
    var params = new URLSearchParams(location.search);
    var s = {};
    DIMENSIONS.forEach(function (d) {
      var value = params.get(d);
      if (value) s[d] = value;
    });
    return s;
  }

  function link(d, value) {
    return Array.prototype.filter.call(bar.querySelectorAll("a[data-filter]"), function (a) {
      return a.getAttribute("data-filter") === d && a.getAttribute("data-value") === value;
    })[0];
  }

  if (bar.hasAttribute("data-paged")) {
    // a filtered address of a long timeline: the page of its first filter, which lists
    // every event of it (one filter at a time: the pages are made for one)
    var target = chosen.length ? link(chosen[0], state[chosen[0]]) : null;
    if (target) location.replace(target.href);
    return;
  }

  var points = Array.prototype.slice.call(axis.querySelectorAll("li.point"));
  var number = new Intl.NumberFormat(document.documentElement.lang || undefined);

  function query() {
    var params = new URLSearchParams();
    DIMENSIONS.forEach(function (d) {
      if (state[d]) params.set(d, state[d]);
    });
    var text = params.toString();
    return text ? "?" + text : "";
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

  function apply() {
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
    else if (clear) clear.setAttribute("aria-current", "page");
    // the other order keeps the filter
    Array.prototype.forEach.call(bar.querySelectorAll("a[data-order]"), function (a) {
      a.href = a.href.split("?")[0] + query();
    });
    status.textContent = active ? bar.getAttribute("data-shown")
      .replace("{n}", number.format(shown)).replace("{total}", number.format(points.length)) : "";
  }

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
    history.replaceState(null, "", location.pathname + query());
    apply();
  });
  apply();
}());
