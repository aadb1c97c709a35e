// End-to-end tests of the widget and the demo news page in headless Chromium (Debian's
// /usr/bin/chromium), driven by playwright-core. Run by tests/browser.rs, which starts the real
// `bonafide demo` servers and passes:
//   BONAFIDE_URL        a running demo service
//   BONAFIDE_DOWN_URL   a second demo service, which the "service down" test kills
//   BONAFIDE_DOWN_PID   its process id
//   WIDGET_TAG          the embedding tag exactly as the README publishes it (https://HOST/...)
//   ARTIFACTS           where screenshots and downloads go
//   FIXTURES            tests/fixtures
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE = need('BONAFIDE_URL');
const DOWN_URL = need('BONAFIDE_DOWN_URL');
const DOWN_PID = Number(need('BONAFIDE_DOWN_PID'));
const TAG = need('WIDGET_TAG');
const ARTIFACTS = need('ARTIFACTS');
const FIXTURES = need('FIXTURES');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

function need(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these tests through cargo test --test browser`);
  return value;
}

let browser;
let host; // a server on another origin, for host pages
let hostBase;
const hostPages = new Map();

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-quic', '--no-first-run', '--disable-sync'],
  });
  host = http.createServer((req, res) => {
    const page = hostPages.get(req.url);
    if (!page) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': page.type, ...(page.headers || {}) });
    res.end(page.body);
  });
  await new Promise((resolve) => host.listen(0, '127.0.0.1', resolve));
  hostBase = `http://127.0.0.1:${host.address().port}`;
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (host ? host.close(resolve) : resolve()));
});

