// A call into the core that throws may leave its instance in a state nothing vouches for:
// a Rust panic is a trap (`unreachable`), which unwinds nothing (a RefCell stays borrowed,
// the shadow stack pointer stays moved, the allocator may be mid-update). So after any
// throw the instance is dropped and the next call runs in a fresh one.

/**
 * `core` with each of its methods guarded: when one throws, `reset()` replaces the
 * instance behind them all (wasm-bindgen's `__wbg_reset_state`) before the error goes on
 * to the caller. If the reset itself throws, the next call tries it again before it runs.
 * (A thrown error the core meant, a `JsError`, costs a reset too: instantiating the
 * compiled core takes milliseconds, and telling the two apart would be guesswork.)
 */
export function guarded<T extends object>(core: T, reset: () => void): T {
	let stale = false;
	const renew = () => {
		stale = true;
		reset();
		stale = false;
	};
	const wrapped = { ...core };
	for (const [name, value] of Object.entries(core)) {
		if (typeof value !== 'function') continue;
		const method = value as (...args: unknown[]) => unknown;
		(wrapped as Record<string, unknown>)[name] = (...args: unknown[]) => {
			if (stale) renew();
			try {
				return method.apply(core, args);
			} catch (error) {
				try {
					renew();
				} catch {
					// Still stale: the next call tries again. The caller hears the first error.
				}
				throw error;
			}
		};
	}
	return wrapped;
}
