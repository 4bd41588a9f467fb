// The escape matrix: a program reaches only the directories it was given. Real programs
// (paths.wasm, Rust std::fs) in the real WASM WASI Core 1.0.2, through rw in both extension
// hosts and through crw in code-server's bash terminal, try every way out: `..` at any
// depth, from a relative and an absolute path, symbolic links (made on disk beforehand) to a
// directory and to a file outside, a link to nowhere written through. A secret outside the
// workspace must never be read or written; a decoy inside shows where a path would land.
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { hosts } from './lib/hosts.mjs';
import { openTerminal, openWebShell } from './lib/webShell.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const VERSION = JSON.parse(await fs.readFile(path.join(REPO, 'extension/package.json'), 'utf8')).version;
const VSIX = path.join(REPO, `rw-${VERSION}.vsix`);
const CRW = path.join(REPO, 'target/debug/crw');
const PATHS = path.join(REPO, 'tests/fixtures/wasm/paths.wasm');
// wasmtime answers EPERM to every way out. The Core 1.0.2 asks our file system whether a
// path exists before it opens it and takes any refusal for "not there": a link that leads
// out is ENOENT at open; a path that climbs out is EPERM at the read or write itself.
const EPERM = 'error 63';
const ENOENT = 'error 44';

/** A workspace with a decoy, links out and in; a directory outside it with the secret. */
async function lay() {
  const outside = await fs.mkdtemp(path.join(os.tmpdir(), 'rw-e2e-outside-'));
  await fs.writeFile(path.join(outside, 'secret.txt'), 'SECRET from outside\n');
  const workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'rw-e2e-escape-'));
  await fs.copyFile(PATHS, path.join(workspace, 'paths.wasm'));
  await fs.writeFile(path.join(workspace, 'notes.txt'), 'notes inside\n');
  await fs.mkdir(path.join(workspace, 'a/b'), { recursive: true });
  await fs.writeFile(path.join(workspace, 'a/b/deep.txt'), 'deep inside\n');
  // Where `outside`'s absolute path lands in a tree whose `/` is the workspace.
  await fs.mkdir(path.join(workspace, outside), { recursive: true });
  await fs.writeFile(path.join(workspace, outside, 'secret.txt'), 'decoy inside\n');
  await fs.symlink(outside, path.join(workspace, 'lnk'));
  await fs.symlink(path.join(outside, 'secret.txt'), path.join(workspace, 'flink'));
  await fs.symlink(path.join(outside, 'made-through-link.txt'), path.join(workspace, 'dangling'));
  await fs.symlink('a/b', path.join(workspace, 'inner'));
  return { workspace, outside };
}

/**
 * The probes and what each must give. `web`: VS Code for the Web's test file system
 * (@vscode/test-web) shows no symbolic links at all and keeps writes in memory.
 */
function matrix(outside, { web }) {
  const climb = (n) => `${'../'.repeat(n)}${outside.slice(1)}`;
  return [
    [`read:a/${climb(12)}/secret.txt`, EPERM],
    [`read:/a/b/${climb(3)}/secret.txt`, EPERM],
    [`read:${climb(1)}/secret.txt`, EPERM],
    [`read:${outside}/secret.txt`, 'ok decoy inside'],
    [`read:.//a/./b///../../notes.txt`, 'ok notes inside'],
    [`read:lnk/secret.txt`, ENOENT],
    [`read:flink`, ENOENT],
    [`ls:lnk`, ENOENT],
    [`read:inner/deep.txt`, web ? ENOENT : 'ok deep inside'],
    [`write:a/${climb(12)}/written.txt`, EPERM],
    [`write:/${climb(5)}/written.txt`, EPERM],
    [`write:lnk/written.txt`, ENOENT],
    // On the web no link is there: a new file, in the workspace's memory.
    [`write:dangling`, web ? 'ok' : EPERM],
    // The Core clamps this `..` at `/` before we see it, as a chroot would: it lands inside.
    [`mkdir:${climb(4)}/made`, 'ok'],
    [`write:a/written.txt`, 'ok'],
  ];
}

/** Runs every probe at once and checks each line, then that nothing outside changed. */
async function check(run, workspace, outside, opts) {
  const probes = matrix(outside, opts);
  const output = await run(`paths.wasm ${probes.map(([probe]) => probe).join(' ')}`);
  assert.doesNotMatch(output, /SECRET/, 'the secret outside was read');
  const expected = probes.map(([probe, answer]) => `${probe.replace(':', ' ')}: ${answer}`);
  assert.deepEqual(output.split('\n'), expected);
  assert.deepEqual((await fs.readdir(outside)).sort(), ['secret.txt'], 'nothing was made outside');
  if (!opts.web) {
    assert.equal(await fs.readFile(path.join(workspace, 'a/written.txt'), 'utf8'), 'written by paths\n');
    assert.ok(existsSync(path.join(workspace, outside, 'made')), 'the clamped mkdir landed at the decoy');
    await fs.rm(path.join(workspace, 'a/written.txt'));
    await fs.rm(path.join(workspace, outside, 'made'), { recursive: true });
  }
}

