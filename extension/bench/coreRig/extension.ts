// The benchmark's rig (scripts/bench-output.sh; never shipped): the WASM WASI Core's own
// terminal path, which issue 14 measures rw against. `corerun [--trace] [--memory MIN:MAX]
// FILE ARGS…` in the Web Shell runs FILE as a consumer of the Core would: read it, compile
// it, createProcess with the shell's own terminal as stdio and the shell's file system,
// trace off (on with `--trace`, as the prior art ran it), run. None of rw's code.
// `--memory` gives a module that imports a (shared) memory the limits it declares, which
// the Core needs to be told. `rwtimings` prints, as JSON, rw's marks of its last run (its
// hidden command `rw.timings`, which also turns them on) and corerun's own.
import { Wasm, type RootFileSystem, type Stdio } from '@vscode/wasm-wasi/v1';
import { commands, workspace, type ExtensionContext } from 'vscode';

type Marks = Record<string, number>;

let wasm: Promise<Wasm> | undefined;
let lastCoreRun: Marks | undefined;

async function say(stdio: Stdio, text: string): Promise<void> {
	if (stdio.err?.kind === 'terminal') await stdio.err.terminal.write(text);
}

async function corerun(_command: string, args: string[], cwd: string, stdio: Stdio, rootFileSystem: RootFileSystem): Promise<number> {
	const start = performance.now();
	const marks: Marks = { start: 0 };
	const mark = (phase: string) => (marks[phase] = performance.now() - start);
	let memory: WebAssembly.MemoryDescriptor | undefined;
	// The Core's trace on (every WASI call logged), as the prior art ran it.
	const trace = args[0] === '--trace';
	if (trace) args = args.slice(1);
	if (args[0] === '--memory') {
		const [initial, maximum] = args[1].split(':').map(Number);
		memory = { initial, maximum, shared: true };
		args = args.slice(2);
	}
	const [file, ...programArgs] = args;
	if (file === undefined) {
		await say(stdio, 'usage: corerun [--trace] [--memory MIN:MAX] FILE ARGS...\n');
		return 2;
	}
	const wasi = await (wasm ??= Wasm.load());
	mark('wasi');
	const uri = await rootFileSystem.toVSCode(file.startsWith('/') ? file : `${cwd}/${file}`);
	if (uri === undefined) {
		await say(stdio, `corerun: ${file}: not found\n`);
		return 127;
	}
	// A file's bytes are never in shared memory; the type only says they could be.
	const bytes = (await workspace.fs.readFile(uri)) as Uint8Array<ArrayBuffer>;
	mark('read');
	const module = await WebAssembly.compile(bytes);
	mark('compiled');
	const options = { stdio, args: programArgs, rootFileSystem, trace };
	const process = memory === undefined
		? await wasi.createProcess(file, module, options)
		: await wasi.createProcess(file, module, memory, options);
	mark('started');
	const code = await process.run();
	mark('ran');
	lastCoreRun = marks;
	return code;
}

async function rwtimings(_command: string, _args: string[], _cwd: string, stdio: Stdio): Promise<number> {
	const rw = await commands.executeCommand<Marks | undefined>('rw.timings').then(
		(marks) => marks ?? null,
		() => 'no rw.timings command (rw missing, or a build before it)',
	);
	if (stdio.out?.kind === 'terminal') await stdio.out.terminal.write(`${JSON.stringify({ rw, corerun: lastCoreRun ?? null })}\n`);
	return 0;
}

export function activate(context: ExtensionContext): void {
	context.subscriptions.push(
		commands.registerCommand('rw-bench.corerun', corerun),
		commands.registerCommand('rw-bench.rwtimings', rwtimings),
	);
}
