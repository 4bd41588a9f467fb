// The pipe objects crw hands the WASI Core: stdin that really ends and is asked for read
// by read, output that waits for the socket.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StdinPipe } from '../src/crw/pipes';
import type { StdinRing } from '../src/inputRing';
import { OutputPipe } from '../src/outputPipe';

test('after the end of input every read is end-of-file, however often the program asks', async () => {
	const pipe = new StdinPipe(() => undefined, 1024);
	pipe.push(Uint8Array.of(1, 2, 3));
	pipe.end();
	assert.deepEqual(await pipe.read('max', 10), Uint8Array.of(1, 2, 3));
	for (let i = 0; i < 3; i++) assert.equal((await pipe.read('max', 10)).length, 0);
	pipe.push(Uint8Array.of(4));
	assert.equal((await pipe.read('max', 10)).length, 0, 'nothing after the end');
});

test('nothing is asked before the program reads; each read asks once, for what it wants', async () => {
	const asked: number[] = [];
	const pipe = new StdinPipe((n) => asked.push(n), 1024);
	await new Promise((r) => setTimeout(r, 10));
	assert.deepEqual(asked, []);
	const first = pipe.read('max', 4);
	await until(() => asked.length === 1);
	assert.deepEqual(asked, [4]);
	pipe.push(Uint8Array.of(1, 2));
	assert.deepEqual(await first, Uint8Array.of(1, 2), 'a short answer is the whole read: the rest lapses');
	const second = pipe.read('max', 8192);
	await until(() => asked.length === 2);
	assert.deepEqual(asked, [4, 1024], 'at most one frame per ask');
	pipe.push(Uint8Array.of(3));
	assert.deepEqual(await second, Uint8Array.of(3));
	assert.equal((await pipe.read('max', 0)).length, 0);
	assert.equal(asked.length, 2, 'a read of nothing asks nothing');
});

test('reads at once (two threads) are served in turn, one ask outstanding at a time', async () => {
	const asked: number[] = [];
	const pipe = new StdinPipe((n) => asked.push(n), 1024);
	const a = pipe.read('max', 3);
	const b = pipe.read('max', 5);
	await until(() => asked.length === 1);
	await new Promise((r) => setTimeout(r, 10));
	assert.deepEqual(asked, [3]);
	pipe.push(Uint8Array.of(1, 2, 3));
	await until(() => asked.length === 2);
	assert.deepEqual(asked, [3, 5]);
	pipe.end();
	assert.deepEqual(await a, Uint8Array.of(1, 2, 3));
	assert.equal((await b).length, 0);
});

test('destroy ends a waiting read with end-of-file', async () => {
	const pipe = new StdinPipe(() => undefined, 1024);
	const waiting = pipe.read('max', 4);
	pipe.destroy();
	assert.equal((await waiting).length, 0);
});

test('stdin sent ahead serves reads at once; what they took is told when all is taken', async () => {
	const asked: number[] = [];
	const consumed: number[] = [];
	const pipe = new StdinPipe((n) => asked.push(n), 1024, (n) => consumed.push(n));
	pipe.peeked(Uint8Array.of(1, 2, 3));
	pipe.peeked(Uint8Array.of(4, 5));
	assert.deepEqual(await pipe.read('max', 2), Uint8Array.of(1, 2));
	assert.deepEqual(consumed, [], 'told in sums, not read by read');
	assert.deepEqual(await pipe.read('max', 3), Uint8Array.of(3, 4, 5), 'a read takes from the pieces sent, up to what it wants');
	assert.deepEqual(consumed, [5], 'all sent is taken: the client is told, so it sends more');
	assert.deepEqual(asked, [], 'nothing asked while stdin was there');
	// Nothing left: the read asks (the client sends ahead again when it has more).
	const waiting = pipe.read('max', 8);
	await until(() => asked.length === 1);
	pipe.peeked(Uint8Array.of(6));
	pipe.end();
	assert.deepEqual(await waiting, Uint8Array.of(6));
	assert.equal((await pipe.read('max', 8)).length, 0);
	assert.deepEqual(consumed, [5, 1], 'the end is not consumed');
});

