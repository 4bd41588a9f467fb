// Drains the buffer in which an adapted program gathers its writes to stdout and stderr
// (crate/src/adapt/output.rs says where it is, why it is safe and the protocol): every
// DRAIN_MS, before any write of the program's that did go through the Core is passed on,
// before a read of stdin, and once the program ended. The core decides the buffer; this
// only takes its bytes out, in order, to the same pipes the Core writes to.
import type { Readable, Stdio, Writable } from '@vscode/wasm-wasi/v1';
import type { OutputBuffer } from './coreTypes';

/** How often the buffer is looked at: a line a program wrote shows within about this long. */
const DRAIN_MS = 16;

/** What the Core's pipe driver calls on a pipe it writes a program's output to (outputPipe.ts). */
interface OutputSink {
	write(chunk: Uint8Array): Promise<void>;
	destroy?(): void;
}

/** The program's memory, once the Core made it (trapWatch.ts sharedMemoryOf). */
export type MemoryOf = () => SharedArrayBuffer | undefined;

/** Takes the buffer's bytes out to `sinks[fd]`; a buffer that makes no sense is left alone for good. */
export class OutputDrain {
	private enabled = false;
	private stopped = false;
	/** The last write the timer made, until the pipe took it: a slow reader slows the draining. */
	private pending: Promise<void> | undefined;

	constructor(
		private readonly spec: OutputBuffer,
		private readonly memory: MemoryOf,
		private readonly sinks: { 1: OutputSink; 2: OutputSink },
		/** Called on each turn of the timer too (the input ring's top-up: runProcess.ts). */
		private readonly onTick: () => void = () => undefined,
	) {}

	/** Tells the program, once its memory exists, that its buffer is drained from now on. */
	enable(): void {
		if (this.enabled || this.stopped) return;
		const words = this.words();
		if (words === undefined) return;
		Atomics.store(words, this.spec.enableWord >>> 2, this.spec.enable);
		this.enabled = true;
	}

	/** Takes what the buffer holds and writes it on; resolves once the pipe took it. */
	drain(): Promise<void> {
		if (!this.enabled || this.stopped) return Promise.resolve();
		const words = this.words();
		const spec = this.spec;
		// Not made yet (or the program wrote over where it says it is).
		if (words === undefined || Atomics.load(words, spec.addressWord >>> 2) !== spec.at) {
			return Promise.resolve();
		}
		const at = spec.at >>> 2;
		const word = Atomics.load(words, at);
		if (word === 0 || word === spec.draining) return Promise.resolve();
		const fd = word >>> spec.fdShift;
		const length = word & spec.lengthMask;
		if ((fd !== 1 && fd !== 2) || length > spec.capacity) {
			// Not what rw's code writes: the program wrote over its buffer.
			this.stopped = true;
			return Promise.resolve();
		}
		// The program appends only while it sees `word`; it stays ours until we store 0.
		if (Atomics.compareExchange(words, at, word, spec.draining) !== word) {
			return Promise.resolve();
		}
		const start = spec.at + spec.data;
		const bytes = new Uint8Array(words.buffer, start, length).slice();
		Atomics.store(words, at, 0);
		return this.sinks[fd].write(bytes);
	}

	/** Drains on a timer, skipping a turn while the last write is not taken; `stop()` ends it. */
	start(): void {
		const timer = setInterval(() => {
			if (this.stopped) {
				clearInterval(timer);
				return;
			}
			this.enable();
			this.onTick();
			if (this.pending !== undefined) return;
			const written = this.drain().catch(() => undefined);
			this.pending = written;
			void written.then(() => (this.pending = undefined));
		}, DRAIN_MS);
	}

	/** No more draining (Ctrl-C: nothing more is shown; or the run is over). */
	stop(): void {
		this.stopped = true;
	}

	private words(): Int32Array | undefined {
		const buffer = this.memory();
		const end = this.spec.at + this.spec.data + this.spec.capacity;
		if (buffer === undefined || buffer.byteLength < end) return undefined;
		return new Int32Array(buffer);
	}
}

/**
 * The program's stdio with the buffer drained before each write that went through the
 * Core and before each read of stdin; `undefined` where the program's output does not go
 * to pipes of rw's own (then it is never enabled, and every write goes through the Core).
 */
export function drainedStdio(
	stdio: Stdio,
	spec: OutputBuffer,
	memory: MemoryOf,
	/**
	 * What else to do whenever the host hears from the program: a write that went through
	 * the Core, and each turn of the timer (a read of stdin reaches its pipe itself).
	 */
	heard: () => void = () => undefined,
): { stdio: Stdio; drain: OutputDrain } | undefined {
	const out = sinkOf(stdio.out);
	const err = sinkOf(stdio.err);
	if (out === undefined || err === undefined) return undefined;
	const drain = new OutputDrain(spec, memory, { 1: out, 2: err }, heard);
	const before = (sink: OutputSink): OutputSink => ({
		write: (chunk) => {
			// Written before this write, so passed on before it.
			void drain.drain().catch(() => undefined);
			heard();
			return sink.write(chunk);
		},
		destroy: () => sink.destroy?.(),
	});
	const pipe = (sink: OutputSink) => ({ kind: 'pipeOut', pipe: before(sink) as unknown as Readable }) as const;
	return { stdio: { in: drainedInput(stdio.in, drain), out: pipe(out), err: pipe(err) }, drain };
}

function sinkOf(output: Stdio['out']): OutputSink | undefined {
	if (output?.kind !== 'pipeOut') return undefined;
	const pipe = output.pipe as unknown as Partial<OutputSink>;
	return typeof pipe.write === 'function' ? (pipe as OutputSink) : undefined;
}

/** stdin, with the buffer drained first: a prompt the program wrote shows before it waits. */
function drainedInput(input: Stdio['in'], drain: OutputDrain): Stdio['in'] {
	type Reader = { read(...args: unknown[]): Promise<unknown>; destroy?(): void };
	const wrap = (reader: Reader): Reader => ({
		read: (...args) => {
			void drain.drain().catch(() => undefined);
			return reader.read(...args);
		},
		destroy: () => reader.destroy?.(),
	});
	if (input?.kind === 'pipeIn') {
		return { kind: 'pipeIn', pipe: wrap(input.pipe as unknown as Reader) as unknown as Writable };
	}
	if (input?.kind === 'terminal') {
		// The Core's terminal driver calls only read() of the terminal it reads stdin from.
		return { kind: 'terminal', terminal: wrap(input.terminal as unknown as Reader) as unknown as typeof input.terminal };
	}
	return input;
}