/** A fresh context and page that records page errors, console errors, CSP violations and dialogs. */
async function open(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 }, acceptDownloads: true, ...options });
  const page = await context.newPage();
  const seen = { errors: [], console: [], dialogs: [] };
  page.on('pageerror', (e) => seen.errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') seen.console.push(m.text()); });
  page.on('dialog', async (d) => { seen.dialogs.push(d.message()); await d.dismiss(); });
  await page.addInitScript(() => {
    window.__violations = [];
    window.__globalsBefore = Object.getOwnPropertyNames(window);
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return { context, page, seen };
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

const widget = (page) => page.locator('bonafide-widget');
const status = (page) => widget(page).getByRole('status');

async function noticeState(page) {
  const box = widget(page).locator('.notice');
  await box.and(page.locator('[data-state="verified"], [data-state="failed"], [data-state="none"], [data-state="unreachable"]'))
    .waitFor({ timeout: 15000 });
  return box.getAttribute('data-state');
}

/** Fills the contact form with `fields` (by visible label), presses Check, waits for an answer. */
async function checkContact(page, fields) {
  for (const [label, value] of Object.entries(fields)) {
    await widget(page).getByLabel(label, { exact: true }).fill(value);
  }
  await widget(page).getByRole('button', { name: 'Check', exact: true }).click();
  await settled(page);
}

/** Waits until the status region holds an answer or a problem, not "Checking…". */
async function settled(page, timeout = 20000) {
  await page.waitForFunction(() => {
    const root = document.querySelector('bonafide-widget')?.shadowRoot;
    const region = root?.querySelector('[role="status"]');
    if (!region) return false;
    const busy = root.querySelector('.panel')?.getAttribute('data-busy') === 'true';
    return !busy && region.textContent.length > 0;
  }, null, { timeout });
}

async function assertNoXss(page, seen) {
  const flagged = await page.evaluate(() => window.__xss);
  assert.equal(flagged, undefined, 'a payload ran');
  assert.deepEqual(seen.dialogs, [], 'a payload opened a dialog');
  const injected = await page.evaluate(() => {
    const root = document.querySelector('bonafide-widget').shadowRoot;
    return root.querySelectorAll('img, svg, script, iframe, object, embed, [onerror], [onload], [onclick]').length;
  });
  assert.equal(injected, 0, 'the shadow root holds elements that came from input');
}

function b64u(text) {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function unb64u(text) {
  return Buffer.from(text, 'base64url').toString('utf8');
}

// ---- the demo news page and the notice ---------------------------------------------------

test('the demo news page shows the notice, verified, under its strict CSP', async () => {
  const { context, page, seen } = await open();
  const response = await page.goto(`${BASE}/`);
  const csp = response.headers()['content-security-policy'];
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.equal(await noticeState(page), 'verified');
  const box = widget(page).locator('.notice');
  await box.getByText('Verified notice').waitFor();
  assert.match(await box.innerText(), /Signed by International Union Construction Group; in force since \d{1,2} \w+ 20\d\d\./);
  assert.match(await box.innerText(), /no other individual or institution has the right to sign/);
  // The page's own copy of the notice and its article are there too.
  await page.getByRole('heading', { name: 'Group continues reform of its investment management' }).waitFor();
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(seen.errors, []);
  assert.deepEqual(seen.console, []);
  // One global name, no cookies.
  const added = await page.evaluate(() => Object.getOwnPropertyNames(window).filter((n) => !window.__globalsBefore.includes(n) && n !== '__violations' && n !== '__globalsBefore'));
  assert.deepEqual(added, ['bonafide']);
  assert.equal(await page.evaluate(() => document.cookie), '');
  assert.equal((await context.cookies()).length, 0);
  await shot(page, 'news-page');
  await context.close();
});

test('a tampered notice shows as failed, in red, and its text is not shown', async () => {
  const { context, page } = await open();
  await page.route('**/v1/orgs/iucg/notice', async (route) => {
    const response = await route.fetch();
    const item = await response.json();
    const statement = JSON.parse(unb64u(item.envelope.payload));
    statement.text.en = 'IUCG now charges a 5% guarantee fee, payable to account 6222 0000 9999.';
    item.envelope.payload = b64u(JSON.stringify(statement));
    await route.fulfill({ response, json: item });
  });
  await page.goto(`${BASE}/`);
  assert.equal(await noticeState(page), 'failed');
  const box = widget(page).locator('.notice');
  const text = await box.innerText();
  assert.match(text, /This notice failed verification/);
  assert.match(text, /a signature does not verify/);
  assert.doesNotMatch(text, /Verified notice|guarantee fee/);
  const colour = await box.locator('.badge').evaluate((e) => getComputedStyle(e).color);
  assert.equal(colour, 'rgb(164, 14, 38)', 'the failed state is red');
  await shot(page, 'notice-tampered');
  await context.close();
});

test('the notice shown is the signed payload, not the unsigned copy beside it', async () => {
  const { context, page } = await open();
  await page.route('**/v1/orgs/iucg/notice', async (route) => {
    const response = await route.fetch();
    const item = await response.json();
    item.statement.text.en = 'UNSIGNED TEXT';
    await route.fulfill({ response, json: item });
  });
  await page.goto(`${BASE}/`);
  assert.equal(await noticeState(page), 'verified');
  assert.doesNotMatch(await widget(page).locator('.notice').innerText(), /UNSIGNED TEXT/);
  await context.close();
});

test('a notice signed by a key that is not the organisation\'s shows as failed', async () => {
  const { context, page } = await open();
  await page.route('**/v1/orgs/iucg/keys*', async (route) => {
    const response = await route.fetch();
    const keys = await response.json();
    // Every staff key is reported revoked: no key that may sign notices is left.
    for (const key of keys.keys) if (key.kind === 'staff') key.status = 'revoked';
    await route.fulfill({ response, json: keys });
  });
  await page.goto(`${BASE}/`);
  assert.equal(await noticeState(page), 'failed');
  assert.match(await widget(page).locator('.notice').innerText(), /not signed by an active key/);
  await context.close();
});

test('a browser without WebCrypto Ed25519 says it cannot verify, neither green nor red', async () => {
  const { context, page, seen } = await open();
  await page.addInitScript(() => {
    const original = crypto.subtle.importKey.bind(crypto.subtle);
    crypto.subtle.importKey = (format, key, algorithm, ...rest) =>
      (algorithm === 'Ed25519' || algorithm?.name === 'Ed25519')
        ? Promise.reject(new DOMException('Unrecognized name.', 'NotSupportedError'))
        : original(format, key, algorithm, ...rest);
  });
  await page.goto(`${BASE}/`);
  const box = widget(page).locator('.notice');
  await box.and(page.locator('[data-state="unsupported"]')).waitFor();
  assert.match(await box.innerText(), /This browser cannot verify signatures/);
  await checkContact(page, { Name: 'Wang Jianguo' });
  assert.equal(await status(page).getAttribute('data-outcome'), null);
  assert.match(await status(page).innerText(), /cannot verify the service.s signed answers/);
  assert.deepEqual(seen.errors, []);
  await context.close();
});

test('a refused request for the keys is not reported as "no notice"', async () => {
  const { context, page } = await open();
  await page.route('**/v1/orgs/iucg/keys*', (route) => route.fulfill({
    status: 429, contentType: 'application/json', headers: { 'access-control-allow-origin': '*' },
    json: { error: { code: 'rate_limited', message: 'slow down' } },
  }));
  await page.goto(`${BASE}/`);
  const box = widget(page).locator('.notice');
  await box.and(page.locator('[data-state="refused"]')).waitFor();
  assert.doesNotMatch(await box.innerText(), /no notice in force/);
  await context.close();
});

test('markup in a signed notice is shown as text and runs nothing', async () => {
  // tests/browser.rs registered this notice on the second service, signed by its staff key.
  const { context, page, seen } = await open();
  await page.goto(`${DOWN_URL}/`);
  assert.equal(await noticeState(page), 'verified');
  const box = widget(page).locator('.notice');
  assert.equal(await box.locator('.notice-title').innerText(), '<img src=x onerror="window.__xss=1"> Notice');
  assert.match(await box.locator('.notice-text').innerText(), /<\/p><script>window.__xss=1<\/script> Be careful\./);
  await assertNoXss(page, seen);
  await shot(page, 'notice-markup');
  await context.close();
});

// ---- contact checks ----------------------------------------------------------------------

const OUTCOMES = [
  { name: 'verified', fields: { Name: 'Wang Jianguo' }, words: 'Verified', colour: 'rgb(17, 99, 41)' },
  { name: 'not_authorised', fields: { Name: 'Zhang Wei' }, words: 'Not authorised', colour: 'rgb(149, 56, 0)' },
  { name: 'fraud_risk', fields: { Phone: '+86 170 0000 1234' }, words: 'Fraud risk', colour: 'rgb(164, 14, 38)' },
  { name: 'unknown', fields: { Email: 'someone@gmail.com' }, words: 'Unknown', colour: 'rgb(66, 74, 83)' },
];

for (const outcome of OUTCOMES) {
  test(`a contact check through the form: ${outcome.name}`, async () => {
    const { context, page, seen } = await open();
    await page.goto(`${BASE}/`);
    await noticeState(page);
    await checkContact(page, outcome.fields);
    const region = status(page);
    assert.equal(await region.getAttribute('data-outcome'), outcome.name);
    assert.equal(await region.locator('.outcome').innerText(), outcome.words);
    assert.equal(await region.locator('.outcome').evaluate((e) => getComputedStyle(e).color), outcome.colour);
    assert.ok(await region.locator('.finding-message').count() >= 1, 'each finding in plain language');
    assert.match(await region.innerText(), /Signature verified/);
    assert.deepEqual(seen.errors, []);
    await shot(page, `contact-${outcome.name}`);
    await context.close();
  });
}

test('a near miss names the official channel to use instead', async () => {
  const { context, page } = await open();
  await page.goto(`${BASE}/`);
  await checkContact(page, { Website: 'iucg-invest.com' });
  const region = status(page);
  assert.equal(await region.getAttribute('data-outcome'), 'fraud_risk');
  assert.equal(await region.locator('.instead').innerText(), 'Use instead: iucg.example');
  await shot(page, 'contact-near-miss');
  await context.close();
});

test('the verdict is verified in the page and offered for download', async () => {
  const { context, page } = await open();
  await page.goto(`${BASE}/`);
  const answer = page.waitForResponse('**/v1/checks/contact');
  await checkContact(page, { Name: 'Wang Jianguo', Phone: '+86 170 0000 1234' });
  const { verdict } = await (await answer).json();
  const link = status(page).getByRole('link', { name: 'Download the signed verdict' });
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.match(download.suggestedFilename(), /^bonafide-verdict-[0-9a-f-]+\.jwt$/);
  const saved = path.join(ARTIFACTS, 'verdict.jwt');
  await download.saveAs(saved);
  assert.equal(fs.readFileSync(saved, 'utf8'), verdict, 'the download is the signed verdict, byte for byte');
  await context.close();
});

test('a verdict whose signature does not verify is not shown', async () => {
  const { context, page } = await open();
  await page.route('**/v1/checks/contact', async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    const [header, payload, signature] = body.verdict.split('.');
    const claims = JSON.parse(unb64u(payload));
    claims.outcome = 'verified';
    for (const f of claims.findings) f.result = 'verified';
    body.verdict = [header, b64u(JSON.stringify(claims)), signature].join('.');
    body.claims = claims;
    await route.fulfill({ response, json: body });
  });
  await page.goto(`${BASE}/`);
  await checkContact(page, { Phone: '+86 170 0000 1234' });
  const region = status(page);
  assert.equal(await region.getAttribute('data-outcome'), null);
  assert.match(await region.innerText(), /signature did not verify, so it is not shown/);
  assert.doesNotMatch(await region.innerText(), /Verified/);
  await shot(page, 'verdict-tampered');
  await context.close();
});

test('the outcome shown comes from the signed verdict, not the unsigned claims beside it', async () => {
  const { context, page } = await open();
  await page.route('**/v1/checks/contact', async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    body.claims.outcome = 'verified';
    await route.fulfill({ response, json: body });
  });
  await page.goto(`${BASE}/`);
  await checkContact(page, { Phone: '+86 170 0000 1234' });
  assert.equal(await status(page).getAttribute('data-outcome'), 'fraud_risk');
  await context.close();
});

test('a verdict about another request is not shown', async () => {
  const { context, page } = await open();
  // A genuine, signed verdict, but for a different contact than the one the visitor typed.
  const other = await (await fetch(`${BASE}/v1/checks/contact`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ org: 'iucg', name: 'Wang Jianguo' }),
  })).json();
  await page.route('**/v1/checks/contact', (route) => route.fulfill({
    status: 200, contentType: 'application/json', headers: { 'access-control-allow-origin': '*' }, json: other,
  }));
  await page.goto(`${BASE}/`);
  await checkContact(page, { Name: 'Zhang Wei' });
  assert.equal(await status(page).getAttribute('data-outcome'), null);
  assert.match(await status(page).innerText(), /signature did not verify|not shown/);
  await context.close();
});

