// Issue "never hang": every bad input gives one `rw:` line, a non-zero exit code and the
// prompt back, in the same Web Shell, in both extension hosts; afterwards the shell still
// runs programs.
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
const PROGRAMS = ['hello', 'exit', 'spin', 'flood', 'panic', 'abort_thread', 'component', 'no_start',
  'wasi_unstable', 'unknown_imports', 'unknown_called', 'unknown_uncalled'];

/** Rows: command line, exit code, what the last line says. */
const MATRIX = [
  ['rw nothing-here.wasm', 127, /^rw: nothing-here\.wasm: no such file/],
  ['rw adir', 126, /^rw: adir: is a directory/],
  ['rw empty.wasm', 126, /^rw: empty\.wasm: is empty, not a WebAssembly module/],
  ['rw notes.wasm', 126, /^rw: notes\.wasm: is not a WebAssembly module/],
  ['rw truncated.wasm', 126, /^rw: truncated\.wasm: is not a valid WebAssembly module \(.* at byte \d+\); /],
  ['rw component.wasm', 126, /^rw: component\.wasm: is a WebAssembly component/],
  ['rw no_start.wasm', 126, /^rw: no_start\.wasm: exports no _start/],
  ['rw unknown_imports.wasm', 126, /^rw: unknown_imports\.wasm: imports what no WASI host provides/],
  ['rw --stub-unknown-imports unknown_called.wasm', 134, /^rw: unknown_called\.wasm called unsupported import env\.now$/],
  ['rw panic.wasm', 134, /^rw: panic\.wasm trapped: unreachable executed$/],
  ['rw abort_thread.wasm', 134, /^rw: abort_thread\.wasm trapped: unreachable executed$/],
  ['rw --memory-initial=lots hello.wasm', 2, /^rw: invalid value 'lots' for '--memory-initial <PAGES>'/],
  ['rw hello.wasm "unclosed', 2, /^rw: unclosed quote/],
];

for (const host of hosts) {
describe(`bad input never hangs rw (${host.name} extension host)`, { skip: host.skip }, () => {
  let workspace, vscode, shell;

  before(async () => {
    if (!existsSync(VSIX)) throw new Error(`${VSIX} is not built; run scripts/build.sh`);
    workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'rw-e2e-bad-'));
    for (const name of PROGRAMS) {
      await fs.copyFile(path.join(FIXTURES, `${name}.wasm`), path.join(workspace, `${name}.wasm`));
    }
    await fs.mkdir(path.join(workspace, 'adir'));
    await fs.writeFile(path.join(workspace, 'empty.wasm'), '');
    await fs.writeFile(path.join(workspace, 'notes.wasm'), 'not a module\n');
    const hello = await fs.readFile(path.join(FIXTURES, 'hello.wasm'));
    await fs.writeFile(path.join(workspace, 'truncated.wasm'), hello.subarray(0, 1000));
    // The 1 MB command line echoes into some 10 000 rows: keep them all in the buffer.
    vscode = await host.start({ workspace, extension: VSIX, settings: { 'terminal.integrated.scrollback': 100_000 } });
    shell = await openWebShell(vscode.page);
  });

  after(async () => {
    await vscode?.close();
    if (workspace) await fs.rm(workspace, { recursive: true, force: true });
  });

  for (const [line, code, message] of MATRIX) {
    test(line, async () => {
      const output = await shell.run(line);
      const last = output.split('\n').at(-1);
      assert.match(last, message, output);
      assert.equal(shell.exitCode(), code, output);
    });
  }

  test('an infinite loop: Ctrl-C, 130', async () => {
    const running = shell.run('rw spin.wasm');
    await shell.waitForText(/spinning/);
    await shell.ctrlC();
    await running;
    assert.equal(shell.exitCode(), 130);
  });

  test('100 MB of output: Ctrl-C mid-way, 130', async () => {
    // Its output may outgrow the scrollback before Ctrl-C lands: only the exit code is read.
    const running = shell.run('rw flood.wasm 100', { timeout: 60_000, output: false });
    await shell.waitForText(/flood line +\d+/);
    // A second of flooding: megabytes on their way to the screen when Ctrl-C lands.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await shell.ctrlC();
    await running;
    assert.equal(shell.exitCode(), 130);
    // Nothing the program wrote lands after the prompt, even a while later: the shell is
    // free for the next row.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.match(await shell.screen(), /\^C\n\/workspace \$$/);
  });

  test('a 1 MB argument list', async () => {
    const words = Array.from({ length: 140_000 }, (_, i) => `w${i}`).join(' ');
    assert.ok(words.length > 1_000_000);
    const output = await shell.run(`rw exit.wasm 7 ${words}`, { timeout: 180_000 });
    assert.equal(output, 'exiting with 7');
    assert.equal(shell.exitCode(), 7);
  });

  test('after all that, the same shell still runs programs', async () => {
    assert.equal(await shell.run('rw hello.wasm ok'), 'hello from rw\nargs: ok');
    assert.equal(shell.exitCode(), 0);
  });
});
}
