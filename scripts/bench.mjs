// Speed of the core's preflight (inspect + plan, with the adaptation and the trap
// rewrite when a module needs them: what rw does before a module's first run) against
// WebAssembly.compile of the same bytes (what every run costs anyway), side by side in
// one process. Ratios are printed, never asserted: the goal is preflight <= compile.
//
//   node scripts/bench.mjs [FILE.wasm...]        also times real modules (run with
//                                                --stub-unknown-imports; a reactor gets a
//                                                `_start` export so rw plans a run)
//   node scripts/bench.mjs --save DIR            writes the synthetic modules to DIR, for
//                                                a native profile of the same work
// RW_CORE=DIR picks another build of the core (default extension/out/core).
// RW_CORE_BASELINE=DIR also times that build (e.g. an older commit's, built with
// scripts/build-core.sh in a worktree) in the same turns, and prints how this one's
// preflight compares with it: the check that a change made nothing slower.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const coreDir = process.env.RW_CORE ?? new URL('../extension/out/core/', import.meta.url).pathname;
async function loadCore(dir) {
	const glue = await import(pathToFileURL(join(dir, 'rw_core.js')).href);
	glue.initSync({ module: readFileSync(join(dir, 'rw_core_bg.wasm')) });
	return glue;
}
const core = await loadCore(coreDir);
const baseline = process.env.RW_CORE_BASELINE && (await loadCore(process.env.RW_CORE_BASELINE));

const leb = (n) => { const out = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n); return out; };
const section = (id, bytes) => [id, ...leb(bytes.length), ...bytes];
const name = (text) => [text.length, ...Buffer.from(text)];

/**
 * A valid WASI module of about `megabytes` MB: `_start` plus many functions of simple
 * arithmetic (dense small instructions: the most per byte a scanner must step over). It
 * imports preview1 fd_write and proc_exit, as every WASI program does, so the trap
 * rewrite applies. `unstable` also imports wasi_unstable.fd_seek, whose ABI changed, so
 * rw must shim it and rewrite every call; `calls: 'every'` makes each function call it.
 * `unreachable` puts one `unreachable` (as a panic path ends) in every function
 * ('every') or in one function of 1000 ('few').
 */
function bigModule(megabytes, { unstable = false, calls = 'none', unreachable = 'none' } = {}) {
	const fdSeek = 0;
	const body = (trap) => {
		const ops = [0x00]; // no locals
		for (let i = 0; i < 1000; i++) ops.push(0x41, 0x01, 0x1a); // i32.const 1; drop
		if (calls === 'every') {
			// fd_seek(0, 0, 0, 0); drop: i32.const 0, i64.const 0, i32.const 0, i32.const 0, call, drop
			ops.push(0x41, 0x00, 0x42, 0x00, 0x41, 0x00, 0x41, 0x00, 0x10, fdSeek, 0x1a);
		}
		if (trap) ops.push(0x00);
		ops.push(0x0b); // end
		return Uint8Array.from([...leb(ops.length), ...ops]);
	};
	const plain = body(unreachable === 'every');
	const trapping = body(unreachable !== 'none');
	const count = Math.ceil((megabytes * 1e6) / (plain.length + 1));
	const imports = [
		...(unstable ? [[...name('wasi_unstable'), ...name('fd_seek'), 0, 1]] : []),
		[...name('wasi_snapshot_preview1'), ...name('fd_write'), 0, 2],
		[...name('wasi_snapshot_preview1'), ...name('proc_exit'), 0, 3],
	];
	const parts = [
		Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]),
		// () -> (); fd_seek (i32, i64, i32, i32) -> i32; fd_write (i32 x4) -> i32; proc_exit (i32) -> ()
		Uint8Array.from(section(1, [4, 0x60, 0, 0, 0x60, 4, 0x7f, 0x7e, 0x7f, 0x7f, 1, 0x7f,
			0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 1, 0x7f, 0x60, 1, 0x7f, 0])),
		Uint8Array.from(section(2, [imports.length, ...imports.flat()])),
		Uint8Array.from(section(3, [...leb(count), ...new Array(count).fill(0)])),
		Uint8Array.from(section(5, [1, 0, 1])), // memory, 1 page
		Uint8Array.from(section(7, [2, ...name('_start'), 0, imports.length, ...name('memory'), 2, 0])),
	];
	const bodies = new Uint8Array(count * plain.length + (trapping.length - plain.length) * Math.ceil(count / 1000));
	let at = 0;
	for (let i = 0; i < count; i++) {
		const one = i % 1000 === 0 ? trapping : plain;
		bodies.set(one, at);
		at += one.length;
	}
	const code = [...leb(count)];
	parts.push(Uint8Array.from([10, ...leb(code.length + bodies.length), ...code]), bodies);
	return Buffer.concat(parts);
}

