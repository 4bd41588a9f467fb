// MB/s through crw, measured side by side in one run (printed, never asserted):
//   socket  the same kind of local socket with no framing: a Node echo server and a Node
//           client piping stdin → socket → stdout (what any byte pump over it costs);
//   framing the real crw client and our server code, with a JavaScript `cat` in place of
//           the WASI Core: what our frames, credit and drain add;
//   double  the same with cat.wasm under node:wasi behind the Core's pipe contract (the
//           TEST DOUBLE of the Core the unit tests use): a wasm program's reads and writes.
// The real Core's figure comes from the e2e rig (tests/e2e/crw.test.mjs prints it).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CrwHandler } from '../src/crw/connection';
import { createCrwHandler } from '../src/crw/crwRun';
import { startCrwServer } from '../src/crw/server';
import { createWasiCoreDouble, crwHostDouble, servingDouble } from '../test/doubles/wasiCoreDouble';
import { FIXTURES } from '../test/fixtures';

const CRW = resolve(process.cwd(), '../target/release/crw');
const MEGABYTES = Number(process.argv[2] ?? 200);

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

async function main(): Promise<void> {
	const dir = mkdtempSync(join(tmpdir(), 'rw-bench-crw-'));
	const rows: [string, number][] = [];
	try {
		// socket: echo server + a Node byte pump as the client.
		const echoPath = join(dir, 'echo');
		const echo = net.createServer((s) => s.pipe(s)).listen(echoPath);
		const pump = `const s=require('net').connect(process.argv[1]);process.stdin.pipe(s);s.pipe(process.stdout);process.stdin.on('end',()=>s.end());`;
		rows.push(['socket  (Node pump, no framing)', await timePipe(process.execPath, ['-e', pump, echoPath], process.env)]);
		echo.close();

		const framing = await startCrwServer(catInJavaScript, servingDouble());
		rows.push(['framing (crw + server, JS cat)', await timePipe(CRW, ['cat.wasm'], { ...process.env, RW_CRW_SOCKET: framing.address, RW_CRW_TOKEN: framing.token })]);
		await framing.close();

		const handler = createCrwHandler(crwHostDouble(createWasiCoreDouble()));
		const double = await startCrwServer(handler, servingDouble());
		rows.push(['double  (crw + server, cat.wasm in node:wasi)', await timePipe(CRW, ['cat.wasm'], { ...process.env, RW_CRW_SOCKET: double.address, RW_CRW_TOKEN: double.token }, FIXTURES)]);
		await double.close();
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
	const base = rows[0]![1];
	console.log(`${MEGABYTES} MB of stdin through each, to stdout:`);
	for (const [name, seconds] of rows) {
		console.log(`  ${name.padEnd(48)} ${(MEGABYTES / seconds).toFixed(0).padStart(6)} MB/s   ${(seconds / base).toFixed(2)}x the socket's time`);
	}
}

void main().then(() => process.exit(0));
