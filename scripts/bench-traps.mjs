// What rw's adaptation costs a running program (issue 13: median slowdown <= 10 %, worst
// <= 25 %): CPU-bound programs run unadapted and as the core adapts them, in Node's V8
// with node:wasi, in turns (ABAB…) in one process, and the median times compared. Ratios
// are printed, never asserted: the exit code is 0 whether or not the goal is met, and 1
// only when a program fails to run or its adapted output differs from its own.
//
//   node scripts/bench-traps.mjs [--rounds N] [--warmup N] [FILE.wasm...]
//
// Columns: the median times, their ratio (what the goal is about), and the ratio of the
// fastest runs ('of mins'): load only adds time, so where the two ratios disagree the
// machine was busy (marked *).
//
// Without files it runs tests/fixtures/wasm/cpu_*.wasm (scripts/build-fixtures.sh builds
// them: Rust from tests/fixtures/programs, WAT from tests/fixtures/wat). --rounds (default
// 5) is how many timed turns each way; --warmup (default 1) untimed turns come first, so
// the times are of code V8 has tiered up (a compiled module is cached for the window, as
// rw caches it); --warmup 0 times the first run too. A time is instantiation + `_start`.
// RW_CORE=DIR picks another build of the core (default extension/out/core).
import { closeSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { WASI } from 'node:wasi';

// node:wasi warns that it is experimental on first use; that line is noise here.
process.removeAllListeners('warning');
// Node 20's node:wasi crashes the process (SIGSEGV, or an abort) after a few runs of one
// compiled module when its calls take V8's fast API path (nodejs/node#52402, #53087): it
// did here from the 3rd run of cpu_fnv. The programs call WASI only to print, so the
// slow path costs the timings nothing.
setFlagsFromString('--no-turbo-fast-api-calls');

const root = new URL('..', import.meta.url).pathname;
const coreDir = process.env.RW_CORE ?? join(root, 'extension/out/core');
const glue = await import(pathToFileURL(join(coreDir, 'rw_core.js')).href);
glue.initSync({ module: readFileSync(join(coreDir, 'rw_core_bg.wasm')) });

const options = { rounds: 5, warmup: 1 };
const files = [];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
	const flag = argv[i].match(/^--(rounds|warmup)(?:=(.*))?$/);
	if (!flag) {
		files.push(argv[i]);
		continue;
	}
	const value = Number(flag[2] ?? argv[++i]);
	if (!Number.isInteger(value) || value < (flag[1] === 'rounds' ? 1 : 0)) {
		console.error(`bench-traps: --${flag[1]} takes a whole number${flag[1] === 'rounds' ? ' >= 1' : ''}`);
		process.exit(2);
	}
	options[flag[1]] = value;
}
if (files.length === 0) {
	const dir = join(root, 'tests/fixtures/wasm');
	files.push(...readdirSync(dir).filter((f) => /^cpu_.*\.wasm$/.test(f)).sort().map((f) => join(dir, f)));
	if (files.length === 0) {
		console.error(`bench-traps: no cpu_*.wasm in ${dir}; run scripts/build-fixtures.sh`);
		process.exit(1);
	}
}

/** What the program is written in: a fixture with a .wat beside it is WAT; else Rust, or unknown. */
function language(file) {
	const name = basename(file, '.wasm');
	if (readdirSync(join(root, 'tests/fixtures/wat')).includes(`${name}.wat`)) return 'wat';
	if (readdirSync(join(root, 'tests/fixtures/programs/src/bin')).includes(`${name}.rs`)) return 'rust';
	return '';
}

/**
 * The module rw would run for `file`: the core plans a plain `rw FILE` run, as the
 * extension does. `module` is undefined when the core runs the bytes as they are.
 */
function plan(file, bytes) {
	const request = glue.parseCommandLine([basename(file)], '/workspace');
	if (request.kind !== 'run') throw new Error(`rw ${basename(file)}: ${JSON.stringify(request)}`);
	const answer = glue.planRun(request, bytes);
	if (answer.kind !== 'run') throw new Error(`rw would not run it: ${JSON.stringify(answer)}`);
	// The adapted module is a view of the core's memory, valid until the next call into
	// the core: copy it.
	return { module: answer.module && answer.module.slice(), memory: answer.memory };
}

// Each run writes its stdout and stderr to fresh files, read back after it ends.
const outputPath = (stream) => join(tmpdir(), `rw-bench-traps-${process.pid}.${stream}`);
process.on('exit', () => ['stdout', 'stderr'].forEach((stream) => rmSync(outputPath(stream), { force: true })));

/**
 * Runs `compiled` once in a fresh instance (a fresh `env.memory` from `memory`, the
 * core's descriptor, when it imports one) and returns its time, exit code and output.
 */
