// The module view (issue 16) in both hosts: a .wasm opens in rw's custom editor with the
// core's model in its tables (a program rw runs as is, one it adapts, one it refuses, a
// threads program, a component, a file that is not wasm, and npm's ruby.wasm when
// scripts/fetch-ruby-wasm.sh has fetched it), and again when the file changes; Show as WAT
// opens the text, a function clicked opens at its text, a page links the next; Run, the
// Explorer's "Run with rw" and a `rw` task each run a program end to end, its output and exit
// code in the terminal. Saves .e2e/screenshots/module-view.png (web host) for the Marketplace
// README.
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hosts } from './lib/hosts.mjs';
import { runPaletteCommand } from './lib/vscodeWeb.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.join(REPO, 'tests/fixtures/wasm');
const SCREENSHOT = path.join(REPO, '.e2e/screenshots/module-view.png');
// Fetched by scripts/fetch-ruby-wasm.sh (test.sh runs it); its test is skipped without it.
const RUBY = path.join(REPO, 'target/bench/package/dist/ruby.wasm');
const FIXTURE_NAMES = ['args', 'exit', 'wasi_unstable', 'unknown_imports', 'threads', 'component'];

const missing = !existsSync(path.join(FIXTURES, 'args.wasm')) ? 'run scripts/build-fixtures.sh first'
  : !existsSync(path.join(REPO, 'extension/out/extension.js')) ? 'run scripts/build.sh first' : undefined;

/** Runs in the page: puts there a reader of every terminal's buffer (VS Code hangs xterm.js on `.terminal-wrapper`). */
function installTerminalsText() {
  globalThis.__rwTerminalsText ??= () => [...document.querySelectorAll('.terminal-wrapper')].map((w) => {
    const buf = w.xterm?.buffer?.active;
    if (!buf) return '';
    const lines = [];
    for (let y = 0; y < buf.length; y++) {
      const line = buf.getLine(y);
      const text = line.translateToString(true);
      if (line.isWrapped && lines.length) lines[lines.length - 1] += text;
      else lines.push(text);
    }
    return lines.join('\n');
  }).join('\n----\n');
}

/**
 * Waits until the terminals' text matches `pattern` (with `absent`: no longer matches); says
 * what they showed if it never does.
 */
async function waitForTerminals(page, what, pattern, { absent = false, timeout = 30_000 } = {}) {
  await page.evaluate(installTerminalsText);
  try {
    await page.waitForFunction(([source, flags, absent]) => new RegExp(source, flags).test(globalThis.__rwTerminalsText()) !== absent,
      [pattern.source, pattern.flags, absent], { timeout });
  } catch (error) {
    throw new Error(`no ${what} in the terminals after ${timeout / 1000} s (${error.message}):\n${await page.evaluate(() => globalThis.__rwTerminalsText())}`);
  }
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The Explorer's row of `name` (test-web's quick open finds no files: the Explorer it is). */
async function explorerRow(page, name) {
  const row = page.locator('.explorer-folders-view .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) }).first();
  if (!(await row.isVisible())) await page.keyboard.press('Control+Shift+E');
  await row.waitFor({ timeout: 60_000 });
  return row;
}

/** The page inside the active module view (VS Code nests it in two frames). */
function viewOf(page) {
  return page.frameLocator('iframe.webview.ready:visible').frameLocator('#active-frame');
}

/**
 * Opens `name` in the module view and waits for the model (the verdict box) to be drawn.
 * Should the file open in another editor (code-server's binary one, under load), a file
 * once open in a tab would open there again: that tab is closed and the file opened with
 * rw's editor by name ("Open With..."), and what was shown is saved as a screenshot.
 */
async function openView(page, name, timeout = 60_000) {
  const deadline = Date.now() + timeout;
  const view = viewOf(page);
  const heading = view.locator('h1', { hasText: new RegExp(`^${escapeRegExp(name)}$`) });
  // Any editor of the active group that is not a webview: text, or the binary placeholder.
  const otherEditor = page.locator('.editor-group-container.active .editor-instance')
    .locator('.monaco-editor, .monaco-editor-pane-placeholder').locator('visible=true').first();
  await (await explorerRow(page, name)).dblclick();
  for (let attempt = 1; ; attempt++) {
    await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout });
    const viewShown = heading.waitFor({ timeout: Math.max(1, deadline - Date.now()) }).then(() => 'view');
    // Once the other editor won the race, a timeout here is no failure of the test's.
    viewShown.catch(() => undefined);
    const shown = await Promise.race([
      viewShown,
      otherEditor.waitFor({ timeout: Math.max(1, deadline - Date.now()) }).then(() => 'other', () => new Promise(() => undefined)),
    ]);
    if (shown === 'view') break;
    const text = await page.locator('.editor-group-container.active .editor-instance').first().innerText().catch(() => '');
    await fs.mkdir(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: path.join(path.dirname(SCREENSHOT), `module-view-other-editor-${attempt}.png`) });
    console.log(`${name} opened in another editor than rw's (attempt ${attempt}): ${JSON.stringify(text.slice(0, 200))}`);
    if (attempt === 3 || Date.now() >= deadline) {
      throw new Error(`${name} opened in another editor than rw's module view, ${attempt} times: ${text.slice(0, 200)}`);
    }
    await runPaletteCommand(page, 'View: Close Editor');
    const row = await openWithRw(page, name, Math.max(1, Math.min(30_000, deadline - Date.now())));
    if (row === undefined) throw new Error(`no rw's editor in the "Open With..." of ${name}`);
    await row.click();
  }
  await view.locator('#verdict').waitFor({ timeout: Math.max(1, deadline - Date.now()) });
  return view;
}

