// Fills the ring from which an adapted program's reads of stdin take (crate/src/adapt/input.rs
// says where it is, why it is safe and the protocol). The host only adds (`put`, and the
// `filled` word), the program only takes (the `taken` word), so both may at once; the host
// takes for the program (`takeFor`) only while it waits in a read of fd 0 that went through
// the Core (one thread, blocked). The core decides the ring; this only puts bytes in, in
// order, and counts what the program took, so that crw takes exactly that from its stdin.
import type { InputRingSpec } from './coreTypes';
import type { MemoryOf } from './outputBuffer';

/** What a stdin pipe of rw's own needs of the ring (crw/pipes.ts StdinPipe). */
export interface StdinRing {
	/** What the ring holds, up to `size` bytes, taken for the program's read. */
	takeFor(size: number): Uint8Array;
	/** How many bytes the program took since the last call. */
	takenSince(): number;
	/** Puts as much of `data` in the ring as fits; how many bytes it took. */
	put(data: Uint8Array): number;
}

/** A stdin that can fill a ring: rw's own pipe of crw's stdin. */
export interface RingFed {
	feed(ring: StdinRing): void;
	/** Tops the ring up, now that the host hears from the program (crw/pipes.ts). */
	topUp(): void;
}

export function isRingFed(pipe: unknown): pipe is RingFed {
	return typeof (pipe as Partial<RingFed> | undefined)?.feed === 'function';
}

export class InputRing implements StdinRing {
	private enabled = false;
	/** The program wrote over the words: its count of what it took is no count at all. */
	private broken = false;
	/** Bytes ever put in: what `filled` holds. */
	private filled = 0;
	/** What `taken` held when last counted. */
	private counted = 0;

	constructor(
		private readonly spec: InputRingSpec,
		private readonly memory: MemoryOf,
	) {}

	takeFor(size: number): Uint8Array {
		const view = this.view();
		const state = view && this.state(view);
		if (view === undefined || !state?.held) return new Uint8Array(0);
		const { taken, held } = state;
		const length = Math.min(size, held);
		const bytes = this.copyOut(view.bytes, taken, length);
		Atomics.store(view.words, (this.spec.at + this.spec.taken) >>> 2, (taken + length) | 0);
		return bytes;
	}

	takenSince(): number {
		const view = this.view();
		if (view === undefined) return 0;
		const taken = this.load(view, this.spec.taken);
		const since = (taken - this.counted) >>> 0;
		if (since > ((this.filled - this.counted) >>> 0)) {
			// More than was ever put in: not what rw's code writes.
			this.broken = true;
			return 0;
		}
		this.counted = taken;
		return since;
	}

	put(data: Uint8Array): number {
		const view = this.view();
		if (view === undefined || data.length === 0) return 0;
		const state = this.state(view);
		if (state === undefined) return 0;
		const length = Math.min(data.length, this.spec.size - state.held);
		if (length === 0) return 0;
		if (!this.enabled) {
			Atomics.store(view.words, this.spec.enableWord >>> 2, this.spec.enable);
			this.enabled = true;
		}
		const ring = this.spec.at + this.spec.ring;
		const at = this.filled & (this.spec.size - 1);
		const first = Math.min(length, this.spec.size - at);
		view.bytes.set(data.subarray(0, first), ring + at);
		view.bytes.set(data.subarray(first, length), ring);
		this.filled = (this.filled + length) >>> 0;
		Atomics.store(view.words, (this.spec.at + this.spec.filled) >>> 2, this.filled | 0);
		return length;
	}

	/** What `taken` says, and so how many bytes the ring holds; `undefined` if it cannot be used. */
	private state(view: View): { taken: number; held: number } | undefined {
		const taken = this.load(view, this.spec.taken);
		const held = (this.filled - taken) >>> 0;
		if (held > this.spec.size) {
			this.broken = true;
			return undefined;
		}
		return { taken, held };
	}

	private copyOut(bytes: Uint8Array, taken: number, length: number): Uint8Array {
		const ring = this.spec.at + this.spec.ring;
		const at = taken & (this.spec.size - 1);
		const first = Math.min(length, this.spec.size - at);
		const out = new Uint8Array(length);
		out.set(bytes.subarray(ring + at, ring + at + first));
		out.set(bytes.subarray(ring, ring + length - first), first);
		return out;
	}

	private load(view: View, offset: number): number {
		return Atomics.load(view.words, (this.spec.at + offset) >>> 2) >>> 0;
	}

	/** The memory, once the program made the ring where the core said; else `undefined`. */
	private view(): View | undefined {
		if (this.broken) return undefined;
		const buffer = this.memory();
		if (buffer === undefined || buffer.byteLength < this.spec.at + this.spec.ring + this.spec.size) return undefined;
		const words = new Int32Array(buffer);
		if (Atomics.load(words, this.spec.addressWord >>> 2) !== this.spec.at) return undefined;
		return { words, bytes: new Uint8Array(buffer) };
	}
}

interface View {
	words: Int32Array;
	bytes: Uint8Array;
}
