// The Web Shell handler end to end in Node: the built core, our real fixture programs,
// and a TEST DOUBLE of the WASI Core (node:wasi in a worker) plus doubles of the
// shell's terminal and file systems.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadCore } from '../src/core';
import { createRwCommand } from '../src/rwCommand';
import { diskFilesDouble, rootFileSystemDouble, serveTreeDouble, WORKSPACE } from './doubles/webShellDoubles';
import { localDirectoryDouble, shell, waitFor } from './shell';
import { ModuleCache } from '../src/moduleCache';

test('a program gets its quoted arguments whole and its exit code comes back', async () => {
	const sh = shell();
	const code = await sh.rw(`args.wasm a "b c" 'd e' ""`);
	assert.equal(code, 0);
	assert.equal(sh.terminal.text, '[a]\n[b c]\n[d e]\n[]\nargc=4\n');
	assert.equal(sh.wasi.created[0]?.name, 'args.wasm');
});

test('--env reaches the program and nothing else does', async () => {
	const sh = shell();
	assert.equal(await sh.rw('--env GREETING=hi --env EMPTY= env.wasm'), 0);
	assert.equal(sh.terminal.text, 'EMPTY=\nGREETING=hi\n');
});

test('the exit code is the program\'s own', async () => {
	const sh = shell();
	assert.equal(await sh.rw('exit.wasm 42'), 42);
	assert.equal(sh.terminal.text, 'exiting with 42\n');
});

test('stdin reaches the program', async () => {
	const sh = shell('one\ntwo\n');
	assert.equal(await sh.rw('cat.wasm'), 0);
	assert.equal(sh.terminal.text, 'one\ntwo\n');
});

test('the program sees the workspace and FILE resolves against cwd', async () => {
	const sh = shell();
	assert.equal(await sh.rw('../ls.wasm /workspace/sub', `${WORKSPACE}/sub`), 0);
	assert.equal(sh.terminal.text, 'note.txt\n');
	assert.equal(await sh.rw('write.wasm /workspace/out.txt made by rw'), 0);
	assert.equal(readFileSync(join(sh.root, 'out.txt'), 'utf8'), 'made by rw\n');
});

test('a threads program is given the shared memory it imports, with no flags', async () => {
	const sh = shell();
	const running = sh.rw('threads.wasm');
	// The double cannot spawn threads; its run never settles, so end it as a user would.
	await waitFor(() => sh.wasi.created.length === 1);
	sh.terminal.pressCtrlC();
	assert.equal(await running, 130);
	assert.deepEqual(sh.wasi.created[0]?.memory, { initial: 17, maximum: 16384, shared: true });
});

test('Ctrl-C ends a spinning program with 130 and frees the shell', async () => {
	const sh = shell();
	const running = sh.rw('spin.wasm');
	await waitFor(() => sh.wasi.created.length === 1);
	sh.terminal.pressCtrlC();
	assert.equal(await running, 130);
	assert.equal(sh.terminal.listening, 0, 'the Ctrl-C listener is disposed');
	// The same shell still runs programs.
	assert.equal(await sh.rw('hello.wasm again'), 0);
	assert.match(sh.terminal.text, /hello from rw\nargs: again\n$/);
});

test('a panic ends the program with 134 and one rw: line', async () => {
	const sh = shell();
	assert.equal(await sh.rw('panic.wasm'), 134);
	assert.match(sh.terminal.text, /^about to panic\n[\s\S]*fixture panic[\s\S]*\nrw: panic\.wasm trapped: wasm `unreachable` instruction executed\n$/);
});

test('Ctrl-C frees the shell from a trap no rewrite catches (the Core never settles)', async () => {
	const sh = shell();
	const running = sh.rw('oob.wasm');
	await waitFor(() => sh.wasi.created.length === 1);
	sh.terminal.pressCtrlC();
	assert.equal(await running, 130);
});

test('code nested 100 000 deep has its trap caught; never closed, the engine\'s reason is one line', async () => {
	const deep = shell();
	assert.equal(await deep.rw('deep_nesting.wasm'), 134, deep.terminal.text);
	assert.equal(deep.terminal.text, 'rw: deep_nesting.wasm trapped: wasm `unreachable` instruction executed\n');
	const unclosed = shell();
	assert.equal(await unclosed.rw('deep_unclosed.wasm'), 126);
	assert.match(unclosed.terminal.text,
		/^rw: deep_unclosed\.wasm: the WebAssembly engine rejected it \(.*unterminated control structure.*\); rebuild it, or check that the copy is complete\n$/);
	assert.equal(unclosed.wasi.created.length, 0);
});

test('refused modules never reach the Core', async () => {
	const cases: Array<[string, number, RegExp]> = [
		['nope.wasm', 127, /^rw: nope\.wasm: no such file \(looked in \/workspace\)/],
		['/elsewhere/p.wasm', 127, /^rw: \/elsewhere\/p\.wasm: no such file/],
		['sub', 126, /^rw: sub: is a directory/],
		['sub/note.txt', 126, /^rw: sub\/note\.txt: is not a WebAssembly module/],
		['unknown_imports.wasm', 126, /^rw: unknown_imports\.wasm: imports what no WASI host provides/],
		['--memory-shared=false threads.wasm', 2, /^rw: threads\.wasm: imports a shared memory/],
		['--bogus hello.wasm', 2, /^rw: unexpected argument '--bogus'/],
		['', 2, /^rw: the following required arguments were not provided: <FILE>/],
	];
	for (const [line, code, message] of cases) {
		const sh = shell();
		assert.equal(await sh.rw(line), code, line);
		assert.match(sh.terminal.text, message, line);
		assert.equal(sh.terminal.text.trimEnd().split('\n').length, 1, `one line for ${line}: ${sh.terminal.text}`);
		assert.equal(sh.wasi.created.length, 0, line);
	}
});

