/* PDF previews (templates/learning/views/pdf.html): PDF.js, served by the
 * portal itself (/learning/pdfjs/<version>/), draws one page at a time on a
 * canvas as wide as the page allows, with "previous" and "next".  Nothing
 * is fetched from another host, no inline script runs, and the file's
 * request says it is a preview, so it is not counted as a download.
 * When the first page is drawn the container gets data-rendered="true". */
(function () {
  'use strict';

  function text(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return key in values ? String(values[key]) : all;
    });
  }

  function Preview(box, pdfjs) {
    this.box = box;
    this.pdfjs = pdfjs;
    this.canvas = box.querySelector('canvas');
    this.status = box.querySelector('[data-pdf-status]');
    this.counter = box.querySelector('[data-pdf-counter]');
    this.previous = box.querySelector('[data-pdf-previous]');
    this.next = box.querySelector('[data-pdf-next]');
    this.number = 1;
    this.task = null;
    this.width = 0;
  }

  Preview.prototype.open = function () {
    var self = this;
    var base = this.box.getAttribute('data-pdfjs');
    this.pdfjs.GlobalWorkerOptions.workerSrc = base + 'legacy/build/pdf.worker.min.mjs';
    return this.pdfjs.getDocument({
      url: this.box.getAttribute('data-pdf-url'),
      httpHeaders: {'X-Learning-Preview': 'pdf'},
      cMapUrl: base + 'cmaps/',
      cMapPacked: true,
      standardFontDataUrl: base + 'standard_fonts/',
      wasmUrl: base + 'wasm/',
      iccUrl: base + 'iccs/',
      enableXfa: false
    }).promise.then(function (pdf) {
      self.pdf = pdf;
      self.previous.addEventListener('click', function () { self.go(self.number - 1); });
      self.next.addEventListener('click', function () { self.go(self.number + 1); });
      window.addEventListener('resize', function () {
        window.clearTimeout(self.resizing);
        self.resizing = window.setTimeout(function () {
          if (self.box.clientWidth !== self.width) { self.go(self.number); }
        }, 150);
      });
      return self.go(1);
    });
  };

  Preview.prototype.go = function (number) {
    var self = this;
    if (number < 1 || number > this.pdf.numPages) { return Promise.resolve(); }
    this.number = number;
    return this.pdf.getPage(number).then(function (page) {
      if (self.task) { self.task.cancel(); }
      self.width = self.box.clientWidth;
      var unscaled = page.getViewport({scale: 1});
      // as wide as the column, up to a readable page (a phone's whole width)
      var room = Math.min(Math.max(self.canvas.parentNode.clientWidth, 200), 760);
      var ratio = window.devicePixelRatio || 1;
      var viewport = page.getViewport({scale: (room / unscaled.width) * ratio});
      self.canvas.width = Math.floor(viewport.width);
      self.canvas.height = Math.floor(viewport.height);
      self.canvas.style.width = Math.floor(viewport.width / ratio) + 'px';
      var label = text(self.box.getAttribute('data-label-page'),
                       {page: number, pages: self.pdf.numPages});
      self.canvas.setAttribute('aria-label', label);
      self.counter.textContent = label;
      self.previous.disabled = number <= 1;
      self.next.disabled = number >= self.pdf.numPages;
      self.task = page.render({canvas: self.canvas, viewport: viewport});
      return self.task.promise.then(function () {
        self.task = null;
        self.status.hidden = true;
        self.box.setAttribute('data-pages', String(self.pdf.numPages));
        self.box.setAttribute('data-page', String(number));
        self.box.setAttribute('data-rendered', 'true');
      }, function (error) {
        if (!error || error.name !== 'RenderingCancelledException') { throw error; }
      });
    });
  };

  function failed(box, error) {
    var status = box.querySelector('[data-pdf-status]');
    status.textContent = box.getAttribute('data-label-error');
    status.hidden = false;
    box.setAttribute('data-rendered', 'false');
    box.setAttribute('data-error', (error && error.name) || 'Error');
    if (window.console) { window.console.warn('PDF preview:', error); }
  }

  var boxes = document.querySelectorAll('[data-learning-preview="pdf"][data-pdfjs]');
  if (!boxes.length) { return; }
  var base = boxes[0].getAttribute('data-pdfjs');
  import(base + 'legacy/build/pdf.min.mjs').then(function (pdfjs) {
    Array.prototype.forEach.call(boxes, function (box) {
      new Preview(box, pdfjs).open().catch(function (error) { failed(box, error); });
    });
  }, function (error) {
    Array.prototype.forEach.call(boxes, function (box) { failed(box, error); });
  });
}());
