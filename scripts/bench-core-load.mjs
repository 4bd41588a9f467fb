// What loading rw's core costs a first run: its size, and the time to compile and
// instantiate it (what core.ts does once per extension host), then its first and a
// later preflight of a small program (the first runs on code V8 compiles lazily, as
// the core's functions are first called), and that first preflight again after the
// warm-up the extension runs when it starts (extension/src/warmUp.ts: a plan of the
// core's own small module). Each sample is a fresh Node process: V8 reuses a module
// compiled earlier in the same process, which would hide the cost. The folders are
// sampled in turns, so that a busy machine slows all alike. Medians are printed, never
// asserted.
//
//   node scripts/bench-core-load.mjs [DIR...]     DIR: a wasm-bindgen output folder
//                                                 (default extension/out/core and, if
//                                                 built, extension/out/wat)
// RW_BENCH_RUNS=N samples per folder (default 15). The program planned is
// tests/fixtures/wasm/hello.wasm (scripts/build-fixtures.sh), else a minimal module.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const helloPath = join(root, 'tests/fixtures/wasm/hello.wasm');
// (module (func (export "_start"))): enough for a plan when the fixtures are not built.
const minimal = Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 7, 10, 1, 6, 95, 115, 116, 97, 114, 116, 0, 0, 10, 4, 1, 2, 0, 11]);

/** One sample, in this (fresh) process: milliseconds of each step; `warm`: warm up first. */
async function sample(dir, warm) {
	const glueFile = readdirSync(dir).find((f) => f.endsWith('.js'));
	const glue = await import(pathToFileURL(join(dir, glueFile)).href);
	const program = existsSync(helloPath) ? readFileSync(helloPath) : minimal;
	const t0 = performance.now();
	const bytes = readFileSync(join(dir, glueFile.replace(/\.js$/, '_bg.wasm')));
	const t1 = performance.now();
	const module = await WebAssembly.compile(bytes);
	const t2 = performance.now();
	glue.initSync({ module });
	let t3 = performance.now();
	let warmUp = 0;
	if (warm && glue.warmUpModule) {
		// As warmUp.ts does, through the same bindings.
		const request = glue.parseCommandLine(['warm-up.wasm'], '/');
		glue.moduleKey(request);
		glue.planRun(request, glue.warmUpModule());
		glue.programTree(request, { program: 'rw', cwd: '/' });
		warmUp = performance.now() - t3;
		t3 = performance.now();
	}
	const call = glue.planRun
		? () => glue.planRun(glue.parseCommandLine(['hello.wasm'], '/workspace'), program)
		: () => glue.watPage(program, 0, 2_000_000);
	call();
	const t4 = performance.now();
	call();
	const t5 = performance.now();
	return { read: t1 - t0, compile: t2 - t1, instantiate: t3 - t2 - warmUp, warmUp, firstCall: t4 - t3, laterCall: t5 - t4 };
}

if (process.argv[2] === '--sample') {
	process.stdout.write(JSON.stringify(await sample(process.argv[3], process.argv[4] === 'warm')));
	process.exit(0);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const runs = Number(process.env.RW_BENCH_RUNS ?? 15);
const dirs = process.argv.slice(2);
if (dirs.length === 0) {
	for (const d of ['extension/out/core', 'extension/out/wat']) if (existsSync(join(root, d))) dirs.push(join(root, d));
}
console.log(`${runs} fresh processes each; medians in ms; the call is a preflight of ${existsSync(helloPath) ? 'hello.wasm' : 'a minimal module'} (a page of its text for the WAT printer)`);
const samples = dirs.map(() => ({ cold: [], warm: [] }));
const one = (dir, mode) => JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--sample', dir, mode], { encoding: 'utf8' }));
for (let i = 0; i < runs; i++) {
	dirs.forEach((dir, d) => {
		samples[d].cold.push(one(dir, 'cold'));
		samples[d].warm.push(one(dir, 'warm'));
	});
}
console.log('wasm bytes\tgzip\tcompile\tinstantiate\tfirst call\twarm-up\tfirst call after it\tlater call\tfolder');
dirs.forEach((dir, d) => {
	const wasm = readdirSync(dir).find((f) => f.endsWith('_bg.wasm'));
	const bytes = readFileSync(join(dir, wasm));
	const m = (list, k) => median(list.map((s) => s[k])).toFixed(1);
	const { cold, warm } = samples[d];
	const warmed = warm[0].warmUp > 0 ? [m(warm, 'warmUp'), m(warm, 'firstCall')] : ['-', '-'];
	console.log([bytes.length, gzipSync(bytes).length, m(cold, 'compile'), m(cold, 'instantiate'), m(cold, 'firstCall'), ...warmed, m(cold, 'laterCall'), dir].join('\t'));
});
