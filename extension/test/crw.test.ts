// crw end to end in Node: the real client binary (target/debug/crw) against the real
// server code over a real local socket, with the built core, our fixture programs and a
// TEST DOUBLE of the WASI Core (node:wasi behind the pipe objects crw passes it).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { CrwHandler } from '../src/crw/connection';
import { createCrwHandler } from '../src/crw/crwRun';
import { encode, FrameReader, MAX_PAYLOAD, PEEK_WINDOW, PROTOCOL_VERSION, type Frame } from '../src/crw/frames';
import { MAX_RUNS, REQUEST_TIMEOUT_MS, startCrwServer, type CrwServer } from '../src/crw/server';
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

/** What an integrated terminal of the server's window has in its environment. */
function envOf(of: CrwServer): NodeJS.ProcessEnv {
	return { ...process.env, RW_CRW_SOCKET: of.address, RW_CRW_TOKEN: of.token };
}

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
		env: options.env ?? envOf(server),
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

test('10 MB through cat arrive byte for byte (stdin read by read, output drain both exercised)', async () => {
	const data = randomBytes(10 * 1024 * 1024);
	const ran = await crw(['cat.wasm'], data);
	assert.equal(ran.code, 0, ran.stderr);
	const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
	assert.equal(ran.stdout.length, data.length);
	assert.equal(sha(ran.stdout), sha(data));
});

test('10 MB through cat arrive byte for byte from a pipe and a file too (sent ahead, taken as read)', async () => {
	const data = randomBytes(10 * 1024 * 1024);
	writeFileSync(join(workspace, 'stdin.bin'), data);
	const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
	for (const line of ['cat | "$CRW" cat.wasm | sha256sum', '"$CRW" cat.wasm < stdin.bin | sha256sum']) {
		const ran = await sh(line, data);
		assert.equal(ran.stdout, `${sha(data)}  -\n`, `${line}: ${ran.stderr}`);
	}
});

/** `line` in sh, in the workspace, crw as "$CRW"; `input` on its stdin. */
function sh(line: string, input: string | Buffer = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
	const child = spawn('sh', ['-c', line], { cwd: workspace, env: { ...envOf(server), CRW } });
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (d) => (stdout += d));
	child.stderr.on('data', (d) => (stderr += d));
	child.stdin.on('error', () => undefined);
	child.stdin.end(input);
	return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

test('stdin belongs to the program: a loop reading lines runs crw once per line', async () => {
	// hello.wasm never reads stdin, so crw must not: the loop's next lines stay for `read`.
	const ran = await sh('printf \'a\\nb\\nc\\n\' | while read f; do "$CRW" hello.wasm "$f"; done');
	assert.equal(ran.stdout, 'hello from rw\nargs: a\nhello from rw\nargs: b\nhello from rw\nargs: c\n', ran.stderr);
});

test('(crw noread; cat) leaves every byte for cat', async () => {
	const data = randomBytes(300_000).toString('hex');
	const ran = await sh('("$CRW" hello.wasm noread; cat)', data);
	assert.equal(ran.stdout, `hello from rw\nargs: noread\n${data}`, ran.stderr);
	assert.equal(ran.code, 0);
});

/**
 * `command` (a shell command reading stdin) with stdin in each form crw meets: a pipe and
 * a regular file (sent ahead, taken as consumed) and a socket (read read by read: what
 * Node gives a child).
 */
function stdinForms(command: string): [string, string][] {
	return [
		['a pipe', `cat | ${command}`],
		['a file', `${command} < stdin.txt`],
		['a socket', command],
	];
}

test('a program that reads part of stdin leaves exactly the rest, whatever stdin is', async () => {
	const data = randomBytes(150_000).toString('hex');
	writeFileSync(join(workspace, 'stdin.txt'), data);
	for (const bytes of [1, 5, 65_536, 70_000, 299_999]) {
		for (const [form, line] of stdinForms(`("$CRW" head_bytes.wasm ${bytes}; cat)`)) {
			const ran = await sh(line, data);
			assert.equal(ran.stderr, '', `${form}, ${bytes}`);
			// head_bytes prints the first N bytes, cat all that is left: together, all of it.
			assert.equal(ran.stdout.length, data.length, `${form}, ${bytes}`);
			assert.ok(ran.stdout === data, `${form}, ${bytes}: not the input, in order`);
		}
	}
});