// ---- agreements --------------------------------------------------------------------------

async function upload(page, file) {
  await widget(page).getByLabel('Agreement file').setInputFiles(file);
  await widget(page).getByRole('button', { name: 'Check agreement' }).click();
  await settled(page, 30000);
}

test('an agreement upload shows findings with their excerpts', async () => {
  const { context, page, seen } = await open();
  await page.goto(`${BASE}/`);
  await upload(page, path.join(FIXTURES, 'agreements', 'fake_notarisation_en.pdf'));
  const region = status(page);
  assert.equal(await region.getAttribute('data-outcome'), 'fraud_risk');
  assert.ok(await region.locator('blockquote.excerpt').count() >= 1, 'an excerpt is shown');
  assert.match(await region.locator('blockquote.excerpt').first().innerText(), /\S/);
  assert.match(await region.innerText(), /Page \d+, paragraph \d+/);
  assert.match(await region.innerText(), /File: fake_notarisation_en\.pdf/);
  assert.deepEqual(seen.errors, []);
  await shot(page, 'agreement-fraud');
  await context.close();
});

test('a DOCX upload and the genuine agreement', async () => {
  const { context, page } = await open();
  await page.goto(`${BASE}/`);
  await upload(page, path.join(FIXTURES, 'agreements', 'fake_unfreezing_fee_zh.docx'));
  assert.equal(await status(page).getAttribute('data-outcome'), 'fraud_risk');
  await upload(page, path.join(FIXTURES, 'agreements', 'genuine.txt'));
  assert.equal(await status(page).getAttribute('data-outcome'), 'verified');
  await shot(page, 'agreement-genuine');
  await context.close();
});

