// The pages on a phone: a real `tnw serve --demo` over a SQLite file, in Debian's
// headless Chromium 360 px wide. No page may scroll sideways (a wide table scrolls
// inside itself), the header stays a few rows high, and the member's page speaks to
// the member. Screenshots go to e2e/artifacts/phone/.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = process.env.TNW_BIN || path.resolve(here, '../../target/debug/tnw');
const PW = 'e2e-password-1';
const ART = path.resolve(here, '../artifacts/phone');
const WIDTH = 360;

let BASE;
let server;
let browser;
let dir;

async function up() {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tnw-e2e-phone-'));
  fs.mkdirSync(ART, { recursive: true });
  const port = 20000 + Math.floor(Math.random() * 2000);
  BASE = `http://127.0.0.1:${port}`;
  server = spawn(BIN, [
    '--db', path.join(dir, 'tnw.db'), 'serve', '--demo', '--demo-password', PW,
    '--demo-cases', '150', '--addr', `127.0.0.1:${port}`, '--insecure-cookies', '--today', '2026-11-20',
  ], { stdio: ['ignore', 'ignore', 'inherit'] });
  let ok = false;
  for (let i = 0; i < 600 && !ok; i++) {
    try { ok = (await fetch(`${BASE}/healthz`)).ok; } catch { /* not yet */ }
    if (!ok) await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(ok, 'the server came up');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

async function down() {
  await browser?.close();
  if (server?.exitCode === null && server.signalCode === null) {
    const exited = once(server, 'exit');
    server.kill('SIGTERM');
    await exited;
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  browser = server = dir = undefined;
}

// A phone-sized session of `user`: the page after signing in.
async function phone(user) {
  const context = await browser.newContext({
    viewport: { width: WIDTH, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'nl-BE',
  });
  const page = await context.newPage();
  await page.goto(`${BASE}/login`);
  await page.fill('#username', user);
  await page.fill('#password', PW);
  await Promise.all([page.waitForNavigation(), page.click('#login')]);
  return { context, page };
}

// What makes a page wider than the screen, if anything.
const measure = (page) => page.evaluate((width) => {
  const doc = document.documentElement;
  const header = document.querySelector('body > header');
  // Elements sticking out on the right, outside any container that scrolls them.
  const scrolls = (e) => { for (let p = e.parentElement; p; p = p.parentElement) { if (getComputedStyle(p).overflowX !== 'visible' && p !== doc && p !== document.body) return true; } return false; };
  const wide = [...document.body.querySelectorAll('*')]
    .filter((e) => e.getBoundingClientRect().right > width + 0.5 && !scrolls(e))
    .slice(0, 5)
    .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className && typeof e.className === 'string' ? `.${e.className}` : ''}`);
  // Header items that broke into several lines.
  const broken = header ? [...header.querySelectorAll('a, button, .who')]
    .filter((e) => e.getClientRects().length > 1 || e.getBoundingClientRect().height > 40)
    .map((e) => e.textContent.trim()) : [];
  return { scrollWidth: doc.scrollWidth, header: header ? header.getBoundingClientRect().height : 0, wide, broken };
}, WIDTH);

// Visits each path and checks the layout; returns how many pages it saw.
async function check(page, name, paths) {
  for (const p of paths) {
    const response = await page.goto(`${BASE}${p}`);
    assert.equal(response.status(), 200, `${name} ${p}`);
    const m = await measure(page);
    await page.screenshot({ path: path.join(ART, `${name}${p.replace(/[^a-z0-9]+/gi, '-')}.png`), fullPage: true });
    assert.ok(m.scrollWidth <= WIDTH, `${name} ${p}: ${m.scrollWidth}px wide, because of ${m.wide.join(', ')}`);
    assert.ok(m.header <= 130, `${name} ${p}: the header is ${m.header}px high`);
    assert.deepEqual(m.broken, [], `${name} ${p}: header items broken over lines`);
  }
  return paths.length;
}

// The pages a role reaches from its menu, and the first dossier a list links to.
async function menuAndDossier(page) {
  const menu = await page.locator('header nav > a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  let dossier = null;
  for (const m of menu) {
    await page.goto(`${BASE}${m}`);
    const links = page.locator('main a[href^="/cases/"]');
    dossier = (await links.count()) > 0 ? await links.first().getAttribute('href') : null;
    if (dossier) break;
  }
  return [...menu, ...(dossier ? [dossier] : [])];
}

describe('phone', () => {
  before(up);
  after(down);

  test('the member: no sideways scrolling, what to do first, spoken to in French', async () => {
    const { context, page } = await phone('member');
    assert.match(page.url(), /\/me$/);
    await check(page, 'member', ['/me']);
    const article = page.locator('article[data-case]').first();
    const order = await article.evaluate((a) => [...a.querySelectorAll('section')].map((s) => s.className));
    assert.deepEqual(order.slice(0, 3), ['todo', 'helpers', 'path'], 'what to do, who helps, then the path');
    assert.match(await article.locator('.todo').innerText(), /Vous remplissez le questionnaire et vous le renvoyez\.\s+au plus tard le \d{4}-\d{2}-\d{2}/);
    assert.match(await article.locator('.helpers').innerText(), /Votre mutualité/);
    const path_ = await article.locator('.path').innerText();
    assert.match(path_, /Vous pouvez demander un trajet de réintégration/);
    for (const code of ['reached', 'upcoming', 'open', 'done', 'travailleur', 'advisory_doctor', 'employer ·']) {
      assert.ok(!(await article.innerText()).includes(code), `no "${code}" on the member's page`);
    }
    // The consent form still works on a phone.
    await article.locator('form.give select[name="party"]').selectOption('employment_service:actiris');
    await article.locator('form.give select[name="scope"]').selectOption('socio_professional');
    await Promise.all([page.waitForNavigation(), article.locator('.give-consent').click()]);
    const caseId = await article.getAttribute('data-case');
    const given = page.locator(`#consents-${caseId} li[data-to="employment_service"][data-scope="socio_professional"]`);
    assert.match(await given.innerText(), /service de l'emploi \(ACTIRIS\) · trajet socioprofessionnel/);
    await check(page, 'member-consent', ['/me?saved=1']);
    await Promise.all([page.waitForNavigation(), given.locator('.withdraw').click()]);
    // The questionnaire, and the way back.
    const link = await page.locator('a.fill-quick-scan').first().getAttribute('href');
    await check(page, 'member', [link]);
    assert.match(await page.locator('#return-by').innerText(), /Renvoyez le questionnaire au plus tard le/);
    await context.close();
  });

  for (const user of ['coordinator', 'paramedic', 'doctor', 'admin', 'analyst', 'employer', 'employer2', 'occupational_physician', 'employment_service', 'treating_physician']) {
    test(`${user}: every page of the menu and a dossier fit the screen`, async () => {
      const { context, page } = await phone(user);
      const paths = await menuAndDossier(page);
      assert.ok(paths.length > 0, `${user} has pages`);
      if (user === 'coordinator') {
        paths.push('/reports/survey', '/worklist?task=first_contact');
        const dossier = paths.find((p) => p.startsWith('/cases/'));
        if (dossier) paths.push(`${dossier}/letters/quick_scan_invitation`);
      }
      await check(page, user, paths);
      await context.close();
    });
  }
});
