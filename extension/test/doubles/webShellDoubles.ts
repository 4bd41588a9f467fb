// TEST DOUBLES of what the Web Shell hands a command: its terminal (stdio), its root
// file system (shell path → URI) and VS Code's file system, over a host folder.
import type { RootFileSystem, Stdio } from '@vscode/wasm-wasi/v1';
import type { Uri } from 'vscode';
import type { Tree } from '../../src/tree/place';
import type { ServeTree } from '../../src/tree/programTree';
import { readLocal, statLocal } from '../../src/localFiles';
import type { FileAccess } from '../../src/readModule';

/** Where the shell mounts the workspace folder. */
export const WORKSPACE = '/workspace';

/**
 * A terminal that records what is written, lets a test press Ctrl-C, and holds one read
 * at a time until a line is typed, as the Core's terminal does.
 */
export class TerminalDouble {
	text = '';
	private ctrlC = new Set<() => void>();
	private reading: ((line: string) => void) | undefined;

	read(): Promise<Uint8Array> {
		if (this.reading !== undefined) throw new Error('Already in readline mode');
		return new Promise((resolve) => (this.reading = (line) => resolve(new TextEncoder().encode(line))));
	}

	/** A key pressed: only Enter, which ends the line (empty here). */
	handleInput(data: string): void {
		if (data !== '\r') throw new Error(`the double knows only Enter, not ${JSON.stringify(data)}`);
		this.text += '\r\n';
		this.type('');
	}

	/** Types `line` and Enter (without the echo). */
	type(line: string): void {
		const reading = this.reading;
		this.reading = undefined;
		reading?.(`${line}\n`);
	}

	/** Whether a read waits for a line. */
	get waiting(): boolean {
		return this.reading !== undefined;
	}

	async write(content: string | Uint8Array): Promise<void> {
		const text = typeof content === 'string' ? content : new TextDecoder().decode(content);
		this.text += text;
	}

	onDidCtrlC(listener: () => void): { dispose(): void } {
		this.ctrlC.add(listener);
		return { dispose: () => this.ctrlC.delete(listener) };
	}

	/** As the Core's terminal: the listeners hear it, and a waiting read gets an empty line. */
	pressCtrlC(): void {
		for (const listener of this.ctrlC) listener();
		this.type('');
	}

	get listening(): number {
		return this.ctrlC.size;
	}

	/** The Web Shell gives one terminal as stdin, stdout and stderr. */
	asStdio(): Stdio {
		const terminal = { kind: 'terminal', terminal: this } as unknown as NonNullable<Stdio['out']>;
		return { in: terminal, out: terminal, err: terminal } as Stdio;
	}
}

/** Shell paths under /workspace map to `root`; anything else has no URI. */
export function rootFileSystemDouble(root: string): RootFileSystem {
	return {
		async toVSCode(path: string) {
			if (path !== WORKSPACE && !path.startsWith(`${WORKSPACE}/`)) {
				return undefined;
			}
			return { fsPath: root + path.slice(WORKSPACE.length) } as Uri;
		},
		async toWasm() {
			return undefined;
		},
		async stat() {
			throw new Error('not used by rw');
		},
	};
}

/** `workspace.fs` over the host disk. */
export const diskFilesDouble: FileAccess = {
	stat: (uri: Uri) => statLocal(uri.fsPath),
	read: (uri: Uri) => readLocal(uri.fsPath),
};

/**
 * TEST DOUBLE of rw's confined file system (tree/confinedFs.ts): the served URI carries
 * the tree itself, which the Core double mounts as node:wasi preopens (`/` and each
 * mount). Confinement is the real provider's, covered in the e2e.
 */
export const serveTreeDouble: ServeTree = (tree) => ({ uri: { fsPath: '', tree } as unknown as Uri, release: () => undefined });

/** The tree a URI of serveTreeDouble carries. */
export function treeOf(uri: Uri): Tree<Uri> | undefined {
	return (uri as unknown as { tree?: Tree<Uri> }).tree;
}
