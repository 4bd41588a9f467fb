// One crw connection is one program run: the hello frame (protocol version, token) opens
// it, the request frame starts it, stdin frames feed it, an interrupt frame or a closed
// connection stops it, and its output and exit code go back as frames. Flow control both
// ways: stdin only as the program reads (a readStdin frame per read, answered by one stdin
// frame of at most what it asked for), or sent ahead by a client that takes from its stdin
// only what the program consumed (peek frames, at most PEEK_WINDOW not yet consumed; a
// consumed frame per read that took some); output waits for the socket to drain. Whatever
// we refuse (another token, version or frame, too many runs, stdin not asked for or beyond
// the window) is one error frame, and the connection ends; nothing runs.
import { timingSafeEqual } from 'node:crypto';
import type { HostFailure, ExitLine } from '../coreTypes';
import { encode, FrameError, FrameReader, MAX_PAYLOAD, PEEK_WINDOW, PROTOCOL_VERSION, type Frame } from './frames';
import { OutputPipe } from '../outputPipe';
import { StdinPipe } from './pipes';

/** The part of a `net.Socket` a connection uses (tests drive it over real sockets too). */
export interface Socket {
	write(data: Uint8Array): boolean;
	end(): void;
	destroy(): void;
	readonly destroyed: boolean;
	on(event: 'data', listener: (chunk: Uint8Array) => void): this;
	on(event: 'close', listener: () => void): this;
	on(event: 'error', listener: (error: Error) => void): this;
	once(event: 'drain' | 'close', listener: () => void): this;
}

export type CrwRequest = Extract<Frame, { type: 'request' }>;

/** What the run of one connection gets. */
export interface CrwRun {
	request: CrwRequest;
	stdin: StdinPipe;
	stdout: OutputPipe;
	stderr: OutputPipe;
	/** Resolves on Ctrl-C in the client or when the client went away. */
	stopped: Promise<void>;
}

/** Runs the program; resolves to its exit code and never throws. */
export type CrwHandler = (run: CrwRun) => Promise<number>;

/** What every connection is served with, besides its program's handler. */
export interface Serving {
	/** A reason to refuse every run now (e.g. an untrusted workspace). */
	refusal: () => HostFailure | undefined;
	/** The core's line and exit code for a failure outside any program. */
	say: (failure: HostFailure) => Promise<ExitLine>;
	/** This extension's version, for a client of another protocol version. */
	extensionVersion: string;
}

/** Runs at once, over every connection of one server. */
export class RunSlots {
	private running = 0;

	constructor(readonly limit: number) {}

	/** A slot, given back by calling the result; undefined when all `limit` are taken. */
	take(): (() => void) | undefined {
		if (this.running >= this.limit) return undefined;
		this.running++;
		let given = false;
		return () => {
			if (!given) this.running--;
			given = true;
		};
	}
}

/** What a client must show, and within which bounds, before anything runs. */
export interface Guard {
	/** The token in the terminals' environment (RW_CRW_TOKEN), sent first in the hello. */
	token: string;
	/** How long a client has from connecting to its request; then the connection closes. */
	requestTimeoutMs: number;
	runs: RunSlots;
}

/** The hello is small; before it, a client that is not ours cannot make us buffer more. */
const MAX_FIRST_FRAME = 64 * 1024;

