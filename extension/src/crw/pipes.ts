// The program's stdin as the WASM WASI Core sees it in a crw run: our own object in
// `stdio.in.pipe`, because the Core's pipes cannot end (its `end()` is empty:
// microsoft/vscode-wasm issues 110 and 143). The Core's pipe driver calls
// `read('max', n)` for fd 0, n being what the program asked for, and `destroy()` when it
// is done. (Output: outputPipe.ts.)
import type { RingFed, StdinRing } from '../inputRing';
import { concat } from './frames';

/**
 * A quarter of what crw lets a pipe hold (crw/src/peek.rs): it looks for more once half of
 * what it sent is taken. (Measured beside 32 KiB: no slower, often faster.)
 */
const REPORT_EVERY = 64 * 1024;

/**
 * fd 0: what the client sent, asked for read by read. Nothing is asked before the program
 * reads, and never more than that read wants, so what the program leaves in crw's stdin
 * stays there for the next command. After the end, every read is end-of-file (empty).
 *
 * A client that can look at its stdin without taking from it sends it ahead instead
 * (`peeked`): reads are served from that at once, and the client is told how many bytes
 * they took (`consumed`), which it then takes from its stdin; what the program did not
 * read stays there all the same. Told in sums of at least REPORT_EVERY bytes (each report
 * is a frame, and work for both sides), and of all the rest whenever nothing sent is left
 * (the client sends more once it took what was read) or the run ends (`report()`).
 *
 * Where the program has an input ring (inputRing.ts), what was sent ahead goes on into it,
 * and the program's reads take from there with no round trip; the client is told of those
 * bytes once the program took them. The ring is topped up (and what the program took from
 * it told) whenever the host hears from the program or the client: each read that came
 * here, each write (`topUp`, runProcess.ts), each piece the client sends.
 */
export class StdinPipe implements RingFed {
	private chunks: { data: Uint8Array; peeked: boolean }[] = [];
	/** Bytes sent ahead that reads took and the client was not yet told of. */
	private unreported = 0;
	private ended = false;
	/** A request is with the client and not yet answered: one at a time. */
	private asked = false;
	private wake: (() => void) | undefined;
	/** The reads in turn: a threads program may read fd 0 from two threads at once. */
	private turn: Promise<unknown> = Promise.resolve();
	/** The program's input ring, where it has one. */
	private ring: StdinRing | undefined;

	/**
	 * `ask(n)` has the client read its stdin once, for up to n bytes; `consumed(n)` tells it
	 * that a read took n of the bytes it sent ahead.
	 */
	constructor(
		private readonly ask: (bytes: number) => void,
		private readonly mostPerAsk: number,
		private readonly consumed: (bytes: number) => void = () => undefined,
	) {}

	/** The client's answer to an ask (any part of it). */
	push(data: Uint8Array): void {
		this.add(data, false);
	}

	/**
	 * The next bytes of the client's stdin, sent ahead of any ask. They answer a pending ask
	 * too: the client ignores an ask while bytes it sent are not all consumed.
	 */
	peeked(data: Uint8Array): void {
		this.add(data, true);
	}

	/** Bytes sent ahead go on into the program's input ring from now on. */
	feed(ring: StdinRing): void {
		this.ring = ring;
	}

	/**
	 * Counts what the program took from the ring, puts in what follows, and tells the client
	 * (so that it sends more). The program may be reading the ring meanwhile: only the host
	 * adds to it and only the program takes (inputRing.ts).
	 */
	topUp(): void {
		if (this.ring === undefined) return;
		this.unreported += this.ring.takenSince();
		this.settle();
	}

	end(): void {
		this.ended = true;
		this.wakeReader();
	}

	read(_mode?: 'max', size = Number.MAX_SAFE_INTEGER): Promise<Uint8Array> {
		const read = this.turn.then(() => this.readNow(size));
		this.turn = read.catch(() => undefined);
		return read;
	}

	destroy(): void {
		this.chunks = [];
		this.end();
	}

	private async readNow(size: number): Promise<Uint8Array> {
		if (size <= 0) return new Uint8Array(0);
		for (;;) {
			if (this.ring !== undefined) {
				// What the ring holds comes first (a read it could not serve: a readv of
				// many; or bytes put in since the program looked).
				const held = this.ring.takeFor(size);
				this.unreported += this.ring.takenSince();
				if (held.length > 0) return held;
			}
			if (this.chunks.length > 0 || this.ended) break;
			// The client sends more only once told what was taken.
			if (this.ring !== undefined) this.report();
			if (!this.asked) {
				this.asked = true;
				this.ask(Math.min(size, this.mostPerAsk));
			}
			await new Promise<void>((resolve) => (this.wake = resolve));
		}
		if (this.chunks.length === 0) return new Uint8Array(0);
		// As much as the read wants of what is here: sent ahead, stdin often comes in pieces
		// smaller than a read (a pipe's writer's), and a short read would cost the program
		// another call.
		const taken: Uint8Array[] = [];
		let length = 0;
		let peeked = 0;
		while (length < size && this.chunks.length > 0) {
			const chunk = this.chunks[0]!;
			let data = chunk.data;
			if (data.length <= size - length) {
				this.chunks.shift();
			} else {
				this.chunks[0] = { data: data.subarray(size - length), peeked: chunk.peeked };
				data = data.subarray(0, size - length);
			}
			taken.push(data);
			length += data.length;
			if (chunk.peeked) peeked += data.length;
		}
		this.unreported += peeked;
		this.settle();
		return taken.length === 1 ? taken[0]! : concat(taken, length);
	}

	/**
	 * After bytes were taken: what was sent ahead goes on into the ring, and the client is
	 * told what was taken once it is much, or once nothing it sent is left here.
	 */
	private settle(): void {
		this.fillRing();
		if (this.unreported >= REPORT_EVERY || this.chunks.length === 0) this.report();
	}

	/** What was sent ahead, from the front, into the ring as far as it fits. */
	private fillRing(): void {
		while (this.ring !== undefined && this.chunks.length > 0 && this.chunks[0]!.peeked) {
			const chunk = this.chunks[0]!;
			const put = this.ring.put(chunk.data);
			if (put === chunk.data.length) this.chunks.shift();
			else this.chunks[0] = { data: chunk.data.subarray(put), peeked: true };
			if (put < chunk.data.length) return;
		}
	}

	/** Tells the client what reads took of what it sent ahead, if they took any. */
	report(): void {
		this.unreported += this.ring?.takenSince() ?? 0;
		if (this.unreported === 0) return;
		const bytes = this.unreported;
		this.unreported = 0;
		this.consumed(bytes);
	}

	private add(data: Uint8Array, peeked: boolean): void {
		this.asked = false;
		if (!this.ended && data.length > 0) this.chunks.push({ data, peeked });
		// A read waiting takes it first; else it goes on into the ring at once.
		if (this.wake !== undefined) this.wakeReader();
		else this.topUp();
	}

	private wakeReader(): void {
		const wake = this.wake;
		this.wake = undefined;
		wake?.();
	}
}
