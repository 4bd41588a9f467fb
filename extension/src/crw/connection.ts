// One crw connection is one program run: the request frame starts it, stdin frames feed
// it, an interrupt frame or a closed connection stops it, and its output and exit code
// go back as frames. Flow control both ways: stdin within the credit we grant as the
// program reads; output waits for the socket to drain.
import type { HostFailure, Said } from '../coreTypes';
import { encode, FrameError, FrameReader, MAX_PAYLOAD, PROTOCOL_VERSION, type Frame } from './frames';
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
	say: (failure: HostFailure) => Promise<Said>;
	/** This extension's version, for a client of another protocol version. */
	extensionVersion: string;
}

export function serveConnection(socket: Socket, handler: CrwHandler, serving: Serving): void {
	const reader = new FrameReader();
	let stop!: () => void;
	const stopped = new Promise<void>((resolve) => (stop = resolve));
	let started = false;
	let stdin: StdinPipe | undefined;

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
	const finish = (frame: Frame) => {
		void send(frame).then(() => socket.end());
	};
	const refuse = (failure: HostFailure) => {
		void serving.say(failure).then((said) => finish({ type: 'error', ...said }));
	};

	const start = (request: CrwRequest) => {
		started = true;
		if (request.version !== PROTOCOL_VERSION) {
			refuse({ kind: 'protocolMismatch', client: request.version, server: PROTOCOL_VERSION, extension: serving.extensionVersion });
			return;
		}
		const refused = serving.refusal();
		if (refused !== undefined) {
			refuse(refused);
			return;
		}
		stdin = new StdinPipe((bytes) => void send({ type: 'stdinCredit', bytes }));
		const stdout = new OutputPipe((data) => sendData('stdout', data));
		const stderr = new OutputPipe((data) => sendData('stderr', data));
		void handler({ request, stdin, stdout, stderr, stopped }).then((code) => finish({ type: 'exit', code }));
	};

	socket.on('data', (chunk) => {
		let frames: Frame[];
		try {
			frames = reader.push(chunk);
		} catch (error) {
			const reason = error instanceof FrameError ? error.message : String(error);
			refuse({ kind: 'badFrame', reason });
			stop();
			return;
		}
		for (const frame of frames) {
			switch (frame.type) {
				case 'request':
					if (!started) start(frame);
					break;
				case 'stdin':
					stdin?.push(frame.data);
					break;
				case 'stdinEnd':
					stdin?.end();
					break;
				case 'interrupt':
					stop();
					break;
			}
		}
	});
	// No orphans: a client that goes away (killed, terminal closed) stops its program.
	socket.on('close', () => {
		stdin?.end();
		stop();
	});
	socket.on('error', () => socket.destroy());
}
