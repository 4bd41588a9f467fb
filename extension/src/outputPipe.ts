// A program's stdout or stderr as our own object in the WASM WASI Core's
// `stdio.out.pipe`: the Core's pipe driver awaits `write(chunk)` before it answers the
// program's fd_write, so whatever `send` waits for (a socket's drain for crw, the
// terminal for rw) paces the program; `destroy()` when it is done.

/** Each write resolves once `send` took it, so a slow reader slows the program. */
export class OutputPipe {
	private readonly encoder = new TextEncoder();

	constructor(private readonly send: (data: Uint8Array) => Promise<void>) {}

	write(chunk: Uint8Array | string): Promise<void> {
		return this.send(typeof chunk === 'string' ? this.encoder.encode(chunk) : chunk);
	}

	destroy(): void {}
}
