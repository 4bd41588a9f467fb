// The wire between the crw client and this extension, mirrored from crw/src/frame.rs
// (both sides check tests/fixtures/frames.json): a type byte, a little-endian u32 payload
// length, the payload. Data frames carry raw bytes. A client's first frame is its hello
// (version, then token), in every version.
import type { Terminals } from '../coreTypes';

/** Bumped whenever a frame's meaning changes (crw/src/frame.rs PROTOCOL_VERSION). */
export const PROTOCOL_VERSION = 4;
/** Largest payload either side sends or accepts. */
export const MAX_PAYLOAD = 1024 * 1024;
/** Largest request: it carries the whole argument list (crw/src/frame.rs MAX_REQUEST). */
export const MAX_REQUEST = 64 * 1024 * 1024;
/** The most peeked stdin held for a run: sent, not yet consumed (crw/src/frame.rs PEEK_WINDOW). */
export const PEEK_WINDOW = 1024 * 1024;

export type Frame =
	| { type: 'hello'; version: number; token: string }
	| { type: 'request'; version: number; terminals: Terminals; cwd: string; argv: string[] }
	| { type: 'stdin'; data: Uint8Array }
	| { type: 'stdinEnd' }
	| { type: 'interrupt' }
	/** The next bytes of the client's stdin, still in it (looked at, not taken): sent unasked. */
	| { type: 'peek'; data: Uint8Array }
	| { type: 'stdout'; data: Uint8Array }
	| { type: 'stderr'; data: Uint8Array }
	| { type: 'exit'; code: number }
	/** The program reads up to `bytes`: the client answers with one stdin (or stdinEnd) frame. */
	| { type: 'readStdin'; bytes: number }
	/** A read took this many peeked bytes: the client takes exactly that many from its stdin. */
	| { type: 'consumed'; bytes: number }
	| { type: 'error'; code: number; line: string };

const TYPE_BYTE = {
	request: 0x01,
	stdin: 0x02,
	stdinEnd: 0x03,
	interrupt: 0x04,
	hello: 0x05,
	peek: 0x06,
	stdout: 0x81,
	stderr: 0x82,
	exit: 0x83,
	readStdin: 0x84,
	error: 0x85,
	consumed: 0x86,
} as const satisfies Record<Frame['type'], number>;

const TYPE_OF = new Map<number, Frame['type']>(Object.entries(TYPE_BYTE).map(([t, b]) => [b, t as Frame['type']]));

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encode(frame: Frame): Uint8Array {
	const payload = payloadOf(frame);
	const out = new Uint8Array(5 + payload.length);
	out[0] = TYPE_BYTE[frame.type];
	new DataView(out.buffer).setUint32(1, payload.length, true);
	out.set(payload, 5);
	return out;
}

function payloadOf(frame: Frame): Uint8Array {
	switch (frame.type) {
		case 'hello': {
			const token = encoder.encode(frame.token);
			const out = new Payload(2 + 4 + token.length);
			out.u16(frame.version);
			out.bytesWithLength(token);
			return out.bytes;
		}
		case 'request': {
			const strings = [frame.cwd, ...frame.argv].map((s) => encoder.encode(s));
			const out = new Payload(2 + 1 + 4 + strings.reduce((n, s) => n + 4 + s.length, 0));
			out.u16(frame.version);
			const { stdin, stdout, stderr } = frame.terminals;
			out.u8(Number(stdin) | (Number(stdout) << 1) | (Number(stderr) << 2));
			out.bytesWithLength(strings[0]!);
			out.u32(frame.argv.length);
			for (const arg of strings.slice(1)) out.bytesWithLength(arg);
			return out.bytes;
		}
		case 'stdin':
		case 'peek':
		case 'stdout':
		case 'stderr':
			return frame.data;
		case 'stdinEnd':
		case 'interrupt':
			return new Uint8Array(0);
		case 'exit': {
			const out = new Payload(4);
			out.i32(frame.code);
			return out.bytes;
		}
		case 'readStdin':
		case 'consumed': {
			const out = new Payload(4);
			out.u32(frame.bytes);
			return out.bytes;
		}
		case 'error': {
			const line = encoder.encode(frame.line);
			const out = new Payload(4 + line.length);
			out.i32(frame.code);
			out.bytes.set(line, 4);
			return out.bytes;
		}
	}
}

class Payload {
	readonly bytes: Uint8Array;
	private readonly view: DataView;
	private at = 0;

