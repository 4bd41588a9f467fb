// crw end to end in Node: the real client binary (target/debug/crw) against the real
// server code over a real local socket, with the built core, our fixture programs and a
// TEST DOUBLE of the WASI Core (node:wasi behind the pipe objects crw passes it).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { createCrwHandler } from '../src/crw/crwRun';
import { encode, FrameReader, type Frame } from '../src/crw/frames';
import { startCrwServer, type CrwServer } from '../src/crw/server';
import type { HostFailure } from '../src/coreTypes';
import { createWasiCoreDouble, crwHostDouble, servingDouble } from './doubles/wasiCoreDouble';
import { FIXTURES } from './fixtures';

const CRW = resolve(process.cwd(), '../target/debug/crw');

let server: CrwServer;
let workspace: string;
let refusal: HostFailure | undefined;
const core = createWasiCoreDouble();

before(async () => {
	if (!existsSync(CRW)) throw new Error(`${CRW} is missing; build it first: cargo build -p crw`);
	workspace = mkdtempSync(join(tmpdir(), 'rw-crw-ws-'));
	for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.wasm'))) {
		copyFileSync(join(FIXTURES, file), join(workspace, file));
	}
	writeFileSync(join(workspace, 'data.txt'), 'data in the cwd\n');
	server = await startCrwServer(createCrwHandler(crwHostDouble(core)), servingDouble(() => refusal));
});

after(async () => {
	await server?.close();
});

interface Ran {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: Buffer;
	stderr: string;
}

/** Runs crw with `args` in the workspace, `input` piped to its stdin (then closed). */
function crw(args: string[], input?: Buffer | string, options: { env?: NodeJS.ProcessEnv; onStart?: (pid: number) => void } = {}): Promise<Ran> {
	const child = spawn(CRW, args, {
		cwd: workspace,
		env: options.env ?? { ...process.env, RW_CRW_SOCKET: server.address },
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	const stdout: Buffer[] = [];
	let stderr = '';
	child.stdout.on('data', (d: Buffer) => stdout.push(d));
	child.stderr.on('data', (d: Buffer) => (stderr += d));
	// crw may exit before it read its stdin (a refusal): that is not the test's failure.
	child.stdin.on('error', () => undefined);
	if (input !== undefined) child.stdin.end(input);
	options.onStart?.(child.pid!);
	return new Promise((done) =>
		child.on('close', (code, signal) => done({ code, signal, stdout: Buffer.concat(stdout), stderr })),
	);
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
	const start = Date.now();
	while (!condition()) {
		if (Date.now() - start > timeoutMs) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 20));
	}
}

test('echo hi | crw cat.wasm prints hi and exits 0: stdin ends, the program sees EOF', async () => {
	const ran = await crw(['cat.wasm'], 'hi\n');
	assert.equal(ran.stderr, '');
	assert.equal(ran.stdout.toString(), 'hi\n');
	assert.equal(ran.code, 0);
});

test('an empty stdin is an immediate EOF', async () => {
	const ran = await crw(['cat.wasm'], '');
	assert.deepEqual([ran.code, ran.stdout.length], [0, 0]);
});

test('10 MB through cat arrive byte for byte (stdin credit and output drain both exercised)', async () => {
	const data = randomBytes(10 * 1024 * 1024);
	const ran = await crw(['cat.wasm'], data);
	assert.equal(ran.code, 0, ran.stderr);
	const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
	assert.equal(ran.stdout.length, data.length);
	assert.equal(sha(ran.stdout), sha(data));
});

test('every byte written arrives before the exit code, also right before exiting', async () => {
	const ran = await crw(['flood.wasm', '3']);
	assert.equal(ran.code, 0);
	// What flood.rs writes: numbered lines until 3 MB are out.
	const lines: string[] = [];
	for (let written = 0, n = 0; written < 3_000_000; n++) {
		lines.push(`flood line ${String(n).padStart(12)} ................................\n`);
		written += lines[n]!.length;
	}
	assert.equal(ran.stdout.toString(), lines.join(''));
});

test('relative paths are the shell\'s: crw cat.wasm data.txt reads ./data.txt', async () => {
	const ran = await crw(['cat.wasm', 'data.txt'], '');
	assert.equal(ran.stdout.toString(), 'data in the cwd\n');
	assert.equal(ran.code, 0);
});

