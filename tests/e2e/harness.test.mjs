// Smoke test of the e2e harness against the real Web Shell, without rw: VS Code for the Web
// starts offline, the Web Shell opens on the temp workspace, built-in commands run, their output
// and exit codes come back, and the prompt returns.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import os from 'node:os';
import path from 'node:path';
import { startVSCodeWeb, upstreamExtensions } from './lib/vscodeWeb.mjs';
import { openWebShell } from './lib/webShell.mjs';

const upstream = upstreamExtensions();

describe('e2e harness (Web Shell, no rw)', { skip: upstream.skip }, () => {
  let workspace, vscode, shell;

  before(async () => {
    workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'rw-e2e-ws-'));
    await fs.writeFile(path.join(workspace, 'hello.txt'), 'hello from the workspace\n');
    vscode = await startVSCodeWeb({ workspace, extensionPaths: [upstream.dir] });
    shell = await openWebShell(vscode.page);
  });

  after(async () => {
    await vscode?.close();
    if (workspace) await fs.rm(workspace, { recursive: true, force: true });
  });

  test('the workspace is the shell\'s cwd', async () => {
    assert.equal(await shell.run('pwd'), '/workspace');
    assert.equal(shell.exitCode(), 0);
    assert.equal(await shell.run('ls'), 'hello.txt');
    assert.equal(shell.exitCode(), 0);
    assert.equal(await shell.run('cat hello.txt'), 'hello from the workspace');
  });

  test('echo, with a line longer than the terminal is wide', async () => {
    assert.equal(await shell.run('echo hi'), 'hi');
    const long = 'x'.repeat(300); // wraps: the harness must join the rows again
    assert.equal(await shell.run(`echo ${long}`), long);
    assert.equal(await shell.run('echo -n no-newline'), 'no-newline');
  });

  test('a failing command reports its exit code', async () => {
    assert.match(await shell.run('ls nope'), /nope.*No such file or directory/);
    assert.equal(shell.exitCode(), 2);
    assert.equal(await shell.decorationExitCode(), 2, 'VS Code\'s decoration agrees');
    assert.equal(await shell.run('no-such-command'), '-wesh: no-such-command: command not found');
    assert.equal(shell.exitCode(), 1);
  });

  test('success as VS Code shows it', async () => {
    await shell.run('echo ok');
    assert.equal(await shell.decorationExitCode(), 0);
  });

  test('Ctrl-C at the prompt gives a fresh prompt', async () => {
    await shell.ctrlC();
    await shell.waitForText(/\^C\n\/workspace \$$/);
    await shell.waitForPrompt();
    assert.equal(await shell.run('echo after'), 'after');
  });

  test('the prompt is back after each command', async () => {
    assert.match(await shell.screen(), /\n\/workspace \$$/);
  });
});
