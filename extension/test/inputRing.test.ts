// The input ring end to end in this V8, without the Core: a fixture planned by the built
// core as a run would be, run with node:wasi for everything but fd_read and fd_write.
// fd_read's double stands in for the Core's pipe driver and crw's StdinPipe: it serves a
// read from what the ring still holds, else from the bytes "sent ahead", then puts what
// follows in the ring, as StdinPipe does. What the program writes must be exactly what it
// read, and the host must count as taken exactly what the program took.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WASI } from 'node:wasi';
import { loadCore } from '../src/core';
import { InputRing } from '../src/inputRing';
import { fixture } from './fixtures';

interface Ran {
	out: Uint8Array;
	/** Reads that went through the double: the round trips the Core would make. */
	coreReads: number;
	/** What the host counted as taken, through the Core and from the ring. */
	taken: number;
	ringSize: number;
}

/**
 * Runs fixture `name` with `args`, its stdin `input` sent ahead in pieces of `piece` bytes;
 * `topUpOnWrite`: the ring is topped up at each write too, between the program's reads, as
 * the host does when it hears from the program (runProcess.ts).
 */
async function run(name: string, args: string[], input: Uint8Array, piece: number, ring = true, topUpOnWrite = false): Promise<Ran> {
	const core = await loadCore();
	const request = core.parseCommandLine([`${name}.wasm`, ...args], '/workspace');
	assert.equal(request.kind, 'run');
	const plan = core.planRun(request as never, fixture(name));
	assert.ok(plan.kind === 'run' && plan.module && plan.memory && plan.watch?.input, `${name} gets an input ring`);
	const memory = new WebAssembly.Memory(plan.memory);
	const inputRing = new InputRing(plan.watch.input, () => memory.buffer as unknown as SharedArrayBuffer);
	const ahead: Uint8Array[] = [];
	for (let at = 0; at < input.length; at += piece) ahead.push(input.subarray(at, at + piece));
	const out: Uint8Array[] = [];
	let coreReads = 0;
	let taken = 0;
	const iovecs = (iovs: number, count: number) => {
		const view = new DataView(memory.buffer);
		return Array.from({ length: count }, (_, i) => ({ at: view.getUint32(iovs + 8 * i, true), length: view.getUint32(iovs + 8 * i + 4, true) }));
	};
	const fdRead = (fd: number, iovs: number, count: number, nread: number): number => {
		assert.equal(fd, 0);
		coreReads++;
		const buffers = iovecs(iovs, count);
		const size = buffers.reduce((sum, b) => sum + b.length, 0);
		// The ring first, then what was sent ahead.
		let bytes = ring ? inputRing.takeFor(size) : new Uint8Array(0);
		if (bytes.length === 0 && ahead.length > 0) {
			bytes = ahead[0]!.subarray(0, size);
			ahead[0] = ahead[0]!.subarray(bytes.length);
			if (ahead[0].length === 0) ahead.shift();
			taken += bytes.length;
		}
		let from = 0;
		for (const b of buffers) {
			const n = Math.min(b.length, bytes.length - from);
			new Uint8Array(memory.buffer, b.at, n).set(bytes.subarray(from, from + n));
			from += n;
		}
		new DataView(memory.buffer).setUint32(nread, bytes.length, true);
		topUp();
		return 0;
	};
	const topUp = () => {
		taken += inputRing.takenSince();
		while (ring && ahead.length > 0) {
			const put = inputRing.put(ahead[0]!);
			ahead[0] = ahead[0]!.subarray(put);
			if (ahead[0].length > 0) break;
			ahead.shift();
		}
	};
	const fdWrite = (fd: number, iovs: number, count: number, nwritten: number): number => {
		let total = 0;
		for (const b of iovecs(iovs, count)) {
			if (fd === 1) out.push(new Uint8Array(memory.buffer, b.at, b.length).slice());
			total += b.length;
		}
		new DataView(memory.buffer).setUint32(nwritten, total, true);
		if (topUpOnWrite) topUp();
		return 0;
	};
	const wasi = new WASI({ version: 'preview1', args: [name, ...args], returnOnExit: true });
	const preview1 = (wasi.getImportObject() as { wasi_snapshot_preview1: Record<string, unknown> }).wasi_snapshot_preview1;
	const instance = new WebAssembly.Instance(new WebAssembly.Module(plan.module), {
		wasi_snapshot_preview1: { ...preview1, fd_read: fdRead, fd_write: fdWrite },
		env: { memory },
	});
	assert.equal(wasi.start({ exports: { ...instance.exports, memory } }), 0);
	taken += inputRing.takenSince();
	const all = new Uint8Array(out.reduce((sum, o) => sum + o.length, 0));
	out.reduce((at, o) => (all.set(o, at), at + o.length), 0);
	return { out: all, coreReads, taken, ringSize: plan.watch.input.size };
}

