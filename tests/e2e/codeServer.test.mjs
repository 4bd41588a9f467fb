// Smoke test of the e2e harness in the Node extension host (code-server 4.100.3 = VS Code 1.100.3,
// what desktop VS Code runs extensions in), without rw: the upstream VSIXs install, the Web Shell
// opens on the temp workspace, built-in commands run, output, exit codes and Ctrl-C come back.
// Skipped (one line) until tests/e2e/install-code-server.sh has run.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import os from 'node:os';
import path from 'node:path';
import { startCodeServer, upstreamVsixes } from './lib/codeServer.mjs';
import { host } from './lib/hosts.mjs';
import { openWebShell } from './lib/webShell.mjs';

const node = host('node');

describe('e2e harness, Node extension host (code-server; Web Shell, no rw)', { skip: node.skip }, () => {
  let workspace, vscode, shell;

  before(async () => {
    workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'rw-e2e-ws-'));
    await fs.writeFile(path.join(workspace, 'hello.txt'), 'hello from the workspace\n');
    vscode = await startCodeServer({ workspace, vsixPaths: upstreamVsixes().paths });
    shell = await openWebShell(vscode.page);
  });

  after(async () => {
    await vscode?.close();
    if (workspace) await fs.rm(workspace, { recursive: true, force: true });
  });

  test('the Web Shell runs in the Node extension host', async () => {
    // code-server's remote extension host log: written by the Node process that activated it.
    const logs = await fs.readdir(path.join(vscode.dataDir, 'logs'), { recursive: true });
    const exthost = logs.filter((f) => f.endsWith('remoteexthost.log'));
    assert.equal(exthost.length, 1, `one remote extension host log: ${logs.join(', ')}`);
    const text = await fs.readFile(path.join(vscode.dataDir, 'logs', exthost[0]), 'utf8');
    assert.match(text, /_doActivateExtension ms-vscode\.webshell\b/);
    assert.match(text, /_doActivateExtension ms-vscode\.wasm-wasi-core\b/);
  });

  test('the workspace is the shell\'s cwd', async () => {
    assert.equal(await shell.run('pwd'), '/workspace');
    assert.equal(shell.exitCode(), 0);
    assert.equal(await shell.run('ls'), 'hello.txt');
    assert.equal(await shell.run('cat hello.txt'), 'hello from the workspace');
  });

  test('echo hi', async () => {
    assert.equal(await shell.run('echo hi'), 'hi');
    assert.equal(shell.exitCode(), 0);
    assert.equal(await shell.decorationExitCode(), 0, 'VS Code\'s decoration agrees');
    const long = 'x'.repeat(300); // wraps
    assert.equal(await shell.run(`echo ${long}`), long);
  });

  test('a failing command reports a non-zero exit code', async () => {
    assert.match(await shell.run('ls nope'), /nope.*No such file or directory/);
    assert.equal(shell.exitCode(), 2);
    assert.equal(await shell.decorationExitCode(), 2, 'VS Code\'s decoration agrees');
    assert.equal(await shell.run('no-such-command'), '-wesh: no-such-command: command not found');
    assert.equal(shell.exitCode(), 1);
  });

  test('Ctrl-C at the prompt gives a fresh prompt', async () => {
    await shell.ctrlC();
    await shell.waitForText(/\^C\n\/workspace \$$/);
    await shell.waitForPrompt();
    assert.equal(await shell.run('echo after'), 'after');
    assert.match(await shell.screen(), /\n\/workspace \$$/);
  });
});
