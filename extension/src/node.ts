// The Node extension host's entry (desktop, Remote, Codespaces, code-server): all that
// the web entry does, plus the crw server for the integrated terminals. The web entry
// (extension.ts) must not import Node built-ins, so this lives apart.
import { Uri, workspace, type ExtensionContext } from 'vscode';
import { loadCore } from './core';
import { activate as activateShared, hostParts } from './extension';
import { createCrwHandler } from './crw/crwRun';
import { OverlayFileSystem } from './crw/overlay';
import { startCrwServer } from './crw/server';

/** crw reads the server's address from this variable (crw/src/connect.rs SOCKET_ENV). */
const SOCKET_ENV = 'RW_CRW_SOCKET';

export async function activate(context: ExtensionContext): Promise<void> {
	activateShared(context);
	const { overlay, registration } = OverlayFileSystem.register();
	context.subscriptions.push(registration);
	const handler = createCrwHandler({ ...hostParts(), fileUri: (path) => Uri.file(path), overlay: (layout) => overlay.add(layout) });
	const server = await startCrwServer(handler, {
		refusal: () => (workspace.isTrusted ? undefined : { kind: 'untrusted' }),
		say: async (failure) => (await loadCore()).describe(failure),
		extensionVersion: context.extension.packageJSON.version as string,
	});
	context.subscriptions.push({ dispose: () => void server.close() });
	const environment = context.environmentVariableCollection;
	// The socket lives as long as this window: never restore it into a later session.
	environment.persistent = false;
	environment.description = 'Lets crw run .wasm programs through the rw extension';
	environment.replace(SOCKET_ENV, server.address);
}

export function deactivate(): void {}
