// End-to-end tests of the web UI: a real `tnw serve --demo` on loopback, driven in
// Debian's headless Chromium by playwright-core, once over a SQLite file and once over
// a PostgreSQL database on a throw-away cluster. Screenshots go to
// e2e/artifacts/<backend>/.
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
// Starts the cluster, prints a database URL, removes it all when its stdin closes.
// `cargo test` builds it next to the binary.
const CLUSTER = process.env.TNW_TEST_CLUSTER || path.join(path.dirname(BIN), 'examples', 'test_cluster');
const PW = 'e2e-password-1';
const ART = path.resolve(here, '../artifacts');

// The backend under test: set by the suite's `before`, read by the scenarios.
let BASE;
let art;
let server;
let cluster;
let browser;
let dir;

// Starts the cluster helper; the database URL it prints first.
async function startCluster() {
  cluster = spawn(CLUSTER, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  let failed = '';
  cluster.on('error', (e) => { failed = `: ${e.message}`; });
  let out = '';
  for await (const chunk of cluster.stdout) {
    out += chunk;
    if (out.includes('\n')) return out.split('\n')[0].trim();
  }
  await new Promise((r) => setImmediate(r));
  throw new Error(`${CLUSTER} gave no database URL${failed} (cargo test builds it; or cargo build -p tnw-storage-postgres --example test_cluster)`);
}

const running = (child) => child?.pid !== undefined && child.exitCode === null && child.signalCode === null;

async function up(backend) {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tnw-e2e-'));
  art = path.join(ART, backend);
  fs.mkdirSync(art, { recursive: true });
  let db = path.join(dir, 'tnw.db');
  if (backend === 'postgres') {
    db = await startCluster();
  }
  const port = 18000 + Math.floor(Math.random() * 2000);
  BASE = `http://127.0.0.1:${port}`;
  server = spawn(BIN, [
    '--db', db, 'serve', '--demo', '--demo-password', PW,
    '--demo-cases', '150', '--addr', `127.0.0.1:${port}`, '--insecure-cookies', '--today', '2026-11-20',
  ], { stdio: ['ignore', 'ignore', 'inherit'] });
  let up = false;
  for (let i = 0; i < 600 && !up; i++) {
    try { up = (await fetch(`${BASE}/healthz`)).ok; } catch { /* not yet */ }
    if (!up) await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(up, 'the server came up');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// Stops `child` with SIGTERM; its exit code.
async function stop(child) {
  if (!running(child)) return child?.exitCode;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = await exited;
  return code;
}

async function down() {
  await browser?.close();
  await stop(server);
  if (running(cluster)) {
    // End of its input: the helper stops the cluster and removes its files.
    const exited = once(cluster, 'exit');
    cluster.stdin.end();
    await exited;
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  browser = server = cluster = dir = undefined;
}

async function login(user) {
  const context = await browser.newContext({ locale: 'nl-BE' });
  const page = await context.newPage();
  await page.goto(`${BASE}/login`);
  await page.fill('#username', user);
  await page.fill('#password', PW);
  await Promise.all([page.waitForNavigation(), page.click('#login')]);
  return { context, page };
}

const shot = (page, name) => page.screenshot({ path: path.join(art, `${name}.png`), fullPage: true });

// The scenarios, run once per backend (at the end of this file).
const scenarios = [];
const scenario = (name, fn) => scenarios.push([name, fn]);

scenario('coordinator works the worklist: a first contact makes the task disappear', async () => {
  const { context, page } = await login('coordinator');
  assert.match(page.url(), /\/worklist$/);
  await page.goto(`${BASE}/worklist?task=first_contact`);
  await shot(page, 'coordinator-worklist');
  const row = page.locator('#worklist tbody tr[data-task="first_contact"]').first();
  const caseId = await row.getAttribute('data-case');
  assert.ok(caseId, 'an open first contact on the worklist');
  await row.locator('a').click();
  await page.waitForSelector('#timeline');
  await shot(page, 'coordinator-dossier');
  assert.equal(await page.locator('#medical').count(), 0, 'no medical part for a coordinator');
  assert.ok(await page.locator('#contact-form input[name="first"]').isChecked(), 'first contact pre-ticked');
  await page.selectOption('#contact-form select[name="mode"]', 'phone');
  await Promise.all([page.waitForNavigation(), page.click('#save-contact')]);
  assert.match(await page.locator('.notice').innerText(), /Opgeslagen/);
  await shot(page, 'coordinator-contact-saved');
  await page.goto(`${BASE}/worklist?task=first_contact`);
  assert.equal(await page.locator(`#worklist tr[data-case="${caseId}"]`).count(), 0, 'the task is gone');
  await context.close();
});

scenario('member gives and withdraws a consent and sees who opened the dossier', async () => {
  const { context, page } = await login('member');
  assert.match(page.url(), /\/me$/);
  const article = page.locator('article[data-case]').first();
  const caseId = await article.getAttribute('data-case');
  await article.locator('form.give select[name="party"]').selectOption('employment_service:actiris');
  await article.locator('form.give select[name="scope"]').selectOption('socio_professional');
  await Promise.all([page.waitForNavigation(), article.locator('.give-consent').click()]);
  const given = page.locator(`#consents-${caseId} li[data-to="employment_service"][data-scope="socio_professional"]`);
  assert.equal(await given.count(), 1, 'the consent is listed');
  await shot(page, 'member-consent-given');
  await Promise.all([page.waitForNavigation(), given.locator('.withdraw').click()]);
  assert.equal(await page.locator(`#consents-${caseId} li[data-to="employment_service"][data-scope="socio_professional"]`).count(), 0, 'withdrawn');
  const readers = await page.locator('article[data-case] .access-log tbody tr').count();
  assert.ok(readers > 0, 'the access list shows reads of the dossier');
  await shot(page, 'member-access-log');
  await context.close();
});

scenario('worklist filters update the table in place (htmx), without a page load', async () => {
  const { context, page } = await login('coordinator');
  await page.evaluate(() => { window.__stillHere = true; });
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/worklist?') && r.status() === 200),
    page.selectOption('select[name="task"]', 'first_contact'),
  ]);
  await page.waitForFunction(() => [...document.querySelectorAll('#worklist tbody tr')].every((r) => r.dataset.task === 'first_contact'));
  assert.equal(await page.evaluate(() => window.__stillHere), true, 'no full page load');
  assert.match(page.url(), /task=first_contact/, 'the filter is in the address bar');
  assert.ok(await page.locator('#worklist tbody tr').count() > 0);
  await shot(page, 'worklist-filtered');
  await context.close();
});

scenario('switching language changes the interface', async () => {
  const { context, page } = await login('coordinator');
  assert.equal(await page.locator('h1').innerText(), 'Werklijst');
  await page.click('a[hreflang="fr"]');
  await page.waitForURL(/\/worklist/);
  assert.equal(await page.locator('h1').innerText(), 'Liste de travail');
  await page.click('a[hreflang="de"]');
  await page.waitForURL(/\/worklist/);
  assert.equal(await page.locator('h1').innerText(), 'Arbeitsliste');
  await shot(page, 'worklist-de');
  await page.click('a[hreflang="en"]');
  await page.waitForURL(/\/worklist/);
  assert.equal(await page.locator('h1').innerText(), 'Worklist');
  await context.close();
});

scenario('coordinator records an action plan with steps from the caseload; the doctor has a queue', async () => {
  const { context, page } = await login('coordinator');
  await page.click('header a[href="/caseload"]');
  await page.waitForSelector('#team-caseload');
  assert.ok(await page.locator('#team-caseload tr[data-assignee="paramedic"]').count() === 1, 'the paramedic has a caseload');
  const ids = await page.locator('#my-caseload tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.case));
  assert.ok(ids.length > 0, 'the coordinator has dossiers assigned');
  await shot(page, 'coordinator-caseload');
  // The page offers the plan form only where coaching runs today: find such a dossier.
  let form = null;
  for (const id of ids.slice(0, 40)) {
    await page.goto(`${BASE}/cases/${id}`);
    await page.waitForSelector('#coaching');
    if (await page.locator('#form-action_plan').count() === 1) { form = page.locator('#form-action_plan'); break; }
    assert.equal(await page.locator('#form-coordinator_contact, #contact-form').count(), 0, 'no contact form without running coaching');
  }
  assert.ok(form, 'a dossier with running coaching on the caseload');
  await form.locator('textarea[name="goals"]').fill('Twee voormiddagen per week');
  await form.locator('input[name="step1"]').fill('Aangepaste uren vragen aan de werkgever');
  await form.locator('select[name="owner1"]').selectOption('member');
  await form.locator('input[name="due1"]').fill('2026-12-15');
  await Promise.all([page.waitForNavigation(), form.locator('button[type="submit"]').click()]);
  assert.match(await page.locator('.notice').innerText(), /Opgeslagen/);
  assert.match(await page.locator('#plan-steps tbody tr').first().innerText(), /Aangepaste uren vragen aan de werkgever/);
  await shot(page, 'coordinator-action-plan');
  await context.close();

  const doctor = await login('doctor');
  assert.match(doctor.page.url(), /\/queue$/);
  await doctor.page.waitForSelector('#to-assess');
  await shot(doctor.page, 'doctor-queue');
  await doctor.context.close();
});

scenario('member fills in the quick scan in French, saved as they go; the doctor finds it in the queue', async () => {
  const { context, page } = await login('member');
  await page.click('a[hreflang="fr"]');
  await page.waitForURL(/\/me/);
  assert.equal(await page.locator('h1').innerText(), 'Mes dossiers');
  const link = page.locator('a.fill-quick-scan').first();
  assert.equal(await link.count(), 1, 'an open quick scan');
  await Promise.all([page.waitForNavigation(), link.click()]);
  assert.match(await page.locator('fieldset[data-code="health_now"] legend').innerText(), /Comment est votre santé/);
  const saved = () => page.waitForResponse((r) => r.url().endsWith('/quick-scan/draft') && r.status() === 200);
  await Promise.all([saved(), page.check('input[name="health_now"][value="poor"]')]);
  await page.waitForFunction(() => document.querySelector('#draft-status').textContent.includes('Enregistré'));
  // Saved on the server: a reload keeps the answer.
  await page.reload();
  assert.ok(await page.isChecked('input[name="health_now"][value="poor"]'), 'the draft survived a reload');
  await page.check('input[name="has_job"][value="yes"]');
  await page.check('input[name="own_job"][value="partly"]');
  await page.check('input[name="expected_return"][value="1_3m"]');
  await page.check('input[name="barriers"][value="pain"]');
  await page.check('input[name="support"][value="yes"]');
  await page.fill('textarea[name="comment"]', 'Je voudrais reprendre à mi-temps.');
  await shot(page, 'member-quick-scan-fr');
  await Promise.all([page.waitForNavigation(), page.click('#send-quick-scan')]);
  assert.match(page.url(), /\/me\?saved=1/);
  assert.equal(await page.locator('a.fill-quick-scan').count(), 0, 'sent once');
  const caseId = await page.locator('article[data-case]').first().getAttribute('data-case');
  await context.close();

  const doctor = await login('doctor');
  await doctor.page.goto(`${BASE}/queue`);
  const row = doctor.page.locator(`#to-assess tr[data-case="${caseId}"]`);
  assert.equal(await row.count(), 1, 'the returned quick scan waits for the doctor');
  await Promise.all([doctor.page.waitForNavigation(), row.locator('a').click()]);
  const answers = doctor.page.locator('table.quick-scan-answers');
  assert.match(await answers.innerText(), /Je voudrais reprendre à mi-temps/);
  await shot(doctor.page, 'doctor-reads-quick-scan');
  await doctor.context.close();
});

scenario('the employer reads this month\'s list of absent workers, picks another month and downloads the CSV', async () => {
  const { context, page } = await login('employer');
  await Promise.all([page.waitForNavigation(), page.click('header nav a[href="/absences"]')]);
  assert.equal(await page.locator('h1').innerText(), 'Werknemers die minstens vier weken afwezig zijn');
  assert.equal(await page.inputValue('#absences-month'), '2026-11');
  const names = () => page.locator('#absences tbody tr td:first-child').allInnerTexts();
  assert.deepEqual(await names(), ['Nadia El Amrani', 'Marc Wouters', 'Sofie Jacobs', 'Camille Lambert', 'Tom Maes', 'Els Wuyts', 'Luc Peeters']);
  assert.match(await page.locator('#absences tbody tr', { hasText: 'Tom Maes' }).innerText(), /2026-11-19/);
  await shot(page, 'employer-absences');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#absences-csv')]);
  assert.equal(download.suggestedFilename(), 'tnw-absences-2026-11.csv');
  const csv = fs.readFileSync(await download.path(), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'Naam,Eerste dag afwezig,Laatste dag afwezig');
  assert.equal(csv.length, 8, 'a header and seven workers');
  await page.fill('#absences-month', '2026-09');
  await Promise.all([page.waitForNavigation(), page.click('form.filters button[type="submit"]')]);
  assert.match(page.url(), /month=2026-09/);
  assert.deepEqual(await names(), ['Nadia El Amrani', 'Marc Wouters', 'Sofie Jacobs'], 'the others were not yet absent four weeks in September');
  await context.close();
});

// Every actor works in the same dossier, each handing over to the next: the member
// asks for coaching and names whom they share with; the coordinator sees it; the
// occupational physician decides A with reasons; the employer finds the plan's deadline
// and drafts the plan; the member accepts it; the coordinator hands over to VDAB, which
// starts the trajectory and reports its result. Another employer, a physician not
// named and Forem are refused the dossier.
scenario('member, coordinator, occupational physician, employer and VDAB work one dossier in turn', async () => {
  const caseId = 'A-MEMBER';
  const submit = async (page, form) => {
    await Promise.all([page.waitForNavigation(), page.locator(`${form} button[type="submit"]`).click()]);
    assert.match(page.url(), /saved=1/, `${form} saved`);
  };
  // The member: coaching, consents to the employer, their own physician and VDAB, and
  // a re-integration trajectory asked of the occupational physician.
  {
    const { context, page } = await login('member');
    const article = page.locator(`article[data-case="${caseId}"]`);
    await Promise.all([page.waitForNavigation(), article.locator('.ask-coaching-button').click()]);
    const give = async (party, scope, physician) => {
      const a = page.locator(`article[data-case="${caseId}"]`);
      await a.locator('form.give select[name="party"]').selectOption(party);
      if (physician) await a.locator('form.give input[name="physician"]').fill(physician);
      await a.locator('form.give select[name="scope"]').selectOption(scope);
      await Promise.all([page.waitForNavigation(), a.locator('.give-consent').click()]);
    };
    await give('employer:0202239951', 'reintegration_plan');
    await give('physician', 'medical', '1-00000-00-001');
    await give('employment_service:vdab', 'socio_professional');
    const listed = await page.locator(`#consents-${caseId} li`).evaluateAll((ls) => ls.map((l) => l.dataset.party));
    for (const p of ['employer:0202239951', 'physician:10000000001', 'employment_service:vdab']) {
      assert.ok(listed.includes(p), `consent to ${p} listed: ${listed}`);
    }
    await Promise.all([page.waitForNavigation(), page.locator(`article[data-case="${caseId}"] form.ask-codex button`).click()]);
    await shot(page, 'actors-member-consents');
    await context.close();
  }
  // The coordinator sees the request: a first contact is due, the consents by name.
  {
    const { context, page } = await login('coordinator');
    await page.goto(`${BASE}/worklist?task=first_contact`);
    assert.equal(await page.locator(`#worklist tr[data-case="${caseId}"][data-task="first_contact"]`).count(), 1, 'the member\'s request on the worklist');
    await page.goto(`${BASE}/cases/${caseId}`);
    assert.match(await page.locator('#consents').innerText(), /KBO 0202\.239\.951/);
    await context.close();
  }
  // The occupational physician: the assessment on the worklist, decision A with reasons.
  {
    const { context, page } = await login('occupational_physician');
    assert.equal(await page.locator(`#worklist tr[data-case="${caseId}"][data-task="codex_assessment"]`).count(), 1, 'the assessment is due');
    await page.goto(`${BASE}/cases/${caseId}`);
    await page.selectOption('#form-codex_decision select[name="decision"]', 'A');
    await page.fill('#form-codex_decision textarea[name="reasons"]', 'Eigen werk mogelijk met minder tillen, eerst halve dagen');
    await submit(page, '#form-codex_decision');
    assert.match(await page.locator('#reintegration').innerText(), /minder tillen/);
    await context.close();
  }
  // The employer: the plan's deadline on the worklist; the plan with its content. It
  // sees the decision, not the physician's reasons, and no category.
  {
    const { context, page } = await login('employer');
    const row = page.locator(`#worklist tr[data-case="${caseId}"][data-task="reintegration_plan"]`);
    assert.equal(await row.count(), 1, 'the plan is due');
    await row.locator('a').click();
    await page.waitForURL(`**/cases/${caseId}`);
    const seen = await page.locator('main').innerText();
    assert.ok(!seen.includes('minder tillen'), 'no reasons for the employer');
    assert.equal(await page.locator('#identity dt', { hasText: 'Categorie' }).count(), 0, 'no category');
    await page.selectOption('#form-reintegration_plan select[name="status"]', 'drafted');
    await page.selectOption('#form-reintegration_plan select[name="work"]', 'adapted');
    await page.fill('#form-reintegration_plan textarea[name="tasks"]', 'Toonbank, geen leveringen');
    await page.fill('#form-reintegration_plan input[name="hours_per_week"]', '19');
    await page.fill('#form-reintegration_plan input[name="percent"]', '50');
    await page.fill('#form-reintegration_plan input[name="weeks"]', '12');
    await submit(page, '#form-reintegration_plan');
    await shot(page, 'actors-employer-plan');
    await context.close();
  }
  // The member reads the plan and accepts it.
  {
    const { context, page } = await login('member');
    const answer = page.locator(`#plan-${caseId}`);
    assert.match(await answer.innerText(), /Toonbank, geen leveringen/);
    await answer.locator('select[name="status"]').selectOption('accepted');
    await Promise.all([page.waitForNavigation(), answer.locator('button.send-answer').click()]);
    assert.equal(await page.locator(`#plan-${caseId}`).count(), 0, 'answered');
    await context.close();
  }
  // The coordinator hands over to VDAB with the package the member consented to.
  {
    const { context, page } = await login('coordinator');
    await page.goto(`${BASE}/cases/${caseId}`);
    assert.match(await page.locator('#reintegration').innerText(), /Aanvaard|aanvaard/);
    await page.selectOption('#form-socio_professional_referred select[name="service"]', 'vdab');
    await page.fill('#form-socio_professional_referred textarea[name="goals"]', 'Deeltijds werk in de buurt');
    await submit(page, '#form-socio_professional_referred');
    await context.close();
  }
  // VDAB: the hand-off on the worklist; it starts the trajectory and reports a result.
  {
    const { context, page } = await login('employment_service');
    assert.equal(await page.locator(`#worklist tr[data-case="${caseId}"][data-task="accept_hand_off"]`).count(), 1, 'the hand-off awaits VDAB');
    await page.goto(`${BASE}/cases/${caseId}`);
    assert.match(await page.locator('#socio-professional').innerText(), /Deeltijds werk in de buurt/);
    await page.selectOption('#form-socio_professional_started select[name="activity"]', 'training');
    await submit(page, '#form-socio_professional_started');
    await page.selectOption('#form-socio_professional_ended select[name="result"]', 'work_found');
    await submit(page, '#form-socio_professional_ended');
    assert.match(await page.locator('#socio-professional').innerText(), /Werk gevonden/);
    await shot(page, 'actors-vdab-result');
    await context.close();
  }
  // The member's own physician reads the medical part; the other employer, another
  // physician and Forem are refused.
  {
    const { context, page } = await login('treating_physician');
    const r = await page.goto(`${BASE}/cases/${caseId}`);
    assert.equal(r.status(), 200);
    assert.equal(await page.locator('#medical').count(), 1, 'the named physician reads the medical part');
    await context.close();
  }
  {
    const { context, page } = await login('admin');
    for (const [user, role, kind, id] of [['gp2', 'treating_physician', 'physician', '10000000002'], ['forem', 'employment_service', 'employment_service', 'forem']]) {
      await page.goto(`${BASE}/admin`);
      const f = page.locator('#new-user');
      await f.locator('input[name="username"]').fill(user);
      await f.locator('input[name="display_name"]').fill(user);
      await f.locator('select[name="role"]').selectOption(role);
      await f.locator('input[name="password"]').fill(PW);
      await f.locator('select[name="party_kind"]').selectOption(kind);
      await f.locator('input[name="party_id"]').fill(id);
      await Promise.all([page.waitForNavigation(), f.locator('button[type="submit"]').click()]);
      assert.match(page.url(), /saved=1/, `${user} created`);
    }
    await context.close();
  }
  for (const user of ['employer2', 'gp2', 'forem']) {
    const { context, page } = await login(user);
    const r = await page.goto(`${BASE}/cases/${caseId}`);
    assert.equal(r.status(), 403, `${user} is refused the dossier`);
    await context.close();
  }
});

for (const backend of ['sqlite', 'postgres']) {
  describe(backend, () => {
    before(() => up(backend));
    after(down);
    for (const [name, fn] of scenarios) test(name, fn);
    test('the server stops cleanly on SIGTERM', async () => {
      assert.equal(await stop(server), 0, 'exit code');
    });
  });
}
