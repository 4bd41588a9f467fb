// The program's stdin as the WASM WASI Core sees it in a crw run: our own object in
// `stdio.in.pipe`, because the Core's pipes cannot end (its `end()` is empty:
// microsoft/vscode-wasm issues 110 and 143). The Core's pipe driver calls
// `read('max', n)` for fd 0, n being what the program asked for, and `destroy()` when it
// is done. (Output: outputPipe.ts.)

/**
 * fd 0: what the client sent, asked for read by read. Nothing is asked before the program
 * reads, and never more than that read wants, so what the program leaves in crw's stdin
 * stays there for the next command. After the end, every read is end-of-file (empty).
 */
export class StdinPipe {
	private chunks: Uint8Array[] = [];
	private ended = false;
	/** A request is with the client and not yet answered: one at a time. */
	private asked = false;
	private wake: (() => void) | undefined;
	/** The reads in turn: a threads program may read fd 0 from two threads at once. */
	private turn: Promise<unknown> = Promise.resolve();

	/** `ask(n)` has the client read its stdin once, for up to n bytes. */
	constructor(
		private readonly ask: (bytes: number) => void,
		private readonly mostPerAsk: number,
	) {}

	/** The client's answer to an ask (any part of it). */
	push(data: Uint8Array): void {
		this.asked = false;
		if (!this.ended && data.length > 0) this.chunks.push(data);
		this.wakeReader();
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
		while (this.chunks.length === 0 && !this.ended) {
			if (!this.asked) {
				this.asked = true;
				this.ask(Math.min(size, this.mostPerAsk));
			}
			await new Promise<void>((resolve) => (this.wake = resolve));
		}
		const first = this.chunks[0];
		if (first === undefined) return new Uint8Array(0);
		if (first.length <= size) {
			this.chunks.shift();
			return first;
		}
		this.chunks[0] = first.subarray(size);
		return first.subarray(0, size);
	}

	private wakeReader(): void {
		const wake = this.wake;
		this.wake = undefined;
		wake?.();
	}
}
