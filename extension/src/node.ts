// The Node extension host's entry (desktop, Remote, Codespaces, code-server): all that
// the web entry does, plus the crw server for the integrated terminals. The web entry
// (extension.ts) must not import Node built-ins, so this lives apart.
import { chmod, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, sep } from 'node:path';
import { Uri, workspace, type ExtensionContext } from 'vscode';
import { loadCore } from './core';
import { activateWith } from './extension';
import { createCrwHandler } from './crw/crwRun';
import { localFirst } from './localFiles';
import { startCrwServer } from './crw/server';
import { DiskConfine } from './tree/diskConfine';
import { RUNNER_VARS, terminalEnv } from './crw/terminalEnv';

/** crw reads the server's address from this variable (crw/src/connect.rs SOCKET_ENV). */
const SOCKET_ENV = 'RW_CRW_SOCKET';
/** ...and the token it sends first from this one (crw/src/connect.rs TOKEN_ENV). */
const TOKEN_ENV = 'RW_CRW_TOKEN';

export async function activate(context: ExtensionContext): Promise<void> {
	const parts = activateWith(context, {
		// `--dir` may name this machine's directories, by absolute path.
		localDirectory: (path) => (path.startsWith('/') ? Uri.file(path) : undefined),
		confine: () => new DiskConfine(),
		windows: process.platform === 'win32',
		// The module FILE of rw and crw alike, on this machine: a FIFO, socket or device is
		// named, never read.
		files: localFirst,
	});
	const handler = createCrwHandler({ ...parts, fileUri: (path) => Uri.file(path), home: homedir() });
	const server = await startCrwServer(handler, {
		refusal: () => (workspace.isTrusted ? undefined : { kind: 'untrusted' }),
		say: async (failure) => (await loadCore()).describe(failure),
		extensionVersion: context.extension.packageJSON.version as string,
	});
	context.subscriptions.push({ dispose: () => void server.close() });
	const environment = context.environmentVariableCollection;
	// The socket lives as long as this window: never restore it into a later session.
	environment.persistent = false;
	// VS Code shows this on a terminal opened before rw started (its tab's warning), with
	// a relaunch action: the one line that says how to get crw there.
	environment.description = 'Puts crw on PATH to run .wasm programs through rw; relaunch a terminal opened before rw started to get it';
	environment.replace(SOCKET_ENV, server.address);
	// As VS Code's git extension pairs its IPC handle with a random token.
	environment.replace(TOKEN_ENV, server.token);
	await putCrwInTerminals(context);
	context.subscriptions.push(
		workspace.onDidChangeConfiguration((e) => {
			if (e.affectsConfiguration('rw.cargoRunner')) void putCrwInTerminals(context);
		}),
	);
}

/** The VSIX's crw first on the terminals' PATH, and cargo's WASI runner (crw/terminalEnv.ts). */
async function putCrwInTerminals(context: ExtensionContext): Promise<void> {
	const cargoHome = process.env.CARGO_HOME ?? join(homedir(), '.cargo');
	const candidates = [
		...(workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => join(f.uri.fsPath, '.cargo')),
		cargoHome,
	].flatMap((dir) => [join(dir, 'config.toml'), join(dir, 'config')]);
	const cargoConfigs = (await Promise.all(candidates.map((file) => readFile(file, 'utf8').catch(() => '')))).filter((t) => t);
	const env = terminalEnv({
		platform: process.platform,
		arch: process.arch,
		extensionPath: context.extensionPath,
		sep,
		env: process.env,
		cargoConfigs,
		cargoRunner: workspace.getConfiguration('rw').get<boolean>('cargoRunner', true),
	});
	const environment = context.environmentVariableCollection;
	for (const name of Object.values(RUNNER_VARS)) environment.delete(name);
	if (!env.binDir || !env.crw) return;
	// A VSIX may lose the executable bit on the way (it is a zip); give it back once.
	if (process.platform !== 'win32') await chmod(env.crw, 0o755).catch(() => undefined);
	environment.prepend('PATH', env.binDir + (process.platform === 'win32' ? ';' : ':'));
	for (const [name, value] of env.replace) environment.replace(name, value);
}

export function deactivate(): void {}