test('a program that traps or is stopped after a read loses exactly what it read', async () => {
	const data = randomBytes(100_000).toString('hex');
	writeFileSync(join(workspace, 'stdin.txt'), data);
	for (const [form, line] of stdinForms('("$CRW" head_bytes.wasm 5 abort; echo " $?"; cat)')) {
		const trapped = await sh(line, data);
		assert.ok(trapped.stdout === `${data.slice(0, 5)} 134\n${data.slice(5)}`, `${form}: ${trapped.stdout.slice(0, 20)}… ${trapped.stderr}`);
	}
	// SIGTERM once it has read (its output is there): crw stops it and dies by SIGTERM.
	// A job in the background reads /dev/null unless told otherwise: hence fd 3.
	const stop = `(rm -f got; exec 3<&0; "$CRW" head_bytes.wasm 5 spin 0<&3 >got &
		p=$!; until [ -s got ]; do sleep 0.05; done; kill -TERM $p; wait $p; echo "$?" >&2; cat got; cat)`;
	for (const [form, line] of stdinForms(stop)) {
		const stopped = await sh(line, data);
		// (The shell may say "Terminated" of its job.)
		assert.match(stopped.stderr, /^(Terminated\n)?143\n$/, form);
		assert.ok(stopped.stdout === data, `${form}: ${stopped.stdout.length} bytes, not the input in order`);
	}
});

test('a non-blocking stdin is waited on, not taken for its end', async () => {
	// python sets O_NONBLOCK on the pipe crw then reads from; the writer is still asleep.
	const nonblocking = 'import fcntl,os,sys; fcntl.fcntl(0, fcntl.F_SETFL, fcntl.fcntl(0, fcntl.F_GETFL) | os.O_NONBLOCK); os.execv(sys.argv[1], sys.argv[1:])';
	const ran = await sh(`(sleep 1; echo late) | python3 -c '${nonblocking}' "$CRW" cat.wasm`);
	assert.deepEqual([ran.stdout, ran.stderr, ran.code], ['late\n', '', 0]);
});

