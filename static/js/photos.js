// Identification photos: preview before sending, a live camera on computers, and an upload
// with a progress bar. Without this script the form still works (file picker, plain POST).
(function () {
  'use strict';
  var form = document.querySelector('.photo-form');
  if (!form) return;
  var input = form.querySelector('input[type=file]');
  var preview = form.querySelector('.photo-preview');
  var previewImg = preview.querySelector('img');
  var progress = form.querySelector('.upload-progress');
  var status = form.querySelector('.upload-status');
  var problem = document.getElementById('photo-script-error');
  var maxBytes = Number(form.dataset.maxBytes);
  var shownUrl = null;

  function showError(text) {
    problem.querySelector('p').textContent = text;
    problem.hidden = false;
  }

  function showPreview(file) {
    if (shownUrl) URL.revokeObjectURL(shownUrl);
    shownUrl = URL.createObjectURL(file);
    previewImg.src = shownUrl;
    preview.hidden = false;
  }

  input.addEventListener('change', function () {
    problem.hidden = true;
    var file = input.files[0];
    if (!file) { preview.hidden = true; return; }
    if (file.size > maxBytes) showError(form.dataset.tooLarge);
    showPreview(file);
  });

  // A live camera where there is no camera-first file picker (computers).
  var camera = form.querySelector('.camera');
  var coarse = window.matchMedia && window.matchMedia('(pointer: coarse)').matches;
  if (camera && !coarse && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    camera.hidden = false;
    var video = camera.querySelector('video');
    var start = camera.querySelector('.camera-start');
    var take = camera.querySelector('.camera-take');
    var stream = null;
    start.addEventListener('click', function () {
      navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user' }, audio: false })
        .then(function (s) {
          stream = s;
          video.srcObject = s;
          video.hidden = false;
          take.hidden = false;
          start.hidden = true;
        })
        .catch(function () { showError(camera.dataset.denied); });
    });
    take.addEventListener('click', function () {
      var canvas = document.createElement('canvas');
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      canvas.getContext('2d').drawImage(video, 0, 0);
      canvas.toBlob(function (blob) {
        var file = new File([blob], 'camera.jpg', { type: 'image/jpeg' });
        var list = new DataTransfer();
        list.items.add(file);
        input.files = list.files;
        showPreview(file);
        stream.getTracks().forEach(function (t) { t.stop(); });
        video.hidden = true;
        take.hidden = true;
        start.hidden = false;
      }, 'image/jpeg', 0.92);
    });
  }

  // Send with a progress bar; the server answers JSON to this request.
  form.addEventListener('submit', function (event) {
    if (!window.XMLHttpRequest || !window.FormData) return;
    event.preventDefault();
    problem.hidden = true;
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.setRequestHeader('Accept', 'application/json');
    progress.hidden = false;
    progress.value = 0;
    status.textContent = form.dataset.sending;
    xhr.upload.addEventListener('progress', function (e) {
      if (e.lengthComputable) progress.value = Math.round((e.loaded / e.total) * 100);
    });
    xhr.addEventListener('load', function () {
      var answer = null;
      try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = null; }
      if (answer && answer.location) { window.location.assign(answer.location); return; }
      progress.hidden = true;
      status.textContent = '';
      showError(answer && answer.error ? answer.error : form.dataset.failed);
    });
    xhr.addEventListener('error', function () {
      progress.hidden = true;
      status.textContent = '';
      showError(form.dataset.failed);
    });
    xhr.send(new FormData(form));
  });
})();