/**
 * The item `label` of `name`'s context menu in the Explorer, shown. With `timeout` it gives up
 * (undefined) rather than throws.
 */
async function explorerMenuItem(page, name, label, { timeout = 30_000, orNot = false } = {}) {
  await (await explorerRow(page, name)).click({ button: 'right' });
  const item = page.locator('.monaco-menu .action-item', { hasText: new RegExp(`^${escapeRegExp(label)}$`) });
  try {
    await item.waitFor({ timeout });
    return item;
  } catch (error) {
    await page.keyboard.press('Escape');
    if (orNot) return undefined;
    throw error;
  }
}

/** The row of rw's editor in the Explorer's "Open With..." for `name`, shown; undefined if none within `timeout`. */
async function openWithRw(page, name, timeout) {
  const item = await explorerMenuItem(page, name, 'Open With...', { timeout, orNot: true });
  if (item === undefined) return undefined;
  await item.hover();
  await page.keyboard.press('Enter');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'WebAssembly module (rw)' }).first();
  try {
    await row.waitFor({ timeout });
    return row;
  } catch {
    await page.keyboard.press('Escape');
    return undefined;
  }
}

/**
 * Waits until the workbench has rw's contributions: its menu items, and its custom editor
 * among those that can open a .wasm. Under load code-server showed the first before the
 * second, and a .wasm opened then opened in its binary editor.
 */
async function waitForRw(page, timeout = 120_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const item = await explorerMenuItem(page, 'args.wasm', 'Run with rw', { timeout: 5_000, orNot: true });
    if (item) {
      await page.keyboard.press('Escape');
      if (await openWithRw(page, 'args.wasm', 5_000)) return page.keyboard.press('Escape');
    }
    if (Date.now() > deadline) throw new Error(`no "Run with rw" in the Explorer's menu, or no rw's editor in its "Open With...", after ${timeout / 1000} s`);
  }
}

const inputBox = (page) => page.locator('.quick-input-widget .quick-input-box input');

/** Answers rw's "Arguments for the program" box. */
async function giveArguments(page, line) {
  await page.locator('.quick-input-widget', { hasText: 'Arguments for the program' }).waitFor({ timeout: 30_000 });
  await inputBox(page).fill(line);
  await page.keyboard.press('Enter');
}

/** A run's terminal stays until a key: press one, and it must go. */
async function closeRunTerminal(page, marker) {
  await page.locator('.terminal-wrapper .xterm-screen').last().click();
  await page.keyboard.press('Enter');
  await waitForTerminals(page, `terminal without ${marker} (closed by a key)`, new RegExp(escapeRegExp(marker)), { absent: true });
}

