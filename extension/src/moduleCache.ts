// Compiled, adapted modules kept for the life of the extension host, by content: the
// second `rw prog.wasm` skips the core's rewrite and the engine's compile. Keyed by a
// SHA-256 of the bytes and what the core says the compiled module depends on besides
// them (`Core.moduleKey`): which request fields change the rewrite is the core's to
// know, not this cache's.

import type { Watch } from './coreTypes';

/** What a run needs that only depends on the module's bytes and its module key. */
export interface Prepared {
	module: WebAssembly.Module;
	memory: WebAssembly.MemoryDescriptor | undefined;
	/** How to see it trap where no check could, when it can be watched. */
	watch: Watch | undefined;
}

/** Enough for the programs a user tries in turn; a module can be tens of MB. */
const CAPACITY = 8;

export class ModuleCache {
	private readonly entries = new Map<string, Prepared>();

	/** `moduleKey`: the core's, for the run request (`Core.moduleKey`). */
	static async key(bytes: Uint8Array<ArrayBuffer>, moduleKey: string): Promise<string> {
		const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
		const hash = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
		return `${hash} ${moduleKey}`;
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
