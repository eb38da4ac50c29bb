/* Suggestions as you type in the site's search boxes (ARIA 1.2 combobox:
 * a text input owning a listbox).  Up/Down move, Enter opens the chosen
 * suggestion (or searches what was typed), Escape closes.  Asks only this
 * site's learning_suggest action. */
(function () {
  "use strict";
  var _ = function (s) { return (window.ckan && ckan.i18n) ? ckan.i18n._(s) : s; };
  var KINDS = {
    dataset: _("Resource"), tag: _("Tag"), theme: _("Theme"),
    organization: _("Organisation")
  };
  var count = 0;

  function enhance(input) {
    var id = "learning-suggest-" + (++count);
    var list = document.createElement("ul");
    var status = document.createElement("div");
    var timer = null, active = -1, items = [], asked = "";
    list.id = id;
    list.className = "learning-suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", _("Suggestions"));
    list.hidden = true;
    status.className = "visually-hidden sr-only";
    status.setAttribute("role", "status");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
    input.setAttribute("autocomplete", "off");
    input.parentNode.style.position = "relative";
    input.parentNode.appendChild(list);
    input.parentNode.appendChild(status);

    function close() {
      list.hidden = true; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function choose(i) {
      if (items[active]) { items[active].classList.remove("active"); }
      active = i;
      if (items[i]) {
        items[i].classList.add("active");
        input.setAttribute("aria-activedescendant", items[i].id);
      }
    }
    function show(results) {
      list.innerHTML = ""; items = [];
      results.forEach(function (s, i) {
        var li = document.createElement("li"), kind = document.createElement("span");
        li.id = id + "-" + i;
        li.setAttribute("role", "option");
        li.dataset.url = s.url;
        li.textContent = s.title;
        kind.className = "learning-suggest-kind";
        kind.textContent = KINDS[s.type] || "";
        li.appendChild(kind);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); });
        li.addEventListener("click", function () { window.location.href = s.url; });
        list.appendChild(li); items.push(li);
      });
      status.textContent = results.length ?
        results.length + " " + _("suggestions, use the up and down arrows") :
        _("No suggestions");
      list.hidden = !results.length;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      active = -1;
    }
    function ask() {
      var q = input.value.trim();
      if (q.length < 2 || q.length > 100) { close(); return; }
      if (q === asked) { return; }
      asked = q;
      var lang = document.documentElement.lang || "en";
      var url = (window.ckan && ckan.SITE_ROOT ? ckan.SITE_ROOT : "") +
        "/api/3/action/learning_suggest?limit=8&lang=" + (lang.indexOf("km") === 0 ? "km" : "en") +
        "&q=" + encodeURIComponent(q);
      fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : {result: []}; })
        .then(function (data) { if (asked === q) { show(data.result || []); } })
        .catch(close);
    }
    input.addEventListener("input", function () {
      clearTimeout(timer); timer = setTimeout(ask, 120);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && items.length) {
        e.preventDefault(); list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        choose((active + 1) % items.length);
      } else if (e.key === "ArrowUp" && items.length) {
        e.preventDefault(); choose(active <= 0 ? items.length - 1 : active - 1);
      } else if (e.key === "Enter" && active >= 0 && !list.hidden) {
        e.preventDefault(); window.location.href = items[active].dataset.url;
      } else if (e.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", close);
  }

  function start() {
    document.querySelectorAll('form input[name="q"]:is([type="search"], [type="text"], :not([type]))')
      .forEach(enhance);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else { start(); }
})();
