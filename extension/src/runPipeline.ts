// One command, `rw …` in the Web Shell or `crw …` in a terminal, from its command line to
// its exit code, in one direction: parse it, print an exit, read the module, prepare it
// (cache, plan, compile), mount the program's tree (looked up meanwhile), run it, print
// the elapsed time.
// Every outcome is an exit code and at most one line worded by the core; nothing is
// thrown into the host, and Ctrl-C ends any phase. What differs between the two hosts
// (where files are, the program's stdio, where our own words go) is the Invocation each
// builds: rwCommand.ts, crw/crwRun.ts.
import type { Stdio } from '@vscode/wasm-wasi/v1';
import type { Core } from './core';
import type { Command, ExitLine, RunRequest, Shell } from './coreTypes';
import type { ModuleCache, Prepared } from './moduleCache';
import { prepare } from './prepare';
import { printFailure, type Printer } from './printer';
import { readModule, reasonOf, type FileAccess, type FindModule } from './readModule';
import { EXIT_INTERRUPTED, runProcess, type ProcessFactory, type RunResult } from './runProcess';
import { runTimings, type RunTimings } from './timings';
import { mountProgramTree, type Locate, type ServeTree } from './tree/programTree';

/** What every run of one extension host shares, rw's and crw's alike (tests pass doubles). */
export interface RunHost {
	core: () => Promise<Core>;
	files: FileAccess;
	wasi: () => Promise<ProcessFactory>;
	now: () => number;
	/** Serves the program's tree through rw's confined file system (tree/confinedFs.ts). */
	serveTree: ServeTree;
	/** Compiled modules, one cache per extension host: `rw x.wasm` then `crw x.wasm` compiles once. */
	modules: ModuleCache;
}

/** One command as the host it was typed in hands it over. */
export interface Invocation {
	/** The shell it was typed in: the core draws the program's tree from it, and its program speaks. */
	shell: Shell;
	/** The command line, parsed by the core. */
	parse(core: Core): Command;
	/** Where the module file is. */
	findModule: FindModule;
	/** Where each directory of the program's tree is, or why it may not be lent. */
	locate: Locate;
	/** The stdio the WASM WASI Core runs the program with: made for one run, disposed after it. */
	programStdio(): { stdio: Stdio; dispose(): void };
	/** Where our own words go. */
	print: Printer;
	/** Ctrl-C; for crw also its client gone. */
	stopped: Promise<void>;
}

/** message.rs EXIT_FAILURE: what the core says of an internal error. */
const EXIT_FAILURE = 1;

/** Runs the command; resolves to its exit code and never throws. */
export async function runCommand(host: RunHost, call: Invocation): Promise<number> {
	// Off unless the benchmark asked for them (timings.ts).
	const timings = runTimings(host.now);
	try {
		const core = await host.core();
		timings.mark('core');
		// Ctrl-C frees the prompt in any phase, even one that never settles.
		const interrupted = call.stopped.then(() => EXIT_INTERRUPTED);
		return await Promise.race([run(host, core, call, timings), interrupted]);
	} catch (error) {
		return internalError(host, call, error);
	} finally {
		timings.mark('done');
		timings.finish();
	}
}

async function run(host: RunHost, core: Core, call: Invocation, timings: RunTimings): Promise<number> {
	const { print } = call;
	const command = call.parse(core);
	timings.mark('parsed');
	if (command.kind === 'exit') {
		await print.out(command.stdout);
		await print.err(command.stderr && `${command.stderr}\n`);
		return command.code;
	}
	// The program's tree does not depend on the module: its look-ups (round trips to the
	// file system, as the module's read is) run while the module is read and prepared.
	// What either says is still said in the pipeline's order: the module's first.
	const mounting = mountProgramTree(core, command, call.shell, call.locate, host.files, host.serveTree);
	// Handled where it is awaited, below; not an unhandled rejection while the module is read.
	mounting.catch(() => undefined);
	let prepared: Prepared | number;
	try {
		prepared = await readAndPrepare(host, core, call, command, timings);
	} catch (error) {
		releaseUnused(mounting);
		throw error;
	}
	if (typeof prepared === 'number') {
		releaseUnused(mounting);
		return prepared;
	}
	const tree = await mounting;
	timings.mark('mounted');
	if ('refusal' in tree) {
		await print.err(`${tree.refusal.line}\n`);
		return tree.refusal.code;
	}
	if ('failure' in tree) {
		return printFailure(core, print, tree.failure);
	}
	let result: RunResult;
	const stdio = call.programStdio();
	try {
		const wasi = await host.wasi();
		timings.mark('wasi');
		result = await runProcess(
			wasi,
			{
				request: command,
				module: prepared.module,
				memory: prepared.memory,
				watch: prepared.watch,
				stdio: stdio.stdio,
				fileSystem: tree,
				ctrlC: call.stopped,
			},
			host.now,
		);
		const ran = host.now();
		timings.mark('started', ran - result.elapsedMs);
		timings.mark('ran', ran);
	} catch (error) {
		return printFailure(core, print, { kind: 'startFailed', file: command.target.file, reason: reasonOf(error) });
	} finally {
		stdio.dispose();
		tree.release();
	}
	if (result.trapped !== undefined) {
		await print.err(`${result.trapped}\n`);
	}
	if (command.printElapsedTime) {
		// The prior art's format: the milliseconds of run(), alone on a line.
		await print.out(`${Math.round(result.elapsedMs)}\n`);
	}
	return result.code;
}

/** The compiled module and its memory; or the exit code after saying why there is none. */
async function readAndPrepare(
	host: RunHost,
	core: Core,
	call: Invocation,
	command: RunRequest,
	timings: RunTimings,
): Promise<Prepared | number> {
	const read = await readModule(command.target, call.shell.cwd, call.findModule, host.files);
	timings.mark('read');
	if ('failure' in read) {
		return printFailure(core, call.print, read.failure);
	}
	return prepare(core, host.modules, command, read.bytes, call.print, timings);
}

/** A tree mounted for a run that ends before it starts; a mount that failed has nothing to release. */
function releaseUnused(mounting: ReturnType<typeof mountProgramTree>): void {
	void mounting.then(
		(tree) => {
			if ('release' in tree) tree.release();
		},
		() => undefined,
	);
}

/** A throw anywhere above is a bug in rw: the core's line for it, by the command the user typed. */
async function internalError(host: RunHost, call: Invocation, error: unknown): Promise<number> {
	const program = call.shell.program;
	const reason = reasonOf(error);
	let said: ExitLine;
	try {
		said = (await host.core()).describe({ kind: 'internal', program, reason });
	} catch {
		// The core itself is what broke (it did not load, or cannot word even this), so it
		// has no line to give: the reason alone, after the name of the command speaking,
		// is still one line where the user sees it rather than nothing at all.
		said = { code: EXIT_FAILURE, line: `${program}: ${reason}` };
	}
	await call.print.err(`${said.line}\n`).catch(() => undefined);
	return said.code;
}