test('a stdin that cannot be read: one crw: line, a non-zero code, the program stopped', async () => {
	// A directory opens for reading, but read() on it fails (EISDIR).
	const ran = await sh('"$CRW" cat.wasm < .');
	assert.match(ran.stderr, /^crw: cannot read stdin \(Is a directory \(os error 21\)\)\n$/);
	assert.equal(ran.code, 1);
	await until(() => core.running() === 0);
	// A program that never reads never notices.
	assert.deepEqual(await sh('"$CRW" exit.wasm 0 < .'), { code: 0, stdout: 'exiting with 0\n', stderr: '' });
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

test('SIGINT, SIGTERM, SIGHUP stop the program, then crw dies by that signal (as the shell expects)', async () => {
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		let pid = 0;
		const running = crw(['spin.wasm'], undefined, { onStart: (p) => (pid = p) });
		await until(() => core.running() === 1);
		process.kill(pid, signal);
		const ran = await running;
		assert.deepEqual([ran.code, ran.signal, ran.stderr], [null, signal, '']);
		await until(() => core.running() === 0);
	}
});

test('a signal crw was started ignoring (nohup, trap \'\' HUP) stays ignored', async () => {
	const child = spawn('sh', ['-c', 'trap "" HUP; exec "$CRW" spin.wasm'], { cwd: workspace, env: { ...envOf(server), CRW } });
	child.stdout.resume();
	await until(() => core.running() === 1);
	child.kill('SIGHUP');
	await new Promise((r) => setTimeout(r, 500));
	assert.equal(core.running(), 1, 'SIGHUP stopped the program');
	child.kill('SIGINT');
	assert.equal(await new Promise((r) => child.on('close', (_code, signal) => r(signal))), 'SIGINT');
	await until(() => core.running() === 0);
});

test('a second Ctrl-C gives up waiting for the program: crw dies by SIGINT at once', async () => {
	let started!: () => void;
	const runStarted = new Promise<void>((r) => (started = r));
	let interrupted!: () => void;
	const stopSeen = new Promise<void>((r) => (interrupted = r));
	// A run that hears the interrupt and never ends, as a program the Core cannot stop would.
	const stuck = await startCrwServer(async (run) => {
		started();
		await run.stopped;
		interrupted();
		return new Promise<number>(() => undefined);
	}, servingDouble());
	try {
		let pid = 0;
		const running = crw(['spin.wasm'], undefined, { env: envOf(stuck), onStart: (p) => (pid = p) });
		await runStarted;
		process.kill(pid, 'SIGINT');
		await stopSeen;
		process.kill(pid, 'SIGINT');
		const ran = await running;
		assert.deepEqual([ran.code, ran.signal], [null, 'SIGINT']);
	} finally {
		await stuck.close();
	}
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
		env: envOf(server),
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
	const child = spawn(CRW, ['flood.wasm', '200'], { cwd: workspace, env: envOf(server) });
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

test('a program that never reads takes nothing: the writer stalls at the OS pipe buffer', async () => {
	const child = spawn(CRW, ['spin.wasm'], { cwd: workspace, env: envOf(server) });
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
	// The pipe's own buffer (64 KiB on Linux) and Node's: crw read none of it.
	assert.ok(accepted < 1e6, `the writer got ${accepted / 1e6} MB in`);
	child.kill('SIGINT');
	assert.equal(await new Promise((r) => child.on('close', (_code, signal) => r(signal))), 'SIGINT');
});

test('isatty() in the program is true exactly where crw\'s own stream is a terminal', async () => {
	assert.equal((await crw(['isatty.wasm'], '')).stdout.toString(), 'stdin=pipe stdout=pipe stderr=pipe\n');
	// script(1) gives crw a pseudo-terminal: all three, then all but a piped stdout.
	const inTerminal = async (line: string) => {
		const child = spawn('script', ['-qec', line, '/dev/null'], {
			cwd: workspace,
			env: envOf(server),
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
	const running = crw(['spin.wasm'], undefined, { env: envOf(other) });
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
	delete env.RW_CRW_TOKEN;
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
	// Protocol 1 sent its request first; from 2 on the hello comes first, version first.
	for (const first of [request(['hello.wasm'], 99), { type: 'hello', version: 99, token: '' } as const]) {
		const client = rawClient(server.address, [first]);
		await client.closed;
		assert.equal(client.frames.length, 1);
		assert.match(errorLine(client.frames), new RegExp(`^crw: this crw speaks protocol 99, the rw extension 0\\.1\\.0 speaks ${PROTOCOL_VERSION}; `));
	}
});

function request(argv: string[], version = PROTOCOL_VERSION): Frame {
	return { type: 'request', version, terminals: { stdin: false, stdout: false, stderr: false }, cwd: workspace, argv };
}

function hello(token: string): Frame {
	return { type: 'hello', version: PROTOCOL_VERSION, token };
}

/** A client of our own: sends `frames`, collects what comes back until the server closes. */
function rawClient(address: string, frames: Frame[]): { socket: net.Socket; frames: Frame[]; closed: Promise<void> } {
	const socket = net.connect(address);
	const reader = new FrameReader();
	const received: Frame[] = [];
	socket.on('data', (chunk) => received.push(...reader.push(chunk)));
	socket.on('error', () => undefined);
	for (const frame of frames) socket.write(encode(frame));
	const closed = new Promise<void>((r) => socket.on('close', () => r()));
	return { socket, frames: received, closed };
}

function errorLine(frames: Frame[]): string {
	const errors = frames.filter((f) => f.type === 'error');
	assert.equal(errors.length, 1, JSON.stringify(frames));
	return errors[0]!.type === 'error' ? errors[0]!.line : '';
}

const BAD_TOKEN = /^crw: the rw extension refused the connection: this terminal's RW_CRW_TOKEN is missing or not the VS Code window's; open a new integrated terminal\n$/;

test('a wrong or missing RW_CRW_TOKEN: one line, exit 1, nothing runs', async () => {
	const before = core.created.length;
	const missing = envOf(server);
	delete missing.RW_CRW_TOKEN;
	const wrongs = ['0'.repeat(64), server.token.slice(0, 63), `${server.token}0`, server.token.toUpperCase()];
	for (const env of [missing, ...wrongs.map((token) => ({ ...envOf(server), RW_CRW_TOKEN: token }))]) {
		const ran = await crw(['hello.wasm'], '', { env });
		assert.equal(ran.code, 1, env.RW_CRW_TOKEN);
		assert.match(ran.stderr, BAD_TOKEN);
		assert.equal(ran.stdout.length, 0);
	}
	// Our own client skipping the hello, or sending no token in it, is refused the same way.
	for (const frames of [[request(['hello.wasm'])], [hello(''), request(['hello.wasm'])]]) {
		const client = rawClient(server.address, frames);
		await client.closed;
		assert.match(`${errorLine(client.frames)}\n`, BAD_TOKEN);
	}
	assert.equal(core.created.length, before, 'a program was started');
	assert.equal((await crw(['exit.wasm', '3'], '')).code, 3, 'the right token runs');
});

const OPEN_DIR = /^crw: refusing RW_CRW_SOCKET=\S+: its directory is open to other users \(mode 755, not 700\), so it may not be the rw extension's; open a new integrated terminal\n$/;

test('crw refuses a socket whose directory group or others can enter: nothing runs', async () => {
	const dir = dirname(server.address);
	const before = core.created.length;
	chmodSync(dir, 0o755);
	try {
		const ran = await crw(['hello.wasm'], '');
		assert.equal(ran.code, 1);
		assert.match(ran.stderr, OPEN_DIR);
	} finally {
		chmodSync(dir, 0o700);
	}
	assert.equal(core.created.length, before);
});

const root = process.getuid?.() === 0;
test('crw refuses a socket whose directory belongs to another user: nothing runs', { skip: !root && 'only root can give a directory away' }, async () => {
	const dir = dirname(server.address);
	const before = core.created.length;
	chownSync(dir, 65534, 65534);
	try {
		const ran = await crw(['hello.wasm'], '');
		assert.equal(ran.code, 1);
		assert.match(ran.stderr, /^crw: refusing RW_CRW_SOCKET=\S+: its directory belongs to another user \(uid 65534\), so it may not be the rw extension's; open a new integrated terminal\n$/);
	} finally {
		chownSync(dir, 0, 0);
	}
	assert.equal(core.created.length, before);
});

test('the socket directory is made under $XDG_RUNTIME_DIR when that is set', async () => {
	const runtime = mkdtempSync(join(tmpdir(), 'rw-xdg-'));
	const saved = process.env.XDG_RUNTIME_DIR;
	process.env.XDG_RUNTIME_DIR = runtime;
	let other: CrwServer | undefined;
	try {
		other = await startCrwServer(createCrwHandler(crwHostDouble(core)), servingDouble());
		assert.equal(dirname(dirname(other.address)), runtime);
		assert.equal(statSync(dirname(other.address)).mode & 0o777, 0o700);
		assert.equal((await crw(['exit.wasm', '5'], '', { env: envOf(other) })).code, 5);
	} finally {
		if (saved === undefined) delete process.env.XDG_RUNTIME_DIR;
		else process.env.XDG_RUNTIME_DIR = saved;
		await other?.close();
	}
});

test(`at most ${MAX_RUNS} runs at once: the next is told so in one line and runs nothing`, async () => {
	assert.equal(MAX_RUNS, 32);
	const running = Array.from({ length: MAX_RUNS }, () => {
		// cat waits for its stdin: 32 programs at rest, not 32 busy loops.
		const child = spawn(CRW, ['cat.wasm'], { cwd: workspace, env: envOf(server) });
		child.stdout.resume();
		const code = new Promise((r) => child.on('close', r));
		return { child, code };
	});
	try {
		await until(() => core.running() === MAX_RUNS, 60_000);
		const before = core.created.length;
		const ran = await crw(['hello.wasm'], '');
		assert.equal(ran.code, 1);
		assert.match(ran.stderr, /^crw: 32 programs are already running through crw in this VS Code window; wait for one to end, or stop one \(Ctrl-C\)\n$/);
		assert.equal(ran.stdout.length, 0);
		assert.equal(core.created.length, before);
	} finally {
		for (const { child } of running) child.stdin.end();
	}
	assert.deepEqual(new Set(await Promise.all(running.map((r) => r.code))), new Set([0]));
	assert.equal((await crw(['exit.wasm', '4'], '')).code, 4, 'the slots are given back');
});

test('a client silent after connecting (or after its hello) is cut off at the deadline', async () => {
	assert.equal(REQUEST_TIMEOUT_MS, 10_000);
	const quick = await startCrwServer(createCrwHandler(crwHostDouble(core)), servingDouble(), { requestTimeoutMs: 300 });
	try {
		for (const frames of [[], [hello(quick.token)]]) {
			const start = Date.now();
			const client = rawClient(quick.address, frames);
			await client.closed;
			const waited = Date.now() - start;
			assert.ok(waited >= 250 && waited < 5000, `closed after ${waited} ms`);
			assert.deepEqual(client.frames, []);
		}
		// In time, it runs.
		assert.equal((await crw(['exit.wasm', '6'], '', { env: envOf(quick) })).code, 6);
	} finally {
		await quick.close();
	}
});

test('stdin the program did not ask for is a protocol error: the connection ends, the run is stopped', async () => {
	// spin never reads, so no stdin is asked for at all.
	const client = rawClient(server.address, [hello(server.token), request(['spin.wasm'])]);
	await until(() => core.running() === 1);
	client.socket.write(encode({ type: 'stdin', data: new Uint8Array(1) }));
	await client.closed;
	assert.match(errorLine(client.frames), /^crw: the rw extension received 1 bytes of stdin for a read of at most 0; install the crw of the same rw version/);
	assert.equal(client.frames.filter((f) => f.type === 'exit').length, 0);
	await until(() => core.running() === 0);
	// cat asks for what its read wants; one byte more is refused the same way.
	const reader = rawClient(server.address, [hello(server.token), request(['cat.wasm'])]);
	await until(() => reader.frames.some((f) => f.type === 'readStdin'));
	const asked = reader.frames.find((f) => f.type === 'readStdin');
	const bytes = asked?.type === 'readStdin' ? asked.bytes : 0;
	assert.ok(bytes > 0 && bytes <= MAX_PAYLOAD, `asked for ${bytes}`);
	reader.socket.write(encode({ type: 'stdin', data: new Uint8Array(bytes + 1) }));
	await reader.closed;
	assert.match(errorLine(reader.frames), new RegExp(`received ${bytes + 1} bytes of stdin for a read of at most ${bytes};`));
	await until(() => core.running() === 0);
});

test('stdin sent ahead beyond the window is a protocol error: the connection ends, the run is stopped', async () => {
	const client = rawClient(server.address, [hello(server.token), request(['spin.wasm'])]);
	await until(() => core.running() === 1);
	// Within the window, unasked: taken (spin never reads it).
	client.socket.write(encode({ type: 'peek', data: new Uint8Array(PEEK_WINDOW - 1) }));
	client.socket.write(encode({ type: 'peek', data: new Uint8Array(2) }));
	await client.closed;
	assert.match(errorLine(client.frames), new RegExp(`^crw: the rw extension received ${PEEK_WINDOW + 1} bytes of stdin sent ahead, more than ${PEEK_WINDOW};`));
	await until(() => core.running() === 0);
});

test('a client gone before its program starts: createProcess is never called', async () => {
	let seen!: () => void;
	const stopSeen = new Promise<void>((r) => (seen = r));
	let called!: () => void;
	const handlerCalled = new Promise<void>((r) => (called = r));
	// The run is held before the Core is reached, as a slow read or compile holds it.
	const host = { ...crwHostDouble(core), wasi: async () => {
		await stopSeen;
		return core;
	} };
	const inner = createCrwHandler(host);
	const handler: CrwHandler = (run) => {
		called();
		void run.stopped.then(seen);
		return inner(run);
	};
	const other = await startCrwServer(handler, servingDouble());
	try {
		const before = core.created.length;
		const client = rawClient(other.address, [hello(other.token), request(['hello.wasm'])]);
		await handlerCalled;
		client.socket.destroy();
		await stopSeen;
		// What the handler still does after its client left (compile, mount) has time to end.
		await new Promise((r) => setTimeout(r, 500));
		assert.equal(core.created.length, before, 'a program was created for a client that had gone');
		assert.equal(core.running(), 0);
	} finally {
		await other.close();
	}
});