/** `bytes` with an export `_start` of its first exported function, if it has none. */
function withStart(bytes) {
	let at = 8;
	while (at < bytes.length) {
		const id = bytes[at];
		const [size, sizeBytes] = readLeb(bytes, at + 1);
		const start = at + 1 + sizeBytes;
		if (id === 7) {
			const [count, countBytes] = readLeb(bytes, start);
			const entries = bytes.subarray(start + countBytes, start + size);
			let e = 0;
			let func;
			for (let i = 0; i < count; i++) {
				const [length, lengthBytes] = readLeb(entries, e);
				const exportName = entries.subarray(e + lengthBytes, e + lengthBytes + length).toString();
				e += lengthBytes + length;
				const kind = entries[e];
				const [index, indexBytes] = readLeb(entries, e + 1);
				e += 1 + indexBytes;
				if (exportName === '_start') return bytes;
				if (kind === 0 && func === undefined) func = index;
			}
			const body = [...leb(count + 1), ...entries, ...name('_start'), 0, ...leb(func)];
			return Buffer.concat([bytes.subarray(0, at), Uint8Array.from(section(7, body)), bytes.subarray(start + size)]);
		}
		at = start + size;
	}
	throw new Error('no export section');
}

function readLeb(bytes, at) {
	let value = 0;
	let shift = 0;
	let i = 0;
	for (;;) {
		const b = bytes[at + i++];
		value += (b & 0x7f) * 2 ** shift;
		shift += 7;
		if (!(b & 0x80)) return [value, i];
	}
}

function median(times) {
	return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

/**
 * Median times of each function, run in turns so that a busy machine slows all alike.
 */
async function timeInTurns(runs, ...fns) {
	const times = fns.map(() => []);
	for (let i = 0; i < runs; i++) {
		for (const [which, fn] of fns.entries()) {
			const start = performance.now();
			await fn();
			times[which].push(performance.now() - start);
		}
	}
	return times.map(median);
}

const synthetic = [
	// Every module with a memory is instrumented for its traps (crate/src/adapt/instrument/).
	['no unreachable, no fd_write call: the trap watch alone', {}, 'rewritten'],
	['unreachable in 1 function of 1000', { unreachable: 'few' }, 'rewritten'],
	['unreachable in every function', { unreachable: 'every' }, 'rewritten'],
	['wasi_unstable.fd_seek shimmed, no function calls it', { unstable: true }, 'rewritten'],
	['wasi_unstable.fd_seek shimmed, every function calls it', { unstable: true, calls: 'every' }, 'rewritten'],
];

const args = process.argv.slice(2);
if (args[0] === '--save') {
	mkdirSync(args[1], { recursive: true });
	synthetic.forEach(([, options], i) => writeFileSync(join(args[1], `bench${i + 1}.wasm`), bigModule(16, options)));
	process.exit(0);
}

// Each build parses its own command line: the request's shape is its own.
const requests = (glue) => ({
	plain: glue.parseCommandLine(['big.wasm'], '/workspace'),
	stubbing: glue.parseCommandLine(['--stub-unknown-imports', 'big.wasm'], '/workspace'),
});
const ours = requests(core);
const theirs = baseline && requests(baseline);

async function row(what, bytes, which, expect) {
	const request = ours[which];
	const plan = core.planRun(request, bytes);
	const got = plan.kind !== 'run' ? plan.kind : plan.module ? 'rewritten' : 'run';
	if (got !== expect) throw new Error(`${what}: expected ${expect}, got ${JSON.stringify(plan).slice(0, 200)}`);
	const fns = [() => core.planRun(request, bytes), () => WebAssembly.compile(bytes)];
	if (baseline) fns.push(() => baseline.planRun(theirs[which], bytes));
	const [preflight, compile, before] = await timeInTurns(9, ...fns);
	const versus = baseline ? ` ${before.toFixed(1).padStart(7)} ms ${(preflight / before).toFixed(2).padStart(7)}` : '';
	console.log(
		`${(bytes.length / 1e6).toFixed(1).padStart(5)} MB  ${what.padEnd(56)} ${got.padEnd(9)} ` +
		`${preflight.toFixed(1).padStart(7)} ms ${compile.toFixed(1).padStart(7)} ms ${(preflight / compile).toFixed(2).padStart(7)}${versus}`,
	);
}

const baselineColumns = baseline ? ` ${'baseline'.padStart(10)} ${'vs it'.padStart(7)}` : '';
console.log(`${'size'.padStart(8)}  ${'module'.padEnd(56)} ${'rw plan'.padEnd(9)} ${'preflight'.padStart(10)} ${'compile'.padStart(10)} ${'ratio'.padStart(7)}${baselineColumns}  (goal: ratio <= 1)`);
for (const [what, options, expect] of synthetic) {
	await row(what, bigModule(16, options), 'plain', expect);
}
for (const file of args) {
	await row(`${basename(file)} (--stub-unknown-imports)`, withStart(readFileSync(file)), 'stubbing', 'rewritten');
}