/** Deletes through rw's file system, with Linux's errnos: ENOTDIR for `file/`, EISDIR, ENOTEMPTY. */
const DELETES = {
  line: 'paths.wasm write:gone.txt rm:gone.txt/ rm:gone.txt stat:gone.txt mkdir:d write:d/f rmdir:d rm:d rm:d/ rm:d/f rmdir:d stat:d',
  output: 'write gone.txt: ok\nrm gone.txt/: error 54\nrm gone.txt: ok\nstat gone.txt: error 44\nmkdir d: ok\nwrite d/f: ok\n' +
    'rmdir d: error 55\nrm d: error 31\nrm d/: error 31\nrm d/f: ok\nrmdir d: ok\nstat d: error 44',
};

/** Renames onto what exists replace it as POSIX does (the Core says EEXIST), when of the same kind. */
const RENAMES = {
  line: "paths.wasm write:f1 write:f2 'mv:f1>f2' stat:f1 read:f2 'mv:f2>f2' read:f2 mkdir:e1 mkdir:e2 'mv:e1>e2' stat:e1 " +
    "mkdir:e3 write:e3/x 'mv:e2>e3' 'mv:f2>e3' 'mv:e3>f2' rm:e3/x rmdir:e3 rmdir:e2 rm:f2",
  output: 'write f1: ok\nwrite f2: ok\nmv f1>f2: ok\nstat f1: error 44\nread f2: ok written by paths\n' +
    'mv f2>f2: ok\nread f2: ok written by paths\n' +
    'mkdir e1: ok\nmkdir e2: ok\nmv e1>e2: ok\nstat e1: error 44\nmkdir e3: ok\nwrite e3/x: ok\n' +
    'mv e2>e3: error 55\nmv f2>e3: error 31\nmv e3>f2: error 54\nrm e3/x: ok\nrmdir e3: ok\nrmdir e2: ok\nrm f2: ok',
};

for (const host of hosts) {
  describe(`escapes through rw in the ${host.name} extension host`, { skip: host.skip }, () => {
    let laid, vscode, shell;

    before(async () => {
      for (const file of [VSIX, PATHS]) {
        if (!existsSync(file)) throw new Error(`${file} is not built; run scripts/build.sh and scripts/build-fixtures.sh`);
      }
      laid = await lay();
      vscode = await host.start({ workspace: laid.workspace, extension: VSIX });
      shell = await openWebShell(vscode.page);
    });

    after(async () => {
      await vscode?.close();
      for (const dir of Object.values(laid ?? {})) await fs.rm(dir, { recursive: true, force: true });
    });

    test('every way out is refused; the decoy shows where an absolute path lands', async () => {
      await check((line) => shell.run(`rw ${line}`), laid.workspace, laid.outside, { web: host.name === 'web' });
      assert.equal(shell.exitCode(), 0);
    });

    test('relative paths resolve against the shell\'s cwd, absolute ones still reach /workspace', async () => {
      assert.equal(await shell.run('cd a'), '');
      assert.equal(await shell.run('rw ../paths.wasm read:b/deep.txt read:/workspace/notes.txt ls:b'),
        'read b/deep.txt: ok deep inside\nread /workspace/notes.txt: ok notes inside\nls b: ok deep.txt');
      assert.equal(await shell.run('cd ..'), '');
    });

    test('a directory opened as . closes every time (the Core says EBADF from the second on)', async () => {
      assert.equal(await shell.run('cd a/b'), '');
      assert.equal(await shell.run('rw ../../paths.wasm ls:. ls:. ls:.'), 'ls .: ok deep.txt\nls .: ok deep.txt\nls .: ok deep.txt');
      assert.equal(shell.exitCode(), 0);
      assert.equal(await shell.run('cd ../..'), '');
    });

    test('files and directories are deleted, never to a trash (the Core asks for one in a Node host), and renamed over', async () => {
      assert.equal(await shell.run(`rw ${DELETES.line}`), DELETES.output);
      assert.equal(await shell.run(`rw ${RENAMES.line}`), RENAMES.output);
    });

    if (host.name === 'node') {
      test('crw: every way out is refused from a bash terminal', async () => {
        await fs.writeFile(path.join(path.dirname(vscode.dataDir), 'home/.bashrc'), `export PATH="${path.dirname(CRW)}:$PATH"\nPS1='$ '\n`);
        let terminal;
        for (let attempt = 0; ; attempt++) {
          terminal = await openTerminal(vscode.page, 'Terminal: Create New Terminal');
          if ((await terminal.run('test -S "$RW_CRW_SOCKET" && echo ready')) === 'ready') break;
          if (attempt === 10) throw new Error('no terminal got RW_CRW_SOCKET: did rw activate?');
          await new Promise((r) => setTimeout(r, 1000));
        }
        await terminal.run(`cd ${laid.workspace}`);
        assert.equal(await terminal.run(`crw ${DELETES.line}`), DELETES.output);
        assert.equal(await terminal.run(`crw ${RENAMES.line}`), RENAMES.output);
        await check((line) => terminal.run(`crw ${line}`), laid.workspace, laid.outside, { web: false });
        assert.equal(await terminal.run('cd / && crw ' + path.join(laid.workspace, 'paths.wasm') + ' ls:.; echo "exit $?"; cd -'),
          `crw: the program would see the whole disk (/); cd into the directory it needs, or grant this one explicitly with --dir .::/\nexit 2\n${laid.workspace}`);
      });
    }
  });
}
