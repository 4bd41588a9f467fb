// A Web Shell for the handler's tests: the built core, our fixture programs in a temp
// workspace, and TEST DOUBLES of the WASI Core (node:wasi in a worker), the terminal
// and the file systems.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Uri } from 'vscode';
import { loadCore } from '../src/core';
import { createRwCommand } from '../src/rwCommand';
import { createWasiCoreDouble, type WasiCoreDouble } from './doubles/wasiCoreDouble';
import { diskFilesDouble, rootFileSystemDouble, serveTreeDouble, TerminalDouble, WORKSPACE } from './doubles/webShellDoubles';
import { FIXTURES } from './fixtures';
import { ModuleCache } from '../src/moduleCache';

/** What the adapter fixtures expect in the first preopened directory. */
export const DATA_TXT = 'hello, adapter\n';

/** A workspace folder holding every fixture, a sub folder and data.txt, as the shell's /workspace. */
function workspace(): string {
	const root = mkdtempSync(join(tmpdir(), 'rw-ws-'));
	for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.wasm'))) {
		copyFileSync(join(FIXTURES, file), join(root, file));
	}
	mkdirSync(join(root, 'sub'));
	writeFileSync(join(root, 'sub', 'note.txt'), 'hi\n');
	writeFileSync(join(root, 'data.txt'), DATA_TXT);
	return root;
}

/** This machine's directories, as a Node extension host reaches them. */
export function localDirectoryDouble(path: string): Uri | undefined {
	return path.startsWith('/') ? ({ fsPath: path } as Uri) : undefined;
}

export interface Shell {
	/** Types a line as the Web Shell would pass it: split on single spaces. */
	rw(line: string, cwd?: string): Promise<number>;
	terminal: TerminalDouble;
	wasi: WasiCoreDouble;
	root: string;
}

export function shell(stdinText = '', { trusted = true } = {}): Shell {
	const root = workspace();
	const terminal = new TerminalDouble();
	const wasi = createWasiCoreDouble({ stdinText });
	const handler = createRwCommand({
		core: loadCore,
		files: diskFilesDouble,
		wasi: async () => wasi,
		now: () => performance.now(),
		localDirectory: localDirectoryDouble,
		serveTree: serveTreeDouble,
		trusted: () => trusted,
		modules: new ModuleCache(),
	});
	const rw = (line: string, cwd = WORKSPACE) => {
		const words = line.split(' ').filter((w) => w.length > 0);
		return handler('rw', words, cwd, terminal.asStdio(), rootFileSystemDouble(root));
	};
	return { rw, terminal, wasi, root };
}

export async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('timed out waiting');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}
