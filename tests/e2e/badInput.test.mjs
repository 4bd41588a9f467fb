// Issue "never hang": every bad input gives one `rw:` line, a non-zero exit code and the
// prompt back, in the same Web Shell, in both extension hosts; afterwards the shell still
// runs programs.
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertBadInput, badInputMatrix, runBadInput, writeBadInputs } from './lib/badInputs.mjs';
import { hosts } from './lib/hosts.mjs';
import { openWebShell } from './lib/webShell.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const VERSION = JSON.parse(await fs.readFile(path.join(REPO, 'extension/package.json'), 'utf8')).version;
const VSIX = path.join(REPO, `rw-${VERSION}.vsix`);
const MATRIX = badInputMatrix('rw');

for (const host of hosts) {
describe(`bad input never hangs rw (${host.name} extension host)`, { skip: host.skip }, () => {
  let workspace, vscode, shell;

  before(async () => {
    if (!existsSync(VSIX)) throw new Error(`${VSIX} is not built; run scripts/build.sh`);
    workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'rw-e2e-bad-'));
    await writeBadInputs(workspace);
    // The 1 MB command line echoes into some 10 000 rows: keep them all in the buffer.
    vscode = await host.start({ workspace, extension: VSIX, settings: { 'terminal.integrated.scrollback': 100_000 } });
    shell = await openWebShell(vscode.page);
  });

  after(async () => {
    await vscode?.close();
    if (workspace) await fs.rm(workspace, { recursive: true, force: true });
  });

  for (const row of MATRIX) {
    test(row[0], async () => {
      assertBadInput(await runBadInput(shell, row), shell.exitCode(), row);
    });
  }

  test('an infinite loop: Ctrl-C, 130', async () => {
    const running = shell.run('rw spin.wasm');
    await shell.waitForText(/spinning/);
    await shell.ctrlC();
    await running;
    assert.equal(shell.exitCode(), 130);
  });

  test('a flood of output (100 GB, never done first): Ctrl-C mid-way, 130', async () => {
    // Its output may outgrow the scrollback before Ctrl-C lands: only the exit code is read.
    const running = shell.run('rw flood.wasm 100000', { timeout: 60_000, output: false });
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
