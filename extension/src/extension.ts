// The web entry (and the shared part of the Node entry, node.ts): registers the Web
// Shell command with the real file system and the WASM WASI Core. Everything else lives
// in the modules it imports.
import { Wasm } from '@vscode/wasm-wasi/v1';
import { commands, FileSystemError, Uri, workspace, type ExtensionContext } from 'vscode';
import { ListingConfine, type Confine } from './tree/confine';
import { ConfinedFileSystem } from './tree/confinedFs';
import { loadCore } from './core';
import { warmUp } from './warmUp';
import { ModuleCache } from './moduleCache';
import { fileStatOf, type FileAccess } from './readModule';
import type { RunHost } from './runPipeline';
import { createRwCommand } from './rwCommand';
import { registerModuleView } from './moduleView/editor';
import { lastTimings } from './timings';

/** Named in package.json's contributes.webShellMountPoints for /usr/bin/rw. */
const COMMAND_ID = 'rw.webshell.rw';
/** Hidden (not in package.json): the last run's phase marks, for scripts/bench-output.sh. */
const TIMINGS_COMMAND_ID = 'rw.timings';

const workspaceFiles: FileAccess = {
	async stat(uri: Uri) {
		try {
			return fileStatOf(await workspace.fs.stat(uri));
		} catch (error) {
			if (error instanceof FileSystemError && error.code === 'FileNotFound') {
				return { kind: 'missing' };
			}
			throw error;
		}
	},
	async read(uri: Uri) {
		// A file's bytes are never in shared memory; the type only says it could be.
		return (await workspace.fs.readFile(uri)) as Uint8Array<ArrayBuffer>;
	},
};

let wasi: Promise<Wasm> | undefined;
/** One per extension host: `rw x.wasm` then `crw x.wasm` compiles x.wasm once. */
const modules = new ModuleCache();

/** What differs between the web and the Node extension host. */
export interface HostSpecific {
	/** A URI for a path of this machine's disk, where the extension host can reach one. */
	localDirectory: (path: string) => Uri | undefined;
	/** How a run's paths are kept inside its directories (tree/confine.ts). */
	confine: () => Confine;
	/** Names that Windows reads as drives or separators are refused in a program's paths. */
	windows: boolean;
	/** The files rw reads and looks up, given VS Code's file system (the Node host reads its own disk: localFiles.ts). */
	files: (vscodeFiles: FileAccess) => FileAccess;
}

/**
 * Registers rw's file system and the Web Shell command; returns what both `rw` and the
 * Node entry's `crw` run on, one of each per extension host.
 */
export function activateWith(context: ExtensionContext, specific: HostSpecific): RunHost {
	const { fileSystem, registration } = ConfinedFileSystem.register(specific.confine, specific.windows);
	context.subscriptions.push(registration);
	const parts: RunHost = {
		core: loadCore,
		modules,
		files: specific.files(workspaceFiles),
		// Loaded by warmUp, after activation: activation stays instant, and a missing
		// Core becomes an `rw:` line when a program runs, not a failed activation.
		wasi: () => (wasi ??= Wasm.load()),
		now: () => performance.now(),
		serveTree: fileSystem.serve.bind(fileSystem),
	};
	// The first run's fixed costs, paid now rather than by the user's first `rw`.
	void warmUp(parts);
	const handler = createRwCommand({ ...parts, localDirectory: specific.localDirectory, trusted: () => workspace.isTrusted });
	context.subscriptions.push(commands.registerCommand(COMMAND_ID, handler));
	context.subscriptions.push(commands.registerCommand(TIMINGS_COMMAND_ID, lastTimings));
	registerModuleView(context, parts);
	return parts;
}

/** The web entry: only the shell's own files, confined by listing them. */
export function activate(context: ExtensionContext): void {
	activateWith(context, { localDirectory: () => undefined, confine: () => new ListingConfine(), windows: false, files: (files) => files });
}

export function deactivate(): void {}
