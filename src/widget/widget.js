/*! bonafide widget __VERSION__: shows an organisation's notice, verified, and checks contacts,
 * agreements and pasted messages against its signed register. Embed with one tag:
 *   <script src="https://HOST/widget.js" data-org="SLUG" async></script>
 * Optional: data-lang="en" or "zh". No dependencies, no cookies, no inline code; one global name,
 * `bonafide`. Every signature is verified here with WebCrypto Ed25519 before anything is shown as
 * verified, and every value from a request or a response is inserted as text, never as HTML. */
(function () {
  'use strict';

  var VERSION = '__VERSION__';
  var READ_TIMEOUT_MS = 8000;
  var CHECK_TIMEOUT_MS = 15000;
  var UPLOAD_TIMEOUT_MS = 30000;
  var SLOW_AFTER_MS = 3000;
  var MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
  // The service reads at most this many bytes of a message's UTF-8 (check::MAX_MESSAGE_BYTES).
  var MAX_MESSAGE_BYTES = 64 * 1024;
  var STATEMENT_TYP = 'bonafide-statement+json';
  var VERDICT_TYP = 'bonafide-verdict+jwt';
  var ALGS = ['EdDSA', 'Ed25519'];
  var FIELDS = ['name', 'phone', 'email', 'website', 'bank_account'];

  var STRINGS = {
    en: {
      panel: 'Check before you sign or pay',
      language: 'Language',
      notice_loading: 'Verifying the notice…',
      notice_verified: 'Verified notice',
      notice_verified_detail: 'Signed by {org}; in force since {date}.',
      notice_failed: 'This notice failed verification',
      notice_failed_detail: 'It is not shown, because it cannot be trusted as the organisation’s ({reason}). Check through the organisation’s official channels.',
      notice_none: 'The organisation has no notice in force.',
      notice_unreachable: 'The notice cannot be verified right now: the verification service cannot be reached.',
      reason_signature: 'a signature does not verify',
      reason_key: 'it is not signed by an active key of the organisation that may sign notices',
      reason_threshold: 'it has fewer valid signatures than the organisation requires',
      reason_content: 'it is not a notice of this organisation in force today',
      reason_malformed: 'it is malformed',
      notice_unsupported: 'This browser cannot verify signatures, so the notice is not shown. Use a current browser, or check through the organisation’s official channels.',
      notice_refused: 'The notice cannot be verified right now: the verification service refused the request.',
      no_crypto: 'This browser cannot verify the service’s signed answers, so nothing can be checked here. Use a current browser, or ask the organisation through its official channels.',
      contact_legend: 'Check a contact',
      contact_hint: 'Enter the details you were given. Fill in at least one field.',
      name: 'Name',
      phone: 'Phone',
      email: 'Email',
      website: 'Website',
      bank_account: 'Bank account',
      company: 'Company',
      document: 'Document',
      fee: 'Fee',
      signer: 'Signer',
      practice: 'Request',
      project: 'Project',
      department: 'Department',
      check: 'Check',
      agreement_legend: 'Check an agreement',
      agreement_hint: 'PDF, DOCX or plain text, up to 10 MB. The file is sent to the verification service and not kept.',
      file: 'Agreement file',
      check_agreement: 'Check agreement',
      message_legend: 'Check a message',
      message_hint: 'Paste a chat or SMS message you received, up to 64 KB. The text is sent to the verification service and not kept. A message is never shown as verified: anyone can write one.',
      message_text: 'Message text',
      message: 'Message',
      check_message: 'Check message',
      need_one: 'Fill in at least one field.',
      need_file: 'Choose a file first.',
      need_message: 'Paste the message first.',
      file_too_large: 'The file is larger than 10 MB.',
      message_too_large: 'The message is longer than 64 KB ({size} bytes), so it was not sent. Paste only the message you received, or the part that asks for money or names a contact.',
      checking: 'Checking…',
      slow: 'The verification service is slow to answer. Still waiting…',
      down: 'The verification service cannot be reached right now. Nothing was checked: do not rely on these details until you can check them, or ask the organisation through its official channels.',
      timeout: 'The verification service did not answer in time. Nothing was checked: try again later, or ask the organisation through its official channels.',
      unavailable: 'The verification service is unavailable right now: {message} Nothing was checked: try again later.',
      refused: 'The check could not be made: {message}',
      code_no_identifier: 'Fill in at least one field.',
      code_invalid_name: 'The name cannot be read.',
      code_invalid_phone: 'The phone number is not valid: use digits, spaces, dashes and an optional +.',
      code_invalid_email: 'The email address is not valid.',
      code_invalid_website: 'The website is not valid.',
      code_invalid_bank_account: 'The bank account number is not valid.',
      code_payload_too_large: 'The file is too large.',
      code_unsupported_document: 'This kind of file cannot be checked: send a PDF, a DOCX or a text file.',
      code_unsupported_media_type: 'This kind of file cannot be checked: send a PDF, a DOCX or a text file.',
      code_unreadable_document: 'The file cannot be read: it is damaged or protected.',
      code_document_over_limit: 'The document is too large or too complex to check.',
      code_document_timeout: 'The document took too long to read.',
      code_empty_body: 'The file is empty.',
      code_empty_message: 'The message is empty: paste the text you received.',
      code_message_payload_too_large: 'The message is longer than 64 KB.',
      code_unknown_org: 'The organisation is not registered with this service.',
      code_busy: 'The service is busy.',
      code_log_halted: 'The service has stopped answering checks until its operator intervenes.',
      code_other: 'The service refused the request.',
      detail: 'Service message:',
      bad_verdict: 'The answer’s signature did not verify, so it is not shown. Do not rely on it; try again later.',
      outcome_verified: 'Verified',
      outcome_not_authorised: 'Not authorised',
      outcome_fraud_risk: 'Fraud risk',
      outcome_unknown: 'Unknown',
      advice_verified: 'Every detail matches the organisation’s records. Proceed with normal care.',
      advice_not_authorised: 'These details are not the organisation’s. Do not sign and do not pay.',
      advice_fraud_risk: 'Stop. Do not sign and do not pay. Use the official channel named below.',
      advice_unknown: 'There is no record either way. Verify through the organisation’s official channels before you go on.',
      result_for_file: 'File: {file}',
      findings: 'Findings',
      you_gave: 'Checked: {input}',
      use_instead: 'Use instead: {value}',
      location: 'Page {page}, paragraph {paragraph}',
      location_paragraph: 'Paragraph {paragraph}',
      location_page: 'Page {page}',
      signed: 'Signature verified: answered by {iss} on {date} (key {kid}), against the register’s log of {size} entries.',
      download: 'Download the signed verdict',
      footer: 'Answers are signed by the verification service and can be checked offline.'
    },
    zh: {
      panel: '签约或付款前请先核验',
      language: '语言',
      notice_loading: '正在验证声明…',
      notice_verified: '已验证的声明',
      notice_verified_detail: '由{org}签署；自{date}起生效。',
      notice_failed: '此声明未通过验证',
      notice_failed_detail: '因无法确认其出自该机构（{reason}），不予显示。请通过该机构的官方渠道核实。',
      notice_none: '该机构目前没有生效的声明。',
      notice_unreachable: '暂时无法验证声明：无法连接核验服务。',
      reason_signature: '签名验证失败',
      reason_key: '并非由该机构有权签发声明的有效密钥签署',
      reason_threshold: '有效签名少于该机构的要求',
      reason_content: '并非该机构今日生效的声明',
      reason_malformed: '格式错误',
      notice_unsupported: '此浏览器无法验证签名，故不显示声明。请使用较新的浏览器，或通过该机构的官方渠道核实。',
      notice_refused: '暂时无法验证声明：核验服务拒绝了该请求。',
      no_crypto: '此浏览器无法验证核验服务的签名答复，故无法在此核验。请使用较新的浏览器，或通过该机构的官方渠道咨询。',
      contact_legend: '核验联系人',
      contact_hint: '请填写对方提供的信息，至少填写一项。',
      name: '姓名',
      phone: '电话',
      email: '电子邮箱',
      website: '网站',
      bank_account: '银行账户',
      company: '公司',
      document: '文件',
      fee: '费用',
      signer: '签署人',
      practice: '要求',
      project: '项目',
      department: '部门',
      check: '核验',
      agreement_legend: '核验协议',
      agreement_hint: 'PDF、DOCX 或纯文本，不超过 10 MB。文件将发送至核验服务，不会被保存。',
      file: '协议文件',
      check_agreement: '核验协议',
      message_legend: '核验消息',
      message_hint: '粘贴您收到的聊天或短信内容，不超过 64 KB。文本将发送至核验服务，不会被保存。消息一律不会显示为“已验证”：任何人都可以编写消息。',
      message_text: '消息内容',
      message: '消息',
      check_message: '核验消息',
      need_one: '请至少填写一项。',
      need_file: '请先选择文件。',
      need_message: '请先粘贴消息内容。',
      file_too_large: '文件超过 10 MB。',
      message_too_large: '消息超过 64 KB（{size} 字节），未发送。请只粘贴您收到的消息，或其中要求付款、提供联系方式的部分。',
      checking: '正在核验…',
      slow: '核验服务响应缓慢，仍在等待…',
      down: '暂时无法连接核验服务，未进行任何核验。在核验之前请勿轻信这些信息，或通过该机构的官方渠道咨询。',
      timeout: '核验服务未能及时响应，未进行任何核验。请稍后再试，或通过该机构的官方渠道咨询。',
      unavailable: '核验服务暂时不可用：{message}未进行任何核验，请稍后再试。',
      refused: '无法进行核验：{message}',
      code_no_identifier: '请至少填写一项。',
      code_invalid_name: '姓名无法识别。',
      code_invalid_phone: '电话号码无效：请使用数字、空格、连字符及可选的 +。',
      code_invalid_email: '电子邮箱地址无效。',
      code_invalid_website: '网站地址无效。',
      code_invalid_bank_account: '银行账号无效。',
      code_payload_too_large: '文件过大。',
      code_unsupported_document: '无法核验此类文件：请发送 PDF、DOCX 或文本文件。',
      code_unsupported_media_type: '无法核验此类文件：请发送 PDF、DOCX 或文本文件。',
      code_unreadable_document: '文件无法读取：已损坏或受保护。',
      code_document_over_limit: '文件过大或过于复杂，无法核验。',
      code_document_timeout: '文件读取超时。',
      code_empty_body: '文件为空。',
      code_empty_message: '消息为空：请粘贴您收到的内容。',
      code_message_payload_too_large: '消息超过 64 KB。',
      code_unknown_org: '该机构未在本服务登记。',
      code_busy: '服务繁忙。',
      code_log_halted: '在运营方处理之前，服务已暂停核验。',
      code_other: '服务拒绝了该请求。',
      detail: '服务返回信息：',
      bad_verdict: '该答复的签名未通过验证，故不予显示。请勿轻信，稍后再试。',
      outcome_verified: '已验证',
      outcome_not_authorised: '未获授权',
      outcome_fraud_risk: '诈骗风险',
      outcome_unknown: '无法确认',
      advice_verified: '所有信息与该机构的登记一致。请照常谨慎办理。',
      advice_not_authorised: '这些信息不属于该机构。请勿签约，请勿付款。',
      advice_fraud_risk: '请立即停止。请勿签约，请勿付款。请改用下方指明的官方渠道。',
      advice_unknown: '没有任何相关登记。请先通过该机构的官方渠道核实，再继续办理。',
      result_for_file: '文件：{file}',
      findings: '核验发现',
      you_gave: '核验内容：{input}',
      use_instead: '请改用：{value}',
      location: '第 {page} 页，第 {paragraph} 段',
      location_paragraph: '第 {paragraph} 段',
      location_page: '第 {page} 页',
      signed: '签名已验证：由 {iss} 于 {date} 答复（密钥 {kid}），依据共 {size} 条记录的登记日志。',
      download: '下载已签名的核验结果',
      footer: '答复均由核验服务签名，可离线核验。'
    }
  };

  // Sizes are in em, relative to the host element's reset 16px: rem would follow the host page's
  // root font size, which a hostile or careless page sets to anything.
  var STYLE = [
    ':host{all:initial!important;display:block!important;position:static!important;visibility:visible!important;opacity:1!important;transform:none!important;filter:none!important;clip-path:none!important;contain:content;margin:1em 0!important;max-width:100%!important;width:auto!important;height:auto!important;min-height:0!important;font:16px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC","Microsoft YaHei",sans-serif!important;color:#1f2328!important;text-align:left!important;direction:ltr!important;letter-spacing:normal!important;word-spacing:normal!important;text-transform:none!important;writing-mode:horizontal-tb!important;pointer-events:auto!important;cursor:auto!important}',
    ':host::before,:host::after{content:none!important;display:none!important}',
    '*,*::before,*::after{box-sizing:border-box}',
    '.panel{border:1px solid #d0d7de;border-radius:8px;background:#fff;padding:1em;overflow-wrap:anywhere}',
    '.top{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5em;margin-bottom:.75em}',
    '.heading{font-weight:700;font-size:1.05em;margin:0}',
    '.langs{display:flex;gap:.25em}',
    'button,input,textarea{font:inherit;color:inherit}',
    'button{cursor:pointer;border:1px solid #8c959f;border-radius:6px;background:#f6f8fa;padding:.35em .8em;min-height:2.25em}',
    'button[aria-pressed="true"]{background:#1f2328;color:#fff;border-color:#1f2328}',
    'button.primary{background:#0b5cad;color:#fff;border-color:#0b5cad;font-weight:600}',
    'button[aria-disabled="true"]{opacity:.6;cursor:progress}',
    ':focus-visible{outline:3px solid #f0a500;outline-offset:2px}',
    '.notice{border-radius:6px;padding:.75em;margin-bottom:1em;border:2px solid #8c959f;background:#f6f8fa}',
    '.notice.verified{border-color:#1a7f37;background:#edfbef}',
    '.notice.failed{border-color:#cf222e;background:#fff0f0;color:#82071e}',
    '.badge{font-weight:700;margin:0 0 .25em}',
    '.notice.verified .badge{color:#116329}',
    '.notice.failed .badge{color:#a40e26}',
    '.notice-title{font-weight:700;margin:.25em 0}',
    '.notice-text{margin:.25em 0;white-space:pre-line}',
    '.meta{font-size:.875em;color:#57606a;margin:.25em 0 0}',
    '.notice.failed .meta{color:#82071e}',
    'fieldset{border:1px solid #d0d7de;border-radius:6px;margin:0 0 1em;padding:.75em;min-width:0}',
    'legend{font-weight:700;padding:0 .25em}',
    '.hint{font-size:.875em;color:#57606a;margin:0 0 .5em}',
    '.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,13em),1fr));gap:.5em .75em;margin-bottom:.75em}',
    'label{display:block;font-weight:600;font-size:.9em;margin-bottom:.15em}',
    'input[type="text"],input[type="tel"],input[type="email"]{display:block;width:100%;border:1px solid #8c959f;border-radius:6px;padding:.4em .5em;background:#fff;min-height:2.25em}',
    'input[type="file"]{display:block;max-width:100%;margin-bottom:.75em}',
    'textarea{display:block;width:100%;min-height:6em;resize:vertical;border:1px solid #8c959f;border-radius:6px;padding:.4em .5em;background:#fff;margin-bottom:.75em;white-space:pre-wrap}',
    '.result:empty{border:0;padding:0}',
    '.result{border-radius:6px;padding:.75em;border:2px solid #8c959f;background:#f6f8fa}',
    '.result.verified{border-color:#1a7f37;background:#edfbef}',
    '.result.not_authorised{border-color:#bc4c00;background:#fff1e5}',
    '.result.fraud_risk{border-color:#cf222e;background:#fff0f0}',
    '.result.unknown{border-color:#6e7781;background:#f6f8fa}',
    '.result.problem{border-color:#9a6700;background:#fff8c5}',
    '.outcome{font-size:1.25em;font-weight:800;margin:0}',
    '.result.verified .outcome{color:#116329}',
    '.result.not_authorised .outcome{color:#953800}',
    '.result.fraud_risk .outcome{color:#a40e26}',
    '.result.unknown .outcome{color:#424a53}',
    '.advice{margin:.25em 0 .5em;font-weight:600}',
    '.findings{margin:.5em 0;padding-left:1.25em}',
    '.findings li{margin:.4em 0}',
    '.finding-result{font-weight:700}',
    '.finding-result.fraud_risk{color:#a40e26}',
    '.finding-result.not_authorised{color:#953800}',
    '.finding-result.verified{color:#116329}',
    '.input{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;background:rgba(0,0,0,.05);padding:0 .2em;border-radius:3px}',
    '.instead{font-weight:700;margin:.15em 0}',
    'blockquote{margin:.25em 0;padding:.25em .6em;border-left:3px solid #8c959f;background:rgba(0,0,0,.03);white-space:pre-line}',
    '.small{font-size:.85em;color:#57606a;margin:.4em 0 0}',
    'a{color:#0b5cad}',
    '.footer{font-size:.8em;color:#57606a;margin:.75em 0 0}',
    '@media (max-width:30em){.panel{padding:.75em}.top{flex-direction:column;align-items:flex-start}}'
  ].join('\n');

  // ---- bytes, base64url, JSON -------------------------------------------------------------

  function b64uToBytes(text) {
    if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) {
      throw new Error('not base64url');
    }
    var b64 = text.replace(/-/g, '+').replace(/_/g, '/');
    while (b64.length % 4 !== 0) b64 += '=';
    var raw = atob(b64);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function ascii(text) {
    var out = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0x7f;
    return out;
  }

  function jsonOf(bytes) {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  }

  function hexOf(buffer) {
    var bytes = new Uint8Array(buffer);
    var out = '';
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    return out;
  }

  function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  }

  /** RFC 8785 form of a flat object of strings: keys sorted, JSON.stringify's string escaping
   * (which RFC 8785 adopts). The service hashes this form of a contact check. */
  function canonicalFlat(object) {
    var keys = Object.keys(object).sort();
    return '{' + keys.map(function (k) {
      return JSON.stringify(k) + ':' + JSON.stringify(object[k]);
    }).join(',') + '}';
  }

  // ---- WebCrypto Ed25519 ------------------------------------------------------------------

  function subtle() {
    return (window.crypto && window.crypto.subtle) || null;
  }

  function importKey(x) {
    var raw = b64uToBytes(x);
    if (raw.length !== 32) return Promise.reject(new Error('not an Ed25519 key'));
    return subtle().importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
  }

  /** Whether `signature` (base64url) is a valid Ed25519 signature by the key with public part `x`
   * over the ASCII of `signingInput`. Never throws: anything malformed is false. */
  function verifyEd25519(x, signature, signingInput) {
    var sig;
    try {
      sig = b64uToBytes(signature);
    } catch (e) {
      return Promise.resolve(false);
    }
    if (sig.length !== 64) return Promise.resolve(false);
    return importKey(x).then(function (key) {
      return subtle().verify({ name: 'Ed25519' }, key, sig, ascii(signingInput));
    }).catch(function () { return false; });
  }

  function sha256Hex(bytes) {
    return subtle().digest('SHA-256', bytes).then(hexOf);
  }

  // RFC 8032 section 7.1, test 1: a valid Ed25519 public key, imported once to learn whether
  // this browser's WebCrypto has Ed25519 at all (older browsers and many WebViews do not).
  var PROBE_KEY = '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo';
  var probe = null;

  /** Resolves to whether signatures can be verified here; never rejects. */
  function ed25519Supported() {
    if (!probe) {
      var s = subtle();
      probe = s && typeof s.importKey === 'function' && typeof s.verify === 'function'
        ? importKey(PROBE_KEY).then(function () { return true; }, function () { return false; })
        : Promise.resolve(false);
    }
    return probe;
  }

  // ---- network ----------------------------------------------------------------------------

  function Problem(kind, message, code, status) {
    this.kind = kind;
    this.message = message || '';
    this.code = code || '';
    this.status = status || 0;
  }

  /** fetch with a deadline, no credentials and no referrer; `onSlow` runs if no answer has come
   * after SLOW_AFTER_MS. Resolves to { status, body } with the body parsed as JSON, or rejects
   * with a Problem: down, timeout, unavailable (5xx), refused (4xx), malformed. */
  function request(url, options, timeoutMs, onSlow) {
    var controller = typeof AbortController === 'function' ? new AbortController() : null;
    var timedOut = false;
    var slowTimer = onSlow ? setTimeout(onSlow, SLOW_AFTER_MS) : null;
    var deadline = setTimeout(function () {
      timedOut = true;
      if (controller) controller.abort();
    }, timeoutMs);
    var init = {
      method: options.method || 'GET',
      mode: 'cors',
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
      headers: options.headers || {},
      body: options.body
    };
    if (controller) init.signal = controller.signal;
    function done() {
      clearTimeout(deadline);
      if (slowTimer) clearTimeout(slowTimer);
    }
    return fetch(url, init).then(function (response) {
      return response.text().then(function (text) {
        done();
        var body = null;
        try {
          body = text ? JSON.parse(text) : null;
        } catch (e) {
          body = null;
        }
        var error = body && isObject(body.error) ? body.error : {};
        var message = typeof error.message === 'string' ? error.message : 'HTTP ' + response.status;
        var code = typeof error.code === 'string' ? error.code : '';
        if (response.status >= 500) throw new Problem('unavailable', message, code, response.status);
        if (response.status >= 400) throw new Problem('refused', message, code, response.status);
        if (body === null) throw new Problem('malformed', 'not JSON');
        return { status: response.status, body: body };
      });
    }, function () {
      done();
      throw new Problem(timedOut ? 'timeout' : 'down');
    }).catch(function (e) {
      done();
      if (e instanceof Problem) throw e;
      throw new Problem(timedOut ? 'timeout' : 'down');
    });
  }

  // ---- the widget -------------------------------------------------------------------------

  function pickLang(script) {
    var wanted = (script.getAttribute('data-lang') || '').toLowerCase();
    if (!wanted) wanted = (document.documentElement.getAttribute('lang') || '').toLowerCase();
    return wanted.indexOf('zh') === 0 ? 'zh' : 'en';
  }

  function apiBase(src) {
    var url = new URL(src, document.baseURI);
    var path = url.pathname.replace(/\/widget(\/[^/]+\/widget)?\.js$/, '');
    return url.origin + path;
  }

  function Widget(script) {
    this.org = script.getAttribute('data-org') || '';
    this.base = apiBase(script.src);
    this.lang = pickLang(script);
    this.bindings = [];
    this.notice = { state: 'loading' };
    this.result = null;
    this.jwks = null;
    this.busy = false;
    this.downloadUrl = null;
    this.host = document.createElement('bonafide-widget');
    this.root = this.host.attachShadow({ mode: 'open' });
    this.style();
    this.build();
    var parent = script.parentNode;
    if (parent && parent !== document.head && parent.nodeType === 1) {
      parent.insertBefore(this.host, script.nextSibling);
    } else {
      document.body.appendChild(this.host);
    }
    this.loadNotice();
  }

  Widget.prototype.t = function (key, params) {
    var own = Object.prototype.hasOwnProperty;
    var table = own.call(STRINGS, this.lang) ? STRINGS[this.lang] : STRINGS.en;
    var text = own.call(table, key) ? table[key] : own.call(STRINGS.en, key) ? STRINGS.en[key] : key;
    if (params) {
      text = text.replace(/\{([a-z_]+)\}/g, function (whole, name) {
        return params[name] !== undefined ? String(params[name]) : whole;
      });
    }
    return text;
  };

  /** An element with fixed attributes and text children; strings are always text nodes. */
  Widget.prototype.el = function (tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        if (attrs[name] !== null && attrs[name] !== undefined) node.setAttribute(name, attrs[name]);
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  };

  /** An element whose text is the UI string `key`, updated when the language changes. */
  Widget.prototype.label = function (tag, attrs, key) {
    var node = this.el(tag, attrs);
    node.textContent = this.t(key);
    this.bindings.push({ node: node, key: key });
    return node;
  };

  Widget.prototype.style = function () {
    if (typeof CSSStyleSheet === 'function' && 'adoptedStyleSheets' in Document.prototype) {
      // A constructed sheet needs no inline <style>, so a strict host CSP is not violated.
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(STYLE);
      this.root.adoptedStyleSheets = [sheet];
    } else {
      this.root.appendChild(this.el('style', null, [STYLE]));
    }
  };

  Widget.prototype.build = function () {
    var self = this;
    var uid = 'bf' + Math.random().toString(36).slice(2, 8);
    this.panel = this.el('section', { class: 'panel', 'aria-labelledby': uid + '-h' });
    var heading = this.label('p', { class: 'heading', id: uid + '-h' }, 'panel');
    var langs = this.el('div', { class: 'langs', role: 'group', 'aria-labelledby': uid + '-lang' });
    var langLabel = this.label('span', { id: uid + '-lang', hidden: '' }, 'language');
    this.langButtons = {};
    [['en', 'English'], ['zh', '中文']].forEach(function (pair) {
      var button = self.el('button', { type: 'button', lang: pair[0] === 'zh' ? 'zh-CN' : 'en' }, [pair[1]]);
      button.addEventListener('click', function () { self.setLang(pair[0]); });
      self.langButtons[pair[0]] = button;
      langs.appendChild(button);
    });
    langs.appendChild(langLabel);
    this.panel.appendChild(this.el('div', { class: 'top' }, [heading, langs]));

    this.noticeBox = this.el('div', { class: 'notice', role: 'region', 'aria-labelledby': uid + '-nb' });
    this.noticeBadge = this.el('p', { class: 'badge', id: uid + '-nb' });
    this.noticeBody = this.el('div');
    this.noticeBox.appendChild(this.noticeBadge);
    this.noticeBox.appendChild(this.noticeBody);
    this.panel.appendChild(this.noticeBox);

    // The contact form.
    this.contactForm = this.el('form', { novalidate: '', 'aria-labelledby': uid + '-cl' });
    var fieldset = this.el('fieldset');
    fieldset.appendChild(this.label('legend', { id: uid + '-cl' }, 'contact_legend'));
    fieldset.appendChild(this.label('p', { class: 'hint', id: uid + '-ch' }, 'contact_hint'));
    var grid = this.el('div', { class: 'grid' });
    var types = { name: 'text', phone: 'tel', email: 'email', website: 'text', bank_account: 'text' };
    var modes = { phone: 'tel', email: 'email', website: 'url' };
    this.inputs = {};
    FIELDS.forEach(function (field) {
      var id = uid + '-' + field;
      var input = self.el('input', {
        type: types[field], id: id, name: field, autocomplete: 'off', spellcheck: 'false',
        inputmode: modes[field] || null, maxlength: '512', 'aria-describedby': uid + '-ch'
      });
      self.inputs[field] = input;
      grid.appendChild(self.el('div', { class: 'field' }, [self.label('label', { for: id }, field), input]));
    });
    fieldset.appendChild(grid);
    this.checkButton = this.label('button', { type: 'submit', class: 'primary' }, 'check');
    fieldset.appendChild(this.checkButton);
    this.contactForm.appendChild(fieldset);
    this.contactForm.addEventListener('submit', function (event) {
      event.preventDefault();
      self.checkContact();
    });
    this.panel.appendChild(this.contactForm);

    // The agreement form.
    this.agreementForm = this.el('form', { novalidate: '', 'aria-labelledby': uid + '-al' });
    var afs = this.el('fieldset');
    afs.appendChild(this.label('legend', { id: uid + '-al' }, 'agreement_legend'));
    afs.appendChild(this.label('p', { class: 'hint', id: uid + '-ah' }, 'agreement_hint'));
    this.fileInput = this.el('input', {
      type: 'file', id: uid + '-file', name: 'file', 'aria-describedby': uid + '-ah',
      accept: '.pdf,.docx,.txt,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/plain'
    });
    afs.appendChild(this.label('label', { for: uid + '-file' }, 'file'));
    afs.appendChild(this.fileInput);
    this.agreementButton = this.label('button', { type: 'submit', class: 'primary' }, 'check_agreement');
    afs.appendChild(this.agreementButton);
    this.agreementForm.appendChild(afs);
    this.agreementForm.addEventListener('submit', function (event) {
      event.preventDefault();
      self.checkAgreement();
    });
    this.panel.appendChild(this.agreementForm);

    // The message form: a pasted chat or SMS text.
    this.messageForm = this.el('form', { novalidate: '', 'aria-labelledby': uid + '-ml' });
    var mfs = this.el('fieldset');
    mfs.appendChild(this.label('legend', { id: uid + '-ml' }, 'message_legend'));
    mfs.appendChild(this.label('p', { class: 'hint', id: uid + '-mh' }, 'message_hint'));
    this.messageInput = this.el('textarea', {
      id: uid + '-message', name: 'message', rows: '5', autocomplete: 'off', spellcheck: 'false',
      'aria-describedby': uid + '-mh'
    });
    mfs.appendChild(this.label('label', { for: uid + '-message' }, 'message_text'));
    mfs.appendChild(this.messageInput);
    this.messageButton = this.label('button', { type: 'submit', class: 'primary' }, 'check_message');
    mfs.appendChild(this.messageButton);
    this.messageForm.appendChild(mfs);
    this.messageForm.addEventListener('submit', function (event) {
      event.preventDefault();
      self.checkMessage();
    });
    this.panel.appendChild(this.messageForm);

    // Every answer, and every problem, is announced through this one status region.
    this.status = this.el('div', { class: 'result', role: 'status', 'aria-live': 'polite' });
    this.panel.appendChild(this.status);
    this.panel.appendChild(this.label('p', { class: 'footer' }, 'footer'));
    this.root.appendChild(this.panel);
    this.applyLang();
  };

  Widget.prototype.setLang = function (lang) {
    if (!STRINGS[lang] || lang === this.lang) return;
    this.lang = lang;
    this.applyLang();
  };

  Widget.prototype.applyLang = function () {
    var self = this;
    this.panel.setAttribute('lang', this.lang === 'zh' ? 'zh-CN' : 'en');
    this.bindings.forEach(function (b) { b.node.textContent = self.t(b.key); });
    Object.keys(this.langButtons).forEach(function (lang) {
      self.langButtons[lang].setAttribute('aria-pressed', lang === self.lang ? 'true' : 'false');
    });
    this.renderNotice();
    this.renderResult();
  };

  Widget.prototype.formatDate = function (seconds) {
    if (typeof seconds !== 'number' || !isFinite(seconds)) return '?';
    try {
      return new Intl.DateTimeFormat(this.lang === 'zh' ? 'zh-CN' : 'en-GB', {
        year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC'
      }).format(new Date(seconds * 1000));
    } catch (e) {
      return '?';
    }
  };

  Widget.prototype.text = function (byLang) {
    if (!isObject(byLang)) return '';
    var value = byLang[this.lang] || byLang.en || byLang[Object.keys(byLang)[0]];
    return typeof value === 'string' ? value : '';
  };

  // ---- the notice -------------------------------------------------------------------------

  Widget.prototype.loadNotice = function () {
    var self = this;
    var org = encodeURIComponent(this.org);
    function shown(notice) {
      self.notice = notice;
      self.renderNotice();
    }
    ed25519Supported().then(function (supported) {
      if (!supported) return { state: 'unsupported' };
      return request(self.base + '/v1/orgs/' + org + '/notice', {}, READ_TIMEOUT_MS).then(function (notice) {
        // The keys as they stood when the service accepted the notice: a staff key may have
        // expired since without making the notice any less the organisation's.
        var at = isObject(notice.body) && typeof notice.body.accepted_at === 'string'
          ? '?as_of=' + encodeURIComponent(notice.body.accepted_at) : '';
        return Promise.all([
          request(self.base + '/v1/orgs/' + org + '/keys' + at, {}, READ_TIMEOUT_MS),
          request(self.base + '/v1/orgs/' + org, {}, READ_TIMEOUT_MS)
        ]).then(function (answers) {
          return verifyNotice(self.org, notice.body, answers[0].body, answers[1].body);
        });
      });
    }).then(shown, function (e) {
      if (e instanceof Problem && e.kind === 'refused') {
        shown({ state: e.status === 404 ? 'none' : 'refused' });
      } else if (e instanceof Problem) {
        shown({ state: 'unreachable' });
      } else {
        shown({ state: 'failed', reason: 'reason_malformed' });
      }
    }).catch(function () { /* rendering failed: leave the loading state */ });
  };

  function parseTime(text) {
    var ms = typeof text === 'string' ? Date.parse(text) : NaN;
    return isNaN(ms) ? null : Math.floor(ms / 1000);
  }

  /** Verifies a notice envelope against the organisation's keys and threshold. Resolves to the
   * notice state to show; only signatures that verify here make it "verified". */
  function verifyNotice(org, item, keys, profile) {
    function failed(reason) { return { state: 'failed', reason: reason }; }
    var envelope = isObject(item) ? item.envelope : null;
    if (!isObject(envelope) || typeof envelope.payload !== 'string' ||
        !Array.isArray(envelope.signatures) || envelope.signatures.length === 0 ||
        !isObject(keys) || !Array.isArray(keys.keys)) {
      return Promise.resolve(failed('reason_malformed'));
    }
    var threshold = isObject(profile) && isObject(profile.thresholds) &&
      typeof profile.thresholds.notice === 'number' ? Math.max(1, profile.thresholds.notice) : 1;
    var checks = envelope.signatures.map(function (signature) {
      var header;
      try {
        header = jsonOf(b64uToBytes(signature.protected));
      } catch (e) {
        return Promise.resolve({ ok: false, why: 'reason_malformed' });
      }
      if (!isObject(header) || ALGS.indexOf(header.alg) < 0 || header.typ !== STATEMENT_TYP ||
          typeof header.kid !== 'string') {
        return Promise.resolve({ ok: false, why: 'reason_malformed' });
      }
      var key = keys.keys.filter(function (k) {
        return isObject(k) && k.kid === header.kid && k.status === 'active' && k.kind === 'staff' &&
          Array.isArray(k.roles) && (k.roles.indexOf('notices') >= 0 || k.roles.indexOf('admin') >= 0);
      })[0];
      if (!key || key.kty !== 'OKP' || key.crv !== 'Ed25519' || typeof key.x !== 'string') {
        return Promise.resolve({ ok: false, why: 'reason_key' });
      }
      return verifyEd25519(key.x, signature.signature, signature.protected + '.' + envelope.payload)
        .then(function (ok) { return { ok: ok, kid: header.kid, why: ok ? null : 'reason_signature' }; });
    });
    return Promise.all(checks).then(function (results) {
      // As the service admits statements: every signature must be a valid one by a key of the
      // organisation allowed to sign notices. One that is not spoils the envelope: it was
      // altered, or is not what the organisation signed.
      var forged = results.filter(function (r) { return r.why === 'reason_signature'; })[0];
      var bad = forged || results.filter(function (r) { return !r.ok; })[0];
      if (bad) return failed(bad.why);
      var good = {};
      results.forEach(function (r) { good[r.kid] = true; });
      if (Object.keys(good).length < threshold) return failed('reason_threshold');
      var statement;
      try {
        statement = jsonOf(b64uToBytes(envelope.payload));
      } catch (e) {
        return failed('reason_malformed');
      }
      var now = Date.now() / 1000;
      var from = parseTime(statement.effective_from);
      var until = statement.effective_until === undefined ? null : parseTime(statement.effective_until);
      if (!isObject(statement) || statement.type !== 'notice' || statement.org !== org ||
          from === null || from > now + 300 || (until !== null && until <= now) ||
          !isObject(statement.title) || !isObject(statement.text)) {
        return failed('reason_content');
      }
      return {
        state: 'verified',
        statement: statement,
        from: from,
        names: isObject(profile) && isObject(profile.names) ? profile.names : { en: org },
        logIndex: item.log_index
      };
    });
  }

  Widget.prototype.renderNotice = function () {
    var n = this.notice;
    var body = this.noticeBody;
    while (body.firstChild) body.removeChild(body.firstChild);
    this.noticeBox.className = 'notice' + (n.state === 'verified' ? ' verified' : n.state === 'failed' ? ' failed' : '');
    this.noticeBox.setAttribute('data-state', n.state);
    if (n.state === 'verified') {
      this.noticeBadge.textContent = '✓ ' + this.t('notice_verified');
      body.appendChild(this.el('p', { class: 'notice-title' }, [this.text(n.statement.title)]));
      body.appendChild(this.el('p', { class: 'notice-text' }, [this.text(n.statement.text)]));
      body.appendChild(this.el('p', { class: 'meta' }, [this.t('notice_verified_detail', {
        org: this.text(n.names), date: this.formatDate(n.from)
      })]));
    } else if (n.state === 'failed') {
      this.noticeBadge.textContent = '✗ ' + this.t('notice_failed');
      body.appendChild(this.el('p', { class: 'meta' }, [this.t('notice_failed_detail', { reason: this.t(n.reason) })]));
    } else if (n.state === 'none') {
      this.noticeBadge.textContent = this.t('notice_none');
    } else if (n.state === 'unsupported') {
      this.noticeBadge.textContent = this.t('notice_unsupported');
    } else if (n.state === 'refused') {
      this.noticeBadge.textContent = this.t('notice_refused');
    } else if (n.state === 'unreachable') {
      this.noticeBadge.textContent = this.t('notice_unreachable');
    } else {
      this.noticeBadge.textContent = this.t('notice_loading');
    }
  };

  // ---- checks -----------------------------------------------------------------------------

  Widget.prototype.setBusy = function (busy) {
    this.busy = busy;
    // aria-disabled, not disabled: a disabled button loses the keyboard focus it had.
    this.checkButton.setAttribute('aria-disabled', busy ? 'true' : 'false');
    this.agreementButton.setAttribute('aria-disabled', busy ? 'true' : 'false');
    this.messageButton.setAttribute('aria-disabled', busy ? 'true' : 'false');
    this.panel.setAttribute('data-busy', busy ? 'true' : 'false');
  };

  Widget.prototype.show = function (result) {
    this.result = result;
    this.renderResult();
  };

  Widget.prototype.checkContact = function () {
    var self = this;
    if (this.busy) return;
    var query = { org: this.org };
    var given = 0;
    FIELDS.forEach(function (field) {
      var value = self.inputs[field].value.trim();
      if (value) {
        query[field] = value;
        given += 1;
      }
    });
    if (given === 0) {
      this.show({ kind: 'message', key: 'need_one' });
      this.inputs.name.focus();
      return;
    }
    var body = canonicalFlat(query);
    this.run('contact', null, function (onSlow) {
      return Promise.all([
        request(self.base + '/v1/checks/contact', {
          method: 'POST', headers: { 'Content-Type': 'application/json' }, body: body
        }, CHECK_TIMEOUT_MS, onSlow),
        sha256Hex(new TextEncoder().encode(body))
      ]);
    });
  };

  Widget.prototype.checkAgreement = function () {
    var self = this;
    if (this.busy) return;
    var file = this.fileInput.files && this.fileInput.files[0];
    if (!file) {
      this.show({ kind: 'message', key: 'need_file' });
      this.fileInput.focus();
      return;
    }
    if (file.size > MAX_UPLOAD_BYTES) {
      this.show({ kind: 'message', key: 'file_too_large' });
      return;
    }
    this.run('agreement', file.name, function (onSlow) {
      // Read once: the bytes hashed are the bytes sent, even if the file changes on disk.
      return file.arrayBuffer().then(function (bytes) {
        var form = new FormData();
        form.append('file', new Blob([bytes], { type: file.type || 'application/octet-stream' }), file.name);
        return Promise.all([
          request(self.base + '/v1/checks/agreement?org=' + encodeURIComponent(self.org), {
            method: 'POST', body: form
          }, UPLOAD_TIMEOUT_MS, onSlow),
          sha256Hex(bytes)
        ]);
      });
    });
  };

  Widget.prototype.checkMessage = function () {
    var self = this;
    if (this.busy) return;
    // Through UTF-8 and back: a lone surrogate becomes U+FFFD, so that the text sent is exactly
    // the bytes hashed here (JSON would carry it as an escape the service cannot read as text).
    var bytes = new TextEncoder().encode(this.messageInput.value);
    var text = new TextDecoder('utf-8').decode(bytes);
    if (!text.trim()) {
      this.show({ kind: 'message', key: 'need_message' });
      this.messageInput.focus();
      return;
    }
    if (bytes.length > MAX_MESSAGE_BYTES) {
      // Refused here, without sending: the service would refuse it too.
      this.show({ kind: 'message', key: 'message_too_large', params: { size: String(bytes.length) } });
      this.messageInput.focus();
      return;
    }
    var body = JSON.stringify({ org: this.org, text: text });
    this.run('message', null, function (onSlow) {
      return Promise.all([
        request(self.base + '/v1/checks/message', {
          method: 'POST', headers: { 'Content-Type': 'application/json' }, body: body
        }, CHECK_TIMEOUT_MS, onSlow),
        sha256Hex(bytes)
      ]);
    });
  };

  /** Sends a check and shows its verdict once verified: nothing unverified is ever shown as an
   * outcome. `send(onSlow)` resolves to [answer, hex SHA-256 the verdict must name]. */
  Widget.prototype.run = function (check, fileName, send) {
    var self = this;
    this.setBusy(true);
    this.show({ kind: 'message', key: 'checking' });
    ed25519Supported().then(function (supported) {
      if (!supported) {
        self.show({ kind: 'message', key: 'no_crypto', problem: true });
        return null;
      }
      return send(function () {
        if (self.busy) self.show({ kind: 'message', key: 'slow' });
      }).then(function (both) {
        return self.verifyVerdict(both[0].body, check).then(function (verdict) {
          if (!verdict || verdict.claims.subject_sha256 !== both[1]) {
            self.show({ kind: 'message', key: 'bad_verdict', problem: true });
            return;
          }
          verdict.fileName = fileName;
          self.show({ kind: 'verdict', verdict: verdict });
        });
      });
    }).catch(function (e) {
      if (e instanceof Problem && (e.kind === 'refused' || e.kind === 'unavailable')) {
        // A code may have words of its own for this kind of check (a message is not a file).
        var own = Object.prototype.hasOwnProperty;
        var key = own.call(STRINGS.en, 'code_' + check + '_' + e.code) ? 'code_' + check + '_' + e.code
          : own.call(STRINGS.en, 'code_' + e.code) ? 'code_' + e.code : 'code_other';
        self.show({
          kind: 'message', key: e.kind, problem: true, detail: e.message,
          params: { message: { key: key } }
        });
      } else if (e instanceof Problem) {
        self.show({ kind: 'message', key: e.kind === 'malformed' ? 'bad_verdict' : e.kind, problem: true });
      } else {
        self.show({ kind: 'message', key: 'bad_verdict', problem: true });
      }
    }).then(function () { self.setBusy(false); }, function () { self.setBusy(false); });
  };

  Widget.prototype.fetchJwks = function (force) {
    var self = this;
    if (this.jwks && !force) return Promise.resolve(this.jwks);
    return request(this.base + '/.well-known/jwks.json', {}, READ_TIMEOUT_MS).then(function (answer) {
      if (!isObject(answer.body) || !Array.isArray(answer.body.keys)) throw new Problem('malformed');
      self.jwks = answer.body;
      return self.jwks;
    });
  };

  /** Verifies a check answer's JWS against the service's key set. Resolves to { jws, claims,
   * kid } from the signed payload (never from the unsigned copy beside it), or null. */
  Widget.prototype.verifyVerdict = function (body, check) {
    var self = this;
    if (!isObject(body) || typeof body.verdict !== 'string') return Promise.resolve(null);
    var jws = body.verdict;
    var parts = jws.split('.');
    if (parts.length !== 3) return Promise.resolve(null);
    var header;
    var claims;
    try {
      header = jsonOf(b64uToBytes(parts[0]));
      claims = jsonOf(b64uToBytes(parts[1]));
    } catch (e) {
      return Promise.resolve(null);
    }
    if (!isObject(header) || ALGS.indexOf(header.alg) < 0 || header.typ !== VERDICT_TYP ||
        typeof header.kid !== 'string' || !isObject(claims)) {
      return Promise.resolve(null);
    }
    function find(jwks) {
      return jwks.keys.filter(function (k) {
        return isObject(k) && k.kid === header.kid && k.kty === 'OKP' && k.crv === 'Ed25519' &&
          typeof k.x === 'string';
      })[0];
    }
    return this.fetchJwks(false).then(function (jwks) {
      // A key rotated in since the set was fetched: fetch it again, once.
      return find(jwks) ? jwks : self.fetchJwks(true);
    }).then(function (jwks) {
      var key = find(jwks);
      if (!key) return null;
      return verifyEd25519(key.x, parts[2], parts[0] + '.' + parts[1]).then(function (ok) {
        var now = Date.now() / 1000;
        if (!ok || claims.org !== self.org || claims.check !== check ||
            typeof claims.exp !== 'number' || claims.exp < now ||
            !Array.isArray(claims.findings) || typeof claims.outcome !== 'string' ||
            typeof claims.subject_sha256 !== 'string') {
          return null;
        }
        return { jws: jws, claims: claims, kid: header.kid };
      });
    });
  };

  Widget.prototype.renderResult = function () {
    var self = this;
    var status = this.status;
    while (status.firstChild) status.removeChild(status.firstChild);
    if (this.downloadUrl) {
      URL.revokeObjectURL(this.downloadUrl);
      this.downloadUrl = null;
    }
    var r = this.result;
    status.className = 'result';
    status.removeAttribute('data-outcome');
    if (!r) return;
    if (r.kind === 'message') {
      if (r.problem) status.className = 'result problem';
      var params = {};
      Object.keys(r.params || {}).forEach(function (name) {
        var value = r.params[name];
        params[name] = isObject(value) ? self.t(value.key) : value;
      });
      status.appendChild(this.el('p', { class: 'message' }, [this.t(r.key, params)]));
      if (r.detail) {
        // The service's own words, in English: shown as a detail, marked as English.
        status.appendChild(this.el('p', { class: 'small detail' }, [
          this.t('detail') + ' ', this.el('span', { lang: 'en' }, [r.detail])
        ]));
      }
      return;
    }
    var claims = r.verdict.claims;
    var outcome = ['verified', 'not_authorised', 'fraud_risk', 'unknown'].indexOf(claims.outcome) >= 0
      ? claims.outcome : 'unknown';
    status.className = 'result ' + outcome;
    status.setAttribute('data-outcome', outcome);
    status.appendChild(this.el('p', { class: 'outcome' }, [this.t('outcome_' + outcome)]));
    status.appendChild(this.el('p', { class: 'advice' }, [this.t('advice_' + outcome)]));
    if (r.verdict.fileName) {
      status.appendChild(this.el('p', { class: 'small' }, [this.t('result_for_file', { file: r.verdict.fileName })]));
    }
    var list = this.el('ul', { class: 'findings', 'aria-label': this.t('findings') });
    claims.findings.forEach(function (f) {
      if (!isObject(f)) return;
      var item = self.el('li', { class: 'finding' });
      var result = typeof f.result === 'string' ? f.result : 'unknown';
      item.appendChild(self.el('span', { class: 'finding-result ' + result }, [
        self.t(typeof f.field === 'string' ? f.field : 'document') + ': ' + self.t('outcome_' + result)
      ]));
      if (typeof f.input === 'string' && f.input && f.field !== 'document' && f.field !== 'message') {
        var parts = self.t('you_gave', { input: '\u0000' }).split('\u0000');
        item.appendChild(self.el('div', { class: 'small' }, [
          parts[0], self.el('span', { class: 'input' }, [f.input]), parts[1] || ''
        ]));
      }
      item.appendChild(self.el('p', { class: 'finding-message' }, [self.text(f.message)]));
      if (typeof f.official === 'string' && f.official) {
        item.appendChild(self.el('p', { class: 'instead' }, [self.t('use_instead', { value: f.official })]));
      }
      if (typeof f.excerpt === 'string' && f.excerpt) {
        item.appendChild(self.el('blockquote', { class: 'excerpt' }, [f.excerpt]));
      }
      if (isObject(f.location)) {
        var page = typeof f.location.page === 'number' ? f.location.page : null;
        var paragraph = typeof f.location.paragraph === 'number' ? f.location.paragraph : null;
        var where = page !== null && paragraph !== null ? self.t('location', { page: page, paragraph: paragraph })
          : paragraph !== null ? self.t('location_paragraph', { paragraph: paragraph })
            : page !== null ? self.t('location_page', { page: page }) : '';
        if (where) item.appendChild(self.el('p', { class: 'small location' }, [where]));
      }
      list.appendChild(item);
    });
    status.appendChild(list);
    var log = isObject(claims.log) ? claims.log : {};
    status.appendChild(this.el('p', { class: 'small signed' }, [this.t('signed', {
      iss: String(claims.iss || ''), date: this.formatDate(claims.iat), kid: r.verdict.kid.slice(0, 8) + '…',
      size: typeof log.size === 'number' ? String(log.size) : '?'
    })]));
    this.downloadUrl = URL.createObjectURL(new Blob([r.verdict.jws], { type: 'application/jwt' }));
    var name = 'bonafide-verdict-' + String(claims.jti || 'check').replace(/[^A-Za-z0-9-]/g, '') + '.jwt';
    var link = this.el('a', { href: this.downloadUrl, download: name, class: 'download' }, [this.t('download')]);
    status.appendChild(this.el('p', null, [link]));
  };

  // ---- start ------------------------------------------------------------------------------

  var namespace;
  try {
    namespace = window.bonafide;
    if (!namespace || typeof namespace !== 'object' || !namespace.mounted) {
      namespace = { version: VERSION, mounted: new WeakSet(), widgets: [] };
      Object.defineProperty(window, 'bonafide', { value: namespace, writable: false, configurable: false, enumerable: false });
    }
  } catch (e) {
    // The host took the name: run without a namespace rather than break the host.
    namespace = { version: VERSION, mounted: new WeakSet(), widgets: [] };
  }

  function mount(script) {
    if (!script || namespace.mounted.has(script) || !script.getAttribute('data-org')) return;
    namespace.mounted.add(script);
    try {
      namespace.widgets.push(new Widget(script));
    } catch (e) {
      // Never an uncaught error in the host page; the widget is simply absent.
      if (window.console && console.warn) console.warn('bonafide widget: ' + e);
    }
  }

  function start() {
    var current = document.currentScript;
    if (current && current.getAttribute('data-org')) {
      mount(current);
      return;
    }
    // Loaded some other way: mount every tag of this script not yet mounted.
    var scripts = document.querySelectorAll('script[data-org][src]');
    for (var i = 0; i < scripts.length; i++) {
      if (/\/widget(\/[^/]+\/widget)?\.js(\?|#|$)/.test(scripts[i].src)) mount(scripts[i]);
    }
  }

  var script = document.currentScript;
  if (document.body) {
    start();
  } else {
    document.addEventListener('DOMContentLoaded', function () {
      if (script && script.getAttribute('data-org')) mount(script); else start();
    });
  }
})();
