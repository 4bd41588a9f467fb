// The TypeScript side of the crw wire against the shared vectors (tests/fixtures/frames.json),
// which crw/src/frame.rs checks too: both ends agree byte for byte.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { encode, FrameError, FrameReader, MAX_PAYLOAD, MAX_REQUEST, type Frame } from '../src/crw/frames';

const VECTORS = resolve(process.cwd(), '../tests/fixtures/frames.json');

/** The vectors describe data as hex; our frames carry bytes. */
function frameOf(json: Record<string, unknown>): Frame {
	const data = typeof json.data === 'string' ? Uint8Array.from(Buffer.from(json.data, 'hex')) : undefined;
	return (data === undefined ? json : { ...json, data }) as Frame;
}

const vectors = (JSON.parse(readFileSync(VECTORS, 'utf8')).frames as { frame: Record<string, unknown>; hex: string }[])
	.map((v) => ({ frame: frameOf(v.frame), bytes: Uint8Array.from(Buffer.from(v.hex, 'hex')) }));

test('encodes and decodes the shared vectors byte for byte', () => {
	assert.ok(vectors.length >= 10);
	for (const { frame, bytes } of vectors) {
		assert.deepEqual(encode(frame), bytes, frame.type);
		assert.deepEqual(new FrameReader().push(bytes), [frame]);
	}
});

test('frames split anywhere across chunks come out whole and in order', () => {
	const stream = Buffer.concat(vectors.map((v) => v.bytes));
	for (const step of [1, 2, 3, 7, 64, stream.length]) {
		const reader = new FrameReader();
		const frames: Frame[] = [];
		for (let at = 0; at < stream.length; at += step) frames.push(...reader.push(stream.subarray(at, at + step)));
		assert.deepEqual(frames, vectors.map((v) => v.frame), `chunks of ${step}`);
	}
});

test('a request may carry megabytes of arguments', () => {
	const request: Frame = { type: 'request', version: 1, terminals: { stdin: true, stdout: true, stderr: true }, cwd: '/', argv: Array(3000).fill('x'.repeat(1000)) };
	const bytes = encode(request);
	assert.ok(bytes.length > MAX_PAYLOAD);
	assert.deepEqual(new FrameReader().push(bytes), [request]);
});

test('a malformed frame is a FrameError, never a crash or a wait', () => {
	const oversized = new Uint8Array(5);
	oversized[0] = 0x81;
	new DataView(oversized.buffer).setUint32(1, MAX_PAYLOAD + 1, true);
	assert.throws(() => new FrameReader().push(oversized), FrameError);
	assert.throws(() => new FrameReader().push(Uint8Array.of(0x7f, 0, 0, 0, 0)), FrameError);
	const hugeRequest = Uint8Array.of(0x01, 0, 0, 0, 0);
	new DataView(hugeRequest.buffer).setUint32(1, MAX_REQUEST + 1, true);
	assert.throws(() => new FrameReader().push(hugeRequest), FrameError);
	// An exit frame whose payload is too short for its code.
	assert.throws(() => new FrameReader().push(Uint8Array.of(0x83, 2, 0, 0, 0, 1, 2)), FrameError);
	// A request whose cwd claims more bytes than the frame holds.
	assert.throws(() => new FrameReader().push(Uint8Array.of(0x01, 11, 0, 0, 0, 1, 0, 0, 200, 0, 0, 0, 97, 98, 99, 100)), FrameError);
});

test('a server\'s reader caps the first frame (the hello) at its own limit, and only that one', () => {
	const big = encode({ type: 'stdout', data: new Uint8Array(2000) });
	assert.throws(() => new FrameReader(1000).push(big), FrameError);
	const hello = encode({ type: 'hello', version: 2, token: 'x'.repeat(64) });
	const frames = new FrameReader(1000).push(Buffer.concat([hello, big]));
	assert.deepEqual(frames.map((f) => f.type), ['hello', 'stdout']);
});
