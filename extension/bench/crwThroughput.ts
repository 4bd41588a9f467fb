// MB/s through crw, measured side by side in one run (printed, never asserted):
//   socket  the same kind of local socket with no framing: a Node echo server and a Node
//           client piping stdin → socket → stdout (what any byte pump over it costs);
//   framing the real crw client and our server code, with a JavaScript `cat` in place of
//           the WASI Core: what our frames, credit and drain add;
//   double  the same with cat.wasm under node:wasi behind the Core's pipe contract (the
//           TEST DOUBLE of the Core the unit tests use): a wasm program's reads and writes.
// The real Core's figure comes from the e2e rig (tests/e2e/crw.test.mjs prints it).
//
// With RW_CRW_BASELINE_BENCH (this file bundled in another build's tree, with its crw;
// scripts/bench-crw.sh makes it), the crw rows of both builds are timed in alternate turns
// and printed side by side with their ratio: a change shows whether it made crw slower.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { CrwHandler } from '../src/crw/connection';
import { createCrwHandler } from '../src/crw/crwRun';
import { startCrwServer } from '../src/crw/server';
import { createWasiCoreDouble, crwHostDouble, servingDouble } from '../test/doubles/wasiCoreDouble';
import { FIXTURES } from '../test/fixtures';

const CRW = resolve(process.cwd(), '../target/release/crw');
const MEGABYTES = Number(process.argv[2] ?? 100);
/** Only time this build's crw rows and print them as JSON: the baseline's side of a comparison. */
const ROWS_ONLY = process.argv.includes('--rows');
const BASELINE = process.env.RW_CRW_BASELINE_BENCH;
const BASELINE_NAME = process.env.RW_CRW_BASELINE_NAME ?? 'the baseline';
/** Turns of each build when comparing; the median of each row is printed. */
const TURNS = 5;

const ROWS = {
	framing: 'framing (crw + server, JS cat)',
	double: 'double  (crw + server, cat.wasm in node:wasi)',
} as const;
type Row = keyof typeof ROWS;
type Seconds = Record<Row, number>;

/** Seconds for MEGABYTES of zeros through `command` (stdin → stdout), output counted. */
function timePipe(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = process.cwd()): Promise<number> {
	return new Promise((done, fail) => {
		const start = performance.now();
		const child = spawn('sh', ['-c', `head -c ${MEGABYTES}000000 /dev/zero | "$0" "$@" | wc -c`, command, ...args], {
			env,
			cwd,
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.on('close', () => {
			if (Number(out.trim()) !== MEGABYTES * 1e6) fail(new Error(`${command}: ${out.trim()} bytes came through`));
			done((performance.now() - start) / 1000);
		});
	});
}

/** A JavaScript cat behind the crw server: stdin pipe → stdout pipe, as fast as they go. */
const catInJavaScript: CrwHandler = async (run) => {
	for (;;) {
		const chunk = await run.stdin.read('max', 64 * 1024);
		if (chunk.length === 0) return 0;
		await run.stdout.write(chunk);
	}
};

/** Seconds through this build's crw and server, for each crw row. */
async function crwRows(): Promise<Seconds> {
	const framing = await startCrwServer(catInJavaScript, servingDouble());
	const framingSeconds = await timePipe(CRW, ['cat.wasm'], { ...process.env, RW_CRW_SOCKET: framing.address, RW_CRW_TOKEN: framing.token });
	await framing.close();

	const handler = createCrwHandler(crwHostDouble(createWasiCoreDouble()));
	const double = await startCrwServer(handler, servingDouble());
	const doubleSeconds = await timePipe(CRW, ['cat.wasm'], { ...process.env, RW_CRW_SOCKET: double.address, RW_CRW_TOKEN: double.token }, FIXTURES);
	await double.close();
	return { framing: framingSeconds, double: doubleSeconds };
}

/** The same rows through the baseline build, in its own tree (its crw, its server code). */
function baselineRows(bundle: string): Promise<Seconds> {
	return new Promise((done, fail) => {
		const child = spawn(process.execPath, ['--no-warnings', bundle, String(MEGABYTES), '--rows'], {
			cwd: dirname(dirname(dirname(bundle))),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		let err = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (err += d));
		child.on('close', (code) => {
			if (code === 0) done(JSON.parse(out) as Seconds);
			else fail(new Error(/^Error: .*$/m.exec(err)?.[0] ?? `exit ${code}`));
		});
	});
}

/** Seconds for the bare socket: echo server + a Node byte pump as the client. */
async function socketRow(): Promise<number> {
	const dir = mkdtempSync(join(tmpdir(), 'rw-bench-crw-'));
	try {
		const echoPath = join(dir, 'echo');
		const echo = net.createServer((s) => s.pipe(s)).listen(echoPath);
		const pump = `const s=require('net').connect(process.argv[1]);process.stdin.pipe(s);s.pipe(process.stdout);process.stdin.on('end',()=>s.end());`;
		const seconds = await timePipe(process.execPath, ['-e', pump, echoPath], process.env);
		echo.close();
		return seconds;
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
	if (ROWS_ONLY) {
		console.log(JSON.stringify(await crwRows()));
		return;
	}
	const socket = await socketRow();
	const ours: Seconds[] = [];
	const theirs: Seconds[] = [];
	for (let turn = 0; turn < (BASELINE ? TURNS : 1); turn++) {
		ours.push(await crwRows());
		// A baseline that fails a turn (an old bug, say) costs that turn, not the comparison.
		if (BASELINE) {
			await baselineRows(BASELINE).then(
				(rows) => theirs.push(rows),
				(error: Error) => console.error(`bench-crw: ${BASELINE_NAME} failed turn ${turn + 1}: ${error.message}`),
			);
		}
	}
	const mbps = (seconds: number) => `${(MEGABYTES / seconds).toFixed(0).padStart(6)} MB/s`;
	console.log(`${MEGABYTES} MB of stdin through each, to stdout` +
		(BASELINE ? ` (median of ${TURNS} turns, this build and ${BASELINE_NAME} in alternate turns):` : ':'));
	console.log(`  ${'socket  (Node pump, no framing)'.padEnd(48)} ${mbps(socket)}`);
	for (const row of Object.keys(ROWS) as Row[]) {
		const seconds = median(ours.map((o) => o[row]));
		let line = `  ${ROWS[row].padEnd(48)} ${mbps(seconds)}   ${(seconds / socket).toFixed(2)}x the socket's time`;
		if (theirs.length > 0) {
			const before = median(theirs.map((t) => t[row]));
			line += `   ${BASELINE_NAME}: ${mbps(before).trim()}, time ratio ${(seconds / before).toFixed(2)} (below 1: faster)`;
		}
		console.log(line);
	}
}

void main().then(() => process.exit(0));
