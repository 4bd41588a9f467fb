// Compiled, adapted modules kept for the life of the extension host, by content: the
// second `rw prog.wasm` skips the core's rewrite and the engine's compile. Keyed by a
// SHA-256 of the bytes and the flags that change the rewrite (the file name is in the
// trap message; which stdio are terminals is baked into an isatty() correction).
import type { RunRequest } from './coreTypes';

/** What a run needs that only depends on the module and those flags. */
export interface Prepared {
	module: WebAssembly.Module;
	memory: WebAssembly.MemoryDescriptor | undefined;
}

/** Enough for the programs a user tries in turn; a module can be tens of MB. */
const CAPACITY = 8;

export class ModuleCache {
	private readonly entries = new Map<string, Prepared>();

	static async key(request: RunRequest, bytes: Uint8Array<ArrayBuffer>): Promise<string> {
		const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
		const hash = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
		// Every stream a terminal (crw in a terminal) adapts as no word on them does (rw).
		const terminals = request.terminals && Object.values(request.terminals).every(Boolean) ? undefined : request.terminals;
		const flags = { file: request.file, stub: request.stubUnknownImports, memory: request.memory, terminals };
		return `${hash} ${JSON.stringify(flags)}`;
	}

	get(key: string): Prepared | undefined {
		const prepared = this.entries.get(key);
		if (prepared !== undefined) {
			// Most recently used last, so the oldest goes first.
			this.entries.delete(key);
			this.entries.set(key, prepared);
		}
		return prepared;
	}

	set(key: string, prepared: Prepared): void {
		this.entries.set(key, prepared);
		while (this.entries.size > CAPACITY) {
			this.entries.delete(this.entries.keys().next().value!);
		}
	}
}
