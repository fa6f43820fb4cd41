//# allFunctionsCalledOnLoad
/* Cổng Kế hoạch: the search engine for Vietnamese readers, used by the header box (search.js)
 * and the task finder /tra-cuu/ (search-finder.js). Folds text, fetches index files, evaluates
 * queries; it touches no page element.
 *
 * The index is built by generator/search into chi-muc/ (generator/search/encode.py describes
 * the files). `fold` here and `fold` there must agree on every string (a browser test compares
 * them); tests/search_reference.py states in Python what `search` finds.
 * No request leaves the site: every fetch is relative to the site root.
 * The first line asks Chromium (136+) to compile every function while the file loads, off the
 * main thread, instead of one by one as a reader's first query calls them (in a trace of that
 * query, 14 ms of compiling on the main thread without the line, 3 ms with it); other browsers
 * read a comment. It works only as line 1.
 */
(function () {
  "use strict";

  // The finder's page runs this file early, in its content; the copy every page loads at its
  // end then finds the engine there already.
  if (window.ckhSearch) return;

  // --- folding and terms (generator/search: folding.py, encode.py; tests/search_reference.py) -

  var MARKS = /\p{M}/gu;
  var NOT_WORD = /[^a-z0-9]+/g;

  function fold(text) {
    var s = String(text).toLowerCase().normalize("NFD").replace(MARKS, "");
    s = s.replace(/[đð]/g, "d");
    return s.replace(NOT_WORD, " ").trim();
  }

  function canonicalWords(text, abbr) {
    var out = [];
    fold(text).split(" ").forEach(function (word) {
      if (!word) return;
      var long = abbr && Object.prototype.hasOwnProperty.call(abbr, word) ? abbr[word] : null;
      if (long) out.push.apply(out, long.split(" "));
      else out.push(word);
    });
    return out;
  }

  var UTF8 = new TextEncoder();

  function fnv1a(key) {
    var bytes = UTF8.encode(key);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  // Whether a query word no text has may be read as one a letter away (folding.py: correctable).
  function correctable(word) {
    return word.length >= 3 && /^[a-z]+$/.test(word);
  }

  // Whether `word` is `typed` with one letter dropped, added or changed, or two adjacent letters
  // swapped (folding.py: one_edit).
  function oneEdit(typed, word) {
    if (typed === word || Math.abs(typed.length - word.length) > 1) return false;
    var start = 0;
    while (start < Math.min(typed.length, word.length) && typed[start] === word[start]) start++;
    var a = typed.slice(start), b = word.slice(start);
    return a.slice(1) === b.slice(1) || a.slice(1) === b || a === b.slice(1) ||
      (a.length === b.length && a.length >= 2 && a[0] === b[1] && a[1] === b[0] && a.slice(2) === b.slice(2));
  }

  // The query's words in runs joined by bigrams the index knows (search_reference.query_phrases).
  function queryPhrases(words, known) {
    var phrases = [];
    words.forEach(function (word, i) {
      if (i > 0 && known(words[i - 1] + " " + word)) phrases[phrases.length - 1].push(word);
      else phrases.push([word]);
    });
    return phrases;
  }

  // The adjacent pairs that cover every word of a query, each word in one or two of them:
  // `ngan hang`, `chinh sach`, `xa hoi` of six words (the last pair overlaps when they are odd).
  function coveringPairs(words) {
    var out = [];
    for (var i = 0; i + 1 < words.length; i += 2) out.push(words[i] + " " + words[i + 1]);
    if (words.length > 2 && words.length % 2) out.push(words[words.length - 2] + " " + words[words.length - 1]);
    return out.filter(function (p, k) { return out.indexOf(p) === k; });
  }

  // Whether `words` stand in a row in one of `texts`, folded as the index folds them.
  function inARow(texts, words, abbr) {
    return texts.some(function (text) {
      if (!text) return false;
      var have = canonicalWords(text, abbr);
      for (var i = 0; i + words.length <= have.length; i++) {
        var k = 0;
        while (k < words.length && have[i + k] === words[k]) k++;
        if (k === words.length) return true;
      }
      return false;
    });
  }

  // The names of the members of the collectives a task names (documents.py: _via), searched
  // with its text.
  function membersOf(record) {
    return [].concat.apply([], (record.q || []).map(function (c) { return c[2] || []; }));
  }

  // "qua: <collective>" for a task found by the name of a member of a collective it names:
  // the collectives whose members' names hold the query's words in a row, or null.
  function throughCollective(record, words, abbr) {
    var through = (record.q || []).filter(function (c) { return words.length && inARow(c[2] || [], words, abbr); });
    return through.length ? "qua: " + through.map(function (c) { return c[0]; }).join("; ") : null;
  }

  // The adjacent pairs of the words of `texts`, each text apart, folded as the index folds them.
  function pairsIn(texts, abbr) {
    var out = {};
    texts.forEach(function (text) {
      var words = text ? canonicalWords(text, abbr) : [];
      for (var i = 0; i + 1 < words.length; i++) out[words[i] + " " + words[i + 1]] = true;
    });
    return out;
  }

  // The texts of a document's field 0 (lead), 1 (support) or 2 (the rest) that its record
  // shows (documents.py: task_doc, _page), and whether they are all of them (`whole`); null
  // when it shows none for sure. A task's record shows the agencies as written, not the other
  // names the index has for them; a summary cut short (…) is the start of the text, cut
  // between words; a plan's name and issuer are not its title.
  function fieldTexts(record, field) {
    function written(cells) { return (cells || []).map(function (c) { return c[0]; }); }
    if (record.k === "task") {
      if (field < 2) return { texts: written(field === 0 ? record.l : record.s), whole: false };
      var numbered = record.t.indexOf("Nhiệm vụ ") === 0 && record.t !== "Nhiệm vụ không đánh số";
      var texts = [numbered ? record.t.slice(9) : "", record.x, record.o, record.tl];
      return { texts: texts.concat(membersOf(record)), whole: true };
    }
    if (field === 1) return { texts: [], whole: true }; // a page has no support field
    if (field === 0) {
      if (record.k === "plan") return null;
      return { texts: [record.t], whole: record.k !== "agency" };
    }
    if (!TEXT_SUMMARY[record.k]) return null;
    var cut = /…$/.test(record.d || "");
    return { texts: [record.d], whole: record.k !== "plan" && !cut };
  }

  var TEXT_SUMMARY = { plan: true, document: true, theme: true };

  // Whether a document has every pair of the query in one field, from its record: 1 yes,
  // 0 no, -1 the record cannot tell. Yes is sure from any texts the field holds; no only
  // from all of them.
  function verdict(record, field, pairs, abbr) {
    var shown = fieldTexts(record, field);
    if (!shown) return -1;
    var have = pairsIn(shown.texts, abbr);
    if (pairs.every(function (p) { return have[p]; })) return 1;
    return shown.whole ? 0 : -1;
  }

  // --- sets of documents ------------------------------------------------------------------
  // A set of documents is a bitmap, one bit a document (140,000 documents: 17 KB). The first
  // query of a page runs in cold code, so each step is one pass over words, never over bits,
  // and a posting list is decoded straight into a fresh bitmap.

  function bmNew(n) { return new Uint32Array((n + 31) >>> 5); }

  // Documents a…b-1 into `bm`.
  function bmRange(bm, a, b) {
    if (a >= b) return bm;
    var wa = a >>> 5, wb = (b - 1) >>> 5;
    var low = ~0 << (a & 31), high = ~0 >>> (31 - ((b - 1) & 31));
    if (wa === wb) { bm[wa] |= low & high; return bm; }
    bm[wa] |= low;
    bm.fill(0xffffffff, wa + 1, wb);
    bm[wb] |= high;
    return bm;
  }

  var POP = new Uint8Array(256); // bits set in a byte
  for (var byte = 1; byte < 256; byte++) POP[byte] = (byte & 1) + POP[byte >> 1];

  function popcount(x) {
    return POP[x & 255] + POP[(x >>> 8) & 255] + POP[(x >>> 16) & 255] + POP[x >>> 24];
  }

  function bmCount(a) {
    var n = 0;
    for (var i = 0; i < a.length; i++) if (a[i]) n += popcount(a[i]);
    return n;
  }

  // The words lo…hi-1 of `bm` without the zero words at either end, as [lo, hi].
  function span(bm, lo, hi) {
    while (lo < hi && !bm[lo]) lo++;
    while (hi > lo && !bm[hi - 1]) hi--;
    return [lo, hi];
  }

  // Up to `limit` documents of `a` in ascending order, after skipping the first `skip`; `a` has
  // none below word `from`.
  function bmTake(a, skip, limit, from) {
    var out = [];
    for (var w = from || 0; w < a.length && out.length < limit; w++) {
      var x = a[w] | 0;
      if (!x) continue;
      if (skip > 0) {
        var c = popcount(x);
        if (c <= skip) { skip -= c; continue; }
      }
      while (x && out.length < limit) {
        var lowest = x & -x;
        if (skip > 0) skip--;
        else out.push(w * 32 + 31 - Math.clz32(lowest));
        x ^= lowest;
      }
    }
    return out;
  }

  function bytesOf(b64) {
    if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(b64);
    var bin = atob(b64);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  // Calls `each(start, length)` for the runs of a posting text (encode.py: encode_ids), or hands
  // a bitmap's bytes to `bits(firstByte, bytes)`.
  function walk(encoded, each, bits) {
    if (!encoded) return;
    var data = bytesOf(encoded.slice(1));
    var kind = encoded.charAt(0), p = 0, len = data.length, value, scale, b;
    function varint() {
      value = 0; scale = 1;
      do { b = data[p++]; value += (b & 0x7f) * scale; scale *= 128; } while (b >= 0x80);
      return value;
    }
    if (kind === "b") {
      var firstByte = varint();
      bits(firstByte, data.subarray(p));
    } else if (kind === "v") {
      var x = 0;
      while (p < len) { x += varint(); each(x, 1); }
    } else if (kind === "r") {
      var end = 0;
      while (p < len) {
        var begin = end + varint();
        end = begin + varint();
        each(begin, end - begin);
      }
    }
  }

  // A posting text as a new bitmap over n documents.
  function decode(encoded, n) {
    var bm = bmNew(n);
    if (!encoded) return bm;
    if (encoded.charAt(0) === "v") {
      // The common kind, inlined: one document a varint.
      var data = bytesOf(encoded.slice(1)), p = 0, x = 0;
      while (p < data.length) {
        var value = 0, scale = 1, b;
        do { b = data[p++]; value += (b & 0x7f) * scale; scale *= 128; } while (b >= 0x80);
        x += value;
        bm[x >>> 5] |= 1 << (x & 31);
      }
      return bm;
    }
    walk(encoded, function (start, length) { bmRange(bm, start, start + length); }, function (firstByte, bytes) {
      new Uint8Array(bm.buffer).set(bytes, firstByte); // bytes of a little-endian Uint32Array
    });
    return bm;
  }

  // A posting text as an ascending array (for short lists: the names of meta's long files).
  function idsOf(encoded) {
    var out = [];
    if (encoded.charAt(0) === "v") {
      // What meta's lists are: sparse numbers below 2^24, a varint each.
      var data = bytesOf(encoded.slice(1)), p = 0, x = 0;
      while (p < data.length) {
        var value = 0, scale = 1, b;
        do { b = data[p++]; value += (b & 0x7f) * scale; scale *= 128; } while (b >= 0x80);
        out.push((x += value));
      }
      return out;
    }
    walk(encoded, function (start, length) {
      for (var i = 0; i < length; i++) out.push(start + i);
    }, function (firstByte, bytes) {
      for (var i = 0; i < bytes.length; i++) {
        for (var bit = 0; bit < 8; bit++) if (bytes[i] >> bit & 1) out.push((firstByte + i) * 8 + bit);
      }
    });
    return out;
  }

  // The union of a key's three lists (a filter's documents), or nothing for a key no text has.
  function unionOf(texts, n) {
    var out = null;
    (texts || []).forEach(function (text) {
      if (!text) return;
      var bm = decode(text, n);
      if (!out) { out = bm; return; }
      for (var i = 0; i < out.length; i++) out[i] |= bm[i];
    });
    return out || bmNew(n);
  }

  function own(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }
  function ignore() {}

  // --- the engine ------------------------------------------------------------------------

  // A failed request: `status` is the HTTP status, 0 when no answer came.
  function failure(message, status) {
    var e = new Error(message + " (" + (status || "mất kết nối") + ")");
    e.status = status;
    return e;
  }

  // One index file's JSON; `revalidate`: ask the server whether a cached copy is still current.
  // XMLHttpRequest, not fetch: while a page is still loading (the finder opened from a URL),
  // Chromium hands a fetch its body 20–80 ms after its headers, in tasks of its own; an
  // XMLHttpRequest gets both in one (measured with the benchmark's finder pages).
  function load(url, message, revalidate) {
    return new Promise(function (resolve, reject) {
      var request = new XMLHttpRequest();
      request.open("GET", url);
      request.responseType = "json";
      if (revalidate) request.setRequestHeader("Cache-Control", "max-age=0");
      request.onload = function () {
        if (request.status >= 200 && request.status < 300 && request.response !== null) resolve(request.response);
        else reject(failure(message, request.status));
      };
      request.onerror = function () { reject(failure(message, 0)); };
      request.send();
    });
  }

  // meta.json as the engine uses it: the names of the long-list files as sets.
  function prepared(meta) {
    meta.longFiles = new Set(idsOf(meta.long || ""));
    meta.largeFiles = new Set(idsOf(meta.large || ""));
    return meta;
  }

  function loadMeta(url, revalidate) {
    return load(url, "chỉ mục tìm kiếm chưa có", revalidate).then(prepared);
  }

  function Engine(root) {
    this.root = root; // URL of the site root, ending in "/"
    this.base = new URL("chi-muc/", root).href;
    this.cache = new Map(); // path in the index version → promise of its JSON
    this.metaPromise = null;
    this.renewals = {}; // version found gone → promise of the server's meta.json
  }

  // meta.json, fetched once a page (the header box asks for it on focus; the finder's page has
  // it already, loaded as chi-muc/meta.js beside its scripts): the index version, counts,
  // abbreviations, and which long lists exist, so that a keystroke pays only for the files its
  // words need. It may come from the browser's cache: `get` notices when the site has been
  // rebuilt since.
  Engine.prototype.meta = function () {
    if (!this.metaPromise && window.ckhIndexMeta) {
      this.metaPromise = Promise.resolve(prepared(window.ckhIndexMeta));
      window.ckhIndexMeta = null;
    }
    if (!this.metaPromise) {
      var self = this;
      this.metaPromise = loadMeta(this.base + "meta.json", false)
        .catch(function (e) { self.metaPromise = null; throw e; });
    }
    return this.metaPromise;
  };

  // A file of the index version meta.json names (every file but meta.json is in a folder
  // named by its content, which meta.json names). A file gone means the site was rebuilt after
  // that meta.json was cached and the file changed: the engine
  // asks the server for meta.json, and when its version is new, starts over with it and fails
  // with `stale` set, so that the query runs again on the new index.
  Engine.prototype.get = function (path) {
    var self = this;
    if (!this.cache.has(path)) {
      var promise = this.meta().then(function (meta) {
        var folder = meta.b[fnv1a(path) % meta.b.length]; // encode.py: placed
        return load(self.base + folder + "/" + path, "không tải được " + path, false).catch(function (e) {
          if (e.status !== 404) throw e;
          return self.renew(meta.v).then(function (current) {
            e.stale = current.v !== meta.v;
            throw e;
          });
        });
      });
      promise.catch(function () { if (self.cache.get(path) === promise) self.cache.delete(path); });
      this.cache.set(path, promise);
    }
    return this.cache.get(path);
  };

  // The server's meta.json after a file of version `gone` was not found, asked for once.
  Engine.prototype.renew = function (gone) {
    var self = this;
    if (!own(this.renewals, gone)) {
      this.renewals[gone] = loadMeta(this.base + "meta.json", true).then(function (meta) {
        if (meta.v !== gone) {
          self.metaPromise = Promise.resolve(meta);
          self.cache = new Map();
        }
        return meta;
      });
      this.renewals[gone].catch(function () { delete self.renewals[gone]; });
    }
    return this.renewals[gone];
  };

  // The p/ file that would hold `key`'s lists if they are long (meta lists the files there
  // are), or null: then only its shard can say anything about it.
  function longFile(meta, key) {
    var name = fnv1a(key) >>> (32 - meta.lb);
    return meta.longFiles.has(name) ? "p/" + name + ".json" : null;
  }

  function largeFile(meta, key) {
    return meta.largeFiles.has(fnv1a(key) >>> (32 - meta.lb));
  }

  // The lookups of one search: each key's lists and whether a text has it, each file once.
  function Lookup(engine, meta) {
    this.engine = engine;
    this.meta = meta;
    this.texts = {};
    this.found = {};
    this.early = {}; // document number → record, from the long files fetched (EARLY)
  }

  // In a long file, the records of its terms' first hits (encode.py: first_hits):
  // a query's first result most often shows without waiting for a record file.
  var EARLY = "@r";

  // A key's shard entry: its three lists, "@" when they are in a p/ file, or null.
  Lookup.prototype.shard = function (key) {
    return this.engine.get("s/" + (fnv1a(key) % this.meta.shards) + ".json").then(function (shard) {
      return own(shard, key) ? shard[key] : null;
    });
  };

  // A key's posting texts ([lead, support, other]), or null when no document has it.
  Lookup.prototype.lists = function (key) {
    if (!own(this.texts, key)) {
      var self = this, file = longFile(this.meta, key);
      var fromShard = function () {
        return self.shard(key).then(function (entry) {
          if (entry === "@") throw new Error("chỉ mục tìm kiếm không khớp nhau; hãy tải lại trang");
          return entry;
        });
      };
      // A long file is keyed by term: a key it lacks only shares the name, and its shard answers.
      this.texts[key] = file
        ? this.engine.get(file).then(function (lists) {
          if (own(lists, EARLY)) Object.assign(self.early, lists[EARLY]);
          return own(lists, key) ? lists[key] : fromShard();
        })
        : fromShard();
    }
    return this.texts[key];
  };

  // Whether any document has `key`: from its lists when they are asked for anyway, else its shard.
  Lookup.prototype.has = function (key) {
    if (!own(this.found, key)) {
      var entry = own(this.texts, key) ? this.texts[key] : this.shard(key);
      this.found[key] = entry.then(function (e) { return e != null; });
    }
    return this.found[key];
  };

  var NO_MATCH = { noMatch: true }; // thrown inside a search when a query word is in no text

  function needed(promise) {
    return promise.then(function (texts) { if (texts == null) throw NO_MATCH; return texts; });
  }

  // The tiers of a result, in rank order (tests/search_reference.py: PHRASE_LEAD … WORDS): the
  // whole query in the lead field, the support field, elsewhere (exact); then every word pair
  // somewhere but not in one field, every word in the lead field, in the support field, apart
  // (loose). `TIER_FIELD`: the field a tier's match is in (2: the text, or apart).
  var EXACT = 3, TIERS = 7;
  var TIER_FIELD = [0, 1, 2, 2, 0, 1, 2];

  /* What a query finds (tests/search_reference.py: evaluate). `opts`: q, place, plan, agency, role,
   * timeline, tasksOnly, first (how many hits a page shows first). Resolves to {words,
   * phrases, tiers: TIERS bitmaps, counts, exact, total, partial, counting, complete}.
   *
   * A query of several words is checked as a phrase by its word pairs, the index's bigram
   * terms, and as words one by one for the loose tiers. What that needs is asked for in one
   * round: the filters' lists, every pair's lists, the words' lists, and the shard of each key
   * meta lists a long file for (a long file shares its name with other terms: the shard says
   * where the key is). The words' lists serve only the loose tiers, and a common word's are
   * long: when meta lists every pair as long (each most likely a bigram of some text, and the
   * phrase most likely found), long word lists are left out of that round, and so are large
   * ones always (their shards still say whether any text has the word). Of four words or
   * more, only the pairs that cover every word are asked for when the others' lists are long
   * (`ngan hang`, `chinh sach`, `xa hoi`; not `hang chinh`, `sach xa`): the first `opts.first`
   * documents having the covering pairs in one field, whose records come to be shown anyway,
   * are each shown by their records to have every pair there, or not (`verdict`); then those
   * that have them are the first exact hits, and the result is `partial` and `counting` (counts not known yet: the page says so)
   * until `count()` fetches the joining pairs. One not proven, and the joining pairs are
   * fetched at once. Then, when the exact and pair tiers hold a hit, the result is `partial`
   * (loose tiers not counted yet: the page shows what it has) and `complete()` fetches the
   * rest; when they hold none, the rest is fetched at once. Results are the same either way.
   * A query that finds the index rebuilt under it runs again. */
  Engine.prototype.search = function (opts) {
    var self = this;
    return this.find(opts).catch(function (e) {
      if (!e.stale) throw e;
      return self.find(opts);
    });
  };

  // `fixed`: the query's words as read after a typo ({words, corrections}, from `correct`).
  Engine.prototype.find = function (opts, fixed) {
    var self = this;
    return this.meta().then(function (meta) {
      var n = meta.docs;
      var look = new Lookup(self, meta);
      var words = fixed ? fixed.words : canonicalWords(opts.q || "", meta.abbr);
      var role = opts.role === "chu-tri" || opts.role === "phoi-hop" ? opts.role : null;
      var filterKeys = [];
      if (opts.place) filterKeys.push("@j:" + opts.place);
      if (opts.plan) filterKeys.push("@p:" + opts.plan);
      if (opts.timeline) filterKeys.push("@k:" + opts.timeline);
      var filters = Promise.all(filterKeys.map(function (key) { return look.lists(key); }));
      // What the agency leads, supports, and has through its collectives (documents.py: via_key).
      var agency = opts.agency
        ? Promise.all(["l", "s", "v"].map(function (k) { return look.lists("@a:" + opts.agency + ":" + k); }))
        : Promise.resolve(null);

      // The documents the filters leave, those the agency filter's agency leads, and the span
      // of words [lo, hi) outside which `keep` is empty: every later pass runs over that span
      // only (a place filter leaves a few hundred words of the 4,400 of 140,000 documents).
      function narrow(got) {
        var first = opts.tasksOnly ? meta.tasks : 0;
        var keep = bmRange(bmNew(n), first, n);
        var bounds = [first >>> 5, keep.length];
        got[0].forEach(function (texts) {
          var bm = unionOf(texts, n);
          for (var i = bounds[0]; i < bounds[1]; i++) keep[i] &= bm[i];
          bounds = span(keep, bounds[0], bounds[1]);
        });
        var leadOf = null, supportOf = null;
        if (got[1]) {
          leadOf = unionOf(got[1][0], n);
          supportOf = unionOf(got[1][1], n);
          var viaOf = unionOf(got[1][2], n);
          var i;
          if (role === "chu-tri") for (i = bounds[0]; i < bounds[1]; i++) keep[i] &= leadOf[i];
          else if (role === "phoi-hop") for (i = bounds[0]; i < bounds[1]; i++) keep[i] &= supportOf[i];
          else for (i = bounds[0]; i < bounds[1]; i++) keep[i] &= leadOf[i] | supportOf[i] | viaOf[i];
          bounds = span(keep, bounds[0], bounds[1]);
        }
        return { keep: keep, leadOf: leadOf, supportOf: supportOf, lo: bounds[0], hi: bounds[1] };
      }

      function tiersOf(list) {
        var out = list.slice();
        while (out.length < TIERS) out.push(bmNew(n));
        return out;
      }

      if (!words.length) {
        return Promise.all([filters, agency]).then(function (got) {
          var narrowed = narrow(got), keep = narrowed.keep, leadOf = narrowed.leadOf;
          if (leadOf) {
            // Led, then supported, then through one of its collectives.
            var first = bmNew(n), second = bmNew(n), rest = bmNew(n), supportOf = narrowed.supportOf;
            for (var i = narrowed.lo; i < narrowed.hi; i++) {
              first[i] = keep[i] & leadOf[i];
              second[i] = keep[i] & supportOf[i] & ~leadOf[i];
              rest[i] = keep[i] & ~leadOf[i] & ~supportOf[i];
            }
            return finish(tiersOf([first, second, rest]), [], narrowed.lo);
          }
          if (!filterKeys.length) return finish(tiersOf([]), [], 0);
          return finish(tiersOf([bmNew(n), bmNew(n), keep]), [], narrowed.lo);
        });
      }

      var unique = words.filter(function (w, k) { return words.indexOf(w) === k; });
      var pairs = [];
      for (var i = 0; i + 1 < words.length; i++) {
        var pair = words[i] + " " + words[i + 1];
        if (pairs.indexOf(pair) < 0) pairs.push(pair);
      }
      // Pairs that only join the covering ones (`hang chinh` between `ngan hang` and `chinh
      // sach`) wait when their lists are long: the first candidates' records prove the phrase.
      var cover = coveringPairs(words);
      var waiting = pairs.filter(function (p) { return cover.indexOf(p) < 0 && longFile(meta, p); });
      var asked = pairs.filter(function (p) { return waiting.indexOf(p) < 0; });
      // The keys whose lists this round fetches, and the words left for `complete`.
      var likely = asked.every(function (p) { return longFile(meta, p); });
      var later = pairs.length ? unique.filter(function (w) { return longFile(meta, w) && (likely || largeFile(meta, w)); }) : [];
      var now = (pairs.length ? asked : unique).concat(pairs.length ? unique.filter(function (w) { return later.indexOf(w) < 0; }) : []);
      now.concat(later).forEach(function (key) { if (longFile(meta, key)) look.shard(key).catch(ignore); });
      var pairLists = Promise.all(asked.map(function (p) { return look.lists(p); }));
      var wordLists = Promise.all(unique.map(function (w) {
        return later.indexOf(w) < 0 ? needed(look.lists(w)) : look.has(w).then(function (has) { if (!has) throw NO_MATCH; return null; });
      }));

      return Promise.all([filters, agency, pairLists, wordLists]).then(function (got) {
        var narrowed = narrow(got), keep = narrowed.keep, leadOf = narrowed.leadOf;
        var lo = narrowed.lo, hi = narrowed.hi;
        var byPair = {};
        asked.forEach(function (p, k) { byPair[p] = got[2][k]; });
        // A covering pair no text has leaves no phrase to find: the waiting pairs cannot change that.
        var phraseless = asked.some(function (p) { return byPair[p] == null; });
        // A role without an agency filter asks about the query's agency: one field suffices.
        var roleField = role && !leadOf ? (role === "chu-tri" ? 0 : 1) : -1;

        // Documents of `keep` having every key of `lists` in field 0, 1, 2, and anywhere.
        function having(lists) {
          var out = [keep.slice(), keep.slice(), keep.slice(), keep.slice()];
          lists.forEach(function (texts) {
            var j;
            if (texts == null) { out.forEach(function (bm) { bm.fill(0); }); return; }
            var L = decode(texts[0], n), S = decode(texts[1], n), O = decode(texts[2], n);
            for (j = lo; j < hi; j++) {
              out[0][j] &= L[j]; out[1][j] &= S[j]; out[2][j] &= O[j]; out[3][j] &= L[j] | S[j] | O[j];
            }
          });
          return out;
        }

        // The tiers from the phrase's and the words' documents, each tier less those before it.
        function ranked(phrase, each) {
          var tiers = [phrase[0], phrase[1], phrase[2], pairs.length ? phrase[3] : bmNew(n)];
          if (each) tiers.push(each[0], each[1], each[3]);
          else tiers.push(bmNew(n), bmNew(n), bmNew(n));
          if (roleField >= 0) {
            tiers = tiers.map(function (bm, t) { return TIER_FIELD[t] === roleField && t !== 3 ? bm : bmNew(n); });
          }
          var counts = [];
          for (var j = lo; j < hi; j++) {
            var taken = 0;
            for (var t = 0; t < tiers.length; t++) {
              var x = tiers[t][j] & ~taken;
              tiers[t][j] = x;
              taken |= x;
            }
          }
          tiers.forEach(function (bm) { counts.push(bmCount(bm)); });
          return { tiers: tiers, counts: counts };
        }

        // The result once every pair's lists are here (`byPair`): exact, or `partial` with its
        // loose tiers to come (`later` words).
        function whole() {
          var pairTexts = pairs.map(function (p) { return byPair[p]; });
          var known = {};
          pairs.forEach(function (p) { known[p] = byPair[p] != null; });
          var phrases = queryPhrases(words, function (p) { return known[p]; });
          var phrase = having(pairs.length ? pairTexts : [got[3][0]]);
          function full(lists) {
            var r = ranked(phrase, pairs.length ? having(lists) : null);
            return finish(r.tiers, phrases, lo, r.counts);
          }
          if (!later.length) return full(got[3]);
          var first = ranked(phrase, null);
          var rest = function () {
            return Promise.all(unique.map(function (w, k) { return got[3][k] || needed(look.lists(w)); })).then(full);
          };
          if (!first.counts.some(function (c) { return c > 0; })) return rest();
          var partial = finish(first.tiers, phrases, lo, first.counts);
          partial.partial = true;
          partial.complete = rest;
          return partial;
        }

        function fetchWaiting() {
          return Promise.all(waiting.map(function (p) { return look.lists(p); })).then(function (lists) {
            waiting.forEach(function (p, k) { byPair[p] = lists[k]; });
          });
        }

        if (!waiting.length) return whole();
        if (phraseless) {
          waiting.forEach(function (p) { byPair[p] = null; });
          return whole();
        }
        // Candidates: the covering pairs in one field. The first `shown` of them in rank order,
        // whose records come to be shown anyway, each proven to hold the words in a row in
        // that field, are the first exact hits; the waiting pairs then only count.
        var shown = opts.first || 10;
        var candidates = ranked(having(asked.map(function (p) { return byPair[p]; })), null);
        var candidateCount = candidates.counts[0] + candidates.counts[1] + candidates.counts[2];
        // Up to two pages of candidates in rank order, their records fetched a page at a time.
        var order = [];
        for (var t = 0; t < EXACT && order.length < 2 * shown; t++) {
          bmTake(candidates.tiers[t], 0, 2 * shown - order.length, lo).forEach(function (id) { order.push({ id: id, tier: t }); });
        }
        var accepted = [], next = 0, seen = 0, droppedFrom = -1;
        // A candidate without every pair in its field drops out of its tier; it may belong to
        // a later one, so the scan must not reach one after a drop.
        function scan() {
          var batch = order.slice(next, next + shown);
          next += batch.length;
          if (!batch.length) return Promise.resolve(true);
          return Promise.all(batch.map(function (h) { return self.record(look, meta, h.id); })).then(function (records) {
            for (var k = 0; k < batch.length; k++) {
              var h = batch[k];
              if (droppedFrom >= 0 && h.tier > droppedFrom) return false;
              var v = verdict(records[k], TIER_FIELD[h.tier], pairs, meta.abbr);
              if (v < 0) return false;
              seen++;
              if (v === 0) droppedFrom = h.tier;
              else if (accepted.push(h) === shown) return true;
            }
            return scan();
          });
        }
        return scan().then(function (decided) {
          if (!decided || !accepted.length) return fetchWaiting().then(whole);
          var tiers = tiersOf([]);
          accepted.forEach(function (h) { tiers[h.tier][h.id >>> 5] |= 1 << (h.id & 31); });
          var everyPair = {};
          pairs.forEach(function (p) { everyPair[p] = true; });
          var r = finish(tiers, queryPhrases(words, function (p) { return everyPair[p]; }), lo);
          r.partial = true;
          // Every candidate decided and none dropped: the exact tiers are whole, only the
          // loose ones are to come.
          r.counting = droppedFrom >= 0 || seen < candidateCount;
          // `count()`: the joining pairs give the counts (the loose tiers may still wait, as for
          // any partial result); `complete()`: the whole result.
          r.count = function () { return fetchWaiting().then(whole); };
          r.complete = function () {
            return r.count().then(function (w) { return w.partial ? w.complete() : w; });
          };
          return r;
        });
      }).catch(function (e) {
        if (e !== NO_MATCH) throw e;
        // A word no text has: read as the word a letter away, a second round for it alone.
        return (fixed ? Promise.resolve(null) : self.correct(look, meta, words)).then(function (read) {
          return read ? self.find(opts, read) : finish(tiersOf([]), [], 0);
        });
      });

      // `from`: the first word any tier has a document in; `v`: the index version it counts in.
      function finish(tiers, phrases, from, counts) {
        counts = counts || tiers.map(bmCount);
        var total = counts.reduce(function (a, b) { return a + b; }, 0);
        return {
          words: words, phrases: phrases, tiers: tiers, counts: counts,
          exact: words.length ? counts[0] + counts[1] + counts[2] : total,
          total: total, partial: false, counting: false, complete: null, from: from, v: meta.v, early: look.early,
          corrections: fixed ? fixed.corrections : []
        };
      }
    });
  };

  /* The query's words with each that no text has read as the word one edit from it in the most
   * documents, then the first alphabetically (tests/search_reference.py: corrected), from the
   * w/ files of the lengths one edit reaches: {words, corrections: [[typed, read], …]}, or null
   * when a word no text has has no such word (nothing is found). Words some text has stay. */
  Engine.prototype.correct = function (look, meta, words) {
    var self = this;
    var unique = words.filter(function (w, k) { return words.indexOf(w) === k; });
    return Promise.all(unique.map(function (w) { return look.has(w); })).then(function (has) {
      var missing = unique.filter(function (w, k) { return !has[k]; });
      if (!missing.length || !missing.every(correctable)) return null;
      var lengths = [];
      missing.forEach(function (w) {
        [w.length - 1, w.length, w.length + 1].forEach(function (l) {
          if (meta.wl.indexOf(l) >= 0 && lengths.indexOf(l) < 0) lengths.push(l);
        });
      });
      return Promise.all(lengths.map(function (l) { return self.get("w/" + l + ".json"); })).then(function (files) {
        var read = {}, corrections = [];
        for (var m = 0; m < missing.length; m++) {
          var typed = missing[m], best = null, bestCount = -1;
          files.forEach(function (groups) {
            // Groups come most documents first: a length's first match is its best.
            for (var g = 0; g < groups.length && groups[g][0] >= bestCount; g++) {
              var near = groups[g][1].split(" ").filter(function (w) { return oneEdit(typed, w); });
              if (!near.length) continue;
              if (groups[g][0] > bestCount || near[0] < best) { best = near[0]; bestCount = groups[g][0]; }
              break;
            }
          });
          if (best === null) return null;
          read[typed] = best;
          corrections.push([typed, best]);
        }
        return { words: words.map(function (w) { return own(read, w) ? read[w] : w; }), corrections: corrections };
      });
    });
  };

  // Document `id`'s record: from the long files the search fetched, else its record file.
  Engine.prototype.record = function (look, meta, id) {
    if (own(look.early, id)) return Promise.resolve(look.early[id]);
    return this.get("r/" + Math.floor(id / meta.chunk) + ".json").then(function (chunk) { return chunk[id % meta.chunk]; });
  };

  // Hits `offset`…`offset + limit - 1` in rank order, as [{id, tier}].
  Engine.prototype.slice = function (result, offset, limit) {
    var out = [];
    for (var t = 0; t < result.counts.length && out.length < limit; t++) {
      var count = result.counts[t];
      if (offset >= count) { offset -= count; continue; }
      bmTake(result.tiers[t], offset, limit - out.length, result.from).forEach(function (id) { out.push({ id: id, tier: t }); });
      offset = 0;
    }
    return out;
  };

  // Hits `offset`…`offset + limit - 1` in rank order, each a promise of {id, tier, record} that
  // resolves when its record file has come (at once when a long file brought the record): a
  // search box shows the first hits while the files of the others still load (they are as many
  // files as hits, fetched at once). A result of an index the engine has since left fails
  // `stale`: its numbers name other records now.
  Engine.prototype.arriving = function (result, offset, limit) {
    var self = this;
    return this.slice(result, offset, limit).map(function (h) {
      if (own(result.early, h.id)) return Promise.resolve({ id: h.id, tier: h.tier, record: result.early[h.id] });
      return self.meta().then(function (meta) {
        if (meta.v !== result.v) {
          var e = new Error("chỉ mục tìm kiếm vừa được cập nhật");
          e.stale = true;
          throw e;
        }
        return self.get("r/" + Math.floor(h.id / meta.chunk) + ".json").then(function (chunk) {
          return { id: h.id, tier: h.tier, record: chunk[h.id % meta.chunk] };
        });
      });
    });
  };

  var engines = {};
  // The engine's part of window.ckhSearch; search.js adds the showing of results to it.
  window.ckhSearch = {
    fold: fold,
    canonicalWords: canonicalWords,
    exactTiers: EXACT,
    tierField: TIER_FIELD,
    queryPhrases: queryPhrases,
    throughCollective: throughCollective,
    fnv1a: fnv1a,
    decode: function (encoded, n) { return bmTake(decode(encoded, n), 0, n, 0); },
    engineFor: function (root) { return (engines[root] = engines[root] || new Engine(root)); },
  };
})();