test('an upload the service cannot read gets a clear message', async () => {
  const { context, page } = await open();
  await page.goto(`${BASE}/`);
  await upload(page, { name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex') });
  assert.equal(await status(page).getAttribute('data-outcome'), null);
  assert.match(await status(page).innerText(), /The check could not be made: .+/);
  await context.close();
});

// ---- messages ----------------------------------------------------------------------------

// A chat message of the kind issue 13 is about: a "manager" asks for an unfreezing fee (解冻费) to
// a personal account before the investment is released.
const SCAM_MESSAGE_ZH = '您好，我是国际联合建设集团投资部王经理。您的投资款已通过审核，但账户目前处于冻结状态。' +
  '请在今天下午5点前支付解冻费人民币28,000元至财务人员个人账户 6222 0000 1111 2222（户名：刘芳），' +
  '否则首期投资款将被退回。';

/** Pastes `text` into the message box, presses Check message, waits for an answer. */
async function checkMessage(page, text) {
  await widget(page).getByLabel('Message text', { exact: true }).fill(text);
  await widget(page).getByRole('button', { name: 'Check message', exact: true }).click();
  await settled(page);
}

/** Records the message checks the page sends. */
function messageRequests(page) {
  const sent = [];
  page.on('request', (r) => { if (r.url().includes('/v1/checks/message')) sent.push(r); });
  return sent;
}

test('a pasted Chinese message asking for an unfreezing fee is a fraud risk with a fee finding', async () => {
  const { context, page, seen } = await open();
  await page.goto(`${BASE}/`);
  await noticeState(page);
  const answer = page.waitForResponse('**/v1/checks/message');
  await checkMessage(page, SCAM_MESSAGE_ZH);
  const response = await answer;
  assert.equal(response.status(), 200);
  assert.deepEqual(response.request().postDataJSON(), { org: 'iucg', text: SCAM_MESSAGE_ZH });
  const region = status(page);
  assert.equal(await region.getAttribute('data-outcome'), 'fraud_risk');
  assert.equal(await region.locator('.outcome').innerText(), 'Fraud risk');
  const results = await region.locator('.finding-result').allInnerTexts();
  assert.equal(results[0], 'Message: Unknown', `the message itself is never verified: ${results}`);
  assert.ok(results.includes('Fee: Fraud risk'), `a fee finding: ${results}`);
  // The practices the organisation never follows: a personal account, a frozen account.
  assert.ok(results.includes('Request: Fraud risk'), `a practice finding: ${results}`);
  const practices = region.locator('li.finding').filter({ has: page.locator('.finding-result', { hasText: 'Request: Fraud risk' }) });
  const said = await practices.locator('.finding-message').allInnerTexts();
  assert.ok(said.some((m) => m.includes('personal account') && m.includes('never')), `the practice is explained: ${said}`);
  // The fee is named (as the rules read it) and quoted from the message.
  const fees = region.locator('li.finding').filter({ has: page.locator('.finding-result', { hasText: 'Fee: Fraud risk' }) });
  const named = await fees.locator('.input').allInnerTexts();
  assert.ok(named.some((n) => n.includes('解冻费')), `the unfreezing fee is a finding: ${named}`);
  const quoted = await fees.locator('blockquote.excerpt').allInnerTexts();
  assert.ok(quoted.length >= 1 && quoted.every((q) => q.includes('解冻费')), `the fee is quoted: ${quoted}`);
  assert.match(await region.innerText(), /Signature verified/);
  // The same verdict in Chinese.
  await widget(page).getByRole('button', { name: '中文' }).click();
  assert.equal(await region.locator('.outcome').innerText(), '诈骗风险');
  assert.ok((await region.locator('.finding-result').allInnerTexts()).includes('费用: 诈骗风险'));
  assert.ok((await region.locator('.finding-result').allInnerTexts()).includes('要求: 诈骗风险'));
  const saidZh = await region.locator('.finding-message').allInnerTexts();
  assert.ok(saidZh.some((m) => m.includes('本单位声明从不如此')), `the practice in Chinese: ${saidZh}`);
  await widget(page).getByLabel('消息内容', { exact: true }).waitFor();
  await widget(page).getByRole('button', { name: '核验消息', exact: true }).waitFor();
  await shot(page, 'message-fraud');
  assert.deepEqual(seen.errors, []);
  await context.close();
});

test('a message over 64 KiB of UTF-8 is refused in the page, without sending; an empty one too', async () => {
  const { context, page, seen } = await open();
  await page.goto(`${BASE}/`);
  await noticeState(page);
  const sent = messageRequests(page);
  // 21,846 Chinese characters: 65,538 bytes of UTF-8, though only 21,846 characters long.
  await checkMessage(page, '冻'.repeat(21846));
  assert.equal(await status(page).getAttribute('data-outcome'), null);
  assert.match(await status(page).innerText(), /The message is longer than 64 KB \(65538 bytes\), so it was not sent/);
  await checkMessage(page, ' \n\t ');
  assert.match(await status(page).innerText(), /Paste the message first/);
  assert.equal(sent.length, 0, 'nothing was sent');
  // Exactly 64 KiB is checked, and a message is at best unknown.
  await checkMessage(page, 'a'.repeat(65536));
  assert.equal(sent.length, 1);
  assert.equal(await status(page).getAttribute('data-outcome'), 'unknown');
  assert.deepEqual(seen.errors, []);
  await context.close();
});

test('markup in a pasted message is shown as text and runs nothing', async () => {
  const { context, page, seen } = await open();
  await page.goto(`${BASE}/`);
  await noticeState(page);
  await checkMessage(page, '<img src=x onerror="window.__xss=1"> 请支付保证金50,000元 <script>window.__xss=1</script> 至账户 6222 0000 1111 2222。');
  assert.equal(await status(page).getAttribute('data-outcome'), 'fraud_risk');
  assert.match(await status(page).locator('blockquote.excerpt').first().innerText(), /<script>|<img|保证金/);
  await assertNoXss(page, seen);
  await context.close();
});

// ---- hostile input and hostile hosts -----------------------------------------------------

const PAYLOADS = [
  '<img src=x onerror="window.__xss=1;alert(1)">',
  '"><svg onload="window.__xss=1">',
  '</p><script>window.__xss=1</script>',
  'javascript:window.__xss=1',
  '{{constructor.constructor("window.__xss=1")()}}',
];

test('XSS payloads in every field appear as text and execute nothing', async () => {
  const { context, page, seen } = await open();
  await page.goto(`${BASE}/`);
  await noticeState(page);
  for (const label of ['Name', 'Phone', 'Email', 'Website', 'Bank account']) {
    for (const payload of PAYLOADS) {
      for (const other of ['Name', 'Phone', 'Email', 'Website', 'Bank account']) {
        await widget(page).getByLabel(other, { exact: true }).fill('');
      }
      await checkContact(page, { [label]: payload });
      const region = status(page);
      if (await region.getAttribute('data-outcome')) {
        // A finding echoes the input as the service normalised it, as text.
        assert.ok(await region.locator('.input').count() >= 1, `${label}: no input echoed`);
      } else {
        // A refusal quotes the input in the service's message (with its quotes escaped), except
        // for a bank account, whose refusal names only the rule broken.
        const detail = await region.locator('.detail').innerText();
        const quoted = payload.replaceAll('"', '\\"');
        if (label !== 'Bank account') {
          assert.ok(detail.includes(payload) || detail.includes(quoted), `${label}: ${detail}`);
        }
      }
      await assertNoXss(page, seen);
    }
  }
  // A refused phone number is quoted back by the service: the markup is visible as characters.
  for (const other of ['Name', 'Email', 'Website', 'Bank account']) await widget(page).getByLabel(other, { exact: true }).fill('');
  await checkContact(page, { Phone: PAYLOADS[0] });
  assert.match(await status(page).innerText(), /phone: "<img src=x onerror=.*window\.__xss=1;alert\(1\).*>" is not a phone number/);
  // A file name and a document's text are shown as text too.
  const hostile = '<img src=x onerror="window.__xss=1">\nParty B shall pay a deposit of 50,000 yuan <script>window.__xss=1</script> to account 6222 0000 1111 2222.\n';
  await upload(page, { name: '<img src=x onerror=window.__xss=1>.txt', mimeType: 'text/plain', buffer: Buffer.from(hostile) });
  assert.match(await status(page).innerText(), /File: <img src=x onerror=window.__xss=1>\.txt/);
  await assertNoXss(page, seen);
  assert.deepEqual(seen.errors, []);
  await shot(page, 'xss');
  await context.close();
});

const HOSTILE_CSS = `
* { all: unset !important; font-size: 3px !important; color: #f0f !important; letter-spacing: 9px !important; }
html, body { display: block !important; background: #000 !important; }
div, section, form, input, button, bonafide-widget { display: none !important; }
bonafide-widget { position: fixed !important; top: -9999px !important; opacity: 0 !important; transform: scale(0) !important; }
bonafide-widget::before { content: "HACKED" !important; display: block !important; }
p { display: block !important; }
`;

test('a host page with hostile CSS and a strict CSP shows the widget intact, with no CSP violation', async () => {
  const tag = TAG.replace('https://HOST', BASE);
  hostPages.set('/hostile.css', { type: 'text/css', body: HOSTILE_CSS });
  hostPages.set('/hostile.html', {
    type: 'text/html; charset=utf-8',
    headers: {
      'Content-Security-Policy': `default-src 'none'; script-src ${BASE}; connect-src ${BASE}; style-src 'self'; base-uri 'none'; form-action 'none'`,
    },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Hostile host</title>
<link rel="stylesheet" href="/hostile.css"></head><body><p id="host-text">The host's own text.</p>
${tag}<div id="after">The host's own box.</div></body></html>`,
  });
  const { context, page, seen } = await open();
  await page.goto(`${hostBase}/hostile.html`);
  assert.equal(await noticeState(page), 'verified');
  const box = await widget(page).boundingBox();
  assert.ok(box && box.width > 300 && box.height > 300, `the widget is laid out (${JSON.stringify(box)})`);
  assert.ok(box.y >= 0, 'the widget stays in the page');
  const panel = widget(page).locator('.panel');
  assert.equal(await panel.evaluate((e) => getComputedStyle(e).fontSize), '16px');
  assert.equal(await panel.evaluate((e) => getComputedStyle(e).letterSpacing), 'normal');
  assert.equal(await widget(page).evaluate((e) => getComputedStyle(e, '::before').content), 'none');
  // Nothing inside follows the host's root font size (3px here).
  const sizes = await page.evaluate(() => [...document.querySelector('bonafide-widget').shadowRoot
    .querySelectorAll('p, label, legend, button, input, span, li')].map((e) => parseFloat(getComputedStyle(e).fontSize)));
  assert.ok(Math.min(...sizes) >= 12, `text as small as ${Math.min(...sizes)}px`);
  await checkContact(page, { Phone: '+86 170 0000 1234' });
  assert.equal(await status(page).getAttribute('data-outcome'), 'fraud_risk');
  assert.equal(await status(page).locator('.outcome').evaluate((e) => getComputedStyle(e).fontSize), '20px');
  assert.deepEqual(await page.evaluate(() => window.__violations), [], 'CSP violations');
  assert.deepEqual(seen.console.filter((m) => /Content Security Policy|Refused/.test(m)), []);
  assert.deepEqual(seen.errors, []);
  // The widget did not change the host: its text is still the host's own.
  assert.equal(await page.locator('#host-text').innerText(), "The host's own text.");
  await shot(page, 'hostile-host');
  await context.close();
});

test('the published tag carries the served script\'s integrity', async () => {
  const integrity = /integrity="([^"]+)"/.exec(TAG)?.[1];
  assert.ok(integrity, 'the README tag has an integrity attribute');
  const src = /src="https:\/\/HOST([^"]+)"/.exec(TAG)?.[1];
  const response = await fetch(`${BASE}${src}`, { headers: { Origin: 'https://news.example' } });
  assert.equal(response.headers.get('bonafide-widget-integrity'), integrity);
  assert.equal(response.headers.get('access-control-allow-origin'), '*');
  assert.match(response.headers.get('cache-control'), /max-age=\d+/);
});

