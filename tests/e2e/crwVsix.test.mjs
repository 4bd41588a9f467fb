// crw as a user gets it (issue 15): rw installed from its VSIX in code-server, nothing else on
// PATH. A new integrated terminal runs the VSIX's own crw (bin/linux-x64/crw of the installed
// extension, not target/ or ~/.cargo/bin), and cargo, put on PATH after it, runs and tests a
// wasm32-wasip1 crate through it as its runner: arguments in, exit codes out, a failing test
// fails `cargo test`. Also makes the Marketplace README's terminal screenshot from this run.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { host } from './lib/hosts.mjs';
import { openTerminal } from './lib/webShell.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const VERSION = JSON.parse(await fs.readFile(path.join(REPO, 'extension/package.json'), 'utf8')).version;
const VSIX = path.join(REPO, `rw-${VERSION}.vsix`);
const SAMPLES = path.join(REPO, 'target/samples/wasm');
const CRATE = path.join(REPO, 'tests/fixtures/cargo-runner');
const SCREENSHOT = path.join(REPO, '.e2e/screenshots/crw-terminal.png');
const node = host('node');
// This machine's cargo and rustup, found before code-server gives the terminal a HOME of its own.
const CARGO = execFileSync('rustup', ['which', 'cargo'], { encoding: 'utf8' }).trim();
const RUSTUP_HOME = process.env.RUSTUP_HOME ?? path.join(os.homedir(), '.rustup');

describe('crw from the installed VSIX, and cargo through it (node extension host)', { skip: node.skip }, () => {
  let workspace, vscode, terminal;

  before(async () => {
    for (const [what, file] of [['the VSIX', VSIX], ['the samples', path.join(SAMPLES, 'hello.wasm')]]) {
      if (!existsSync(file)) throw new Error(`${what} is not built (${file}); run scripts/build.sh and scripts/build-samples.sh`);
    }
    workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'rw-e2e-vsix-'));
    for (const name of ['hello.wasm', 'cat.wasm']) await fs.copyFile(path.join(SAMPLES, name), path.join(workspace, name));
    cpSync(CRATE, path.join(workspace, 'cargo-runner'), { recursive: true, filter: (p) => !p.includes(`${path.sep}target`) });
    vscode = await node.start({ workspace, extension: VSIX, settings: { 'terminal.integrated.defaultProfile.linux': 'bash' } });
    // cargo goes AFTER what VS Code put on PATH, and the toolchain's own bin holds no crw; a `$`
    // prompt (we run as root). CARGO_HOME stays code-server's empty one: no user runner there.
    await fs.writeFile(path.join(path.dirname(vscode.dataDir), 'home/.bashrc'),
      `export PATH="$PATH:${path.dirname(CARGO)}" RUSTUP_HOME="${RUSTUP_HOME}"\nPS1='$ '\n`);
    for (let attempt = 0; ; attempt++) {
      terminal = await openTerminal(vscode.page, 'Terminal: Create New Terminal');
      if ((await terminal.run('test -S "$RW_CRW_SOCKET" && echo ready')) === 'ready') break;
      if (attempt === 10) throw new Error('no terminal got RW_CRW_SOCKET: did rw activate?');
      await new Promise((r) => setTimeout(r, 1000));
    }
  });

  after(async () => {
    await vscode?.close();
    if (workspace) await fs.rm(workspace, { recursive: true, force: true });
  });

  test('the crw on PATH, and cargo runner, is the installed extension\'s own', async () => {
    const crw = await terminal.run('command -v crw');
    assert.match(crw, /\/extensions\/[^/]*rw-[^/]*\/bin\/linux-x64\/crw$/);
    assert.equal(await terminal.run('echo "$CARGO_TARGET_WASM32_WASIP1_RUNNER"'), crw);
    assert.equal(await terminal.run('echo "$CARGO_TARGET_WASM32_WASIP1_THREADS_RUNNER"'), crw);
  });

  test('crw hello.wasm, and echo hi | crw cat.wasm', async () => {
    // The screenshot shows these two and nothing of the set-up above them.
    await terminal.run('clear', { output: false });
    assert.match(await terminal.run('crw hello.wasm'), /^Hello from WebAssembly/);
    assert.equal(terminal.exitCode(), 0);
    assert.equal(await terminal.run('echo hi | crw cat.wasm'), 'hi');
    assert.equal(terminal.exitCode(), 0);
    // No toast over the terminal ("Some keybindings don't go to the terminal…" after F1 there).
    const toasts = vscode.page.locator('.notification-toast');
    while (await toasts.count()) {
      await toasts.first().hover();
      await toasts.first().locator('.codicon-notifications-clear').click();
    }
    await fs.mkdir(path.dirname(SCREENSHOT), { recursive: true });
    await vscode.page.screenshot({ path: SCREENSHOT });
  });

  test('cargo run --target wasm32-wasip1 -- args: the arguments reach it, its exit code comes back', async () => {
    await terminal.run('cd cargo-runner');
    const out = await terminal.run('cargo run --offline -q --target wasm32-wasip1 -- a "b c"', { timeout: 300_000 });
    assert.match(out, /cargo-runner got \["a", "b c"\]/);
    assert.equal(terminal.exitCode(), 3);
  });

  test('cargo test --target wasm32-wasip1: a passing test passes, a failing one fails cargo test', async () => {
    const pass = await terminal.run('cargo test --offline -q --target wasm32-wasip1 -- passes', { timeout: 300_000 });
    assert.match(pass, /test result: ok\. 1 passed/);
    assert.equal(terminal.exitCode(), 0);
    // wasm32-wasip1 has no unwinding: a panic aborts the whole harness (a trap, 134, as under
    // wasmtime), and cargo passes that code on as its own. --nocapture
    // shows the panic's message, which the harness would otherwise hold back until the end.
    const fail = await terminal.run('cargo test --offline -q --target wasm32-wasip1 -- --nocapture', { timeout: 300_000 });
    assert.match(fail, /this test fails on purpose/);
    assert.match(fail, /trapped: wasm `unreachable` instruction executed/);
    assert.match(fail, /\(exit status: 134\)/);
    assert.equal(terminal.exitCode(), 134);
  });
});
