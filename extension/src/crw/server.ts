// Where crw finds us: a local socket only this user can reach (a 0700 directory of a
// random name holding a 0600 socket, under $XDG_RUNTIME_DIR when set, else the tmp dir;
// on Windows a named pipe of a random name), never a TCP port; and the token a client
// must send before anything runs, which only the environment of this window's terminals
// carries. Each connection is one program run; up to MAX_RUNS may run at once.
import { randomBytes, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunSlots, serveConnection, type CrwHandler, type Serving } from './connection';

/** Runs at once; the next client is told so in one line. */
export const MAX_RUNS = 32;
/** How long a client has from connecting to its request. */
export const REQUEST_TIMEOUT_MS = 10_000;

export interface CrwServer {
	/** The socket path (or pipe name) crw connects to. */
	address: string;
	/** What crw must send first (64 hex digits: 32 random bytes). */
	token: string;
	close(): Promise<void>;
}

/** Limits other than the defaults, for tests. */
export interface CrwServerOptions {
	maxRuns?: number;
	requestTimeoutMs?: number;
}

export async function startCrwServer(handler: CrwHandler, serving: Serving, options: CrwServerOptions = {}): Promise<CrwServer> {
	// Windows: libuv creates the pipe without PIPE_REJECT_REMOTE_CLIENTS, and Node can neither
	// set that flag nor tell who connected, so a remote client able to open the pipe is not
	// refused by the pipe itself: the token is what keeps it (and any other user) out. crw
	// connects to pipes of this machine only (\\.\pipe\…, crw/src/connect.rs), so the token
	// never goes to another machine.
	const windows = process.platform === 'win32';
	const dir = windows ? undefined : await socketDir();
	const address = dir === undefined ? `\\\\.\\pipe\\rw-crw-${randomUUID()}` : path.join(dir, 'socket');
	const token = randomBytes(32).toString('hex');
	const guard = {
		token,
		requestTimeoutMs: options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
		runs: new RunSlots(options.maxRuns ?? MAX_RUNS),
	};
	const sockets = new Set<net.Socket>();
	const server = net.createServer((socket) => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
		serveConnection(socket, handler, serving, guard);
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(address, () => resolve());
	});
	if (dir !== undefined) {
		await fs.chmod(address, 0o600);
	}
	return {
		address,
		token,
		async close() {
			// Closing a client's socket stops its program: no orphans on deactivate.
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
			if (dir !== undefined) await fs.rm(dir, { recursive: true, force: true });
		},
	};
}

/**
 * A new directory only we can enter (mkdtemp makes it 0700; crw refuses a socket in any
 * other), in $XDG_RUNTIME_DIR (the user's own, 0700, emptied at logout) when it is set and
 * usable, else in the tmp dir.
 */
async function socketDir(): Promise<string> {
	const runtime = process.env.XDG_RUNTIME_DIR;
	if (runtime !== undefined && path.isAbsolute(runtime)) {
		try {
			return await fs.mkdtemp(path.join(runtime, 'rw-crw-'));
		} catch {
			// Not there or not ours to write: the tmp dir.
		}
	}
	return fs.mkdtemp(path.join(os.tmpdir(), 'rw-crw-'));
}
