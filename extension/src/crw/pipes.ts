// The program's stdin as the WASM WASI Core sees it in a crw run: our own object in
// `stdio.in.pipe`, because the Core's pipes cannot end (its `end()` is empty:
// microsoft/vscode-wasm issues 110 and 143). The Core's pipe driver calls
// `read('max', n)` for fd 0, and `destroy()` when it is done. (Output: outputPipe.ts.)

/** fd 0: what the client sent; after its end, every read is end-of-file (empty). */
export class StdinPipe {
	private chunks: Uint8Array[] = [];
	private ended = false;
	private wake: (() => void) | undefined;

	/** `consumed` hears how many bytes the program took, to grant the client as much again. */
	constructor(private readonly consumed: (bytes: number) => void) {}

	push(data: Uint8Array): void {
		if (this.ended) return;
		this.chunks.push(data);
		this.wakeReader();
	}

	end(): void {
		this.ended = true;
		this.wakeReader();
	}

	async read(_mode?: 'max', size = Number.MAX_SAFE_INTEGER): Promise<Uint8Array> {
		while (this.chunks.length === 0 && !this.ended) {
			await new Promise<void>((resolve) => (this.wake = resolve));
		}
		const first = this.chunks[0];
		if (first === undefined) {
			return new Uint8Array(0);
		}
		let taken: Uint8Array;
		if (first.length > size) {
			taken = first.subarray(0, size);
			this.chunks[0] = first.subarray(size);
		} else {
			taken = first;
			this.chunks.shift();
		}
		this.consumed(taken.length);
		return taken;
	}

	destroy(): void {
		this.chunks = [];
		this.end();
	}

	private wakeReader(): void {
		const wake = this.wake;
		this.wake = undefined;
		wake?.();
	}
}
