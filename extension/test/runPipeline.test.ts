// The run pipeline itself, driven through an Invocation of our own (as rwCommand.ts and
// crw/crwRun.ts build theirs): the built core, our fixture programs on the disk, and the
// TEST DOUBLE of the WASI Core. What each host adds is in rwCommand.test.ts, crw.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Stdio } from '@vscode/wasm-wasi/v1';
import type { Uri } from 'vscode';
import { loadCore } from '../src/core';
import type { Program } from '../src/coreTypes';
import { ModuleCache } from '../src/moduleCache';
import { runCommand, type Invocation, type RunHost } from '../src/runPipeline';
import { lastTimings } from '../src/timings';
import { createWasiCoreDouble } from './doubles/wasiCoreDouble';
import { diskFilesDouble, serveTreeDouble } from './doubles/webShellDoubles';
import { FIXTURES } from './fixtures';

/** What a test sees of one command: its own words, and what its stdio and tree went through. */
interface Call {
	invocation: Invocation;
	out: string;
	err: string;
	/** programStdio() calls, and dispose() calls of what they made. */
	stdio: { made: number; disposed: number };
	stop(): void;
}

function host(overrides: Partial<RunHost> = {}): RunHost {
	const wasi = createWasiCoreDouble();
	return {
		core: loadCore,
		files: diskFilesDouble,
		wasi: async () => wasi,
		now: () => performance.now(),
		serveTree: serveTreeDouble,
		modules: new ModuleCache(),
		...overrides,
	};
}

/** `program WORDS` typed in FIXTURES, which the program sees as its `/`. */
function call(program: Program, words: string[]): Call {
	let stop!: () => void;
	const stopped = new Promise<void>((resolve) => (stop = resolve));
	const onDisk = (path: string) => ({ fsPath: path }) as Uri;
	const sink = { write: async () => {} };
	const made: Call = {
		out: '',
		err: '',
		stdio: { made: 0, disposed: 0 },
		stop: () => stop(),
		invocation: {
			shell: { program, cwd: FIXTURES },
			parse: (core) => core.parseCommandLine(words, FIXTURES),
			findModule: async (target) => onDisk(target.path),
			locate: async (dir) => onDisk(dir.host),
			programStdio: () => {
				made.stdio.made++;
				const stdio = { out: { kind: 'pipeOut', pipe: sink }, err: { kind: 'pipeOut', pipe: sink } } as unknown as Stdio;
				return { stdio, dispose: () => made.stdio.disposed++ };
			},
			print: {
				out: async (text) => void (made.out += text),
				err: async (text) => void (made.err += text),
			},
			stopped,
		},
	};
	return made;
}

test('a run: its exit code, its stdio made once and disposed, its tree released', async () => {
	let released = 0;
	const serveTree: RunHost['serveTree'] = (tree) => ({ ...serveTreeDouble(tree), release: () => released++ });
	const c = call('rw', ['--print-elapsed-time', 'exit.wasm', '7']);
	assert.equal(await runCommand(host({ serveTree }), c.invocation), 7);
	assert.deepEqual(c.stdio, { made: 1, disposed: 1 });
	assert.equal(released, 1);
	assert.match(c.out, /^\d+\n$/, 'the elapsed milliseconds alone on a line');
	assert.equal(c.err, '');
});

test('a throw in any step is the core\'s internal-error line, said by the command typed', async () => {
	for (const program of ['rw', 'crw'] as const) {
		const c = call(program, ['hello.wasm']);
		const serveTree = () => {
			throw new Error('boom\nsecond line');
		};
		assert.equal(await runCommand(host({ serveTree }), c.invocation), 1);
		assert.equal(c.err, `${program}: internal error (boom); please report it\n`);
	}
});

test('a core that does not load: the reason alone, on one line', async () => {
	const c = call('crw', ['hello.wasm']);
	const core = () => Promise.reject(new Error('the core is missing'));
	assert.equal(await runCommand(host({ core }), c.invocation), 1);
	assert.equal(c.err, 'crw: the core is missing\n');
});

test('a Core that fails to start the program is the core\'s startFailed line; the stdio is disposed', async () => {
	const c = call('rw', ['hello.wasm']);
	const wasi = () => Promise.reject(new Error('not installed'));
	assert.equal(await runCommand(host({ wasi }), c.invocation), 126);
	assert.match(c.err, /^rw: hello\.wasm: could not be started \(not installed\)[^\n]*\n$/);
	assert.deepEqual(c.stdio, { made: 1, disposed: 1 });
});

test('a stop frees the prompt from a phase that never settles', async () => {
	const c = call('crw', ['hello.wasm']);
	let asked!: () => void;
	const waiting = new Promise<void>((resolve) => (asked = resolve));
	const wasi = () => (asked(), new Promise<never>(() => undefined));
	const running = runCommand(host({ wasi }), c.invocation);
	await waiting;
	c.stop();
	assert.equal(await running, 130);
});

test('phase marks: none until rw.timings asks; then each phase of a run in order, a cache hit skipping two', async () => {
	await runCommand(host(), call('rw', ['exit.wasm', '3']).invocation);
	assert.equal(lastTimings(), undefined, 'off: nothing kept');
	const modules = new ModuleCache();
	const order = ['start', 'core', 'parsed', 'read', 'keyed', 'planned', 'compiled', 'mounted', 'wasi', 'started', 'ran', 'done'];
	for (const [run, skipped] of [['miss', []], ['hit', ['planned', 'compiled']]] as const) {
		assert.equal(await runCommand(host({ modules }), call('rw', ['exit.wasm', '3']).invocation), 3);
		const marks = lastTimings() ?? {};
		const phases = order.filter((phase) => !(skipped as readonly string[]).includes(phase));
		assert.deepEqual(Object.keys(marks).sort(), [...phases].sort(), run);
		const times = phases.map((phase) => marks[phase as keyof typeof marks] ?? NaN);
		assert.deepEqual(times, [...times].sort((a, b) => a - b), `${run}: in order`);
	}
});

test('the tree is looked up while the module is read, and released when the run ends before it starts', async () => {
	for (const words of [['--explain', 'hello.wasm'], ['missing.wasm'], ['component.wasm']]) {
		let served = 0;
		let released = 0;
		const serveTree: RunHost['serveTree'] = (tree) => (served++, { ...serveTreeDouble(tree), release: () => released++ });
		const c = call('rw', words);
		await runCommand(host({ serveTree }), c.invocation);
		// The release follows the mount, which may settle after the run's code.
		await new Promise((resolve) => setTimeout(resolve, 10));
		assert.equal(released, served, words.join(' '));
		assert.equal(c.stdio.made, 0, words.join(' '));
	}
});

test("the module's failure is said before the tree's, and a tree that fails to mount meanwhile is no unhandled rejection", async () => {
	const c = call('rw', ['--dir', 'nowhere', 'missing.wasm']);
	assert.equal(await runCommand(host(), c.invocation), 127);
	assert.match(c.err, /^rw: missing\.wasm: [^\n]*\n$/);
	const failing = call('rw', ['hello.wasm']);
	const serveTree = () => {
		throw new Error('no tree');
	};
	const explain = call('rw', ['--explain', 'hello.wasm']);
	assert.equal(await runCommand(host({ serveTree }), explain.invocation), 0, 'an explanation needs no tree');
	assert.equal(await runCommand(host({ serveTree }), failing.invocation), 1);
	assert.equal(failing.err, 'rw: internal error (no tree); please report it\n');
});
