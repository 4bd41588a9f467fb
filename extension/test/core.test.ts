// The built core (wasm32-unknown-unknown + wasm-bindgen glue) through its JS face:
// proves the wasm build and the shapes coreTypes.ts declares, not just native Rust.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { loadCore } from '../src/core';
import type { AdaptOptions, Command, ProgramTree, RunRequest, ExitLine, Shell, Terminals } from '../src/coreTypes';
import { ModuleCache } from '../src/moduleCache';
import { prepare } from '../src/prepare';
import { fixture, FIXTURES } from './fixtures';

function runRequest(words: string[]): Promise<RunRequest> {
	return loadCore().then((core) => {
		const command = core.parseCommandLine(words, '/workspace');
		assert.ok(command.kind === 'run', JSON.stringify(command));
		return command;
	});
}

// Each expected value below is typed as coreTypes.ts declares it, so it can hold no field
// the mirror lacks; deepEqual then proves the core returns no field the mirror lacks, and
// every one it declares, with its JS type.

test('a run request has the mirrored shape, group for group; quoted Web Shell words reach the program whole', async () => {
	const core = await loadCore();
	const command = core.parseCommandLine(['--env', 'A=1', 'bin/p.wasm', 'a', '"b', 'c"', "'d", "e'"], '/workspace');
	const expected: Command = {
		kind: 'run',
		target: { file: 'bin/p.wasm', path: '/workspace/bin/p.wasm', programName: 'p.wasm', args: ['a', 'b c', 'd e'] },
		host: { env: { A: '1' }, dirs: [] },
		adapt: { stubUnknownImports: false },
		memory: {},
		mode: 'run',
		printElapsedTime: false,
	};
	assert.deepEqual(command, expected);
});

test('every option lands in its group: dirs, adapter, memory, elapsed time', async () => {
	const core = await loadCore();
	const words = ['--dir', 'data', '--dir', 'src::/s', '--stub-unknown-imports', '--memory-initial', '20', '--memory-maximum', '40',
		'--memory-shared', 'true', '--print-elapsed-time', 'p.wasm'];
	const expected: Command = {
		kind: 'run',
		target: { file: 'p.wasm', path: '/workspace/p.wasm', programName: 'p.wasm', args: [] },
		host: { env: {}, dirs: [{ typed: 'data', host: '/workspace/data' }, { typed: 'src', host: '/workspace/src', guest: '/s' }] },
		adapt: { stubUnknownImports: true },
		memory: { initial: 20, maximum: 40, shared: true },
		mode: 'run',
		printElapsedTime: true,
	};
	assert.deepEqual(core.parseCommandLine(words, '/workspace'), expected);
});

test('--explain and --print-imports-exports are modes', async () => {
	const modes: Array<[string, RunRequest['mode']]> = [['--explain', 'explain'], ['--print-imports-exports', 'listImportsExports']];
	for (const [flag, mode] of modes) {
		assert.equal((await runRequest([flag, 'p.wasm'])).mode, mode, flag);
	}
});

test("crw's terminals reach the request through the core, in adapt", async () => {
	const core = await loadCore();
	const terminals: Terminals = { stdin: true, stdout: false, stderr: true };
	const command = core.parseCrwCommandLine(['run', 'p.wasm', 'x'], '/home/me', terminals);
	assert.ok(command.kind === 'run');
	const adapt: AdaptOptions = { stubUnknownImports: false, terminals };
	assert.deepEqual(command.adapt, adapt);
	assert.deepEqual(command.target, { file: 'p.wasm', path: '/home/me/p.wasm', programName: 'p.wasm', args: ['x'] });
	const usage = core.parseCrwCommandLine(['--nope'], '/home/me', terminals);
	assert.ok(usage.kind === 'exit');
	assert.match(usage.stderr, /see 'crw --help'/);
});

test('the module key changes with what changes the compiled module, and with nothing else', async () => {
	const core = await loadCore();
	const key = async (words: string[]) => core.moduleKey(await runRequest(words));
	const base = await key(['p.wasm']);
	assert.equal(typeof base, 'string');
	assert.equal(await key(['--env', 'A=1', '--print-elapsed-time', '--dir', 'd', 'p.wasm', 'a']), base);
	for (const words of [['q.wasm'], ['--stub-unknown-imports', 'p.wasm'], ['--memory-initial', '20', 'p.wasm']]) {
		assert.notEqual(await key(words), base, words.join(' '));
	}
});

test('the program tree has the mirrored shape', async () => {
	const core = await loadCore();
	const shell: Shell = { program: 'rw', cwd: '/workspace/sub' };
	const tree = core.programTree(await runRequest(['--dir', '/workspace/d::/mnt/d', 'p.wasm']), shell);
	const expected: ProgramTree = {
		kind: 'tree',
		root: { typed: '/workspace/sub', host: '/workspace/sub', implied: true },
		mounts: [
			{ guest: '/workspace', dir: { typed: '/workspace', host: '/workspace', implied: true } },
			{ guest: '/mnt/d', dir: { typed: '/workspace/d', host: '/workspace/d', implied: false } },
		],
	};
	assert.deepEqual(tree, expected);
});

