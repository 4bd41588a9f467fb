// The watch of a program's memory (trapWatch.ts): from successive looks at the word,
// a program that stopped writing it outside a WASI call is gone, and what it last
// wrote says why; a program that writes it, waits in a WASI call or has not started is
// never taken for gone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WasmProcess } from '@vscode/wasm-wasi/v1';
import type { RunRequest, Watch } from '../src/coreTypes';
import { runProcess, type ProcessFactory } from '../src/runProcess';
import { QUIET_MS, WordWatcher } from '../src/trapWatch';

// The values adapt/watch.rs gives (any distinct ones would do).
const watch: Watch = {
	word: 0,
	slots: 1,
	slotBytes: 8,
	done: 0x72770005,
	unseen: 0x72770000,
	waiting: 0x72770004,
	calling: 0x72770002,
	callingUnchecked: 0x72770003,
	firstSite: 0x72780000,
	// Through table 0 (elements: null, type 3, type 5) with type 3; through a changed table.
	sites: [{ table: 0, ty: 3 }, { ty: 3 }],
	tables: [[-1, 3, 5]],
	stackLine: 'rw: p.wasm trapped: call stack exhausted',
	uncheckedLine: 'rw: p.wasm trapped: indirect call to a null or mistyped element, or call stack exhausted',
	memoryLine: 'rw: p.wasm trapped: out of bounds memory access',
	nullLine: 'rw: p.wasm trapped: uninitialized element',
	typeLine: 'rw: p.wasm trapped: indirect call type mismatch',
	tableLine: 'rw: p.wasm trapped: undefined element: out of bounds table access',
	code: 134,
};
const RUNNING = 0x72770001;

function word(): Int32Array {
	return new Int32Array(new SharedArrayBuffer(16), 0, 2);
}

test('a program that writes between looks is never gone', () => {
	const w = word();
	const watcher = new WordWatcher(watch);
	for (let now = 0; now < 10 * QUIET_MS; now += 100) {
		w[0] = RUNNING;
		assert.equal(watcher.look(w, now), undefined);
		assert.equal(w[0], watch.unseen, 'each look marks the word');
	}
});

test('waiting in a WASI call, done, or not started, is never gone', () => {
	for (const value of [watch.waiting, watch.done, 0]) {
		const w = word();
		w[0] = value;
		const watcher = new WordWatcher(watch);
		for (let now = 0; now < 10 * QUIET_MS; now += 100) {
			assert.equal(watcher.look(w, now), undefined);
		}
		assert.equal(w[0], value, 'the word is left as it is');
	}
});

test('silent for QUIET_MS after its last write: gone, with the reason that write gives', () => {
	const cases: Array<[number, string]> = [
		[RUNNING, watch.memoryLine],
		[watch.calling, watch.stackLine],
		[watch.callingUnchecked, watch.uncheckedLine],
	];
	for (const [last, line] of cases) {
		const w = word();
		const watcher = new WordWatcher(watch);
		w[0] = last;
		assert.equal(watcher.look(w, 1000), undefined);
		assert.equal(watcher.look(w, 1000 + QUIET_MS - 1), undefined, 'not before QUIET_MS');
		assert.equal(watcher.look(w, 1000 + QUIET_MS), line);
	}
});

test('gone at an indirect call: the element at the index written with the mark says why', () => {
	const cases: Array<[number, number, string]> = [
		[watch.firstSite, 0, watch.nullLine],
		[watch.firstSite, 2, watch.typeLine],
		[watch.firstSite, 1, watch.stackLine],
		[watch.firstSite, 3, watch.tableLine],
		[watch.firstSite + 1, 1, watch.uncheckedLine],
	];
	for (const [mark, index, line] of cases) {
		const w = word();
		const watcher = new WordWatcher(watch);
		w[0] = mark;
		w[1] = index;
		watcher.look(w, 0);
		assert.equal(watcher.look(w, QUIET_MS), line, `${mark} ${index}`);
	}
});

test('after a pause of the host (restart), the quiet is counted anew from its end', () => {
	const w = word();
	const watcher = new WordWatcher(watch);
	w[0] = RUNNING;
	watcher.look(w, 0);
	watcher.restart(QUIET_MS * 10);
	assert.equal(watcher.look(w, QUIET_MS * 10), undefined, 'not gone at once');
	assert.equal(watcher.look(w, QUIET_MS * 11), watch.memoryLine, 'gone once quiet that long after');
});

test('a write after a quiet spell starts the count again', () => {
	const w = word();
	const watcher = new WordWatcher(watch);
	w[0] = RUNNING;
	watcher.look(w, 0);
	w[0] = watch.waiting;
	assert.equal(watcher.look(w, QUIET_MS * 3), undefined);
	w[0] = RUNNING;
	assert.equal(watcher.look(w, QUIET_MS * 4), undefined);
	assert.equal(watcher.look(w, QUIET_MS * 5 - 1), undefined);
	assert.equal(watcher.look(w, QUIET_MS * 5), watch.memoryLine);
});

test('runProcess: a watched program whose run() never settles ends with the line and 134, terminated', async () => {
	// Stands in for the Core's process: the memory the Core made, whose word the program
	// last set to "calling" before it trapped; run() never settles (Core 1.0.2).
	const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
	new Int32Array(memory.buffer)[0] = watch.calling;
	const calls: string[] = [];
	const process = {
		memory,
		run: () => new Promise<number>(() => undefined),
		terminate: async () => (calls.push('terminate'), 0),
	} as unknown as WasmProcess;
	const factory = { createProcess: async () => process } as unknown as ProcessFactory;
	const request = { target: { programName: 'p', args: [] }, host: { env: {} } } as unknown as RunRequest;
	const result = await runProcess(
		factory,
		{ request, module: {} as WebAssembly.Module, memory: { initial: 1 }, watch, stdio: {}, fileSystem: { mountPoints: [] }, ctrlC: new Promise(() => undefined) },
		() => performance.now(),
	);
	assert.deepEqual([result.code, result.trapped, calls], [134, watch.stackLine, ['terminate']]);
});
