// Suggestions under every box that has data-suggest-url: asks the server (OpenSearch
// suggestions JSON) a moment after typing stops, and lets the reader pick one with the mouse
// or with ArrowUp/ArrowDown and Enter; Escape closes the list. A pick opens that article, or,
// in a box with data-suggest-pick="fill" (a filter's category), becomes the box's text.
(function () {
  "use strict";
  var DELAY_MS = 150;
  var counter = 0;

  // The language's address prefix ("" for the default language, "/es" for Spanish), from
  // the page's home address (base.html's <body data-home>).
  var PREFIX = (document.body.getAttribute("data-home") || "/").replace(/\/$/, "");

  function articleUrl(title) {
    return PREFIX + "/wiki/" + encodeURIComponent(title.replace(/ /g, "_")).replace(/%2F/g, "/");
  }

  function attach(input) {
    var form = input.form;
    var listId = "suggestions-" + (++counter);
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.dataset.suggestLabel || "Suggested articles");
    list.hidden = true;
    input.parentNode.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-expanded", "false");

    var timer = null;
    var lastAsked = null;
    var active = -1;
    var controller = null;

    function options() {
      return list.querySelectorAll("[role=option]");
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var items = options();
      if (!items.length) return;
      active = (index + items.length) % items.length;
      for (var i = 0; i < items.length; i++) {
        items[i].setAttribute("aria-selected", i === active ? "true" : "false");
      }
      input.setAttribute("aria-activedescendant", items[active].id);
    }

    function pick(title) {
      if (input.dataset.suggestPick === "fill") {
        input.value = title;
        lastAsked = title;
        close();
        return;
      }
      window.location.href = articleUrl(title);
    }

    function show(titles) {
      list.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (!titles.length) {
        close();
        return;
      }
      titles.forEach(function (title, i) {
        var item = document.createElement("li");
        item.id = listId + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = title; // text, never HTML
        item.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep focus in the box until we navigate
          pick(title);
        });
        list.appendChild(item);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function ask() {
      var query = input.value.trim();
      if (query === lastAsked) return;
      lastAsked = query;
      if (!query) {
        close();
        return;
      }
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      var url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(query);
      fetch(url, { headers: { Accept: "application/x-suggestions+json" },
                   signal: controller ? controller.signal : undefined })
        .then(function (response) { return response.ok ? response.json() : [query, []]; })
        .then(function (data) {
          if (input.value.trim() === query && document.activeElement === input) {
            show(Array.isArray(data[1]) ? data[1] : []);
          }
        })
        .catch(function () { /* a failed suggestion is no suggestion */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        if (!open) { lastAsked = null; ask(); return; }
        event.preventDefault();
        highlight(active + 1);
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(active < 0 ? options().length - 1 : active - 1);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        pick(options()[active].textContent);
      }
    });

    input.addEventListener("blur", function () { setTimeout(close, 100); });
    if (form) form.addEventListener("submit", close);
  }

  function start() {
    if (!window.fetch) return;
    var inputs = document.querySelectorAll("input[data-suggest-url]");
    for (var i = 0; i < inputs.length; i++) attach(inputs[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
