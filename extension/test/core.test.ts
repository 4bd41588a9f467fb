// The built core (wasm32-unknown-unknown + wasm-bindgen glue) through its JS face:
// proves the wasm build and the shapes coreTypes.ts declares, not just native Rust.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { loadCore } from '../src/core';
import type { RunRequest } from '../src/coreTypes';
import { ModuleCache } from '../src/moduleCache';
import { prepare } from '../src/prepare';
import { fixture, FIXTURES } from './fixtures';

function runRequest(words: string[]): RunRequest {
	return loadCore().then((core) => core.parseCommandLine(words, '/workspace')) as unknown as RunRequest;
}

test('the Web Shell words of a quoted line reach the program whole', async () => {
	const core = await loadCore();
	const command = core.parseCommandLine(['--env', 'A=1', 'bin/p.wasm', 'a', '"b', 'c"', "'d", "e'"], '/workspace');
	assert.equal(command.kind, 'run');
	assert.ok(command.kind === 'run');
	assert.deepEqual(command.args, ['a', 'b c', 'd e']);
	assert.equal(command.path, '/workspace/bin/p.wasm');
	assert.equal(command.programName, 'p.wasm');
	assert.deepEqual(command.env, { A: '1' });
	assert.deepEqual(command.memory, {});
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
	assert.deepEqual(imports.map((i) => i.module), ['wasi_snapshot_preview1']);
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
		assert.ok(WebAssembly.Module.imports(got.module).every((i) => i.module === 'wasi_snapshot_preview1'), name);
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
	assert.throws(() => core.describe({ kind: 'bogus' } as never));
});

test('the core reports the version the extension ships', async () => {
	const core = await loadCore();
	const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
	assert.equal(core.version(), version);
});
