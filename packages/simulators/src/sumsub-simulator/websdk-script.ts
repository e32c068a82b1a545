/**
 * The simulator's stand-in for Sumsub's WebSDK builder script (`sns-websdk-builder.js`), with the
 * same JS API: `snsWebSdk.init(accessToken, refresh).withConf({ lang }).withOptions({…})
 * .on(event, handler).build().launch('#container')`. Instead of Sumsub's iframe it renders a small
 * panel, clearly marked as the simulator, whose button sends a set of test documents
 * (`POST <mountPath>/websdk/submit`, JSON `{ accessToken }`) and then fires
 * `idCheck.onApplicantSubmitted`. DOM APIs only: nothing from the server is parsed as HTML, and
 * styles are set through `element.style` (the app's CSP allows inline styles, not inline script).
 */
export function renderWebSdkScript(mountPath: string): string {
  return `/* Drop's Sumsub simulator: a stand-in for Sumsub's WebSDK builder, not the real Sumsub. */
(function () {
  'use strict';
  var BASE = ${JSON.stringify(`${mountPath}/websdk`)};
  var TEXT = {
    no: {
      banner: 'Sumsub-simulator – ikke ekte Sumsub',
      title: 'Bekreft identiteten din',
      loading: 'Laster …',
      name: 'Navn',
      user: 'Bruker',
      level: 'Nivå',
      status: 'Status',
      explain: 'Her ville Sumsubs WebSDK be om bilde av legitimasjon og en selfie. I simulatoren sender knappen inn et sett testdokumenter.',
      submit: 'Send inn dokumenter',
      sending: 'Sender …',
      submitted: 'Dokumentene er sendt inn.',
      nothing: 'Det er ingenting å sende inn nå.',
      expired: 'Tilgangstokenet er ukjent eller utløpt.',
      failed: 'Innsendingen feilet. Prøv igjen.'
    },
    en: {
      banner: 'Sumsub simulator – not the real Sumsub',
      title: 'Verify your identity',
      loading: 'Loading …',
      name: 'Name',
      user: 'User',
      level: 'Level',
      status: 'Status',
      explain: "Here Sumsub's WebSDK would ask for a photo of an ID document and a selfie. In the simulator the button sends a set of test documents.",
      submit: 'Submit documents',
      sending: 'Sending …',
      submitted: 'Your documents have been submitted.',
      nothing: 'There is nothing to submit right now.',
      expired: 'The access token is unknown or has expired.',
      failed: 'Submitting failed. Please try again.'
    }
  };

  function el(tag, style, text, testId) {
    var node = document.createElement(tag);
    if (style) for (var key in style) node.style[key] = style[key];
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (testId) node.setAttribute('data-testid', testId);
    return node;
  }

  function post(path, accessToken) {
    return fetch(BASE + path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ accessToken: accessToken })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { status: response.status, body: body };
      });
    });
  }

  function Builder(accessToken, refresh) {
    this._token = accessToken;
    this._refresh = refresh;
    this._conf = {};
    this._options = {};
    this._handlers = {};
  }
  Builder.prototype.withConf = function (conf) { this._conf = conf || {}; return this; };
  Builder.prototype.withOptions = function (options) { this._options = options || {}; return this; };
  Builder.prototype.on = function (event, handler) {
    (this._handlers[event] = this._handlers[event] || []).push(handler);
    return this;
  };
  Builder.prototype.onMessage = function (handler) { return this.on('*', handler); };
  Builder.prototype.build = function () { return new Instance(this); };

  function Instance(builder) {
    this._token = builder._token;
    this._refresh = builder._refresh;
    this._handlers = builder._handlers;
    this._text = TEXT[builder._conf.lang === 'en' ? 'en' : 'no'];
    this._root = null;
  }

  Instance.prototype._emit = function (event, payload) {
    var calls = (this._handlers[event] || []).map(function (handler) { return function () { handler(payload); }; });
    (this._handlers['*'] || []).forEach(function (handler) { calls.push(function () { handler(event, payload); }); });
    calls.forEach(function (call) {
      try {
        call();
      } catch (error) {
        if (window.console) window.console.error(error);
      }
    });
  };

  /** Calls the endpoint; on 401 asks the page for a fresh token once and tries again. */
  Instance.prototype._call = function (path) {
    var self = this;
    return post(path, self._token).then(function (answer) {
      if (answer.status !== 401 || typeof self._refresh !== 'function') return answer;
      return Promise.resolve(self._refresh()).then(function (token) {
        if (typeof token !== 'string' || !token) return answer;
        self._token = token;
        return post(path, token);
      });
    });
  };

  Instance.prototype.launch = function (selector) {
    var container = typeof selector === 'string' ? document.querySelector(selector) : selector;
    if (!container) throw new Error('snsWebSdk (simulator): no element matches ' + selector);
    var t = this._text;
    var root = el('div', {
      fontFamily: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif',
      border: '2px dashed #c2410c',
      borderRadius: '12px',
      padding: '16px 18px',
      background: '#fffaf5',
      color: '#1f2937'
    }, null, 'websdk');
    root.setAttribute('data-simulator', 'sumsub');
    root.appendChild(el('p', {
      margin: '0 0 10px', fontSize: '12px', fontWeight: '700', letterSpacing: '0.04em',
      textTransform: 'uppercase', color: '#c2410c'
    }, t.banner, 'websdk-banner'));
    root.appendChild(el('h3', { margin: '0 0 12px', fontSize: '18px' }, t.title));
    var body = el('div', null, t.loading);
    root.appendChild(body);
    container.replaceChildren(root);
    this._root = root;
    this._body = body;
    this._load();
    return this;
  };

  Instance.prototype.destroy = function () {
    if (this._root && this._root.parentNode) this._root.parentNode.removeChild(this._root);
    this._root = null;
  };

  Instance.prototype._message = function (text, testId, color) {
    this._body.replaceChildren(el('p', { margin: '0', color: color || '#1f2937' }, text, testId));
  };

  Instance.prototype._load = function () {
    var self = this;
    var t = self._text;
    self._call('/session').then(function (answer) {
      if (!self._root) return;
      if (answer.status !== 200) {
        self._message(t.expired, 'websdk-error', '#b91c1c');
        self._emit('idCheck.onError', { code: 'expired', error: t.expired });
        return;
      }
      var info = answer.body;
      var list = el('dl', { display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '4px 14px', margin: '0 0 12px', fontSize: '14px' });
      function row(label, value, testId) {
        list.appendChild(el('dt', { color: '#6b7280' }, label));
        list.appendChild(el('dd', { margin: '0', fontWeight: '600', overflowWrap: 'anywhere' }, value, testId));
      }
      if (info.name) row(t.name, info.name, 'person-name');
      row(t.user, info.externalUserId, 'external-user-id');
      row(t.level, info.levelName, 'level-name');
      row(t.status, info.reviewStatus, 'review-status');
      var parts = [list];
      if (info.moderationComment) {
        parts.push(el('p', { margin: '0 0 12px', color: '#b45309', fontWeight: '600' }, info.moderationComment, 'moderation-comment'));
      }
      if (info.canSubmit) {
        parts.push(el('p', { margin: '0 0 12px', fontSize: '13px', color: '#4b5563' }, t.explain));
        var button = el('button', {
          font: 'inherit', fontWeight: '700', padding: '10px 18px', border: '0', borderRadius: '8px',
          background: '#c2410c', color: '#ffffff', cursor: 'pointer'
        }, t.submit, 'submit-documents');
        button.type = 'button';
        var note = el('p', { margin: '10px 0 0', color: '#b91c1c' });
        note.setAttribute('role', 'alert');
        button.addEventListener('click', function () { self._submit(button, note); });
        parts.push(button, note);
      } else {
        parts.push(el('p', { margin: '0' }, t.nothing, 'websdk-nothing'));
      }
      self._body.replaceChildren.apply(self._body, parts);
    }, function (error) {
      if (!self._root) return;
      self._message(t.failed, 'websdk-error', '#b91c1c');
      self._emit('idCheck.onError', { code: 'network', error: String(error) });
    });
  };

  Instance.prototype._submit = function (button, note) {
    var self = this;
    var t = self._text;
    button.disabled = true;
    button.textContent = t.sending;
    note.textContent = '';
    self._call('/submit').then(function (answer) {
      if (!self._root) return;
      if (answer.status === 200) {
        self._message(t.submitted, 'websdk-submitted', '#047857');
        self._emit('idCheck.onApplicantSubmitted', { applicantId: answer.body.applicantId });
        return;
      }
      var message = answer.status === 401 ? t.expired : (answer.body && answer.body.description) || t.failed;
      button.disabled = false;
      button.textContent = t.submit;
      note.textContent = message;
      self._emit('idCheck.onError', { code: answer.status, error: message });
    }, function (error) {
      if (!self._root) return;
      button.disabled = false;
      button.textContent = t.submit;
      note.textContent = t.failed;
      self._emit('idCheck.onError', { code: 'network', error: String(error) });
    });
  };

  window.snsWebSdk = {
    init: function (accessToken, refresh) { return new Builder(accessToken, refresh); }
  };
})();
`;
}
