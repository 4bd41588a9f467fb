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
const PROGRAMS = ['hello', 'args', 'exit', 'spin', 'output_order', 'compute_pure', 'flood', 'threads', 'thread_exits', 'memory_renamed', 'ls', 'unknown_imports', 'unknown_called', 'wasi_unstable', 'unstable_args', 'component', 'iovecs', 'iovecs_indirect', 'iovecs_file', 'preopen_first'];

/** What preopen_first.wasm prints when fd 3 is the one preopen `/` and `.` opens in it. */
const PREOPEN_FIRST = 'prestat 3: errno 0 tag 0 len 1\nname 3: errno 0 name /\nfdstat 3: errno 0\nopen .: errno 0\n' +
  'prestat 3 again: errno 0 tag 0 len 1\nprestat 4: errno 8';

/** What output_order.wasm writes, stdout and stderr together, in order. */
const OUTPUT_ORDER = [
  ...Array.from({ length: 60 }, (_, i) => (i % 7 === 0 ? [`out ${i}`, `err ${i}`] : [`out ${i}`])).flat(),
  `then stderr, no newline, ${'x'.repeat(40_000)}`,
  'abc',
  'done',
].join('\n');

for (const host of hosts) {
describe(`rw in the ${host.name} extension host`, { skip: host.skip }, () => {
  let workspace, vscode, shell;

  before(async () => {
    for (const [what, file] of [['the VSIX', VSIX], ['the fixtures', path.join(FIXTURES, 'hello.wasm')], ['ripgrep', path.join(REPO, 'target/real-world/rg.wasm')]]) {
      if (!existsSync(file)) {
        throw new Error(`${what} is not built (${file}); run scripts/build.sh, scripts/build-fixtures.sh and scripts/build-real-world.sh first`);
      }
    }
    workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'rw-e2e-ws-'));
    for (const name of PROGRAMS) {
      await fs.copyFile(path.join(FIXTURES, `${name}.wasm`), path.join(workspace, `${name}.wasm`));
    }
    // Files the tests read, made before VS Code starts: the web host's file system is served
    // over HTTP and may not see later changes at once.
    await fs.writeFile(path.join(workspace, 'data.txt'), 'hello, adapter\n');
    await fs.mkdir(path.join(workspace, 'notes'));
    await fs.writeFile(path.join(workspace, 'notes/a.txt'), 'a\n');
    // ripgrep from the registry (scripts/build-real-world.sh), and a tree for it.
    await fs.copyFile(path.join(REPO, 'target/real-world/rg.wasm'), path.join(workspace, 'rg.wasm'));
    await fs.mkdir(path.join(workspace, 'corpus/sub'), { recursive: true });
    await fs.writeFile(path.join(workspace, 'corpus/sub/b.md'), '# needle\n\nhay, then a needle\n');
    await fs.writeFile(path.join(workspace, 'corpus/c.txt'), 'only hay here\n');
    vscode = await host.start({ workspace, extension: VSIX });
    shell = await openWebShell(vscode.page);
  });

  after(async () => {
    await vscode?.close();
    if (workspace) await fs.rm(workspace, { recursive: true, force: true });
  });

  test('a program that stops at its first preopen can open it (the Core hands preopens out once)', async () => {
    assert.equal(await shell.run('rw preopen_first.wasm'), PREOPEN_FIRST);
    assert.equal(shell.exitCode(), 0);
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

  test('an exit() in any thread ends the whole program with its code, busy and blocked threads too', async () => {
    // Each case runs for ever but for the exit (a spinner, an hour's sleep): ending at all is
    // the proof; run's timeout is the bound.
    const cases = [
      ['join', 'spinner: spinning\nmain: joining\nworker: exiting with 7'],
      ['sleep', 'main: sleeping\nworker: exiting with 7'],
      ['main', 'spinner: spinning\nsleeper: sleeping\nmain: exiting with 7'],
    ];
    for (const [mode, output] of cases) {
      assert.equal(await shell.run(`rw thread_exits.wasm ${mode} 7`), output, mode);
      assert.equal(shell.exitCode(), 7, mode);
    }
  });

  test('an exit() while another thread waits for a line: the shell reads its own next line', async () => {
    // The Core left that read waiting for nobody, and the Web Shell died on its next one; rw
    // ends it as Enter does, so the terminal moves to a new line.
    assert.equal(await shell.run('rw thread_exits.wasm stdin 9'), 'main: reading stdin\nworker: exiting with 9\n');
    assert.equal(shell.exitCode(), 9);
    assert.equal(await shell.run('rw hello.wasm'), 'hello from rw');
    assert.equal(shell.exitCode(), 0);
  });

  test('a threads module that imports its memory as foo.bar runs; the listing keeps its names', async () => {
    assert.equal(await shell.run('rw memory_renamed.wasm'), 'hello from a thread\nmain: the thread said hello');
    assert.equal(shell.exitCode(), 0);
    const listing = await shell.run('rw --print-imports-exports memory_renamed.wasm');
    assert.match(listing, /^import: foo bar memory\n/);
    assert.match(listing, /\nadapt: foo\.bar: imported as env\.memory instead, [^\n]+$/);
  });

  test('--print-imports-exports lists the module', async () => {
    const listing = await shell.run('rw --print-imports-exports unknown_imports.wasm');
    assert.match(listing, /^import: env js_callback function\nimport: env now function\n/);
    assert.match(listing, /\nexport: _start function$/);
    assert.equal(shell.exitCode(), 0);
  });

  test('modules the Core cannot run are refused in one line, and the prompt comes back', async () => {
    const cases = [
      ['rw unknown_imports.wasm', 126, /^rw: unknown_imports\.wasm: imports what no WASI host provides: env \(js_callback, now\); run it with --stub-unknown-imports/],
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

  test('a wasi_unstable program runs, adapted to preview1', async () => {
    assert.equal(await shell.run('rw wasi_unstable.wasm'), 'hello from snapshot 0');
    assert.equal(shell.exitCode(), 0);
    assert.equal(await shell.run('rw --env RW_A=b unstable_args.wasm x "y z"'),
      'argc 3\narg 0: unstable_args.wasm\narg 1: x\narg 2: y z\nenv RW_A=b\nrealtime is after 2001: 1\nrandom_get: 0');
    assert.equal(shell.exitCode(), 0);
    // The four shims (fd_seek, filestats, poll_oneoff) are proven under node:wasi in the unit
    // tests: Core 1.0.2's own fd_seek and poll_oneoff misbehave (SEEK_END is size - offset).
  });

  test('a called stub of an unknown import ends the program with 134 and the prompt comes back', async () => {
    assert.equal(await shell.run('rw --stub-unknown-imports unknown_called.wasm'),
      'calling env.now: 1\nrw: unknown_called.wasm called unsupported import env.now');
    assert.equal(shell.exitCode(), 134);
  });

  test('--dir mounts a workspace folder where the program looks', async () => {
    assert.equal(await shell.run('rw --dir notes::/mnt/notes ls.wasm /mnt/notes'), 'a.txt');
    assert.equal(shell.exitCode(), 0);
    assert.match(await shell.run('rw --dir nowhere ls.wasm /'), /^rw: --dir nowhere: no such directory; /);
    assert.equal(shell.exitCode(), 2);
  });

  test('an fd_write of many iovecs arrives whole (the Core alone joins 3+ wrongly)', async () => {
    assert.equal(await shell.run('rw iovecs.wasm'),
      'one\nnwritten right\ntwo\nnwritten right\nAAAABBBBCCCC\nnwritten right\n0123456789abcde\nnwritten right');
    assert.equal(shell.exitCode(), 0);
  });

  test('an fd_write of many iovecs through a table, with no proc_exit imported, arrives whole', async () => {
    assert.equal(await shell.run('rw iovecs_indirect.wasm'),
      'one\nnwritten right\ntwo\nnwritten right\nAAAABBBBCCCC\nnwritten right\n0123456789abcde\nnwritten right');
  });

  test('an fd_write of many iovecs to a file arrives whole, nwritten right', async () => {
    assert.equal(await shell.run('rw iovecs_file.wasm'),
      'nwritten right\nnwritten right\nnwritten right\nnwritten right\nclosed\nreads back right');
    assert.equal(shell.exitCode(), 0);
    // The program read the file back through the Core; where the workspace is the disk (the Node
    // host), read it here too. test-web keeps what the web host writes in memory.
    if (host.name === 'node') {
      assert.equal(await fs.readFile(path.join(workspace, 'iovecs.txt'), 'latin1'),
        'one\ntwo\nAAAABBBBCCCC\n0123456789abcde\n');
    }
  });

  // Output through rw's buffer (crate/src/adapt/output.rs): the same bytes in the same
  // order, a line on screen while the program computes, a prompt before a read, and
  // nothing after Ctrl-C.
  test('stdout and stderr arrive interleaved exactly as written', async () => {
    assert.equal(await shell.run('rw output_order.wasm'), OUTPUT_ORDER);
    assert.equal(shell.exitCode(), 0);
  });

  test('a line written before a long computation is on screen while it computes', async () => {
    // 20 rounds first: the line is written once the program runs, through the output buffer.
    const running = shell.run('rw compute_pure.wasm 600 20', { timeout: 120_000 });
    await shell.waitForText(/computing/);
    assert.doesNotMatch(await shell.screen(), /rounds:/, 'shown before the program ended');
    assert.match(await running, /^computing\n600 rounds: [0-9a-f]{16}$/);
  });

  test('a prompt written without a newline shows before the program reads', async () => {
    const running = shell.run('rw output_order.wasm prompt');
    await shell.waitForText(/name\?\s*$/);
    await shell.type('ada\r');
    assert.equal(await running, 'name? ada\nhello ada');
    assert.equal(shell.exitCode(), 0);
  });

  test('after Ctrl-C in a flood nothing more lands: the next command\'s output is its own', async () => {
    const running = shell.run('rw flood.wasm 100000', { output: false, timeout: 60_000 });
    await shell.waitForText(/flood line +\d+/);
    await shell.ctrlC();
    await running;
    assert.equal(shell.exitCode(), 130);
    assert.equal(await shell.run('rw hello.wasm after'), 'hello from rw\nargs: after');
  });

  test('ripgrep 14 from the registry searches the workspace', async () => {
    assert.equal(await shell.run('rw rg.wasm --no-heading --line-number --sort path --color never needle corpus', { timeout: 120_000 }),
      'corpus/sub/b.md:1:# needle\ncorpus/sub/b.md:3:hay, then a needle');
    assert.equal(shell.exitCode(), 0);
    await shell.run('rw rg.wasm nothing-matches corpus');
    assert.equal(shell.exitCode(), 1);
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
