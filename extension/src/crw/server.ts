// Where crw finds us: a local socket only this user can reach (a 0700 directory of a
// random name holding a 0600 socket; on Windows a named pipe of a random name), never a
// TCP port. Each connection is one program run; many may run at once.
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { serveConnection, type CrwHandler, type Serving } from './connection';

export interface CrwServer {
	/** The socket path (or pipe name) crw connects to. */
	address: string;
	close(): Promise<void>;
}

export async function startCrwServer(handler: CrwHandler, serving: Serving): Promise<CrwServer> {
	const windows = process.platform === 'win32';
	// mkdtemp creates the directory with mode 0700.
	const dir = windows ? undefined : await fs.mkdtemp(path.join(os.tmpdir(), 'rw-crw-'));
	const address = dir === undefined ? `\\\\.\\pipe\\rw-crw-${randomUUID()}` : path.join(dir, 'socket');
	const sockets = new Set<net.Socket>();
	const server = net.createServer((socket) => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
		serveConnection(socket, handler, serving);
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
		async close() {
			// Closing a client's socket stops its program: no orphans on deactivate.
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
			if (dir !== undefined) await fs.rm(dir, { recursive: true, force: true });
		},
	};
}
