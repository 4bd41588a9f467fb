// rw, installed from its VSIX, in both extension hosts (VS Code for the Web's worker and
// code-server's Node host, as desktop VS Code), with the real WASM WASI Core 1.0.2 and Web Shell
// 0.13.0: the cases the prior art fails (quotes, threads without flags, refusals, Ctrl-C) and
// that the prompt always comes back.
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hosts } from './lib/hosts.mjs';
import { openWebShell } from './lib/webShell.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const VERSION = JSON.parse(await fs.readFile(path.join(REPO, 'extension/package.json'), 'utf8')).version;
const VSIX = path.join(REPO, `rw-${VERSION}.vsix`);
const FIXTURES = path.join(REPO, 'tests/fixtures/wasm');
const PROGRAMS = ['hello', 'args', 'exit', 'spin', 'threads', 'unknown_imports', 'wasi_unstable', 'component'];

for (const host of hosts) {
describe(`rw in the ${host.name} extension host`, { skip: host.skip }, () => {
  let workspace, vscode, shell;

  before(async () => {
    for (const [what, file] of [['the VSIX', VSIX], ['the fixtures', path.join(FIXTURES, 'hello.wasm')]]) {
      if (!existsSync(file)) {
        throw new Error(`${what} is not built (${file}); run scripts/build.sh and scripts/build-fixtures.sh first`);
      }
    }
    workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'rw-e2e-ws-'));
    for (const name of PROGRAMS) {
      await fs.copyFile(path.join(FIXTURES, `${name}.wasm`), path.join(workspace, `${name}.wasm`));
    }
    vscode = await host.start({ workspace, extension: VSIX });
    shell = await openWebShell(vscode.page);
  });

  after(async () => {
    await vscode?.close();
    if (workspace) await fs.rm(workspace, { recursive: true, force: true });
  });

  test('quoted arguments reach the program whole', async () => {
    assert.equal(await shell.run(`rw args.wasm a "b c" 'd e'`), '[a]\n[b c]\n[d e]\nargc=3');
    assert.equal(shell.exitCode(), 0);
  });

  test('the program\'s exit code is the command\'s', async () => {
    assert.equal(await shell.run('rw exit.wasm 3'), 'exiting with 3');
    assert.equal(shell.exitCode(), 3);
    assert.equal(await shell.decorationExitCode(), 3, 'VS Code shows the same code');
  });

  test('a wasm32-wasip1-threads program runs with no memory flags', async () => {
    assert.equal(await shell.run('rw threads.wasm'), 'worker 1: 500500\nworker 2: 1001000\nthreads: 2 workers done');
    assert.equal(shell.exitCode(), 0);
  });

  test('--print-imports-exports lists the module', async () => {
    const listing = await shell.run('rw --print-imports-exports unknown_imports.wasm');
    assert.match(listing, /^import: env js_callback function\nimport: env now function\n/);
    assert.match(listing, /\nexport: _start function$/);
    assert.equal(shell.exitCode(), 0);
  });

  test('modules the Core cannot run are refused in one line, and the prompt comes back', async () => {
    const cases = [
      ['rw unknown_imports.wasm', 126, /^rw: unknown_imports\.wasm: imports what the WASM WASI Core cannot provide: env \(js_callback, now\)/],
      ['rw wasi_unstable.wasm', 126, /^rw: wasi_unstable\.wasm: .*old wasi_unstable ABI/],
      ['rw component.wasm', 126, /^rw: component\.wasm: is a WebAssembly component/],
      ['rw missing.wasm', 127, /^rw: missing\.wasm: no such file \(looked in \/workspace\)/],
      ['rw --frobnicate hello.wasm', 2, /^rw: unexpected argument '--frobnicate'/],
    ];
    for (const [line, code, message] of cases) {
      const output = await shell.run(line);
      assert.match(output, message, line);
      assert.equal(output.split('\n').length, 1, `${line}: one line, got ${JSON.stringify(output)}`);
      assert.equal(shell.exitCode(), code, line);
    }
  });

  test('Ctrl-C stops a spinning program with 130 and the shell keeps working', async () => {
    const running = shell.run('rw spin.wasm');
    await shell.waitForText(/spinning/);
    await shell.ctrlC();
    assert.match(await running, /^spinning/);
    assert.equal(shell.exitCode(), 130);
    assert.equal(await shell.run('rw hello.wasm still here'), 'hello from rw\nargs: still here');
    assert.equal(shell.exitCode(), 0);
  });
});
}