/** Bytes no two runs of the ring could line up by chance: a byte counter mixed. */
function bytes(length: number): Uint8Array {
	const data = new Uint8Array(length);
	let x = 12345;
	for (let i = 0; i < length; i++) {
		x = (x * 1103515245 + 12345) >>> 0;
		data[i] = x >>> 24;
	}
	return data;
}

test('cat: every byte arrives once and in order, most reads taken from the ring', async () => {
	const input = bytes(1024 * 1024 + 123);
	const without = await run('cat', [], input, 100_000, false);
	assert.deepEqual(without.out, input);
	// Pieces smaller than the ring, larger than it, and of sizes that wrap it anywhere.
	for (const piece of [1000, 7777, 100_000, 300_000]) {
		const ran = await run('cat', [], input, piece);
		assert.equal(Buffer.compare(ran.out, input), 0, `pieces of ${piece}`);
		assert.equal(ran.taken, input.length, `all of it counted as taken (pieces of ${piece})`);
		// Each round trip brings the ring's worth, and Rust reads 8 KiB a time.
		assert.ok(ran.coreReads * 4 <= without.coreReads, `${ran.coreReads} round trips against ${without.coreReads} (pieces of ${piece})`);
		// Topped up between reads too: the same bytes, and hardly a read through the Core.
		const topped = await run('cat', [], input, piece, true, true);
		assert.equal(Buffer.compare(topped.out, input), 0, `pieces of ${piece}, topped up at each write`);
		assert.equal(topped.taken, input.length);
		assert.ok(topped.coreReads <= 3, `${topped.coreReads} reads through the Core, topped up at each write (pieces of ${piece})`);
	}
});

test('head_bytes: only what the program took is counted as taken, the rest stays', async () => {
	const input = bytes(200_000);
	for (const wanted of [1, 5000, 8192, 70_000, 150_000]) {
		const ran = await run('head_bytes', [String(wanted)], input, 50_000);
		assert.deepEqual(ran.out, input.subarray(0, wanted));
		assert.equal(ran.taken, wanted, `head_bytes ${wanted}`);
	}
});

test('a ring the program wrote over is not filled again, and nothing more is counted', () => {
	const memory = new WebAssembly.Memory({ initial: 2, maximum: 2, shared: true });
	const words = new Int32Array(memory.buffer);
	const spec = { enableWord: 16, enable: 0x72770200, addressWord: 20, at: 1024, filled: 0, taken: 4, ring: 16, size: 4096 };
	const ring = new InputRing(spec, () => memory.buffer as unknown as SharedArrayBuffer);
	// Not made: whatever lies there is the program's stack.
	assert.equal(ring.put(Uint8Array.of(1, 2, 3)), 0);
	assert.equal(words[4], 0, 'not enabled before it is made');
	words[5] = 1024;
	assert.equal(ring.put(Uint8Array.of(1, 2, 3)), 3);
	assert.equal(words[4], spec.enable);
	assert.equal(words[256], 3);
	// The program took two; the host takes the third for a read that came its way.
	words[257] = 2;
	assert.equal(ring.takenSince(), 2);
	assert.deepEqual(ring.takeFor(10), Uint8Array.of(3));
	assert.equal(ring.takenSince(), 1);
	// More taken than was ever put in: the program's scribble. Nothing more, ever.
	words[257] = 1000;
	assert.equal(ring.takenSince(), 0);
	assert.equal(ring.put(Uint8Array.of(4)), 0);
	assert.deepEqual(ring.takeFor(10), new Uint8Array(0));
});
