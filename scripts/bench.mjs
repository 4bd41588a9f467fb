// Speed of the core's preflight (inspect + plan, what rw does before every run) against
// WebAssembly.compile of the same bytes (what every run costs anyway), side by side in
// one process. The core must skip function bodies, so a big module inspects in
// milliseconds while compiling takes far longer.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as core from '../extension/out/core/rw_core.js';

core.initSync({ module: readFileSync(new URL('../extension/out/core/rw_core_bg.wasm', import.meta.url)) });

/**
 * A valid module of about `megabytes` MB: `_start` plus many functions of simple arithmetic.
 * With `unstable`, it imports wasi_unstable.fd_seek (whose ABI changed, so rw must shim it and
 * rewrite every call) and each body calls it once: the adapter's hard case.
 */
function bigModule(megabytes, { unstable = false, traps = false } = {}) {
	const body = [0x00]; // no locals
	for (let i = 0; i < 1000; i++) body.push(0x41, 0x01, 0x1a); // i32.const 1; drop
	if (unstable === 'every') {
		// fd_seek(0, 0, 0, 0); drop: i32.const 0, i64.const 0, i32.const 0, i32.const 0, call 0, drop
		body.push(0x41, 0x00, 0x42, 0x00, 0x41, 0x00, 0x41, 0x00, 0x10, 0x00, 0x1a);
	}
	if (traps) body.push(0x00); // unreachable, as a panic path ends
	body.push(0x0b); // end
	const count = Math.ceil((megabytes * 1e6) / (body.length + 3));
	const leb = (n) => { const out = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n); return out; };
	const section = (id, bytes) => [id, ...leb(bytes.length), ...bytes];
	const code = [...leb(count)];
	const sized = [...leb(body.length), ...body];
	const name = (text) => [text.length, ...Buffer.from(text)];
	const imported = unstable ? 1 : traps ? 2 : 0;
	const parts = [
		Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]),
		// type 0: () -> (); type 1: (i32, i64, i32, i32) -> i32
		Uint8Array.from(section(1, [4, 0x60, 0, 0, 0x60, 4, 0x7f, 0x7e, 0x7f, 0x7f, 1, 0x7f,
			0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 1, 0x7f, 0x60, 1, 0x7f, 0])),
		...(unstable ? [Uint8Array.from(section(2, [1, ...name('wasi_unstable'), ...name('fd_seek'), 0, 1]))] : []),
		// type 2: (i32, i32, i32, i32) -> i32 for fd_write; type 3: (i32) -> () for proc_exit
		...(traps ? [Uint8Array.from(section(2, [2, ...name('wasi_snapshot_preview1'), ...name('fd_write'), 0, 2,
			...name('wasi_snapshot_preview1'), ...name('proc_exit'), 0, 3]))] : []),
		Uint8Array.from(section(3, [...leb(count), ...new Array(count).fill(0)])),
		Uint8Array.from(section(5, [1, 0, 1])), // memory, 1 page
		Uint8Array.from(section(7, [2, ...name('_start'), 0, imported, ...name('memory'), 2, 0])),
	];
	const codeLength = code.length + count * sized.length;
	parts.push(Uint8Array.from([10, ...leb(codeLength), ...code]));
	const one = Uint8Array.from(sized);
	const bodies = new Uint8Array(count * one.length);
	for (let i = 0; i < count; i++) bodies.set(one, i * one.length);
	parts.push(bodies);
	return Buffer.concat(parts);
}

function median(times) {
	return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

async function timeIt(runs, fn) {
	const times = [];
	for (let i = 0; i < runs; i++) {
		const start = performance.now();
		await fn();
		times.push(performance.now() - start);
	}
	return median(times);
}

const request = core.parseCommandLine(['big.wasm'], '/workspace');
console.log('Preflight (inspect + plan) of a module that runs as it is:');
for (const megabytes of [1, 16, 50]) {
	const bytes = bigModule(megabytes);
	const plan = core.planRun(request, bytes);
	if (plan.kind !== 'run') throw new Error(`unexpected plan: ${JSON.stringify(plan)}`);
	const preflight = await timeIt(7, () => core.planRun(request, bytes));
	const compile = await timeIt(3, () => WebAssembly.compile(bytes));
	console.log(
		`${(bytes.length / 1e6).toFixed(1).padStart(5)} MB: rw preflight ${preflight.toFixed(2).padStart(7)} ms, ` +
		`WebAssembly.compile ${compile.toFixed(1).padStart(7)} ms, preflight/compile = ${(preflight / compile).toFixed(4)}`,
	);
}

for (const [callers, what] of [['none', 'no function calls it (as in most programs: only libc does)'], ['every', 'every function calls it (the worst case)']]) {
console.log(`Adaptation (preflight + rewrite) of a module importing wasi_unstable.fd_seek, which needs a shim; ${what}:`);
for (const megabytes of [1, 16]) {
	const bytes = bigModule(megabytes, { unstable: callers });
	const plan = core.planRun(request, bytes);
	if (plan.kind !== 'run' || !plan.module) throw new Error(`expected an adapted run: ${JSON.stringify(plan).slice(0, 200)}`);
	const adapt = await timeIt(5, () => core.planRun(request, bytes));
	const compile = await timeIt(3, () => WebAssembly.compile(bytes));
	console.log(
		`${(bytes.length / 1e6).toFixed(1).padStart(5)} MB: rw adaptation ${adapt.toFixed(1).padStart(7)} ms, ` +
		`WebAssembly.compile ${compile.toFixed(1).padStart(7)} ms, adaptation/compile = ${(adapt / compile).toFixed(3)} (goal <= 1)`,
	);
}
}

console.log('Trap rewrite (preflight + a call before every unreachable) of a module whose every function has one:');
for (const megabytes of [1, 16]) {
	const bytes = bigModule(megabytes, { traps: true });
	const plan = core.planRun(request, bytes);
	if (plan.kind !== 'run' || !plan.module) throw new Error(`expected traps caught: ${JSON.stringify(plan).slice(0, 200)}`);
	const rewrite = await timeIt(5, () => core.planRun(request, bytes));
	const compile = await timeIt(3, () => WebAssembly.compile(bytes));
	console.log(
		`${(bytes.length / 1e6).toFixed(1).padStart(5)} MB: rw trap rewrite ${rewrite.toFixed(1).padStart(7)} ms, ` +
		`WebAssembly.compile ${compile.toFixed(1).padStart(7)} ms, rewrite/compile = ${(rewrite / compile).toFixed(3)} (goal <= 1)`,
	);
}
