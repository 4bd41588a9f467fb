// The module view (issue 16) in VS Code for the Web: a .wasm opens in rw's custom editor
// with the core's model in its tables, Run asks for arguments and runs the program in a
// terminal, the Explorer item and a `rw` task run the same, Show as WAT opens the text,
// and a file that is not wasm shows the core's one line. Writes a screenshot of the view
// to target/screenshots/module-view.png (git-ignored) for the Marketplace README.
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { host } from './lib/hosts.mjs';
import { runPaletteCommand } from './lib/vscodeWeb.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.join(REPO, 'tests/fixtures/wasm');
const SCREENSHOT = path.join(REPO, 'target/screenshots/module-view.png');
const web = host('web');

/** The text of every integrated terminal's buffer, newest last. */
function terminalsText(page) {
  return page.evaluate(() => [...document.querySelectorAll('.terminal-wrapper')].map((w) => {
    const buf = w.xterm?.buffer?.active;
    if (!buf) return '';
    const lines = [];
    for (let y = 0; y < buf.length; y++) lines.push(buf.getLine(y).translateToString(true));
    return lines.join('\n');
  }).join('\n----\n'));
}

async function waitForTerminalText(page, pattern, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  let text = '';
  while (Date.now() < deadline) {
    text = await terminalsText(page);
    if (pattern.test(text)) return text;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no ${pattern} in the terminals after ${timeout / 1000} s:\n${text}`);
}

/** Opens `name` from the Explorer (the web host's quick open finds no files). */
function explorerRow(page, name) {
  return page.locator('.explorer-folders-view .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${name.replace('.', '\\.')}$`) }) }).first();
}

async function openFile(page, name) {
  const row = explorerRow(page, name);
  if (!(await row.isVisible())) await page.keyboard.press('Control+Shift+E');
  await row.waitFor({ timeout: 60_000 });
  await row.dblclick();
}

/** The frame of the module view whose title is `name`. */
function viewFrame(page) {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}

describe('the module view in VS Code for the Web', { skip: web.skip }, () => {
  let workspace, vscode;

  before(async () => {
    if (!existsSync(path.join(FIXTURES, 'args.wasm'))) throw new Error('run scripts/build-fixtures.sh first');
    if (!existsSync(path.join(REPO, 'extension/out/extension.js'))) throw new Error('run scripts/build.sh first');
    workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'rw-e2e-view-'));
    for (const name of ['args', 'exit', 'unknown_imports']) {
      await fs.copyFile(path.join(FIXTURES, `${name}.wasm`), path.join(workspace, `${name}.wasm`));
    }
    await fs.writeFile(path.join(workspace, 'notwasm.wasm'), 'hello, not wasm\n');
    await fs.mkdir(path.join(workspace, '.vscode'));
    await fs.writeFile(path.join(workspace, '.vscode/tasks.json'), JSON.stringify({
      version: '2.0.0',
      tasks: [{ type: 'rw', label: 'exit 5', file: 'exit.wasm', args: ['5'] }],
    }));
    vscode = await web.start({ workspace, extension: path.join(REPO, 'extension') });
  });

  after(async () => {
    await vscode?.close();
    if (workspace) await fs.rm(workspace, { recursive: true, force: true });
  });

  test('a .wasm opens in the view with the core\'s model in its tables', async () => {
    const { page } = vscode;
    await openFile(page, 'args.wasm');
    const frame = viewFrame(page);
    if (process.env.RW_E2E_DEBUG) { await page.waitForTimeout(10000); await page.screenshot({ path: '/tmp/dbg16.png' }); }
    await frame.locator('#facts').waitFor({ timeout: 60_000 });
    const facts = await frame.locator('#facts').innerText();
    assert.match(facts, /core module/);
    assert.match(facts, /preview1/);
    assert.match(facts, /Rust/);
    assert.match(await frame.locator('#verdict').innerText(), /rw runs it as it is/);
    assert.match(await frame.locator('#imports').innerText(), /wasi_snapshot_preview1[\s\S]*args_get/);
    assert.match(await frame.locator('#exports').innerText(), /_start/);
    assert.match(await frame.locator('#explain').innerText(), /run: yes/);
    await fs.mkdir(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
  });

  test('Run asks for arguments and runs the program in a terminal', async () => {
    const { page } = vscode;
    await viewFrame(page).locator('#run').click();
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(`a "b c"`);
    await page.keyboard.press('Enter');
    await waitForTerminalText(page, /\[a\]\n\[b c\]\nargc=2[\s\S]*exited with 0/);
  });

  test('an import rw refuses is marked, with the line and its fix', async () => {
    const { page } = vscode;
    await openFile(page, 'unknown_imports.wasm');
    const frame = viewFrame(page);
    await frame.locator('#verdict', { hasText: 'cannot run' }).waitFor({ timeout: 30_000 });
    assert.match(await frame.locator('#verdict').innerText(), /rw: unknown_imports\.wasm.*--stub-unknown-imports/s);
    assert.ok(await frame.locator('#imports .row.refuse').count() > 0);
  });

  test('a file that is not wasm shows the core\'s one line', async () => {
    const { page } = vscode;
    await openFile(page, 'notwasm.wasm');
    const frame = viewFrame(page);
    await frame.locator('#verdict', { hasText: 'rw: notwasm.wasm' }).waitFor({ timeout: 30_000 });
    assert.doesNotMatch(await frame.locator('body').innerText(), /at \w+ \(|Error:/);
  });

  test('Show as WAT opens the module as text', async () => {
    const { page } = vscode;
    await openFile(page, 'args.wasm');
    await viewFrame(page).locator('#wat').click();
    await page.locator('.monaco-editor .view-lines', { hasText: '(module' }).first().waitFor({ timeout: 30_000 });
  });

  test('a rw task runs the program and its exit code is the task\'s', async () => {
    const { page } = vscode;
    await runPaletteCommand(page, 'Tasks: Run Task');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill('exit 5');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'exit 5' }).first().click();
    // VS Code may ask whether to scan the task's output: take the default.
    await waitForTerminalText(page, /exiting with 5[\s\S]*exited with 5/);
  });
});