	constructor(size: number) {
		this.bytes = new Uint8Array(size);
		this.view = new DataView(this.bytes.buffer);
	}
	u8(v: number) { this.view.setUint8(this.at, v); this.at += 1; }
	u16(v: number) { this.view.setUint16(this.at, v, true); this.at += 2; }
	u32(v: number) { this.view.setUint32(this.at, v, true); this.at += 4; }
	i32(v: number) { this.view.setInt32(this.at, v, true); this.at += 4; }
	bytesWithLength(b: Uint8Array) { this.u32(b.length); this.bytes.set(b, this.at); this.at += b.length; }
}

/** A malformed frame: the connection cannot go on. */
export class FrameError extends Error {}

/** Cuts a byte stream (socket chunks of any size) into frames. */
export class FrameReader {
	private buffered: Uint8Array[] = [];
	private length = 0;
	private first = true;

	/** `firstLimit`: the most the first frame may hold (a server's reader: the hello comes first). */
	constructor(private readonly firstLimit?: number) {}

	/** The frames completed by `chunk`, in order. Throws FrameError on a malformed one. */
	push(chunk: Uint8Array): Frame[] {
		this.buffered.push(chunk);
		this.length += chunk.length;
		const frames: Frame[] = [];
		while (this.length >= 5) {
			const header = this.peek(5);
			const size = new DataView(header.buffer, header.byteOffset).getUint32(1, true);
			const limit = this.first && this.firstLimit !== undefined
				? this.firstLimit
				: header[0] === TYPE_BYTE.request ? MAX_REQUEST : MAX_PAYLOAD;
			if (size > limit) throw new FrameError(`a frame of ${size} bytes`);
			if (this.length < 5 + size) break;
			this.first = false;
			const whole = this.take(5 + size);
			frames.push(decode(whole[0]!, whole.subarray(5)));
		}
		return frames;
	}

	private peek(n: number): Uint8Array {
		if (this.buffered[0]!.length >= n) return this.buffered[0]!.subarray(0, n);
		const joined = concat(this.buffered, this.length);
		this.buffered = [joined];
		return joined.subarray(0, n);
	}

	private take(n: number): Uint8Array {
		const first = this.buffered[0]!;
		if (first.length < n) this.buffered = [concat(this.buffered, this.length)];
		const all = this.buffered[0]!;
		const taken = all.subarray(0, n);
		this.buffered = all.length > n ? [all.subarray(n)] : [];
		this.length -= n;
		return taken;
	}
}

/** `chunks`, `length` bytes in all, in one new array. */
export function concat(chunks: Uint8Array[], length: number): Uint8Array {
	const out = new Uint8Array(length);
	let at = 0;
	for (const chunk of chunks) {
		out.set(chunk, at);
		at += chunk.length;
	}
	return out;
}

function decode(typeByte: number, payload: Uint8Array): Frame {
	const type = TYPE_OF.get(typeByte);
	const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
	let at = 0;
	const need = (n: number) => {
		if (at + n > payload.length) throw new FrameError(`a truncated ${type} frame`);
		const start = at;
		at += n;
		return start;
	};
	const string = () => {
		const size = view.getUint32(need(4), true);
		const start = need(size);
		try {
			return decoder.decode(payload.subarray(start, start + size));
		} catch {
			throw new FrameError(`a ${type} frame with text that is not UTF-8`);
		}
	};
	switch (type) {
		case 'hello': {
			const version = view.getUint16(need(2), true);
			return { type, version, token: string() };
		}
		case 'request': {
			const version = view.getUint16(need(2), true);
			const flags = view.getUint8(need(1));
			const terminals = { stdin: (flags & 1) !== 0, stdout: (flags & 2) !== 0, stderr: (flags & 4) !== 0 };
			const cwd = string();
			const argc = view.getUint32(need(4), true);
			const argv: string[] = [];
			for (let i = 0; i < argc; i++) argv.push(string());
			return { type, version, terminals, cwd, argv };
		}
		case 'stdin':
		case 'peek':
		case 'stdout':
		case 'stderr':
			// A copy, and a plain Uint8Array: Buffer's slice() would be a view of the socket's chunk.
			return { type, data: new Uint8Array(payload) };
		case 'stdinEnd':
		case 'interrupt':
			return { type };
		case 'exit':
			return { type, code: view.getInt32(need(4), true) };
		case 'readStdin':
		case 'consumed':
			return { type, bytes: view.getUint32(need(4), true) };
		case 'error': {
			const code = view.getInt32(need(4), true);
			return { type, code, line: new TextDecoder().decode(payload.subarray(4)) };
		}
		case undefined:
			throw new FrameError(`unknown frame type 0x${typeByte.toString(16)}`);
	}
}