// ---- languages ---------------------------------------------------------------------------

test('every UI string exists in English and Chinese', async () => {
  const source = await (await fetch(`${BASE}/widget.js`)).text();
  const block = /var STRINGS = (\{[\s\S]*?\n {2}\});/.exec(source)?.[1];
  assert.ok(block, 'the string table is found');
  const strings = Function(`return ${block}`)();
  assert.deepEqual(Object.keys(strings.zh).sort(), Object.keys(strings.en).sort());
  for (const [key, value] of Object.entries(strings.zh)) {
    assert.notEqual(value, strings.en[key], `zh.${key} is not translated`);
  }
});

test('the language comes from data-lang, else the host page, and can be switched', async () => {
  const tag = TAG.replace('https://HOST', BASE);
  hostPages.set('/zh.html', {
    type: 'text/html; charset=utf-8',
    body: `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>zh</title></head><body>${tag}</body></html>`,
  });
  hostPages.set('/forced-en.html', {
    type: 'text/html; charset=utf-8',
    body: `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>en</title></head><body>${tag.replace('data-org=', 'data-lang="en" data-org=')}</body></html>`,
  });
  const { context, page } = await open();
  await page.goto(`${hostBase}/zh.html`);
  await noticeState(page);
  await widget(page).getByText('已验证的声明').waitFor();
  await widget(page).getByLabel('姓名').fill('Wang Jianguo');
  await widget(page).getByLabel('网站').fill('iucg-invest.com');
  await widget(page).getByRole('button', { name: '核验', exact: true }).click();
  await settled(page);
  assert.equal(await status(page).locator('.outcome').innerText(), '诈骗风险');
  assert.match(await status(page).innerText(), /请改用：iucg\.example/);
  await shot(page, 'language-zh');
  // Switch: labels, the notice and the answer change language.
  await widget(page).getByRole('button', { name: 'English' }).click();
  assert.equal(await status(page).locator('.outcome').innerText(), 'Fraud risk');
  await widget(page).getByLabel('Name', { exact: true }).waitFor();
  await widget(page).getByText('Verified notice').waitFor();
  assert.equal(await widget(page).getByRole('button', { name: 'English' }).getAttribute('aria-pressed'), 'true');
  await page.goto(`${hostBase}/forced-en.html`);
  await widget(page).getByText('Check a contact').waitFor();
  await context.close();
});