test('exit codes pass through: the program\'s own, refusals, usage, help', async () => {
	assert.equal((await crw(['exit.wasm', '42'], '')).code, 42);
	const missing = await crw(['nope.wasm'], '');
	assert.equal(missing.code, 127);
	assert.match(missing.stderr, /^rw: nope\.wasm: no such file.*\n$/);
	const component = await crw(['component.wasm'], '');
	assert.equal(component.code, 126);
	assert.equal(component.stderr.split('\n').length, 2, component.stderr);
	const usage = await crw(['--frobnicate', 'hello.wasm'], '');
	assert.equal(usage.code, 2);
	assert.match(usage.stderr, /see 'crw --help'/);
	const help = await crw(['--help']);
	assert.equal(help.code, 0);
	assert.match(help.stdout.toString(), /Usage: crw \[OPTIONS\]/);
	const alias = await crw(['run', 'hello.wasm', 'x'], '');
	assert.deepEqual([alias.code, alias.stdout.toString()], [0, 'hello from rw\nargs: x\n']);
});

test('runs at once do not mix: two programs through one server', async () => {
	const [a, b] = await Promise.all([crw(['cat.wasm'], 'A'.repeat(300_000)), crw(['cat.wasm'], 'B'.repeat(300_000))]);
	assert.equal(a.stdout.toString(), 'A'.repeat(300_000));
	assert.equal(b.stdout.toString(), 'B'.repeat(300_000));
});

test('Ctrl-C stops the program and crw exits 130', async () => {
	let pid = 0;
	const running = crw(['spin.wasm'], undefined, { onStart: (p) => (pid = p) });
	await until(() => core.running() === 1);
	process.kill(pid, 'SIGINT');
	const ran = await running;
	assert.equal(ran.code, 130);
	await until(() => core.running() === 0);
});

test('killing the client stops its program: no orphans', async () => {
	let pid = 0;
	const running = crw(['spin.wasm'], undefined, { onStart: (p) => (pid = p) });
	await until(() => core.running() === 1);
	process.kill(pid, 'SIGKILL');
	assert.equal((await running).signal, 'SIGKILL');
	await until(() => core.running() === 0);
});

test('crw | head: a reader that stops early ends crw quietly and stops the program', async () => {
	const child = spawn('sh', ['-c', `"${CRW}" flood.wasm 50 | head -c 10`], {
		cwd: workspace,
		env: { ...process.env, RW_CRW_SOCKET: server.address },
	});
	let out = '';
	let err = '';
	child.stdout.on('data', (d) => (out += d));
	child.stderr.on('data', (d) => (err += d));
	await new Promise((r) => child.on('close', r));
	assert.equal(out, 'flood line');
	assert.equal(err, '');
	await until(() => core.running() === 0);
});

/** Resident memory of a process in MB (Linux). */
function rssMb(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1]) / 1024;
}

test('backpressure out: a program flooding a reader that does not read waits, memory stays flat', async () => {
	const child = spawn(CRW, ['flood.wasm', '200'], { cwd: workspace, env: { ...process.env, RW_CRW_SOCKET: server.address } });
	child.stdout.pause();
	await until(() => core.running() === 1);
	const heapBefore = process.memoryUsage().rss / 1e6;
	await new Promise((r) => setTimeout(r, 1500));
	// Unthrottled, 200 MB would be out by now; the program is held at its fd_write instead.
	assert.equal(core.running(), 1, 'the program ran on although nobody read its output');
	assert.ok(rssMb(child.pid!) < 40, `crw holds ${rssMb(child.pid!)} MB`);
	assert.ok(process.memoryUsage().rss / 1e6 - heapBefore < 40, 'the server buffered the flood');
	let received = 0;
	child.stdout.on('data', (d: Buffer) => (received += d.length));
	child.stdout.resume();
	const code = await new Promise((r) => child.on('close', r));
	assert.equal(code, 0);
	assert.ok(received >= 200_000_000 && received < 200_000_100, `${received} bytes`);
});

test('backpressure in: flooding the stdin of a program that never reads stalls the writer', async () => {
	const child = spawn(CRW, ['spin.wasm'], { cwd: workspace, env: { ...process.env, RW_CRW_SOCKET: server.address } });
	child.stdout.resume();
	child.stdin.on('error', () => undefined);
	await until(() => core.running() === 1);
	const chunk = Buffer.alloc(64 * 1024);
	let accepted = 0;
	// Write until the pipe pushes back, again after each drain, until no drain comes for a second.
	for (;;) {
		while (child.stdin.write(chunk)) accepted += chunk.length;
		accepted += chunk.length;
		const drained = await Promise.race([
			new Promise((r) => child.stdin.once('drain', () => r(true))),
			new Promise((r) => setTimeout(() => r(false), 1000)),
		]);
		if (!drained || accepted > 100e6) break;
	}
	// The window (256 KiB), crw's chunk and the OS pipe and socket buffers: a few MB at most.
	assert.ok(accepted < 8e6, `the writer got ${accepted / 1e6} MB in`);
	assert.ok(rssMb(child.pid!) < 40, `crw holds ${rssMb(child.pid!)} MB`);
	child.kill('SIGINT');
	assert.equal(await new Promise((r) => child.on('close', r)), 130);
});

