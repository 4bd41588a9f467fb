// The module view's "Show as WAT" printer (crate/wat): a wasm of its own, apart from the
// core, so that no run pays to load wasmprinter. It ships beside the bundles as a file
// (WAT_WASM, in the VSIX) and is read, compiled and instantiated the first time text is
// asked for, once per extension host. Its glue is small and bundled.
import * as glue from '../out/wat/rw_wat.js';
import { guarded } from './coreGuard';
import type { WatAnswer } from './coreTypes';

/** The printer's wasm, relative to the extension's folder (scripts/build-core.sh writes it). */
export const WAT_WASM = ['out', 'wat', 'rw_wat_bg.wasm'];

export interface WatPrinter {
	/** A page of the module as text, from character `start`, at most `limit` (crate/wat/src/page.rs). */
	watPage(bytes: Uint8Array, start: number, limit: number): WatAnswer;
	/** Where defined function `index`'s text starts, for a page that opens at it; undefined past the last. */
	functionStart(bytes: Uint8Array, index: number): number | undefined;
}

let loading: Promise<WatPrinter> | undefined;

/** The printer, from the bytes `read` gives the first time; a failure is retried on the next call. */
export function loadWatPrinter(read: () => PromiseLike<Uint8Array>): Promise<WatPrinter> {
	loading ??= Promise.resolve()
		.then(read)
		.then((bytes) => WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>))
		.then((module) => {
			glue.initSync({ module });
			// As the core's: after a call that throws (a panic is a trap), a fresh instance.
			return guarded<WatPrinter>(
				{
					watPage: (bytes, start, limit) => glue.watPage(bytes, start, limit) as WatAnswer,
					functionStart: (bytes, index) => glue.watFunctionStart(bytes, index),
				},
				() => glue.__wbg_reset_state(),
			);
		});
	loading.catch(() => (loading = undefined));
	return loading;
}