// ---- accessibility and small screens -----------------------------------------------------

test('every field is labelled and the form works from the keyboard alone', async () => {
  const { context, page } = await open();
  await page.goto(`${BASE}/`);
  await noticeState(page);
  const unlabelled = await page.evaluate(() => {
    const root = document.querySelector('bonafide-widget').shadowRoot;
    return [...root.querySelectorAll('input, textarea, button')].filter((e) =>
      e.tagName === 'BUTTON' ? !e.textContent.trim() : e.labels.length === 0).length;
  });
  assert.equal(unlabelled, 0);
  // Tab in from the host page: the language buttons come first, then the fields.
  const focusedIn = () => page.evaluate(() => {
    const root = document.querySelector('bonafide-widget').shadowRoot;
    const e = root.activeElement;
    return e ? (e.getAttribute('name') || e.textContent) : null;
  });
  let steps = 0;
  while ((await focusedIn()) !== 'English' && steps < 30) {
    await page.keyboard.press('Tab');
    steps += 1;
  }
  assert.equal(await focusedIn(), 'English', 'the widget is reachable with Tab');
  await page.keyboard.press('Tab');
  assert.equal(await focusedIn(), '中文');
  await page.keyboard.press('Tab');
  assert.equal(await focusedIn(), 'name');
  await page.keyboard.type('Zhang Wei');
  await page.keyboard.press('Tab'); // Phone
  await page.keyboard.press('Tab'); // Email
  await page.keyboard.type('someone@gmail.com');
  await page.keyboard.press('Tab'); // Website
  await page.keyboard.press('Tab'); // Bank account
  await page.keyboard.press('Tab'); // Check
  const focused = await page.evaluate(() => document.querySelector('bonafide-widget').shadowRoot.activeElement?.textContent);
  assert.equal(focused, 'Check');
  await page.keyboard.press('Enter');
  await settled(page);
  assert.equal(await status(page).getAttribute('data-outcome'), 'not_authorised');
  // Focus stays on the button; the file input and its button, the message box and its button,
  // then the download link follow.
  assert.equal(await focusedIn(), 'Check');
  await page.keyboard.press('Tab');
  assert.equal(await focusedIn(), 'file');
  await page.keyboard.press('Tab');
  assert.equal(await focusedIn(), 'Check agreement');
  await page.keyboard.press('Tab');
  assert.equal(await focusedIn(), 'message');
  await page.keyboard.press('Tab');
  assert.equal(await focusedIn(), 'Check message');
  await page.keyboard.press('Tab');
  assert.equal(await focusedIn(), 'Download the signed verdict');
  // Enter in a field submits too.
  await widget(page).getByLabel('Name', { exact: true }).fill('Wang Jianguo');
  await widget(page).getByLabel('Email', { exact: true }).fill('');
  await widget(page).getByLabel('Name', { exact: true }).press('Enter');
  await page.waitForFunction(() => document.querySelector('bonafide-widget').shadowRoot
    .querySelector('[role=status]').getAttribute('data-outcome') === 'verified');
  await context.close();
});

