// A program run from the module view, the Explorer or a `rw` task: a pseudoterminal that
// runs it through the same pipeline as `rw` in the Web Shell (runPipeline.ts), so it works
// in both hosts and its exit code is the task's. The module's folder (its workspace
// folder, else its directory) is the shell's /workspace, as in the Web Shell.
import { EventEmitter, Uri, workspace, type Pseudoterminal } from 'vscode';
import { OutputPipe } from '../outputPipe';
import { StdinPipe } from '../crw/pipes';
import { runCommand, type RunHost } from '../runPipeline';
import { pathBelow, wordsOf } from './args';
import type { Readable, Stdio, Writable } from '@vscode/wasm-wasi/v1';

/** What to run: the fields of a `rw` task (package.json taskDefinitions). */
export interface RunSpec {
	file: Uri;
	args: string[];
	env: Record<string, string>;
	/** `--dir` values, as in the Web Shell: `HOST[::GUEST]`, HOST relative to the module's folder. */
	dirs: string[];
}

const ROOT = '/workspace';

/** The folder that is /workspace for this file. */
export function rootOf(file: Uri): Uri {
	return workspace.getWorkspaceFolder(file)?.uri ?? Uri.joinPath(file, '..');
}

/**
 * A terminal that runs the program. A task's closes when the program ends, `onDidClose`
 * carrying its exit code (the task's); with `keepOpen` (Run, the Explorer item) it stays until
 * a key is pressed, or the output of a program that ends at once would vanish with it (VS Code
 * even calls a non-zero exit within its first half second a failure to launch).
 */
export function runTerminal(host: RunHost, spec: RunSpec, { keepOpen = false } = {}): Pseudoterminal {
	const write = new EventEmitter<string>();
	const close = new EventEmitter<number | undefined>();
	const root = rootOf(spec.file);
	const relative = pathBelow(root.path, spec.file.path);
	const toUri = (path: string): Uri | undefined =>
		path === ROOT ? root : path.startsWith(`${ROOT}/`) ? Uri.joinPath(root, path.slice(ROOT.length + 1)) : undefined;
	let stop!: () => void;
	const stopped = new Promise<void>((resolve) => (stop = resolve));
	const decoder = new TextDecoder();
	const show = (text: string) => write.fire(text.replace(/\r?\n/g, '\r\n'));
	const out = new OutputPipe(async (data) => show(decoder.decode(data, { stream: true })));
	const stdin = new StdinPipe(() => {}, 1 << 16);
	const encoder = new TextEncoder();
	let exitCode: number | undefined;
	return {
		onDidWrite: write.event,
		onDidClose: close.event,
		open: () => {
			void runCommand(host, {
				shell: { program: 'rw', cwd: ROOT },
				parse: (core) => core.parseCommandLine(wordsOf({ ...spec, file: relative }), ROOT),
				findModule: async (target) => toUri(target.path),
				locate: async (dir) => toUri(dir.host),
				programStdio: () => ({
					stdio: {
						in: { kind: 'pipeIn', pipe: stdin as unknown as Writable },
						out: { kind: 'pipeOut', pipe: out as unknown as Readable },
						err: { kind: 'pipeOut', pipe: out as unknown as Readable },
					} satisfies Stdio,
					dispose: () => {},
				}),
				print: { out: async (text) => show(text), err: async (text) => show(text) },
				stopped,
			}).then((code) => {
				exitCode = code;
				show(`\n[rw: ${relative} exited with ${code}]${keepOpen ? ' Press any key to close the terminal.' : ''}\n`);
				if (!keepOpen) close.fire(code);
			});
		},
		handleInput: (data) => {
			if (exitCode !== undefined) {
				// No code: it was shown, and VS Code would add a notification for a non-zero one.
				close.fire(undefined);
			} else if (data === '\x03') {
				show('^C\n');
				stop();
			} else if (data === '\x04') {
				stdin.end();
			} else {
				show(data.replace(/\r/g, '\n'));
				stdin.push(encoder.encode(data.replace(/\r/g, '\n')));
			}
		},
		close: () => stop(),
	};
}
