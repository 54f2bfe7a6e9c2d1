import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { browserSkipReason, launchBrowser, REQUIRE_ALL, type TestBrowser } from './browser.js';
import { startTestServer, type TestServer } from './server-fixture.js';
import { bulkExecutions, dagOf, LiveRun, recordExecution } from './state-fixture.js';

const skip = browserSkipReason();
const SCREENSHOT = path.resolve('test-output/dashboard-execution.png');

if (skip && REQUIRE_ALL) {
  it('browser tests need Chromium', () => assert.fail(`${skip}; JORM_REQUIRE_ALL_TESTS=1 forbids skipping`));
}

describe('the dashboard in a browser', { skip: skip ?? false }, () => {
  let t: TestServer;
  let browser: TestBrowser;
  const diamond = dagOf('diamond', { a: [], b: ['a'], c: ['a'], d: ['b', 'c'] });

  before(async () => {
    t = await startTestServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lists executions newest first and filters them by status', async () => {
    bulkExecutions(t.state.manager, 120, 'history');
    const failed = recordExecution(t.state.manager, diamond, {
      b: { status: 'failed' },
      d: { status: 'skipped' },
    });
    const { page, problems } = await browser.newPage();
    await page.goto(`${t.url}/#/executions`);
    const firstRow = page.locator('table.executions tbody tr').first();
    await firstRow.waitFor();
    assert.equal(await firstRow.getAttribute('data-id'), failed);
    assert.equal(await page.locator('table.executions tbody tr').count(), 50);
    assert.match((await page.locator('#exec-summary').textContent()) ?? '', /1–50 of 121 executions/);
    await page.getByRole('link', { name: 'Older ›' }).first().click();
    await page.locator('#exec-summary', { hasText: /^51–100 of 121/ }).waitFor();
    await page.selectOption('#f-status', 'failed');
    await page.locator('#exec-summary', { hasText: 'of 19 executions' }).waitFor();
    const statuses = await page.locator('table.executions tbody .badge').allInnerTexts();
    assert.ok(statuses.every((s) => s.includes('failed')));
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('recolours the nodes of a running execution live, and follows a task log', async () => {
    const run = new LiveRun(t.state.manager, diamond);
    const { page, problems } = await browser.newPage();
    await page.goto(`${t.url}/#/executions/${run.executionId}`);
    const node = (id: string, status: string) => page.locator(`g.node.s-${status}[data-id="${id}"]`);
    await node('a', 'pending').waitFor();
    assert.equal(await page.locator('g.node').count(), 4);

    run.start('a');
    await node('a', 'running').waitFor();
    run.output('a', 'fetching rows\n').finish('a').start('b').start('c');
    await node('a', 'success').waitFor();
    await node('b', 'running').waitFor();
    await node('c', 'running').waitFor();

    // Open b's details by clicking its node: its log follows while it runs.
    run.output('b', 'step 1 of 2\n');
    await node('b', 'running').click();
    const log = page.locator('pre.log');
    await page.locator('pre.log', { hasText: 'step 1 of 2' }).waitFor();
    assert.equal(await page.locator('#log-follow').isChecked(), true);
    run.output('b', 'step 2 of 2\n');
    await page.locator('pre.log', { hasText: 'step 2 of 2' }).waitFor();
    assert.equal(await log.textContent(), 'step 1 of 2\nstep 2 of 2\n');

    run.finish('b').output('c', 'almost\n');
    await node('b', 'success').waitFor();
    await page.locator('tr[data-id="b"] .badge.s-success').waitFor();
    await page.locator('.gantt-svg .run').first().waitFor();
    await mkdir(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    run.finish('c', 'failed').start('d');
    await node('c', 'failed').waitFor();
    run.finish('d', 'skipped').end('failed');
    await page.locator('#exec-status .badge.s-failed').waitFor();
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('shows a DAG file with its problems, and its graph', async () => {
    await writeFile(path.join(t.state.dir, 'broken.jorm'), 'task a {\n    type: shell\n    comand: "x"\n}\n');
    const { page, problems } = await browser.newPage({ colorScheme: 'dark' });
    await page.goto(`${t.url}/#/dags`);
    await page.getByRole('link', { name: 'broken.jorm' }).click();
    const problem = page.locator('.diagnostics li').filter({ hasText: 'unknown key' });
    await problem.waitFor();
    assert.match(
      (await problem.textContent()) ?? '',
      /broken\.jorm:3:5 .*unknown key "comand".*did you mean "command"/,
    );
    assert.equal(await page.locator('#run-button').isDisabled(), true);
    assert.equal(await page.locator('g.node').count(), 1);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('keeps a 5,000-task execution responsive by drawing only what is in view', async () => {
    const deps: Record<string, string[]> = {};
    for (let i = 0; i < 5000; i++) deps[`t${i}`] = i < 40 ? [] : [`t${i - 40}`];
    const id = recordExecution(t.state.manager, dagOf('huge', deps), { t4999: { status: 'failed' } });
    const { page, problems } = await browser.newPage();
    await page.goto(`${t.url}/#/executions/${id}`);
    await page.locator('g.node').first().waitFor();
    const drawn = await page.locator('g.node').count();
    assert.ok(drawn > 0 && drawn < 1500, `${drawn} nodes drawn`);
    // Find the last task through the table and open it: the graph scrolls to it and draws it.
    await page.fill('#task-search', 't4999');
    await page.getByRole('button', { name: 't4999', exact: true }).click();
    await page.locator('g.node.s-failed[data-id="t4999"]').waitFor();
    assert.ok((await page.locator('g.node').count()) < 1500);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('asks for the token of a protected server, or takes it once from the address', async () => {
    const token = 'browser-token-0123456789';
    const guarded = await startTestServer({ token });
    try {
      recordExecution(guarded.state.manager, diamond);
      const first = await browser.newPage();
      await first.page.goto(`${guarded.url}/?token=${token}#/executions`);
      await first.page.locator('table.executions tbody tr').first().waitFor();
      assert.doesNotMatch(first.page.url(), /token/);
      await first.page.close();
      const second = await browser.newPage();
      await second.page.goto(`${guarded.url}/#/executions`);
      await second.page.getByLabel('Token').fill('wrong-token-0123456789');
      await second.page.getByRole('button', { name: 'Sign in' }).click();
      await second.page.locator('.login-error', { hasText: 'not accepted' }).waitFor();
      await second.page.getByLabel('Token').fill(token);
      await second.page.getByRole('button', { name: 'Sign in' }).click();
      await second.page.locator('table.executions tbody tr').first().waitFor();
      assert.deepEqual(
        second.problems.filter((p) => !p.includes('401')),
        [],
      );
      await second.page.close();
    } finally {
      await guarded.close();
    }
  });

  it('starts a DAG with the run button and cancels it', async () => {
    await writeFile(
      path.join(t.state.dir, 'slow.jorm'),
      [
        'dag: slow',
        'params: { WHO: world }',
        'task hello {',
        '    type: shell',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: jorm's own interpolation, written in the DAG file
        '    command: "echo hello ${params.WHO}"',
        '}',
        'task wait {',
        '    type: shell',
        '    command: "sleep 60"',
        '    depends_on: [hello]',
        '}',
        '',
      ].join('\n'),
    );
    const { page, problems } = await browser.newPage();
    await page.goto(`${t.url}/#/dags/file?path=slow.jorm`);
    await page.locator('#run-button:not([disabled])').waitFor();
    await page.fill('#pv-0', 'dashboard');
    await page.click('#run-button');
    await page.waitForURL(/#\/executions\/[0-9A-Z]{26}$/);
    const id = page.url().split('/').at(-1)!;
    await page.locator('g.node.s-running[data-id="wait"]').waitFor({ timeout: 20_000 });
    await page.locator('g.node.s-success[data-id="hello"]').click();
    await page.locator('pre.log', { hasText: 'hello dashboard' }).waitFor();
    page.once('dialog', (d) => void d.accept());
    await page.click('#cancel-button');
    await page.locator('#exec-status .badge.s-cancelled').waitFor({ timeout: 20_000 });
    await page.locator('g.node.s-cancelled[data-id="wait"]').waitFor();
    const state = t.state.manager.loadExecutionState(id);
    assert.equal(state?.status, 'cancelled');
    assert.deepEqual(state?.params, { WHO: 'dashboard' });
    assert.deepEqual(problems, []);
    await page.close();
  });
});