for (const [name, viewport, scale] of [['phone', { width: 360, height: 780 }, 3], ['zoom-200', { width: 640, height: 900 }, 2]]) {
  test(`readable on a ${name} screen without sideways scrolling`, async () => {
    const { context, page } = await open({ viewport, deviceScaleFactor: scale, isMobile: name === 'phone', hasTouch: name === 'phone' });
    await page.goto(`${BASE}/`);
    await noticeState(page);
    await checkContact(page, { Website: 'iucg-invest.com', Name: 'Wang Jianguo' });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
    // Nothing inside the widget is cut off or wider than its box either.
    const clipped = await page.evaluate(() => [...document.querySelector('bonafide-widget').shadowRoot
      .querySelectorAll('*')].filter((e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible'
        || e.getBoundingClientRect().right > window.innerWidth + 0.5).map((e) => e.className || e.tagName));
    assert.deepEqual(clipped, []);
    const box = await widget(page).boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= viewport.width, `the widget fits (${JSON.stringify(box)})`);
    await widget(page).screenshot({ path: path.join(ARTIFACTS, `screen-${name}.png`) });
    await context.close();
  });
}

// ---- a slow or absent service ------------------------------------------------------------

test('a slow service is reported within a few seconds, then given up on', async () => {
  const { context, page } = await open();
  await page.route('**/v1/checks/contact', () => { /* never answered */ });
  await page.goto(`${BASE}/`);
  await noticeState(page);
  await widget(page).getByLabel('Name', { exact: true }).fill('Wang Jianguo');
  const started = Date.now();
  await widget(page).getByRole('button', { name: 'Check', exact: true }).click();
  await status(page).getByText('slow to answer').waitFor({ timeout: 5000 });
  assert.ok(Date.now() - started < 5000);
  await status(page).getByText('did not answer in time').waitFor({ timeout: 20000 });
  await shot(page, 'service-slow');
  await context.close();
});

