// The search page: Pagefind's index (made at build time, served by the site itself) searched
// in the browser. Results are built as DOM nodes, never as HTML, so that no text of the site
// is ever parsed as markup; the query and the filters are kept in the address (?q=&kind=).
const SHOWN = 50;

const app = document.getElementById("search_app");
if (app) {
  start(app).catch(() => unavailable());
}

function unavailable() {
  app.hidden = true;
  document.getElementById("search_filters").hidden = true;
  document.getElementById("search_unavailable").hidden = false;
}

async function start(app) {
  const data = app.dataset;
  const form = document.getElementById("search_form");
  const input = document.getElementById("search_q");
  const status = document.getElementById("search_status");
  const list = document.getElementById("search_results");
  const filterBox = document.getElementById("search_filters");
  app.hidden = false;
  status.textContent = data.loading;
  const pagefind = await import(data.bundle + "pagefind.js");
  await pagefind.options({ baseUrl: data.base, excerptLength: 24 });
  await pagefind.init();
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  const available = await pagefind.filters();
  const boxes = {};
  for (const key of ["kind", "country"]) {
    const values = Object.keys(available[key] || {}).sort((a, b) => a.localeCompare(b));
    if (values.length) {
      boxes[key] = filterGroup(filterBox, key, filterBox.dataset[key], values,
                               new Set(params.getAll(key)));
    }
  }
  filterBox.hidden = Object.keys(boxes).length === 0;
  // open on a wide screen, or when the address chose a filter; folded on a phone
  filterBox.open = matchMedia("(min-width: 40rem)").matches
    || ["kind", "country"].some((key) => params.has(key));

  let latest = 0;
  async function run() {
    const asked = ++latest;
    app.dataset.state = "busy";   // "done" once the results of the latest query are shown
    const query = input.value.trim();
    const filters = {};
    const address = new URLSearchParams();
    if (query) address.set("q", query);
    for (const [key, group] of Object.entries(boxes)) {
      const chosen = [...group.querySelectorAll("input:checked")].map((box) => box.value);
      if (chosen.length) filters[key] = { any: chosen };
      for (const value of chosen) address.append(key, value);
    }
    const search = address.toString();
    history.replaceState(null, "", location.pathname + (search ? "?" + search : ""));
    if (!query && !Object.keys(filters).length) {
      status.textContent = "";
      list.replaceChildren();
      app.dataset.state = "done";
      return;
    }
    const found = await pagefind.search(query || null, { filters });
    if (asked !== latest || !found) return;
    const results = await Promise.all(found.results.slice(0, SHOWN).map((r) => r.data()));
    if (asked !== latest) return;
    list.replaceChildren(...results.map(resultItem));
    let said = results.length
      ? data.found.replace("{n}", found.results.length)
      : data.none;
    if (found.results.length > SHOWN) said += " " + data.shown.replace("{n}", SHOWN);
    status.textContent = said;
    app.dataset.state = "done";
  }

  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, 200);
  });
  filterBox.addEventListener("change", run);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  await run();
}

function filterGroup(parent, key, legendText, values, chosen) {
  const group = document.createElement("fieldset");
  const legend = document.createElement("legend");
  legend.textContent = legendText;
  group.append(legend);
  values.forEach((value, i) => {
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.name = key;
    box.value = value;
    box.id = `search_${key}_${i}`;
    box.checked = chosen.has(value);
    label.htmlFor = box.id;
    label.textContent = value;
    const item = document.createElement("span");
    item.className = "search-filter";
    item.append(box, label);
    group.append(item);
  });
  parent.append(group);
  return group;
}

function resultItem(result) {
  const item = document.createElement("li");
  const kicker = document.createElement("p");
  kicker.className = "kicker";
  const kind = document.createElement("span");
  kind.className = "kind";
  kind.textContent = result.meta.kind || "";
  kicker.append(kind);
  if (result.meta.date) {
    const date = document.createElement("span");
    date.textContent = result.meta.date;
    kicker.append("·", date);
  }
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = result.url;
  link.textContent = result.meta.title || result.url;
  heading.append(link);
  const excerpt = document.createElement("p");
  excerpt.className = "excerpt";
  excerpt.append(...marked(result.excerpt || ""));
  item.append(kicker, heading, excerpt);
  return item;
}

// Pagefind's excerpt is text with <mark> around the words found: made into text nodes and
// <mark> elements, its other characters unescaped as text.
function marked(excerpt) {
  const parts = excerpt.split(/<\/?mark>/);
  const text = document.createElement("textarea");
  return parts.map((part, i) => {
    text.innerHTML = part;   // a textarea's content is text: entities decoded, no element made
    if (i % 2 === 0) return document.createTextNode(text.value);
    const mark = document.createElement("mark");
    mark.textContent = text.value;
    return mark;
  });
}