test('isatty() in the program is true exactly where crw\'s own stream is a terminal', async () => {
	assert.equal((await crw(['isatty.wasm'], '')).stdout.toString(), 'stdin=pipe stdout=pipe stderr=pipe\n');
	// script(1) gives crw a pseudo-terminal: all three, then all but a piped stdout.
	const inTerminal = async (line: string) => {
		const child = spawn('script', ['-qec', line, '/dev/null'], {
			cwd: workspace,
			env: { ...process.env, RW_CRW_SOCKET: server.address },
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		await new Promise((r) => child.on('close', r));
		return out.replace(/\r\n/g, '\n');
	};
	assert.equal(await inTerminal(`"${CRW}" isatty.wasm`), 'stdin=tty stdout=tty stderr=tty\n');
	assert.equal(await inTerminal(`"${CRW}" isatty.wasm | cat`), 'stdin=tty stdout=pipe stderr=tty\n');
});

test('the socket is private: its directory 0700, the socket 0600', () => {
	assert.equal(statSync(dirname(server.address)).mode & 0o777, 0o700);
	assert.equal(statSync(server.address).mode & 0o777, 0o600);
});

test('closing the server removes its socket and directory and stops running programs', async () => {
	const other = await startCrwServer(createCrwHandler(crwHostDouble(core)), servingDouble());
	const running = crw(['spin.wasm'], undefined, { env: { ...process.env, RW_CRW_SOCKET: other.address } });
	await until(() => core.running() === 1);
	await other.close();
	assert.equal(existsSync(dirname(other.address)), false);
	assert.notEqual((await running).code, 0);
	await until(() => core.running() === 0);
});

test('a refusal (Restricted Mode) is one line and a non-zero code; nothing runs', async () => {
	refusal = { kind: 'untrusted' };
	try {
		const ran = await crw(['hello.wasm'], '');
		assert.equal(ran.code, 126);
		assert.match(ran.stderr, /^crw: this workspace is in Restricted Mode; trust it \(Workspaces: Manage Workspace Trust\) to run programs\n$/);
		assert.equal(ran.stdout.length, 0);
	} finally {
		refusal = undefined;
	}
});

test('outside a VS Code terminal crw says how to get one', async () => {
	const env = { ...process.env };
	delete env.RW_CRW_SOCKET;
	const ran = await crw(['hello.wasm'], '', { env });
	assert.equal(ran.code, 1);
	assert.match(ran.stderr, /^crw: RW_CRW_SOCKET is not set; run crw in a VS Code integrated terminal.*\n$/);
});

test('a client that sends what the extension cannot read is told so in one line', async () => {
	const socket = net.connect(server.address);
	const reader = new FrameReader();
	const frames: Frame[] = [];
	socket.on('data', (chunk) => frames.push(...reader.push(chunk)));
	socket.write(Uint8Array.of(0x7f, 0, 0, 0, 0));
	await new Promise((r) => socket.on('close', r));
	assert.equal(frames.length, 1);
	const [frame] = frames;
	assert.equal(frame?.type === 'error' && frame.code, 1);
	assert.match(frame?.type === 'error' ? frame.line : '', /^crw: the rw extension received .*0x7f.*; install the crw of the same rw version/);
});

test('a client of another protocol version is told so in one line', async () => {
	const socket = net.connect(server.address);
	const reader = new FrameReader();
	const frames: Frame[] = [];
	socket.on('data', (chunk) => frames.push(...reader.push(chunk)));
	socket.write(encode({ type: 'request', version: 99, terminals: { stdin: false, stdout: false, stderr: false }, cwd: workspace, argv: ['hello.wasm'] }));
	await new Promise((r) => socket.on('close', r));
	assert.equal(frames.length, 1);
	const [frame] = frames;
	assert.equal(frame?.type, 'error');
	assert.match(frame?.type === 'error' ? frame.line : '', /^crw: this crw speaks protocol 99, the rw extension 0\.1\.0 speaks 1; /);
});