test('reads that took much are told at once; at the end, the rest, and never what no read took', async () => {
	const consumed: number[] = [];
	const pipe = new StdinPipe(() => undefined, 1024 * 1024, (n) => consumed.push(n));
	pipe.peeked(new Uint8Array(200 * 1024));
	for (let i = 0; i < 10; i++) assert.equal((await pipe.read('max', 8192)).length, 8192);
	assert.deepEqual(consumed, [65536], 'every 64 KiB taken');
	assert.equal((await pipe.read('max', 10)).length, 10);
	pipe.destroy();
	assert.equal((await pipe.read('max', 10)).length, 0);
	pipe.report();
	pipe.report();
	assert.deepEqual(consumed, [65536, 16384 + 10], 'the rest once, and none of the unread');
});

/** A stand-in for the program's input ring (inputRing.ts): `program(n)` is the program taking n from it. */
class FakeRing implements StdinRing {
	held: number[] = [];
	private taken = 0;
	constructor(private readonly size: number) {}
	program(n: number): number[] {
		this.taken += Math.min(n, this.held.length);
		return this.held.splice(0, n);
	}
	takeFor(size: number): Uint8Array {
		return Uint8Array.from(this.program(size));
	}
	takenSince(): number {
		const taken = this.taken;
		this.taken = 0;
		return taken;
	}
	put(data: Uint8Array): number {
		const n = Math.min(data.length, this.size - this.held.length);
		this.held.push(...data.subarray(0, n));
		return n;
	}
}

test('with an input ring: what is sent goes in at once, reads take the ring first, and what the program took is told', async () => {
	const consumed: number[] = [];
	const asked: number[] = [];
	const pipe = new StdinPipe((n) => asked.push(n), 1024, (n) => consumed.push(n));
	const ring = new FakeRing(10);
	pipe.feed(ring);
	pipe.peeked(Uint8Array.from({ length: 30 }, (_, i) => i));
	assert.deepEqual(ring.held, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'no read waits: in at once, as much as fits');
	// A read that came to the Core while the ring held bytes: those come first.
	assert.deepEqual(await pipe.read('max', 4), Uint8Array.of(0, 1, 2, 3));
	assert.deepEqual(ring.program(6), [4, 5, 6, 7, 8, 9]);
	// The host hears from the program (a write, its timer): counted, and topped up.
	pipe.topUp();
	assert.deepEqual(ring.held, [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
	assert.deepEqual(await pipe.read('max', 5), Uint8Array.of(10, 11, 12, 13, 14));
	assert.deepEqual(await pipe.read('max', 100), Uint8Array.of(15, 16, 17, 18, 19), 'what the ring holds, a short read');
	assert.deepEqual(await pipe.read('max', 8), Uint8Array.of(20, 21, 22, 23, 24, 25, 26, 27), 'the ring empty: what was sent');
	assert.deepEqual(ring.held, [28, 29], 'and what follows it goes in');
	pipe.report();
	assert.equal(consumed.reduce((a, b) => a + b, 0), 28, 'all the program took, through the Core and from the ring, and none of what waits in the ring');
	ring.program(2);
	pipe.end();
	assert.equal((await pipe.read('max', 8)).length, 0, 'then the end');
	pipe.report();
	assert.equal(consumed.reduce((a, b) => a + b, 0), 30);
	assert.deepEqual(asked, []);
});

test('with an input ring, a read waiting for the client takes what it sends, not the ring', async () => {
	const pipe = new StdinPipe(() => undefined, 1024, () => undefined);
	const ring = new FakeRing(10);
	pipe.feed(ring);
	const waiting = pipe.read('max', 3);
	await new Promise((r) => setImmediate(r));
	pipe.peeked(Uint8Array.of(1, 2, 3, 4, 5));
	assert.deepEqual(await waiting, Uint8Array.of(1, 2, 3));
	assert.deepEqual(ring.held, [4, 5]);
});

test('output resolves only when the socket took it', async () => {
	let release!: () => void;
	const sent: string[] = [];
	const pipe = new OutputPipe(async (data) => {
		sent.push(new TextDecoder().decode(data));
		await new Promise<void>((r) => (release = r));
	});
	let done = false;
	const writing = pipe.write('hi').then(() => (done = true));
	await new Promise((r) => setTimeout(r, 10));
	assert.deepEqual([sent, done], [['hi'], false]);
	release();
	await writing;
	assert.equal(done, true);
});

async function until(condition: () => boolean): Promise<void> {
	for (const start = Date.now(); !condition(); await new Promise((r) => setTimeout(r, 1))) {
		if (Date.now() - start > 10_000) throw new Error('timed out');
	}
}