test("the program's tree: relative paths are the shell's cwd, /workspace stays, HOST::/ replaces the root", async () => {
	const sh = shell();
	assert.equal(await sh.rw('../paths.wasm read:note.txt read:/workspace/data.txt', `${WORKSPACE}/sub`), 0);
	assert.equal(sh.terminal.text, 'read note.txt: ok hi\nread /workspace/data.txt: ok hello, adapter\n');
	sh.terminal.text = '';
	assert.equal(await sh.rw('--dir sub::/ paths.wasm ls:/'), 0);
	assert.equal(sh.terminal.text, 'ls /: ok note.txt\n');
});

test('rw\'s fd_prestat_get wrapper passes a look-up by fd through (the Core\'s iterator: e2e)', async () => {
	const sh = shell();
	assert.equal(await sh.rw('preopen_first.wasm'), 0);
	// node:wasi, unlike the Core, has the tree's /workspace as a preopen of its own: fd 4.
	assert.equal(sh.terminal.text, 'prestat 3: errno 0 tag 0 len 1\nname 3: errno 0 name /\nfdstat 3: errno 0\nopen .: errno 0\n' +
		'prestat 3 again: errno 0 tag 0 len 1\nprestat 4: errno 0 tag 0 len 10\n');
});

test('files and directories are deleted (through rw\'s rename to a delete marker)', async () => {
	const sh = shell();
	const line = 'paths.wasm write:gone.txt rm:gone.txt stat:gone.txt mkdir:d write:d/f rmdir:d rm:d/f rmdir:d stat:d rm:sub';
	assert.equal(await sh.rw(line), 0);
	assert.equal(sh.terminal.text, 'write gone.txt: ok\nrm gone.txt: ok\nstat gone.txt: error 44\nmkdir d: ok\nwrite d/f: ok\n' +
		'rmdir d: error 55\nrm d/f: ok\nrmdir d: ok\nstat d: error 44\nrm sub: error 31\n');
});

test('in Restricted Mode a --dir outside the workspace is refused in one line; one inside is not', async () => {
	const sh = shell('', { trusted: false });
	assert.equal(await sh.rw('--dir /tmp::/t paths.wasm ls:/t'), 2);
	assert.match(sh.terminal.text, /^rw: --dir \/tmp: this workspace is in Restricted Mode, where programs reach only the workspace; .*\n$/);
	assert.equal(sh.wasi.created.length, 0);
	sh.terminal.text = '';
	assert.equal(await sh.rw('--dir sub::/s paths.wasm ls:/s'), 0);
	assert.equal(sh.terminal.text, 'ls /s: ok note.txt\n');
});

test('--print-imports-exports lists without running', async () => {
	const sh = shell();
	assert.equal(await sh.rw('--print-imports-exports unknown_imports.wasm'), 0);
	assert.match(sh.terminal.text, /^import: env js_callback function\n/);
	assert.match(sh.terminal.text, /export: _start function\n$/);
	assert.equal(sh.wasi.created.length, 0);
});

test('--print-elapsed-time prints the milliseconds after the output', async () => {
	const sh = shell();
	assert.equal(await sh.rw('--print-elapsed-time hello.wasm'), 0);
	assert.match(sh.terminal.text, /^hello from rw\n\d+\n$/);
});

test('--help prints usage and succeeds', async () => {
	const sh = shell();
	assert.equal(await sh.rw('--help'), 0);
	assert.match(sh.terminal.text, /Usage: rw \[OPTIONS\] \[--\] FILE \[ARGS\]\.\.\./);
});

test('a Core that fails to start the program is one rw: line, not a throw', async () => {
	const sh = shell();
	const handler = createRwCommand({
		core: loadCore,
		files: diskFilesDouble,
		wasi: async () => {
			throw new Error('extension ms-vscode.wasm-wasi-core is not installed');
		},
		now: () => 0,
		localDirectory: localDirectoryDouble,
		serveTree: serveTreeDouble,
		trusted: () => true,
		modules: new ModuleCache(),
	});
	const code = await handler('rw', ['hello.wasm'], WORKSPACE, sh.terminal.asStdio(), rootFileSystemDouble(sh.root));
	assert.equal(code, 126);
	assert.match(sh.terminal.text, /^rw: hello\.wasm: could not be started \(extension ms-vscode\.wasm-wasi-core is not installed\)/);
});

test('a module runs from the cache the second time, until its bytes change', async () => {
	const sh = shell();
	const real = await loadCore();
	let plans = 0;
	const counting = { ...real, planRun: (...args: Parameters<typeof real.planRun>) => (plans++, real.planRun(...args)) };
	const handler = createRwCommand({
		core: async () => counting,
		files: diskFilesDouble,
		wasi: async () => sh.wasi,
		now: () => 0,
		localDirectory: localDirectoryDouble,
		serveTree: serveTreeDouble,
		trusted: () => true,
		modules: new ModuleCache(),
	});
	const rw = (line: string) => handler('rw', line.split(' '), WORKSPACE, sh.terminal.asStdio(), rootFileSystemDouble(sh.root));
	assert.equal(await rw('hello.wasm one'), 0);
	assert.equal(await rw('hello.wasm two'), 0);
	assert.equal(plans, 1, 'planned once, then from the cache');
	assert.match(sh.terminal.text, /args: one\n[\s\S]*args: two\n$/);
	copyFileSync(join(sh.root, 'exit.wasm'), join(sh.root, 'hello.wasm'));
	assert.equal(await rw('hello.wasm 5'), 5, 'new bytes, new plan: the exit program runs');
	assert.equal(plans, 2);
});
