// Sees a program that trapped where no check of the core's could (memory out of bounds,
// the call stack exhausted): the WASM WASI Core 1.0.2 never settles run() after a throw
// in its worker. The adapted program writes a word of its shared memory as it runs;
// we overwrite it with `unseen` and look again (crate/src/adapt/watch.rs says why this
// is sound). The core decides the word, its values and the lines; this only looks.
import type { Watch } from './coreTypes';

/** How often the word is looked at. */
const LOOK_MS = 50;
/**
 * How long a word may stay unseen before the program is taken for gone. A running
 * program writes it within microseconds; this leaves room for a loaded machine that
 * does not schedule the program's thread for a while.
 */
export const QUIET_MS = 500;

/** Decides from successive looks at the word whether the program is gone. */
export class WordWatcher {
	/** What the program last wrote (and at the index word then), and when we marked it unseen. */
	private last = 0;
	private index = 0;
	private markedAt: number | undefined;

	constructor(private readonly watch: Watch) {}

	/** Looks at the word at time `now`; the line to print once the program is gone. */
	look(word: Int32Array, now: number): string | undefined {
		const value = Atomics.load(word, 0);
		// 0: the program (or this thread) has not started: its memory is fresh.
		if (value === 0 || value === this.watch.waiting || value === this.watch.done) {
			this.markedAt = undefined;
			return undefined;
		}
		if (value === this.watch.unseen) {
			if (this.markedAt !== undefined && now - this.markedAt >= QUIET_MS) {
				return this.lineAfter(this.last);
			}
			return undefined;
		}
		// It wrote since we last looked: mark it, unless it writes again first.
		const index = Atomics.load(word, 1);
		if (Atomics.compareExchange(word, 0, value, this.watch.unseen) === value) {
			this.last = value;
			this.index = index;
			this.markedAt = now;
		}
		return undefined;
	}

	/** Counts the quiet anew from `now`: after a pause of our own, its age says nothing of the program. */
	restart(now: number): void {
		if (this.markedAt !== undefined) this.markedAt = now;
	}

	private lineAfter(value: number): string {
		const watch = this.watch;
		if (value === watch.calling) return watch.stackLine;
		if (value === watch.callingUnchecked) return watch.uncheckedLine;
		const site = watch.sites[value - watch.firstSite];
		if (site !== undefined) {
			// An indirect call that never arrived: the element it called says why (through a
			// table the program changes, the program checked the index itself).
			const elements = site.table === undefined ? undefined : watch.tables[site.table];
			if (elements === undefined) return watch.uncheckedLine;
			if (this.index >>> 0 >= elements.length) return watch.tableLine;
			const element = elements[this.index >>> 0];
			if (element === -1) return watch.nullLine;
			if (element !== site.ty) return watch.typeLine;
			return watch.stackLine;
		}
		return watch.memoryLine;
	}
}

/**
 * The shared memory the Core made for `process` (its `memory` field, see below), once it
 * did; what the watch and the output buffer (outputBuffer.ts) read.
 */
export function sharedMemoryOf(process: object | undefined): SharedArrayBuffer | undefined {
	const memory = (process as { memory?: unknown } | undefined)?.memory;
	// Typed as an ArrayBuffer; a shared memory's is a SharedArrayBuffer.
	const buffer: unknown = memory instanceof WebAssembly.Memory ? memory.buffer : undefined;
	return buffer instanceof SharedArrayBuffer ? buffer : undefined;
}

/**
 * Watches the memory the Core made for `process` (its `memory` field: Core 1.0.2's Node
 * host refuses a Memory handed to createProcess for a module that imports one, so both
 * hosts are given a descriptor and we read the memory each made from it). `trapped`
 * resolves to the line to print; `stop()` ends the watch.
 */
export function watchForTrap(process: object, watch: Watch, now: () => number): { trapped: Promise<string>; stop(): void } {
	// One word per thread of a wasi-threads program (the main thread's first), else one.
	const watchers = Array.from({ length: watch.slots }, () => new WordWatcher(watch));
	let timer: ReturnType<typeof setInterval> | undefined;
	let lastLook = now();
	const trapped = new Promise<string>((resolve) => {
		timer = setInterval(() => {
			const buffer = sharedMemoryOf(process);
			if (buffer === undefined || buffer.byteLength < watch.word + watch.slots * watch.slotBytes) {
				return;
			}
			const at = now();
			// A look long overdue means this host was paused (a laptop asleep, a frozen
			// tab): the program may have been too, so a word unseen since says nothing.
			if (at - lastLook > QUIET_MS) watchers.forEach((w) => w.restart(at));
			lastLook = at;
			for (const [slot, watcher] of watchers.entries()) {
				const line = watcher.look(new Int32Array(buffer, watch.word + slot * watch.slotBytes, 2), at);
				if (line !== undefined) {
					clearInterval(timer);
					resolve(line);
					return;
				}
			}
		}, LOOK_MS);
	});
	return { trapped, stop: () => clearInterval(timer) };
}
