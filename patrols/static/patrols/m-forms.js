/* What the pages' markup asks for: shrunk photos, forms that go through the outbox,
 * "use my position" buttons, a directive marked read when opened, the outbox page. */
(function () {
  "use strict";
  var M = window.M, cfg = M.cfg, S = M.S, $ = M.$;

  /* --- photos: shrunk on the phone before they wait or travel ------------------------ */
  M.shrink = function (file, edge) {
    edge = edge || 1600;
    if (!window.createImageBitmap || !/^image\//.test(file.type)) return Promise.resolve(file);
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, edge / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && file.size < 800000) return file;
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (done) {
        canvas.toBlob(function (blob) { done(blob || file); }, "image/jpeg", 0.8);
      });
    }).catch(function () { return file; });
  };
  M.photos = function (inputs) {
    var files = [];
    inputs.forEach(function (input) { if (input) files = files.concat(Array.prototype.slice.call(input.files)); });
    return Promise.all(files.slice(0, 9).map(function (file) { return M.shrink(file); }));
  };

  /* --- queued forms: <form data-queue="kind" data-url="…"> ----------------------------- */
  function queueForm(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var fields = {};
      var fileInputs = [];
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.disabled) return;
        if (el.type === "file") { fileInputs.push(el); return; }
        if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
        fields[el.name] = el.value;
      });
      if (form.dataset.prefix && fields.note !== undefined) fields.note = form.dataset.prefix + fields.note;
      var uuid = form.dataset.uuid === "new" ? M.uuid() : null;
      if (uuid) fields.client_uuid = uuid;
      var button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      M.photos(fileInputs).then(function (blobs) {
        if (fileInputs.length) fields[fileInputs[0].name] = blobs;
        return M.enqueue({
          kind: form.dataset.queue, url: form.dataset.url, fields: fields, uuid: uuid,
          json: !fileInputs.length, conflictIsDone: form.dataset.conflictIsDone === "1"
        });
      }).then(function () {
        M.toast(navigator.onLine ? S.sending : S.queued, "ok");
        if (form.dataset.next) setTimeout(function () { location.href = form.dataset.next; }, 600);
        else { form.reset(); if (button) button.disabled = false; }
      });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("form[data-queue]"), queueForm);

  /* --- "use my position" buttons: <button data-locate="prefix"> fills prefix-lat/-lng -- */
  Array.prototype.forEach.call(document.querySelectorAll("[data-locate]"), function (button) {
    button.addEventListener("click", function () {
      var prefix = button.dataset.locate;
      if (!navigator.geolocation) { M.toast(S.noGps, "bad"); return; }
      M.toast(S.locating);
      navigator.geolocation.getCurrentPosition(function (position) {
        var latInput = $(prefix + "-lat"), lngInput = $(prefix + "-lng"), place = $(prefix + "-place");
        latInput.value = position.coords.latitude.toFixed(7);
        lngInput.value = position.coords.longitude.toFixed(7);
        latInput.disabled = lngInput.disabled = false;
        if (place && !place.value) place.value = latInput.value.slice(0, 9) + ", " + lngInput.value.slice(0, 10);
        M.toast(M.fmt(S.accuracy, { metres: Math.round(position.coords.accuracy || 0) }), "ok");
      }, function () { M.toast(S.noGps, "bad"); }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 30000 });
    });
  });

  /* --- a directive opened is a directive read ------------------------------------------ */
  Array.prototype.forEach.call(document.querySelectorAll("[data-mark-read]"), function (element) {
    M.enqueue({ kind: "read", url: element.dataset.markRead, fields: {}, json: true, conflictIsDone: true });
    var badge = $("m-unread");
    if (badge) {
      var left = Math.max(0, Number(badge.textContent) - 1);
      badge.textContent = String(left);
      badge.hidden = !left;
    }
  });

  /* --- the outbox page ------------------------------------------------------------------ */
  /* "12-03 18:05" in the city's time zone, whatever the phone's. */
  var clock = new Intl.DateTimeFormat("zh-CN", {
    timeZone: cfg.timeZone, month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23"
  });
  function localTime(iso) {
    var parts = {};
    clock.formatToParts(new Date(iso)).forEach(function (part) { parts[part.type] = part.value; });
    return parts.month + "-" + parts.day + " " + parts.hour + ":" + parts.minute;
  }
  function drawOutbox() {
    var list = $("outbox-list");
    if (!list) return;
    M.items().then(function (items) {
      list.replaceChildren();
      if (!items.length) {
        var empty = document.createElement("li");
        empty.className = "hint";
        empty.textContent = S.empty;
        list.appendChild(empty);
      }
      items.forEach(function (item) {
        var row = document.createElement("li");
        var title = document.createElement("strong");
        title.textContent = (S["kind_" + item.kind] || item.kind) +
          (item.kind === "points" ? " × " + item.fields.points.length : "");
        var when = document.createElement("span");
        when.className = "hint";
        when.textContent = localTime(item.created) + (item.error ? " · " + item.error : "");
        row.append(title, when);
        if (item.failed) {
          row.className = "failed";
          var drop = document.createElement("button");
          drop.type = "button";
          drop.className = "m-small";
          drop.textContent = S.discard;
          drop.addEventListener("click", function () { M.discard(item.id).then(drawOutbox); });
          row.appendChild(drop);
        }
        list.appendChild(row);
      });
    });
  }
  if ($("outbox-list")) {
    $("outbox-send").addEventListener("click", function () { M.clearBackoff(); M.flush(true); });
    document.addEventListener("m:count", drawOutbox);
    drawOutbox();
  }
})();