test('usage errors and help come back as exits with their codes', async () => {
	const core = await loadCore();
	const usage = core.parseCommandLine(['--nope', 'p.wasm'], '/w');
	assert.equal(usage.kind, 'exit');
	assert.ok(usage.kind === 'exit');
	assert.equal(usage.code, 2);
	assert.match(usage.stderr, /^rw: unexpected argument '--nope'/);
	const help = core.parseCommandLine(['--help'], '/w');
	assert.ok(help.kind === 'exit');
	assert.equal(help.code, 0);
	assert.match(help.stdout, /--memory-initial <PAGES>/);
});

test('a threads program is planned with the memory it imports', async () => {
	const core = await loadCore();
	const request = await runRequest(['threads.wasm']);
	const plan = core.planRun(request, fixture('threads'));
	assert.equal(plan.kind, 'run');
	assert.deepEqual(plan.kind === 'run' && plan.memory, { initial: 17, maximum: 16384, shared: true });
	// The descriptor must be one the engine accepts as is.
	const memory = new WebAssembly.Memory(plan.kind === 'run' ? plan.memory! : { initial: 0 });
	assert.ok(memory.buffer instanceof SharedArrayBuffer);
});

test('the listing matches what the JS engine itself says, for every fixture', async () => {
	const core = await loadCore();
	const request = await runRequest(['--print-imports-exports', 'x.wasm']);
	// Not the two the engine cannot read: a component, and code whose blocks never close.
	const unreadable = ['component.wasm', 'deep_unclosed.wasm'];
	const names = readdirSync(FIXTURES).filter((n) => n.endsWith('.wasm') && !unreadable.includes(n));
	assert.ok(names.length >= 10, `fixtures in ${FIXTURES}: ${names}`);
	for (const name of names) {
		const bytes = fixture(name.replace(/\.wasm$/, ''));
		const module = new WebAssembly.Module(bytes);
		const expected =
			WebAssembly.Module.imports(module).map((i) => `import: ${i.module} ${i.name} ${i.kind}\n`).join('') +
			WebAssembly.Module.exports(module).map((e) => `export: ${e.name} ${e.kind}\n`).join('');
		const plan = core.planRun(request, bytes);
		assert.equal(plan.kind, 'print', name);
		// The prior art's lines first; rw's own `adapt:` lines may follow.
		assert.ok(plan.kind === 'print' && plan.text.startsWith(expected), `${name}: ${plan.kind === 'print' ? plan.text : ''}`);
	}
});

test('an adapted module arrives as bytes the engine compiles', async () => {
	const core = await loadCore();
	const plan = core.planRun(await runRequest(['old.wasm']), fixture('wasi_unstable'));
	assert.equal(plan.kind, 'run');
	assert.ok(plan.kind === 'run' && plan.module instanceof Uint8Array, 'a Uint8Array, not an array of numbers');
	const imports = WebAssembly.Module.imports(new WebAssembly.Module(plan.module!));
	// Functions from preview1 only (a memory, if any, is the one rw shares to watch it: adapt/watch.rs).
	const functions = imports.filter((i) => i.kind === 'function');
	assert.ok(functions.length > 0 && functions.every((i) => i.module === 'wasi_snapshot_preview1'), JSON.stringify(imports));
});

test('adapted modules prepared at once each compile from their own bytes', async () => {
	// planRun hands an adapted module out as a view of the core's memory, which the next
	// plan reuses: prepare must compile it before anything else runs in the core.
	const core = await loadCore();
	const cache = new ModuleCache();
	const silent = { out: async () => {}, err: async () => {} };
	const names = ['wasi_unstable', 'unstable_seek', 'unstable_args', 'wasi_unstable'];
	const prepared = await Promise.all(
		names.map(async (name, i) => prepare(core, cache, await runRequest([`${name}${i}.wasm`]), fixture(name), silent)),
	);
	names.forEach((name, i) => {
		const got = prepared[i];
		assert.ok(typeof got !== 'number', name);
		const expected = new WebAssembly.Module(fixture(name));
		assert.deepEqual(WebAssembly.Module.exports(got.module), WebAssembly.Module.exports(expected), name);
		const functions = WebAssembly.Module.imports(got.module).filter((i) => i.kind === 'function');
		assert.ok(functions.every((i) => i.module === 'wasi_snapshot_preview1'), name);
	});
});

test('refusals arrive as one line and a code', async () => {
	const core = await loadCore();
	const plan = core.planRun(await runRequest(['ruby.wasm']), fixture('unknown_imports'));
	assert.equal(plan.kind, 'refuse');
	assert.ok(plan.kind === 'refuse');
	assert.equal(plan.code, 126);
	assert.match(plan.line, /^rw: ruby\.wasm: imports what no WASI host provides: env \(js_callback, now\)/);
	assert.doesNotMatch(plan.line, /\n/);
});

test('host failures are worded by the core', async () => {
	const core = await loadCore();
	const said = core.describe({ kind: 'notFound', file: 'nope.wasm', cwd: '/workspace' });
	assert.equal(said.code, 127);
	assert.match(said.line, /^rw: nope\.wasm: no such file \(looked in \/workspace\)/);
	const internal: ExitLine = { code: 1, line: 'crw: internal error (boom); please report it' };
	assert.deepEqual(core.describe({ kind: 'internal', program: 'crw', reason: 'boom' }), internal);
	assert.match(core.describe({ kind: 'internal', program: 'rw', reason: 'boom' }).line, /^rw: internal error \(boom\)/);
	assert.throws(() => core.describe({ kind: 'bogus' } as never));
});

test('the core reports the version the extension ships', async () => {
	const core = await loadCore();
	const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
	assert.equal(core.version(), version);
});