export function serveConnection(socket: Socket, handler: CrwHandler, serving: Serving, guard: Guard): void {
	const reader = new FrameReader(MAX_FIRST_FRAME);
	let stop!: () => void;
	const stopped = new Promise<void>((resolve) => (stop = resolve));
	/** hello, then request, then the run; `done` once the last frame is on its way. */
	let phase: 'hello' | 'request' | 'running' | 'done' = 'hello';
	let stdin: StdinPipe | undefined;
	/** Stdin bytes the client may send now: what the program's pending read asked for. */
	let credit = 0;
	/** Bytes the client sent ahead (peek) that no read has consumed yet. */
	let ahead = 0;
	const deadline = setTimeout(() => {
		phase = 'done';
		socket.destroy();
	}, guard.requestTimeoutMs);
	deadline.unref?.();

	const send = (frame: Frame): Promise<void> => {
		if (socket.destroyed) return Promise.resolve();
		if (socket.write(encode(frame))) return Promise.resolve();
		return new Promise<void>((resolve) => {
			socket.once('drain', resolve);
			socket.once('close', resolve);
		});
	};
	const sendData = async (type: 'stdout' | 'stderr', data: Uint8Array) => {
		for (let at = 0; at < data.length; at += MAX_PAYLOAD) {
			await send({ type, data: data.subarray(at, at + MAX_PAYLOAD) });
		}
	};
	/** The connection's last frame (the first caller's), then its end. */
	const finish = (frame: Frame | Promise<Frame>) => {
		if (phase === 'done') return;
		phase = 'done';
		clearTimeout(deadline);
		void Promise.resolve(frame).then(send, () => undefined).then(() => socket.end());
	};
	const refuse = (failure: HostFailure) => {
		finish(serving.say(failure).then((said): Frame => ({ type: 'error', ...said })));
	};
	/** Ends the connection and whatever it runs. */
	const protocolError = (reason: string) => {
		refuse({ kind: 'badFrame', reason });
		stdin?.destroy();
		stop();
	};
	const mismatch = (client: number) =>
		refuse({ kind: 'protocolMismatch', client, server: PROTOCOL_VERSION, extension: serving.extensionVersion });

	const hello = (frame: Frame) => {
		if (frame.type !== 'hello') {
			// A client of protocol 1 sends its request first; anything else sent no token.
			if (frame.type === 'request' && frame.version !== PROTOCOL_VERSION) mismatch(frame.version);
			else refuse({ kind: 'badToken' });
		} else if (frame.version !== PROTOCOL_VERSION) {
			mismatch(frame.version);
		} else if (!sameToken(frame.token, guard.token)) {
			refuse({ kind: 'badToken' });
		} else {
			phase = 'request';
		}
	};

	const start = (request: CrwRequest) => {
		clearTimeout(deadline);
		if (request.version !== PROTOCOL_VERSION) {
			mismatch(request.version);
			return;
		}
		const refused = serving.refusal();
		if (refused !== undefined) {
			refuse(refused);
			return;
		}
		const release = guard.runs.take();
		if (release === undefined) {
			refuse({ kind: 'tooManyRuns', limit: guard.runs.limit });
			return;
		}
		phase = 'running';
		stdin = new StdinPipe(
			(bytes) => {
				credit = bytes;
				void send({ type: 'readStdin', bytes });
			},
			MAX_PAYLOAD,
			(bytes) => {
				ahead -= bytes;
				void send({ type: 'consumed', bytes });
			},
		);
		const stdout = new OutputPipe((data) => sendData('stdout', data));
		const stderr = new OutputPipe((data) => sendData('stderr', data));
		void handler({ request, stdin, stdout, stderr, stopped })
			.catch(() => 1)
			.then((code) => {
				release();
				// Before the exit: the client takes from its stdin all that the program read.
				if (!over()) stdin?.report();
				finish({ type: 'exit', code });
			});
	};

	const receive = (frame: Frame) => {
		if (phase === 'hello') {
			hello(frame);
			return;
		}
		switch (frame.type) {
			case 'request':
				if (phase === 'request') start(frame);
				else protocolError('a second request');
				break;
			case 'stdin':
				if (frame.data.length > credit) {
					protocolError(`${frame.data.length} bytes of stdin for a read of at most ${credit}`);
					return;
				}
				// The answer to the read: what it did not fill lapses, as a short read's rest does.
				credit = 0;
				stdin?.push(frame.data);
				break;
			case 'peek':
				if (ahead + frame.data.length > PEEK_WINDOW) {
					protocolError(`${ahead + frame.data.length} bytes of stdin sent ahead, more than ${PEEK_WINDOW}`);
					return;
				}
				ahead += frame.data.length;
				stdin?.peeked(frame.data);
				break;
			case 'stdinEnd':
				credit = 0;
				stdin?.end();
				break;
			case 'interrupt':
				stop();
				break;
		}
	};

	// A function, not a comparison: TypeScript cannot see `receive` change `phase`.
	const over = () => phase === 'done';
	socket.on('data', (chunk) => {
		if (over()) return;
		let frames: Frame[];
		try {
			frames = reader.push(chunk);
		} catch (error) {
			protocolError(error instanceof FrameError ? error.message : String(error));
			return;
		}
		for (const frame of frames) {
			if (over()) return;
			receive(frame);
		}
	});
	// No orphans: a client that goes away (killed, terminal closed) stops its program.
	socket.on('close', () => {
		clearTimeout(deadline);
		stdin?.end();
		stop();
	});
	socket.on('error', () => socket.destroy());
}

/** Whether the client sent our token, compared in constant time. */
function sameToken(sent: string, expected: string): boolean {
	const a = Buffer.from(sent, 'utf8');
	const b = Buffer.from(expected, 'utf8');
	// timingSafeEqual needs equal lengths; the length is no secret (64 hex digits).
	return b.length >= 32 && a.length === b.length && timingSafeEqual(a, b);
}