function runOnce(name, compiled, memory) {
	const [stdout, stderr] = ['stdout', 'stderr'].map((stream) => openSync(outputPath(stream), 'w'));
	const wasi = new WASI({ version: 'preview1', args: [name], env: {}, stdout, stderr, returnOnExit: true });
	const imports = wasi.getImportObject();
	let imported;
	for (const entry of WebAssembly.Module.imports(compiled)) {
		if (entry.module === 'env' && entry.name === 'memory' && entry.kind === 'memory') {
			if (!memory) throw new Error('imports env.memory, but the core gave no memory descriptor');
			imported = new WebAssembly.Memory(memory);
			imports.env = { memory: imported };
		} else if (entry.module !== 'wasi_snapshot_preview1') {
			throw new Error(`imports ${entry.module}.${entry.name}, which this script does not provide`);
		}
	}
	const start = performance.now();
	const instance = new WebAssembly.Instance(compiled, imports);
	// node:wasi reads the memory from the exports; a module that imports it may not export it.
	const exports = instance.exports.memory instanceof WebAssembly.Memory
		? instance.exports
		: { ...instance.exports, memory: imported };
	const code = wasi.start({ exports });
	const ms = performance.now() - start;
	closeSync(stdout);
	closeSync(stderr);
	const [printed, complained] = ['stdout', 'stderr'].map((stream) => readFileSync(outputPath(stream), 'utf8'));
	return { ms, code, stdout: printed, stderr: complained };
}

function median(times) {
	const sorted = [...times].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const rows = [];
let failed = false;
let noisy = false;
const header = `${'program'.padEnd(14)} ${'lang'.padEnd(4)} ${'rw plan'.padEnd(19)} ${'unadapted'.padStart(11)} ${'adapted'.padStart(11)} ${'ratio'.padStart(6)} ${'of mins'.padStart(7)}`;
console.log(`${options.rounds} timed rounds (ABAB…) after ${options.warmup} warm-up; median times; core: ${coreDir}`);
const [load] = loadavg();
if (load > availableParallelism()) {
	console.log(`load average ${load.toFixed(1)} on ${availableParallelism()} CPUs: expect noise (the ratio of the fastest runs, 'of mins', is the steadier)`);
}
console.log(header);
for (const file of files) {
	const name = basename(file, '.wasm');
	const lang = language(file);
	try {
		const bytes = readFileSync(file);
		const { module, memory } = plan(file, bytes);
		const what = `${module ? 'rewritten' : 'as is'}${memory ? `, memory${memory.shared ? ' shared' : ''}` : ''}`;
		const unadapted = await WebAssembly.compile(bytes);
		const adapted = module ? await WebAssembly.compile(module) : unadapted;
		const times = [[], []];
		let expected;
		for (let round = 0; round < options.warmup + options.rounds; round++) {
			for (const [which, compiled] of [unadapted, adapted].entries()) {
				const label = which ? 'adapted' : 'unadapted';
				let run;
				try {
					run = runOnce(name, compiled, memory);
				} catch (err) {
					throw new Error(`${label}: ${err.message}`);
				}
				if (run.code !== 0) {
					throw new Error(`${label} exited with ${run.code}: ${(run.stderr || run.stdout).trim().slice(0, 300)}`);
				}
				expected ??= run.stdout;
				if (run.stdout !== expected) {
					throw new Error(`${label} printed ${JSON.stringify(run.stdout.slice(0, 200))}, not ${JSON.stringify(expected.slice(0, 200))}`);
				}
				if (round >= options.warmup) times[which].push(run.ms);
			}
		}
		const [before, after] = times.map(median);
		const ratio = after / before;
		// Load only ever adds time, so the fastest runs disagreeing with the medians means noise.
		const ofMins = Math.min(...times[1]) / Math.min(...times[0]);
		const mark = Math.abs(ratio - ofMins) > 0.05 ? ' *' : '';
		noisy ||= mark !== '';
		rows.push(ratio);
		console.log(`${name.padEnd(14)} ${lang.padEnd(4)} ${what.padEnd(19)} ${before.toFixed(1).padStart(8)} ms ${after.toFixed(1).padStart(8)} ms ${ratio.toFixed(3).padStart(6)} ${ofMins.toFixed(3).padStart(7)}${mark}`);
	} catch (err) {
		failed = true;
		console.log(`${name.padEnd(14)} ${lang.padEnd(4)} FAILED: ${err.message}`);
	}
}

if (rows.length) {
	const mid = median(rows);
	const worst = Math.max(...rows);
	const met = (ok) => (ok ? 'met' : 'NOT met');
	console.log();
	if (noisy) console.log('* the medians and the fastest runs disagree by more than 0.05: noisy; try more --rounds on a quieter machine');
	console.log(`median ratio ${mid.toFixed(3)}  (goal <= 1.10: ${met(mid <= 1.1)})`);
	console.log(`worst ratio  ${worst.toFixed(3)}  (goal <= 1.25: ${met(worst <= 1.25)})`);
}
process.exit(failed ? 1 : 0);