test('the service down gives a clear message, and the host page is unaffected', async () => {
  const { context, page, seen } = await open();
  await page.goto(`${DOWN_URL}/`);
  assert.equal(await noticeState(page), 'verified');
  process.kill(DOWN_PID, 'SIGKILL');
  await widget(page).getByLabel('Name', { exact: true }).fill('Wang Jianguo');
  const started = Date.now();
  await widget(page).getByRole('button', { name: 'Check', exact: true }).click();
  await status(page).getByText('cannot be reached right now').waitFor({ timeout: 5000 });
  assert.ok(Date.now() - started < 5000);
  assert.equal(await status(page).getAttribute('data-outcome'), null);
  await page.getByRole('heading', { name: 'Group continues reform of its investment management' }).waitFor();
  assert.deepEqual(seen.errors, []);
  await shot(page, 'service-down');
  // A host page whose widget cannot even load keeps working, with no error of its own.
  hostPages.set('/down.html', {
    type: 'text/html; charset=utf-8',
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>down</title></head><body><p id="host-text">Host content.</p>${TAG.replace('https://HOST', DOWN_URL)}</body></html>`,
  });
  const second = await open();
  await second.page.goto(`${hostBase}/down.html`, { waitUntil: 'networkidle' });
  assert.equal(await second.page.locator('#host-text').innerText(), 'Host content.');
  assert.equal(await second.page.locator('bonafide-widget').count(), 0);
  assert.deepEqual(second.seen.errors, []);
  await second.context.close();
  await context.close();
});