for (const host of hosts) {
  describe(`the module view (${host.name})`, { skip: host.skip ?? missing }, () => {
    let workspace, vscode, page;

    before(async () => {
      workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'rw-e2e-view-'));
      for (const name of FIXTURE_NAMES) {
        await fs.copyFile(path.join(FIXTURES, `${name}.wasm`), path.join(workspace, `${name}.wasm`));
      }
      if (existsSync(RUBY)) await fs.copyFile(RUBY, path.join(workspace, 'ruby.wasm'));
      await fs.writeFile(path.join(workspace, 'notwasm.wasm'), 'hello, not wasm\n');
      await fs.mkdir(path.join(workspace, '.vscode'));
      await fs.writeFile(path.join(workspace, '.vscode/tasks.json'), JSON.stringify({
        version: '2.0.0',
        // No problem matcher: VS Code would otherwise ask whether to scan the output.
        tasks: [{ type: 'rw', label: 'exit 5', file: 'exit.wasm', args: ['5'], problemMatcher: [] }],
      }));
      vscode = await host.start({ workspace, extension: path.join(REPO, 'extension') });
      page = vscode.page;
      await waitForRw(page);
    });

    after(async () => {
      await vscode?.close();
      if (workspace) await fs.rm(workspace, { recursive: true, force: true });
    });

    test('a program rw runs as is: its facts, imports, exports, memory, functions', async () => {
      const view = await openView(page, 'args.wasm');
      const facts = await view.locator('#facts').innerText();
      assert.match(facts, /kind\s+core module/);
      assert.match(facts, /WASI\s+preview1/);
      assert.match(facts, /language\s+.*Rust/);
      assert.match(facts, /functions\s+6 imported, \d+ defined/);
      assert.match(await view.locator('#verdict').innerText(), /rw runs it as it is/);
      const imports = await view.locator('#imports').innerText();
      assert.match(imports, /wasi_snapshot_preview1\s+args_get\s+function\s+\(i32, i32\) -> \(i32\)/);
      assert.match(imports, /wasi_snapshot_preview1\s+fd_write\s+function\s+\(i32, i32, i32, i32\) -> \(i32\)/);
      assert.match(await view.locator('#exports').innerText(), /_start\s+function\s+\(\) -> \(\)/);
      assert.match(await view.locator('#memories').innerText(), /memory\s+-\s+17 pages/);
      // The largest functions, by their names from the name section.
      assert.match(await view.locator('#functions').innerText(), /dlmalloc/);
      assert.match(await view.locator('#sections').innerText(), /code/);
      assert.match(await view.locator('#explain').innerText(), /args\.wasm/);
      if (host.name === 'web') {
        await fs.mkdir(path.dirname(SCREENSHOT), { recursive: true });
        await page.screenshot({ path: SCREENSHOT });
      }
      // The filter narrows a table to the rows with its word.
      await view.locator('input[data-table="imports"]').fill('proc_exit');
      assert.equal(await view.locator('#imports .row:not(.head)').count(), 1);
      await view.locator('input[data-table="imports"]').fill('');
    });

    test('Run asks for arguments, runs the program in a terminal, and remembers them', async () => {
      const view = viewOf(page);
      await view.locator('#run').click();
      await giveArguments(page, `a "b c"`);
      await waitForTerminals(page, 'output of args.wasm and its exit code',
        /\[a\]\n\[b c\]\nargc=2\n[\s\S]*\[rw: args\.wasm exited with 0\]/);
      await closeRunTerminal(page, 'args.wasm exited with 0');
      // The same file asks again with what was typed last.
      await view.locator('#lens').click();
      await page.locator('.quick-input-widget', { hasText: 'Arguments for the program' }).waitFor();
      assert.equal(await inputBox(page).inputValue(), `a "b c"`);
      await page.keyboard.press('Escape');
    });

    test('a module rw adapts: the adapted imports marked, and what it changes', async () => {
      const view = await openView(page, 'wasi_unstable.wasm');
      assert.match(await view.locator('#facts').innerText(), /WASI\s+wasi_unstable/);
      const verdict = await view.locator('#verdict').innerText();
      assert.match(verdict, /rw runs it adapted/);
      assert.ok(await view.locator('#verdict li').count() > 0, verdict);
      assert.ok(await view.locator('#imports .row.adapt').count() > 0);
      assert.match(await view.locator('#imports').innerText(), /adapted: .*instead \(same ABI\)/);
    });

    test('a module rw refuses: the imports marked, the one line and its fix', async () => {
      const view = await openView(page, 'unknown_imports.wasm');
      assert.match(await view.locator('#verdict').innerText(),
        /rw cannot run it\s+rw: unknown_imports\.wasm.*--stub-unknown-imports/s);
      assert.ok(await view.locator('#imports .row.refuse').count() > 0);
      assert.match(await view.locator('#imports').innerText(), /refused: /);
    });

    test('a threads program: its imported shared memory', async () => {
      const view = await openView(page, 'threads.wasm');
      assert.match(await view.locator('#facts').innerText(), /WASI\s+preview1 threads/);
      assert.match(await view.locator('#memories').innerText(), /memory\s+env\.memory\s+\d+ pages?.*\s+\d+ pages?\s+shared/);
      assert.match(await view.locator('#imports').innerText(), /wasi\s+thread-spawn/);
    });

    // test-web's workspace is served over HTTP: no change made on disk ever reaches VS Code.
    test('a module rebuilt while its view is open: the view shows the new one', { skip: host.name === 'web' && 'test-web reports no change made on disk' }, async () => {
      const view = await openView(page, 'threads.wasm');
      await fs.copyFile(path.join(FIXTURES, 'args.wasm'), path.join(workspace, 'threads.wasm'));
      await view.locator('#facts dd', { hasText: /^77\.8 KiB/ }).waitFor({ timeout: 30_000 });
      assert.match(await view.locator('#facts').innerText(), /WASI\s+preview1\n/);
      assert.doesNotMatch(await view.locator('#imports').innerText(), /thread-spawn/);
    });

    test('a component: named so, with the core\'s line, and no Run', async () => {
      const view = await openView(page, 'component.wasm');
      assert.match(await view.locator('#facts').innerText(), /kind\s+component/);
      assert.match(await view.locator('#verdict').innerText(), /rw cannot run it\s+rw: component\.wasm.*component/s);
      assert.equal(await view.locator('#run, #wat, #lens').count(), 0);
      assert.ok(await view.locator('#sections .row:not(.head)').count() > 0);
    });

    test('a file that is not wasm: the core\'s one line, no stack', async () => {
      const view = await openView(page, 'notwasm.wasm');
      assert.match(await view.locator('#facts').innerText(), /kind\s+not a WebAssembly module/);
      assert.match(await view.locator('#verdict').innerText(), /rw: notwasm\.wasm: /);
      assert.equal(await view.locator('#run, #wat, #lens, #sections').count(), 0);
      assert.doesNotMatch(await view.locator('body').innerText(), /at \w+ \(|Error:/);
    });

    test('Show as WAT opens the text; a function clicked opens at its text', async () => {
      const view = await openView(page, 'args.wasm');
      await view.locator('#wat').click();
      const tab = page.locator('.tabs-container .tab.active', { hasText: 'args.wasm.wat' });
      await tab.waitFor({ timeout: 30_000 });
      await page.locator('.monaco-editor .view-lines', { hasText: '(module' }).first().waitFor({ timeout: 30_000 });
      // Back to the view, and the largest function by a click: its `(func` is the top line.
      await page.locator('.tabs-container .tab', { hasText: /^args\.wasm$/ }).first().click();
      const row = viewOf(page).locator('#functions .row.clickable').first();
      const name = (await row.locator('span').nth(1).innerText()).trim();
      await row.click();
      await tab.waitFor();
      // The line the cursor is on (its number is the active one in the margin) is the function's.
      await page.waitForFunction((name) => {
        const editor = document.querySelector('.editor-instance .monaco-editor.focused') ?? document.querySelector('.editor-instance .monaco-editor');
        const active = editor?.querySelector('.margin-view-overlays .active-line-number')?.parentElement;
        const line = [...(editor?.querySelectorAll('.view-lines .view-line') ?? [])].find((l) => l.style.top === active?.style.top);
        return line?.textContent.replace(/\u00a0/g, ' ').includes(`(func $${name} `);
      }, name, { timeout: 30_000 });
    });

    test('the Explorer\'s "Run with rw" runs the program in a terminal', async () => {
      // Hovered, an item has the menu's focus, and Enter runs it (code-server's menu let a
      // click through unseen: the item lit up, nothing ran).
      const item = await explorerMenuItem(page, 'exit.wasm', 'Run with rw');
      await item.hover();
      await page.keyboard.press('Enter');
      await giveArguments(page, '3');
      await waitForTerminals(page, 'output of exit.wasm and its exit code',
        /exiting with 3\n[\s\S]*\[rw: exit\.wasm exited with 3\]/);
      await closeRunTerminal(page, 'exit.wasm exited with 3');
    });

    // VS Code for the Web 1.91's "Tasks: Run Task" shows nothing at all (it waits for every kind
    // of task execution to register, and the web has only custom ones: microsoft/vscode#212047).
    test('a rw task runs the program, and its exit code is the task\'s', { skip: host.name === 'web' && 'Tasks: Run Task is a no-op in VS Code for the Web 1.91 (microsoft/vscode#212047)' }, async () => {
      await runPaletteCommand(page, 'Tasks: Run Task');
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'exit 5' }).first();
      await row.waitFor({ timeout: 30_000 });
      await row.click();
      // VS Code's own line after the task: "The terminal process terminated with exit code: 5"
      // ("failed to launch", for one that ends within half a second).
      await waitForTerminals(page, 'task output and the exit code VS Code saw',
        /exiting with 5\n[\s\S]*\[rw: exit\.wasm exited with 5\][\s\S]*exit code: 5\b/);
    });

    test('npm\'s ruby.wasm (16 MB): the view, the first page of its text, and the link to the next', { skip: !existsSync(RUBY) && 'no ruby.wasm: scripts/fetch-ruby-wasm.sh fetches it' }, async (t) => {
      const started = Date.now();
      const view = await openView(page, 'ruby.wasm');
      const shown = Date.now();
      assert.match(await view.locator('#facts').innerText(), /size\s+15\.\d MiB/);
      assert.ok(await view.locator('#functions .row.clickable').count() > 0);
      await view.locator('#wat').click();
      await page.locator('.monaco-editor .view-lines', { hasText: '(module' }).first().waitFor({ timeout: 60_000 });
      // The window still answers: the palette opens over the text.
      await page.keyboard.press('F1');
      await inputBox(page).waitFor();
      await page.keyboard.press('Escape');
      // The page ends with a link to the next one, which opens beside it (one more tab).
      await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+End');
      // Back to the start of that last line: Control+End scrolled the view to its end, and the
      // link's first piece (Monaco draws a long link in pieces) could be left out of sight, where
      // a click lands on nothing and scrolling to it redraws it without end (seen in CI).
      await page.keyboard.press('Home');
      const link = page.locator('.editor-instance .monaco-editor .view-line .detected-link', { hasText: 'rw-wat:' }).first();
      await link.waitFor({ timeout: 30_000 });
      await link.click({ modifiers: ['Control'] });
      await page.locator('.tabs-container .tab', { hasText: 'ruby.wasm.wat' }).nth(1).waitFor({ timeout: 60_000 });
      // ... and goes on where the first stopped: mid-module, no `(module` at its top.
      await page.waitForFunction(() => {
        const lines = [...document.querySelectorAll('.editor-instance .monaco-editor .view-lines .view-line')]
          .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
        return lines.length > 10 && !lines[0].textContent.includes('(module') && !lines.some((l) => l.textContent.includes('rw: the text goes on'));
      }, undefined, { timeout: 60_000 });
      t.diagnostic(`ruby.wasm: the view in ${shown - started} ms, its WAT's first page ${Date.now() - shown} ms later`);
    });
  });
}
