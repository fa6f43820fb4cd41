//# allFunctionsCalledOnLoad
/* Cổng Kế hoạch: the task finder at /tra-cuu/ ("who leads what"). One box plus filters; the
 * state lives in the URL (?q=so+tai+chinh&vai-tro=chu-tri), so a search can be shared.
 * Uses the engine (search-engine.js) and the showing of results of search.js, both loaded
 * before it; data text goes on the page with textContent only.
 * Line 1: compiled while it loads, as search-engine.js is (see there). */
(function () {
  "use strict";

  var PAGE = 10;
  var URL_PAUSE = 300; // ms without a new query before the address is rewritten
  var PARAMS = { q: "q", place: "dia-ban", plan: "ke-hoach", agency: "co-quan", role: "vai-tro", timeline: "thoi-han" };
  var FILTERS = ["place", "plan", "agency", "role", "timeline"];

  function start() {
    var opened = performance.now(); // a finder opened from a URL counts its time from here
    var form = document.getElementById("ckh-finder");
    if (!form || !window.ckhSearch) return;
    var S = window.ckhSearch;
    var el = S.el;
    var root = S.rootOf(form);
    var engine = S.engineFor(root);
    var input = form.querySelector("#ckh-finder-q");
    var top = form.querySelector("#ckh-f-dia-ban");
    var commune = form.querySelector("#ckh-f-xa");
    var plan = form.querySelector("#ckh-f-ke-hoach");
    var agency = form.querySelector("#ckh-f-co-quan");
    var role = form.querySelector("#ckh-f-vai-tro");
    var timeline = form.querySelector("#ckh-f-thoi-han");
    var status = document.getElementById("ckh-finder-status");
    var list = document.getElementById("ckh-finder-results");
    var more = document.querySelector(".ckh-finder-more");
    var suggest = document.querySelector(".ckh-finder-suggest");
    var unfilter = document.querySelector(".ckh-finder-unfilter");
    var seq = 0, current = null, shown = 0;

    function facets(id) { return engine.get("f/" + (id || "index") + ".json"); }

    function fill(select, firstText, items, value) {
      select.textContent = "";
      select.appendChild(el("option", { value: "", text: firstText }));
      var found = false;
      items.forEach(function (item) {
        select.appendChild(el("option", { value: item[0], text: item[1] }));
        if (item[0] === value) found = true;
      });
      if (value && !found) select.appendChild(el("option", { value: value, text: value }));
      select.value = value || "";
    }

    function place() { return commune.value || top.value; }

    // Fill the commune, plan and agency lists for the chosen place; keep `keep` values if given.
    function loadPlace(keep) {
      keep = keep || {};
      var chosen = place();
      var communeField = commune.parentNode;
      if (!top.value) {
        var anyAgency = "Mọi cơ quan (chọn địa bàn trước)";
        communeField.hidden = true;
        fill(plan, "Mọi kế hoạch (chọn địa bàn trước)", [], keep.plan);
        fill(agency, anyAgency, [], keep.agency);
        plan.disabled = !keep.plan;
        agency.disabled = !keep.agency;
        if (!keep.agency) return Promise.resolve();
        // An agency from the URL without a place: its name is in the list of its jurisdiction,
        // whose id begins its own ("nghe-an/so-tai-chinh").
        return facets(keep.agency.split("/")[0]).then(function (home) {
          var named = home.agencies.filter(function (a) { return a[0] === keep.agency; });
          fill(agency, anyAgency, named, keep.agency);
        }).catch(function () {});
      }
      return Promise.all([facets(top.value), facets(chosen)]).then(function (got) {
        var province = got[0], here = got[1];
        communeField.hidden = !province.children.length;
        if (province.children.length) fill(commune, "Mọi xã, phường", province.children, commune.value);
        var agencies = here.agencies;
        if (here.id !== province.id) agencies = agencies.concat(province.agencies);
        fill(plan, "Mọi kế hoạch", here.plans, keep.plan);
        fill(agency, "Mọi cơ quan", agencies, keep.agency);
        plan.disabled = false;
        agency.disabled = false;
      }).catch(function () {
        communeField.hidden = true;
        fill(plan, "Mọi kế hoạch", [], keep.plan);
        fill(agency, "Mọi cơ quan", [], keep.agency);
      });
    }

    // Until the filter lists are filled (after the first results), the place, plan and agency
    // are the URL's: a reader who types before then keeps them.
    var listed = false;

    function state() {
      return {
        q: input.value,
        place: listed ? place() : initial.place,
        plan: listed ? plan.value : initial.plan,
        agency: listed ? agency.value : initial.agency,
        role: role.value, timeline: timeline.value
      };
    }

    function writeUrl(s) {
      var params = new URLSearchParams();
      Object.keys(PARAMS).forEach(function (k) { if (s[k]) params.set(PARAMS[k], s[k]); });
      var query = params.toString();
      history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    }

    function hasFilter(s) { return FILTERS.some(function (k) { return !!s[k]; }); }

    // The address follows the query once the reader pauses, or at once when they click (a hit,
    // a link: Back must bring the query back). Chromium handles replaceState as a navigation, and
    // requests and frames under way meanwhile come later: written before a query's requests it
    // put the first results ~10 ms later in the page, written with them it delayed their paint.
    var pending = null, urlTimer = 0;
    function writeUrlSoon(s) {
      clearTimeout(urlTimer);
      pending = s;
      urlTimer = setTimeout(flushUrl, URL_PAUSE);
    }
    function flushUrl() {
      clearTimeout(urlTimer);
      if (pending) writeUrl(pending);
      pending = null;
    }
    document.addEventListener("click", flushUrl, true);

    function run(started) {
      var s = state();
      writeUrlSoon(s);
      var mine = ++seq;
      suggest.hidden = true;
      if (!S.fold(s.q) && !s.place && !s.plan && !s.agency && !s.timeline) {
        list.textContent = "";
        more.hidden = true;
        status.textContent = "Nhập từ khóa hoặc chọn bộ lọc để tra cứu nhiệm vụ.";
        return Promise.resolve();
      }
      s.tasksOnly = true;
      s.first = PAGE; // the hits a first page shows: the engine proves a phrase on their records
      return Promise.all([engine.search(s), engine.meta()]).then(function (got) {
        if (mine !== seq) return null;
        current = { result: got[0], state: s, abbr: got[1].abbr };
        shown = 0;
        if (!current.result.total) {
          list.textContent = "";
          return Promise.resolve(nothing(s, mine)).then(function () {
            if (mine === seq) S.timing("finder", s.q, started, true);
          });
        }
        return showNext(mine, started);
      }).catch(function (e) {
        if (mine !== seq) return null;
        if (e.stale) return run(started); // the index was rebuilt: the same query on the new one
        status.textContent = "Chưa tra cứu được: " + e.message + ". Hãy thử tải lại trang.";
        return null;
      });
    }

    function nothing(s, mine) {
      more.hidden = true;
      var asked = S.fold(s.q) ? "“" + s.q.trim() + "”" : "";
      if (!hasFilter(s)) {
        status.textContent = "Không tìm thấy nhiệm vụ nào khớp " + asked + ". Gợi ý: kiểm tra chính tả, bớt từ, " +
          "hoặc gõ tên cơ quan (ví dụ: so tai chinh, NHCSXH).";
        return null;
      }
      var without = { q: s.q, tasksOnly: true };
      var wanted = S.fold(s.q) ? engine.search(without) : Promise.resolve({ total: 0 });
      return wanted.then(function (wide) {
        if (mine !== seq) return;
        var text = "Không có nhiệm vụ nào khớp " + (asked ? asked + " " : "") + "với bộ lọc đã chọn.";
        if (wide.total) {
          text += " Bỏ bộ lọc thì có " + S.count(wide.total) + " nhiệm vụ khớp.";
          unfilter.textContent = "Bỏ bộ lọc, xem " + S.count(wide.total) + " nhiệm vụ";
          suggest.hidden = false;
        } else if (asked) {
          text += " Ngay cả khi bỏ bộ lọc cũng không có nhiệm vụ nào khớp: hãy kiểm tra chính tả hoặc bớt từ.";
        } else {
          text += " Hãy bỏ bớt một bộ lọc.";
        }
        status.textContent = text;
      });
    }

    // "Tìm thấy 12 nhiệm vụ (3 chủ trì, 9 khớp nội dung hay qua nhóm cơ quan)." for one word or filters alone; for a
    // phrase, how many hold it and how many only hold its words (search.js: found), and among
    // those that hold it, where.
    function summary(result, s) {
      var c = result.counts;
      var parts = [];
      if (c[0]) parts.push(S.count(c[0]) + " chủ trì");
      if (c[1]) parts.push(S.count(c[1]) + " phối hợp");
      // With words, the third field holds the text and the names of the members of the
      // collectives a task names (documents.py: task_doc): a hit says which it matched.
      if (c[2] && (c[0] || c[1])) parts.push(S.count(c[2]) + (S.fold(s.q) ? " khớp nội dung hay qua nhóm cơ quan" : " qua nhóm cơ quan"));
      var where = parts.length ? " (" + parts.join(", ") + ")" : "";
      if (!S.fold(s.q)) return "Tìm thấy " + S.count(result.total) + " nhiệm vụ" + where + ".";
      return S.found(result, s.q, "nhiệm vụ", where);
    }

    // A hit's badge: where the query matched, or that only its words did.
    var TIER_NAMES = ["Chủ trì", "Phối hợp", "Nội dung"];
    function badge(result, tier) {
      return S.loose(result, tier) ? S.looseMark : TIER_NAMES[S.tierField[tier]];
    }

    // The next hits of the current result (up to `limit`, a page by default), each put in the
    // list as soon as it and those before it have come. A new query (`started`: when it was
    // asked) replaces the list at its first hit; more of the same query move the focus to the
    // first one added. A partial result (search-engine.js: its loose tiers not counted yet)
    // whose exact hits leave room on the page completes, and the page goes on with the loose
    // ones (`after`: the completion, adding to the page, neither replacing nor moving focus).
    function showNext(mine, started, limit, after) {
      var result = current.result;
      var s = current.state, abbr = current.abbr;
      var ranked = !!(S.fold(s.q) || s.agency);
      var fresh = started !== undefined && !after;
      limit = limit || PAGE;
      var hits = engine.arriving(result, shown, limit);
      var rest = result.partial && hits.length < limit;
      var upTo = shown + hits.length;
      if (fresh) more.hidden = true;
      return S.inOrder(hits, function (h, i) {
        if (mine !== seq) return;
        var item = hit(h.record, ranked ? badge(result, h.tier) : null, result, abbr, s, h.tier);
        if (i === 0 && fresh) list.textContent = "";
        list.appendChild(item);
        shown++;
        if (i > 0) return;
        status.textContent = summary(result, s) + (upTo < result.total ? " Đang hiện " + upTo + " kết quả đầu." : "");
        if (fresh) S.timing("finder", s.q, started, hits.length === 1 && !rest);
        else if (!after) item.querySelector("a").focus();
      }).then(function () {
        if (mine !== seq) return null;
        if (rest) {
          return result.complete().then(function (whole) {
            if (mine !== seq) return null;
            current.result = whole;
            status.textContent = summary(whole, s) + (upTo < whole.total ? " Đang hiện " + upTo + " kết quả đầu." : "");
            return showNext(mine, started, limit - hits.length, true);
          });
        }
        more.hidden = shown >= result.total;
        if (started !== undefined && (hits.length > 1 || after)) S.timing("finder", s.q, started, true);
        if (!result.counting) return null;
        // Its first hits shown, a result still counting (search-engine.js) gets its counts.
        return S.countsOf(result).then(function (whole) {
          if (mine !== seq) return;
          current.result = whole;
          status.textContent = summary(whole, s) + (shown < whole.total ? " Đang hiện " + shown + " kết quả đầu." : "");
          more.hidden = shown >= whole.total;
          if (started !== undefined) S.timing("finder", s.q, started, true, true);
        });
      });
    }

    // One page more at a time: a second click while one loads would add the same hits twice.
    var adding = null;
    function showMore() {
      var mine = seq;
      adding = adding || showNext(mine).catch(function (e) {
        if (mine !== seq) return;
        // The index was rebuilt since the first page: the query starts over on the new one.
        if (e.stale) run(performance.now());
        else status.textContent = "Chưa tải được thêm kết quả: " + e.message + ". Hãy thử lại.";
      }).then(function () { adding = null; });
    }

    function agencies(cells, result, abbr) {
      if (!cells || !cells.length) return document.createTextNode("Chưa rõ");
      var span = el("span");
      cells.forEach(function (cell, i) {
        if (i) span.appendChild(document.createTextNode("; "));
        span.appendChild(S.highlight(el("a", { href: new URL(cell[1], root).href }), cell[0], result, abbr));
      });
      return span;
    }

    function fact(dl, name, value) {
      dl.appendChild(el("dt", { text: name }));
      var dd = el("dd");
      dd.appendChild(value);
      dl.appendChild(dd);
    }

    // With an agency filter, a task that names one of the agency's collectives, not the agency
    // (documents.py: `q` of a record): "qua: <the collective as the plan writes it>"; without
    // one, a task found in its text field by the name of a member of such a collective.
    function via(r, s, result, tier, abbr) {
      if (!s.agency) return S.fold(s.q) && S.tierField[tier] === 2 ? S.throughCollective(r, result.words, abbr) : null;
      var own = new URL("co-quan/" + s.agency + "/", root).href;
      var named = (r.l || []).concat(r.s || []).some(function (cell) { return new URL(cell[1], root).href === own; });
      if (named) return null;
      var through = (r.q || []).filter(function (c) { return c[1].indexOf(s.agency) >= 0; });
      return through.length ? "qua: " + through.map(function (c) { return c[0]; }).join("; ") : null;
    }

    function hit(r, tier, result, abbr, s, rank) {
      var title = el("h3", { class: "ckh-hit-title" }, [
        S.highlight(el("a", { href: new URL(r.u, root).href }), r.t, result, abbr),
      ]);
      var through = via(r, s || {}, result, rank, abbr);
      if (through) tier = tier && S.fold(s.q) && s.agency ? tier + " · " + through : through;
      if (tier) title.appendChild(el("span", { class: "ckh-badge ckh-badge-" + tier.length, text: tier }));
      var dl = el("dl", { class: "ckh-hit-facts" });
      fact(dl, "Đơn vị chủ trì", agencies(r.l, result, abbr));
      fact(dl, "Đơn vị phối hợp", agencies(r.s, result, abbr));
      fact(dl, "Sản phẩm", S.highlight(el("span"), r.o || "Chưa rõ", result, abbr));
      fact(dl, "Thời hạn", S.highlight(el("span"), r.tl || "Chưa rõ", result, abbr));
      return el("li", { class: "ckh-hit" }, [
        title,
        el("p", { class: "ckh-hit-plan" }, [
          el("a", { href: new URL(r.u.split("#")[0], root).href, text: r.p }),
        ]),
        S.highlight(el("p", { class: "ckh-hit-text" }), r.x, result, abbr),
        dl,
      ]);
    }

    // --- wiring ---------------------------------------------------------------------------

    var params = new URLSearchParams(window.location.search);
    var initial = {};
    Object.keys(PARAMS).forEach(function (k) { initial[k] = params.get(PARAMS[k]) || ""; });
    input.value = initial.q;
    role.value = initial.role;
    timeline.value = initial.timeline;

    // A place from the URL: a commune selects its province above it.
    function restorePlace(id) {
      if (!id) return Promise.resolve();
      return facets(id).then(function (here) {
        var topId = here.parent || here.id;
        if (!top.querySelector("option[value='" + CSS.escape(topId) + "']")) {
          top.appendChild(el("option", { value: topId, text: topId }));
        }
        top.value = topId;
        if (here.parent) {
          commune.appendChild(el("option", { value: here.id, text: here.name }));
          commune.value = here.id;
        }
      }).catch(function () {
        top.appendChild(el("option", { value: id, text: id }));
        top.value = id;
      });
    }

    status.textContent = "Đang tải chỉ mục…";
    // The search the URL asks for starts at once, with the state the URL gives. The filter
    // lists wait for its results: they are not needed for them, and filling a province's
    // hundreds of options would compete with showing them.
    var first = run(opened);
    var lists = first.then(function () { return facets(null); }).then(function (index) {
      fill(top, "Mọi địa bàn", index, "");
      return restorePlace(initial.place);
    }).then(function () {
      return loadPlace({ plan: initial.plan, agency: initial.agency });
    }).catch(function (e) {
      status.textContent = "Chưa tải được chỉ mục tìm kiếm: " + e.message;
    }).then(function () { listed = true; });
    var ready = lists.then(function () {});

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      run(performance.now());
    });
    input.addEventListener("input", function (event) { run(event.timeStamp || performance.now()); });
    top.addEventListener("change", function () {
      commune.value = "";
      loadPlace({}).then(function () { run(performance.now()); });
    });
    commune.addEventListener("change", function () {
      loadPlace({}).then(function () { run(performance.now()); });
    });
    [plan, agency, role, timeline].forEach(function (select) {
      select.addEventListener("change", function () { run(performance.now()); });
    });
    form.querySelector(".ckh-finder-clear").addEventListener("click", clearFilters);
    unfilter.addEventListener("click", function () {
      clearFilters();
      input.focus();
    });
    more.addEventListener("click", showMore);

    function clearFilters() {
      initial.place = initial.plan = initial.agency = "";
      top.value = "";
      commune.value = "";
      role.value = "";
      timeline.value = "";
      loadPlace({}).then(function () { run(performance.now()); });
    }

    window.ckhSearch.finderReady = ready;
  }

  // The page puts this script after the finder's markup: it starts at once, while the rest of
  // the page (Material's scripts) is still loading.
  start();
})();
