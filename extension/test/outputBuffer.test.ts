// The output buffer end to end in this V8, without the Core: a fixture planned by the
// built core as a run would be, run with node:wasi for everything but fd_write, whose
// double (standing in for the Core's pipe driver) drains the buffer before it passes a
// write on, as runProcess's pipes do. What arrives must be exactly what the program
// wrote, in its order, and most of it must have come through the buffer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WASI } from 'node:wasi';
import { loadCore } from '../src/core';
import type { Watch } from '../src/coreTypes';
import { OutputDrain } from '../src/outputBuffer';
import { fixture } from './fixtures';

interface Arrived {
	/** Each piece as it arrived: its fd, its text, and whether it came through the buffer. */
	pieces: Array<{ fd: number; text: string; buffered: boolean }>;
	watch: Watch;
}

/** Runs fixture `name`; `enable` says whether the host drains the buffer. */
async function run(name: string, enable: boolean, drainEvery?: number): Promise<Arrived> {
	const core = await loadCore();
	const request = core.parseCommandLine([`${name}.wasm`], '/workspace');
	assert.equal(request.kind, 'run');
	const plan = core.planRun(request as never, fixture(name));
	assert.ok(plan.kind === 'run' && plan.module && plan.memory && plan.watch, `${name} is watched`);
	const memory = new WebAssembly.Memory(plan.memory);
	const pieces: Arrived['pieces'] = [];
	const decoder = new TextDecoder();
	const sink = (fd: number) => ({
		write: async (bytes: Uint8Array) => {
			pieces.push({ fd, text: decoder.decode(bytes), buffered: true });
		},
	});
	const watch = plan.watch;
	assert.ok(watch.output, `${name} gets an output buffer`);
	const drain = new OutputDrain(watch.output, () => memory.buffer as unknown as SharedArrayBuffer, { 1: sink(1), 2: sink(2) });
	if (enable) drain.enable();
	const wasi = new WASI({ version: 'preview1', args: [name], returnOnExit: true });
	const preview1 = (wasi.getImportObject() as { wasi_snapshot_preview1: Record<string, unknown> }).wasi_snapshot_preview1;
	let calls = 0;
	const fdWrite = (fd: number, iovs: number, count: number, nwritten: number): number => {
		void drain.drain();
		const view = new DataView(memory.buffer);
		let text = '';
		let total = 0;
		for (let i = 0; i < count; i++) {
			const [at, length] = [view.getUint32(iovs + 8 * i, true), view.getUint32(iovs + 8 * i + 4, true)];
			text += decoder.decode(new Uint8Array(memory.buffer, at, length).slice());
			total += length;
		}
		pieces.push({ fd, text, buffered: false });
		view.setUint32(nwritten, total, true);
		// The host's own look, now and then, as its timer would.
		if (drainEvery !== undefined && ++calls % drainEvery === 0) void drain.drain();
		return 0;
	};
	const instance = new WebAssembly.Instance(new WebAssembly.Module(plan.module), {
		wasi_snapshot_preview1: { ...preview1, fd_write: fdWrite },
		env: { memory },
	});
	const code = wasi.start({ exports: { ...instance.exports, memory } });
	assert.equal(code, 0);
	await drain.drain();
	return { pieces, watch };
}

const joined = (arrived: Arrived, fd?: number) =>
	arrived.pieces.filter((p) => fd === undefined || p.fd === fd).map((p) => p.text).join('');

test('output_order: every byte arrives, stdout and stderr in the order written', async () => {
	const unbuffered = await run('output_order', false);
	assert.ok(unbuffered.pieces.every((p) => !p.buffered), 'nothing is buffered until the host drains');
	const buffered = await run('output_order', true);
	assert.equal(joined(buffered), joined(unbuffered));
	assert.equal(joined(buffered, 1), joined(unbuffered, 1));
	const sequence = (a: Arrived) => a.pieces.map((p) => `${p.fd}:${p.text}`).join('').replace(/(\d:)/g, '');
	assert.equal(sequence(buffered), sequence(unbuffered));
	// Rust's stdout holds `no newline, ` until its next newline; stderr is written at once.
	const shape = /^out 0\nerr 0\nout 1\n[^]*out 59\nthen stderr, no newline, x{40000}\nabc\ndone\n$/;
	assert.ok(shape.test(joined(buffered)), 'the bytes are the program\'s own');
	// A round trip per switch of fd (Rust writes `err 7\n` in three) or overflow, not per write.
	const direct = buffered.pieces.filter((p) => !p.buffered).length;
	assert.ok(direct <= unbuffered.pieces.length / 2, `${direct} of ${unbuffered.pieces.length} writes went through`);
});

test('output_order: the host taking the buffer while the program writes loses and repeats nothing', async () => {
	const unbuffered = await run('output_order', false);
	for (const every of [1, 2, 3]) {
		const arrived = await run('output_order', true, every);
		assert.equal(joined(arrived), joined(unbuffered), `drained after every ${every} direct writes`);
	}
});

test('a buffer the program wrote over is left alone, and nothing is made up', async () => {
	const memory = new WebAssembly.Memory({ initial: 2, maximum: 2, shared: true });
	const words = new Int32Array(memory.buffer);
	const spec = { enableWord: 8, enable: 0x72770100, addressWord: 12, at: 1024, data: 8, capacity: 1016, draining: -1, fdShift: 28, lengthMask: (1 << 28) - 1 };
	const pieces: string[] = [];
	const sink = { write: async (b: Uint8Array) => void pieces.push(new TextDecoder().decode(b)) };
	const drain = new OutputDrain(spec, () => memory.buffer as unknown as SharedArrayBuffer, { 1: sink, 2: sink });
	drain.enable();
	assert.equal(Atomics.load(words, 2), spec.enable);
	// Not made: whatever lies there is the program's stack.
	words[256] = (1 << 28) | 3;
	await drain.drain();
	assert.deepEqual(pieces, []);
	words[3] = 1024;
	new Uint8Array(memory.buffer, 1032, 3).set([104, 105, 10]);
	await drain.drain();
	assert.deepEqual(pieces, ['hi\n']);
	assert.equal(words[256], 0);
	// A length past the buffer, or fd 7: the program's own scribbles; never drained again.
	words[256] = (1 << 28) | 5000;
	await drain.drain();
	words[256] = (1 << 28) | 3;
	await drain.drain();
	assert.deepEqual(pieces, ['hi\n']);
});

test('the timer waits for a slow reader: one write at a time, so memory stays bounded', async () => {
	const memory = new WebAssembly.Memory({ initial: 2, maximum: 2, shared: true });
	const words = new Int32Array(memory.buffer);
	const spec = { enableWord: 8, enable: 0x72770100, addressWord: 12, at: 1024, data: 8, capacity: 1016, draining: -1, fdShift: 28, lengthMask: (1 << 28) - 1 };
	let writes = 0;
	let release!: () => void;
	const taken = new Promise<void>((resolve) => (release = resolve));
	const paused = { write: () => (writes++, taken) };
	const drain = new OutputDrain(spec, () => memory.buffer as unknown as SharedArrayBuffer, { 1: paused, 2: paused });
	words[3] = 1024;
	drain.start();
	// The program refills its buffer faster than the reader takes it.
	for (let turn = 0; turn < 10; turn++) {
		if (Atomics.load(words, 256) === 0) Atomics.store(words, 256, (1 << 28) | 1);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	assert.equal(writes, 1, 'nothing more is taken while the reader has not taken the last');
	release();
	await new Promise((resolve) => setTimeout(resolve, 60));
	drain.stop();
	assert.ok(writes >= 2, 'taken again once the reader caught up');
});
