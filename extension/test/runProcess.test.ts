// runProcess against a scripted process factory: a Ctrl-C (for crw: a client gone) that
// comes before the program started means it never starts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WasmProcess } from '@vscode/wasm-wasi/v1';
import type { RunRequest } from '../src/coreTypes';
import { EXIT_INTERRUPTED, runProcess, type ProcessFactory, type RunContext } from '../src/runProcess';

interface Script {
	/** Every call, in order: create, run, terminate. */
	calls: string[];
	factory: ProcessFactory;
	/** Lets the pending createProcess resolve. */
	create(): void;
}

/** A factory whose createProcess waits for `create()` when `held`; run() exits 0. */
function scripted(held: boolean): Script {
	const calls: string[] = [];
	let create!: () => void;
	const created = held ? new Promise<void>((r) => (create = r)) : Promise.resolve();
	const process = {
		run: async () => (calls.push('run'), 0),
		terminate: async () => (calls.push('terminate'), 1),
	} as unknown as WasmProcess;
	const factory = {
		createProcess: async () => {
			calls.push('create');
			await created;
			return process;
		},
	} as unknown as ProcessFactory;
	return { calls, factory, create: () => create() };
}

function context(ctrlC: Promise<void>): RunContext {
	const request = { target: { programName: 'p', args: [] }, host: { env: {} } } as unknown as RunRequest;
	return { request, module: {} as WebAssembly.Module, memory: undefined, watch: undefined, stdio: {}, fileSystem: { mountPoints: [] }, ctrlC };
}

test('no Ctrl-C: created, run, its exit code', async () => {
	const script = scripted(false);
	const result = await runProcess(script.factory, context(new Promise(() => undefined)), () => 0);
	assert.equal(result.code, 0);
	assert.deepEqual(script.calls, ['create', 'run']);
});

test('Ctrl-C before the start: the process is never created', async () => {
	const script = scripted(false);
	const result = await runProcess(script.factory, context(Promise.resolve()), () => 0);
	assert.equal(result.code, EXIT_INTERRUPTED);
	assert.deepEqual(script.calls, []);
});

test('Ctrl-C while the Core creates the process: it is terminated, never run', async () => {
	const script = scripted(true);
	let press!: () => void;
	const ctrlC = new Promise<void>((r) => (press = r));
	const running = runProcess(script.factory, context(ctrlC), () => 0);
	await new Promise((r) => setImmediate(r));
	assert.deepEqual(script.calls, ['create']);
	press();
	await new Promise((r) => setImmediate(r));
	script.create();
	const result = await running;
	assert.equal(result.code, EXIT_INTERRUPTED);
	assert.deepEqual(script.calls, ['create', 'terminate']);
});
