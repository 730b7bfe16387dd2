// editor.js - the live preview of an article's Markdown on the editors'
// pages (/redaktion). The form works without it: "Vis forhåndsvisning"
// sends the form back and the page shows the preview. With it, the
// preview follows the text a moment after the editor stops typing,
// rendered by the server with the same renderer as the article page.
(function () {
	'use strict';
	var body = document.getElementById('f-body');
	var out = document.getElementById('preview');
	if (!body || !out || !window.fetch)
		return;
	var form = body.form;
	var csrf = form.querySelector('input[name=csrf]');
	var timer = null, seq = 0;
	function render() {
		var mine = ++seq;
		var data = new URLSearchParams();
		data.set('csrf', csrf ? csrf.value : '');
		data.set('body', body.value);
		fetch('/redaktion/forhaandsvisning', {
			method: 'POST',
			credentials: 'same-origin',
			headers: { 'Content-Type':
				   'application/x-www-form-urlencoded' },
			body: data.toString()
		}).then(function (r) {
			if (!r.ok)
				throw new Error(String(r.status));
			return r.text();
		}).then(function (html) {
			if (mine !== seq)
				return; // a newer text is on its way
			out.innerHTML = html; // cmark's safe mode: raw HTML escaped
			out.setAttribute('data-rendered', String(mine));
		}).catch(function () {
			if (mine !== seq)
				return;
			out.textContent = 'Forhåndsvisningen kan ikke vises lige ' +
				'nu. Brug knappen "Vis forhåndsvisning".';
		});
	}
	body.addEventListener('input', function () {
		clearTimeout(timer);
		timer = setTimeout(render, 300);
	});
	render();
})();
