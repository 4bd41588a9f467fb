// The pipe objects crw hands the WASI Core: stdin that really ends, credit given back as
// the program reads, output that waits for the socket.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StdinPipe } from '../src/crw/pipes';
import { OutputPipe } from '../src/outputPipe';

test('after the end of input every read is end-of-file, however often the program asks', async () => {
	const pipe = new StdinPipe(() => undefined);
	pipe.push(Uint8Array.of(1, 2, 3));
	pipe.end();
	assert.deepEqual(await pipe.read('max', 10), Uint8Array.of(1, 2, 3));
	for (let i = 0; i < 3; i++) assert.equal((await pipe.read('max', 10)).length, 0);
	pipe.push(Uint8Array.of(4));
	assert.equal((await pipe.read('max', 10)).length, 0, 'nothing after the end');
});

test('a read waits for data, takes at most what was asked, and grants the bytes back', async () => {
	const granted: number[] = [];
	const pipe = new StdinPipe((n) => granted.push(n));
	const waiting = pipe.read('max', 4);
	pipe.push(Uint8Array.of(1, 2, 3, 4, 5, 6));
	assert.deepEqual(await waiting, Uint8Array.of(1, 2, 3, 4));
	assert.deepEqual(await pipe.read('max', 4), Uint8Array.of(5, 6));
	assert.deepEqual(granted, [4, 2]);
});

test('destroy ends a waiting read with end-of-file', async () => {
	const pipe = new StdinPipe(() => undefined);
	const waiting = pipe.read('max', 4);
	pipe.destroy();
	assert.equal((await waiting).length, 0);
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
