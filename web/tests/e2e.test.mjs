// Browser tests: Debian's Chromium (driven by playwright-core) against a real
// server on a fresh demo database. Each role sees only what it may; a place
// search, a roster import with a bad row, a masked phone, the language switch
// and the mobile household page. Any console error or page error fails the
// test. Screenshots of the main pages go to build/e2e-screenshots/.
//
//   node --test tests/e2e.test.mjs        (after `npm run build`)
//   XH_BINARY=/path/to/xinghuo node --test tests/e2e.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const WEB = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(WEB, 'dist');
const SHOTS = resolve(WEB, '..', 'build', 'e2e-screenshots');
const BINARY = process.env.XH_BINARY || resolve(WEB, '..', 'build', 'xinghuo');
const CHROMIUM = process.env.XH_CHROMIUM || '/usr/bin/chromium';
const PASSWORD = 'Demo@2026';

let server;
let serverLog = '';
let dataDir;
let base;
let browser;

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

async function waitForHealth(url, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited (${server.exitCode}):\n${serverLog}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server not healthy after ${ms} ms:\n${serverLog}`);
}

before(async () => {
  assert.ok(existsSync(join(DIST, 'index.html')) && existsSync(join(DIST, 'm', 'index.html')), `no built app in ${DIST}: run \`npm run build\` first`);
  assert.ok(existsSync(BINARY), `no server binary at ${BINARY} (set XH_BINARY)`);
  mkdirSync(SHOTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'xh-e2e-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(BINARY, ['serve', '--port', String(port), '--data-dir', dataDir, '--demo', '--web-dir', DIST, '--access-log', 'off'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout.on('data', (d) => (serverLog += d));
  server.stderr.on('data', (d) => (serverLog += d));
  await waitForHealth(base, 60000);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (server.exitCode === null) server.kill('SIGKILL');
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

// A fresh browser context (its own cookies and storage) whose console errors
// and page errors are collected; `allow(re)` accepts one expected error.
async function openPage({ mobile = false } = {}) {
  const context = await browser.newContext(
    mobile
      ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' }
      : { viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true },
  );
  const page = await context.newPage();
  const errors = [];
  const allowed = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = `${m.text()} @ ${m.location()?.url || ''}`;
    const i = allowed.findIndex((re) => re.test(text));
    if (i >= 0) allowed.splice(i, 1);
    else errors.push(text);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.setDefaultTimeout(15000);
  return {
    page,
    allow: (re) => allowed.push(re),
    async close() {
      await context.close();
      assert.deepEqual(errors, [], 'console or page errors');
    },
  };
}

// Screenshots wait for fonts and for transitions (drawers, dialogs, tags) to end.
async function shot(page, name) {
  await page.evaluate(() => document.fonts.ready);
  await page.waitForFunction(() =>
    document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
  );
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

async function consoleLogin(page, username) {
  await page.goto(`${base}/`);
  await page.waitForURL(/\/login/);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-test=menu]');
}

async function menuNames(page) {
  await page.waitForSelector('[data-test=menu] .el-menu-item');
  return page.$$eval('[data-test=menu] .el-menu-item', (els) => els.map((e) => e.textContent.trim()));
}

describe('console', () => {
  test('community_admin: login, menus, home counts, place search, import report, partners, lists', async () => {
    const { page, allow, close } = await openPage();
    await page.goto(`${base}/`);
    await page.waitForURL(/\/login/);
    await page.waitForSelector('text=红色合伙人');
    await shot(page, 'console-login');

    // A wrong password is answered with the server's own (Chinese) message.
    allow(/status of 401.*\/api\/auth\/login/);
    await page.fill('input[name=username]', 'community_admin');
    await page.fill('input[name=password]', 'wrong-password');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-test=login-error]:has-text("用户名或密码错误")');

    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-test=menu]');
    const menus = await menuNames(page);
    for (const m of ['首页', '地点', '居民', '合伙人', '三张清单', '导入花名册']) assert.ok(menus.includes(m), `menu ${m} in ${menus}`);
    for (const m of ['账号与角色', '审计日志']) assert.ok(!menus.includes(m), `no menu ${m}`);
    await page.waitForSelector('[data-test=count-community]:has-text("1")');
    await page.waitForSelector('[data-test=count-household]:has-text("648")');
    await page.waitForSelector('[data-test=chart] canvas');
    await page.waitForTimeout(600); // the chart's entry animation
    await shot(page, 'console-home');

    // The place tree and search.
    await page.click('[data-test=menu-places]');
    await page.waitForSelector('[data-test=place-tree] .el-tree-node__content:has-text("泉星社区")');
    await page.fill('[data-test=place-search] input, input[data-test=place-search]', '泉星');
    const hit = page.locator('[data-test=place-results] li', { hasText: '泉星社区' }).first();
    await hit.waitFor();
    await hit.click();
    await page.waitForSelector('[data-test=place-detail] .detail-title:has-text("泉星社区")');
    await page.waitForSelector('[data-test=place-detail] .el-table__row:has-text("泉星花园")');
    await shot(page, 'console-places');

    // The roster import: a dry run names the bad row; a clean file imports.
    await page.click('[data-test=menu-import]');
    await page.waitForSelector('[data-test=import-community] :text("泉星社区")');
    const header = '社区,网格,小区,楼栋,单元,房号,专有面积(㎡),姓名,身份证号,手机号,与户关系,特殊关怀';
    const good = '泉星社区,泉星社区第一网格,泉星花园,9号楼,1单元,101,89.50,测试甲,,13800001234,业主,';
    const bad = '泉星社区,泉星社区第一网格,泉星花园,9号楼,1单元,102,90.00,测试乙,,12345,业主,';
    await page.setInputFiles('[data-test=import-file] input[type=file]', {
      name: 'roster.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${header}\n${good}\n${bad}\n`),
    });
    await page.click('[data-test=import-check]');
    const report = page.locator('[data-test=import-errors] .el-table__row');
    await report.first().waitFor();
    assert.equal(await report.count(), 1);
    const cells = await report.first().locator('td').allTextContents();
    assert.equal(cells[0].trim(), '3', `the bad row is row 3: ${cells}`);
    assert.equal(cells[1].trim(), '手机号');
    assert.ok(cells[2].includes('电话号码'), `message: ${cells[2]}`);
    await shot(page, 'console-import-report');

    await page.click('[data-test=import-again]');
    await page.setInputFiles('[data-test=import-file] input[type=file]', {
      name: 'roster.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${header}\n${good}\n`),
    });
    await page.click('[data-test=import-check]');
    await page.click('[data-test=import-confirm]');
    await page.waitForSelector('[data-test=import-done] .el-descriptions');
    const done = await page.textContent('[data-test=import-done]');
    assert.match(done, /新登记居民\s*1/);
    await shot(page, 'console-import-done');

    // Partners with agreements and contacts.
    await page.click('[data-test=menu-partners]');
    await page.locator('[data-test=partners-table] .el-table__row', { hasText: '睿星教育' }).click();
    await page.waitForSelector('[data-test=partner-drawer] :text("每周六为社区青少年提供免费课业辅导")');
    await page.waitForSelector('[data-test=partner-drawer] :text("颜红")');
    await shot(page, 'console-partners');
    await page.keyboard.press('Escape');

    // The three lists: a need's suggested resources.
    await page.click('[data-test=menu-lists]');
    await page.locator('[data-test=needs-table] .el-table__row', { hasText: '独居老人上门理发' }).locator('[data-test=suggest]').click();
    await page.waitForSelector('[data-test=suggest-dialog] .el-table__row:has-text("花剪子理发队")');
    await shot(page, 'console-lists-suggest');
    await close();
  });

  test('grid_worker: places and residents, no import, no partners, no audit', async () => {
    const { page, close } = await openPage();
    await consoleLogin(page, 'grid_worker');
    const menus = await menuNames(page);
    for (const m of ['地点', '居民']) assert.ok(menus.includes(m), `menu ${m} in ${menus}`);
    for (const m of ['导入花名册', '合伙人', '账号与角色', '审计日志']) assert.ok(!menus.includes(m), `no menu ${m} in ${menus}`);
    // A page outside the role is not reachable by its address either.
    await page.goto(`${base}/import`);
    await page.waitForURL(`${base}/`);
    await page.waitForSelector('[data-test=count-building]');
    await close();
  });

  test('audit_admin: the audit log and nothing about residents', async () => {
    const { page, close } = await openPage();
    await consoleLogin(page, 'audit_admin');
    const menus = await menuNames(page);
    assert.ok(menus.includes('审计日志'), `menus: ${menus}`);
    for (const m of ['居民', '地点', '导入花名册', '账号与角色']) assert.ok(!menus.includes(m), `no menu ${m} in ${menus}`);
    await page.click('[data-test=menu-audit]');
    await page.waitForSelector('[data-test=audit-table] .el-table__row:has-text("auth.login")');
    await page.click('[data-test=audit-verify]');
    await page.waitForSelector('.el-message--success:has-text("哈希链校验通过")');
    await shot(page, 'console-audit');
    await close();
  });

  test('security_admin: accounts and roles', async () => {
    const { page, close } = await openPage();
    await consoleLogin(page, 'security_admin');
    await page.click('[data-test=menu-users]');
    await page.waitForSelector('[data-test=users-table] .el-table__row:has-text("community_admin")');
    await shot(page, 'console-users');
    await close();
  });

  test('street_admin: masked phones, export, English', async () => {
    const { page, close } = await openPage();
    await consoleLogin(page, 'street_admin');
    await page.click('[data-test=menu-residents]');
    const firstRow = page.locator('[data-test=residents-table] .el-table__row').first();
    await firstRow.waitFor();
    const phones = await page.locator('[data-test=residents-table] .el-table__row td:nth-child(4)').allTextContents();
    assert.ok(phones.some((p) => /^\d{3}\*{4}\d{4}$/.test(p.trim())), `masked phones: ${phones.slice(0, 5)}`);
    assert.ok(!phones.some((p) => /^\d{11}$/.test(p.trim())), 'no phone shown in full');
    await shot(page, 'console-residents');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=export-csv] >> nth=0')]);
    assert.equal(download.suggestedFilename(), 'residents.csv');

    await page.click('[data-test=lang-switch]');
    await page.click('[data-test=lang-en]');
    await page.waitForSelector('[data-test=menu] :text("Residents")');
    const menus = await menuNames(page);
    for (const m of ['Home', 'Places', 'Residents', 'Partners', 'Import roster']) assert.ok(menus.includes(m), `menu ${m} in ${menus}`);
    await page.waitForSelector('[data-test=residents-table] th:has-text("Phone")');
    await page.waitForSelector('.el-pagination :text("Total")');
    await shot(page, 'console-english');
    // The choice survives a reload.
    await page.reload();
    await page.waitForSelector('[data-test=menu] :text("Residents")');
    await close();
  });
});

describe('mobile', () => {
  test('resident: login, home tiles, my household, me', async () => {
    const { page, close } = await openPage({ mobile: true });
    await page.goto(`${base}/m/`);
    await page.waitForURL(/\/m\/login/);
    await page.waitForSelector('[data-test=m-login-form]');
    await shot(page, 'mobile-login');
    await page.fill('input[name=username]', 'resident');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-test=m-tiles]');
    await page.waitForSelector('[data-test=tile-report] :text("即将上线")');
    await shot(page, 'mobile-home');

    await page.click('[data-test=tile-household]');
    await page.waitForSelector('[data-test=m-household] :text("泉星花园1号楼1单元101室")');
    await page.waitForSelector('[data-test=m-members] .van-cell');
    const members = await page.textContent('[data-test=m-members]');
    assert.match(members, /\d{3}\*{4}\d{4}/, 'phones are masked');
    await shot(page, 'mobile-household');

    await page.goBack();
    await page.click('[data-test=tab-me]');
    await page.waitForSelector('[data-test=m-profile] :text("居民")');
    await shot(page, 'mobile-me');

    await page.click('[data-test=m-logout]');
    await page.click('.van-dialog__confirm');
    await page.waitForURL(/\/m\/login/);
    await close();
  });
});
