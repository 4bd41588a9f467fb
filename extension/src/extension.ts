// The web entry (and the shared part of the Node entry, node.ts): registers the Web
// Shell command with the real file system and the WASM WASI Core. Everything else lives
// in the modules it imports.
import { Wasm } from '@vscode/wasm-wasi/v1';
import { commands, FileSystemError, FileType, Uri, workspace, type ExtensionContext } from 'vscode';
import { loadCore } from './core';
import { ModuleCache } from './moduleCache';
import type { FileAccess } from './readModule';
import { createRwCommand } from './rwCommand';

/** Named in package.json's contributes.webShellMountPoints for /usr/bin/rw. */
const COMMAND_ID = 'rw.webshell.rw';

const workspaceFiles: FileAccess = {
	async kindOf(uri: Uri) {
		try {
			const stat = await workspace.fs.stat(uri);
			return stat.type & FileType.Directory ? 'directory' : 'file';
		} catch (error) {
			if (error instanceof FileSystemError && error.code === 'FileNotFound') {
				return 'missing';
			}
			throw error;
		}
	},
	async read(uri: Uri) {
		// A file's bytes are never in shared memory; the type only says it could be.
		return (await workspace.fs.readFile(uri)) as Uint8Array<ArrayBuffer>;
	},
};

/** In a Node extension host (desktop, code-server) `--dir` may name this machine's directories. */
function localDirectory(path: string): Uri | undefined {
	const inNode = typeof process === 'object' && typeof process.versions?.node === 'string';
	return inNode && path.startsWith('/') ? Uri.file(path) : undefined;
}

let wasi: Promise<Wasm> | undefined;
/** One per extension host: `rw x.wasm` then `crw x.wasm` compiles x.wasm once. */
const modules = new ModuleCache();

/** What both `rw` and the Node entry's `crw` run on, one of each per extension host. */
export function hostParts() {
	return {
		core: loadCore,
		modules,
		files: workspaceFiles,
		// Loaded on first use: activation stays instant, and a missing Core becomes
		// an `rw:` line when a program runs, not a failed activation.
		wasi: () => (wasi ??= Wasm.load()),
		now: () => performance.now(),
	};
}

export function activate(context: ExtensionContext): void {
	const handler = createRwCommand({ ...hostParts(), localDirectory });
	context.subscriptions.push(commands.registerCommand(COMMAND_ID, handler));
}

export function deactivate(): void {}
