// The shapes of the values the Rust core takes and returns, mirrored from
// crate/src/cli.rs (Command), crate/src/request.rs (RunRequest and its groups),
// crate/src/tree.rs (Shell, HostDir, Tree), crate/src/plan.rs (Plan) and
// crate/src/message.rs (Message, ExitLine). test/core.test.ts checks them against the
// built core.

/** What to do with a command line. */
export type Command =
	| { kind: 'exit'; code: number; stdout: string; stderr: string }
	| ({ kind: 'run' } & RunRequest);

/** A run, grouped as wasmtime groups its options (request.rs `RunRequest`). */
export interface RunRequest {
	target: Target;
	host: HostOptions;
	adapt: AdaptOptions;
	memory: MemoryFlags;
	mode: 'run' | 'explain' | 'listImportsExports';
	printElapsedTime: boolean;
}

/** The module and what the program is called with (request.rs `Target`). */
export interface Target {
	/** FILE as typed, for messages. */
	file: string;
	/** FILE made absolute against the shell's cwd (POSIX). */
	path: string;
	/** argv[0] of the program. */
	programName: string;
	/** argv[1..] of the program. */
	args: string[];
}

/** What the host lends the program (request.rs `HostOptions`). */
export interface HostOptions {
	env: Record<string, string>;
	dirs: DirMount[];
}

/** A `--dir HOST[::GUEST]` (request.rs `DirMount`). */
export interface DirMount {
	/** HOST as typed, for messages. */
	typed: string;
	/** HOST made absolute against the shell's cwd (POSIX). */
	host: string;
	/** GUEST as an absolute path, where the user gave one. */
	guest?: string;
}

/** How the module is made to link and to tell the truth (request.rs `AdaptOptions`). */
export interface AdaptOptions {
	stubUnknownImports: boolean;
	/**
	 * Which of stdin, stdout and stderr are terminals, where they may not be (crw, from
	 * its client): the core makes the program's isatty() agree. Absent in the Web Shell,
	 * whose stdio is its terminal.
	 */
	terminals?: Terminals;
}

/** What the memory flags asked for, in pages; unset fields come from the module (request.rs `MemoryFlags`). */
export interface MemoryFlags {
	initial?: number;
	maximum?: number;
	shared?: boolean;
}

/** Which of a program's stdin, stdout and stderr are terminals (request.rs `Terminals`). */
export interface Terminals {
	stdin: boolean;
	stdout: boolean;
	stderr: boolean;
}

/** Which command the user typed (request.rs `Program`). */
export type Program = 'rw' | 'crw';

/** The shell a command was typed in (tree.rs `Shell`). */
export interface Shell {
	program: Program;
	cwd: string;
	home?: string;
}

/** A host directory behind a place in the program's tree (tree.rs `HostDir`). */
export interface HostDir {
	typed: string;
	host: string;
	/** Chosen by rw, not asked for: where it does not exist, the tree goes without it. */
	implied: boolean;
}

/** What the program sees at `/` and at each mount (tree.rs `Tree`). */
export type ProgramTree =
	| { kind: 'tree'; root: HostDir; mounts: Array<{ guest: string; dir: HostDir }> }
	| ({ kind: 'refuse' } & ExitLine);

/** What to do with a module's bytes. */
export type Plan =
	| ({ kind: 'refuse' } & ExitLine)
	| { kind: 'print'; text: string }
	/**
	 * `module`: the adapted module, when rw had to rewrite it. A view of the core's
	 * memory, valid until the next call into the core: compile it at once.
	 */
	| { kind: 'run'; memory?: WebAssembly.MemoryDescriptor; module?: Uint8Array<ArrayBuffer>; watch?: Watch };

/** How to see a program that trapped where no check could (adapt/watch.rs `Watch`). */
export interface Watch {
	/** Byte address of the (first thread's) word in the program's memory; `slots` of them, `slotBytes` apart. */
	word: number;
	slots: number;
	slotBytes: number;
	/** A thread that returned. */
	done: number;
	unseen: number;
	waiting: number;
	calling: number;
	callingUnchecked: number;
	/** Gone after `firstSite + n`: the indirect call of kind `sites[n]` failed, with the element index at the next word. */
	firstSite: number;
	sites: Array<{ table?: number; ty: number }>;
	/** The type of each element of the tables known before the program runs; -1: null. */
	tables: number[][];
	/** The line for a program gone after `calling`, after `callingUnchecked`, after anything else, at a null or mistyped element. */
	stackLine: string;
	uncheckedLine: string;
	memoryLine: string;
	nullLine: string;
	typeLine: string;
	tableLine: string;
	/** The exit code that goes with the lines. */
	code: number;
	/** The buffer of the program's stdout and stderr, where it has one (outputBuffer.ts). */
	output?: OutputBuffer;
	/** The ring its reads of stdin take from, where it has one (inputRing.ts). */
	input?: InputRingSpec;
}

/** Where a program gathers its writes to stdout and stderr (crate/src/adapt/output.rs). */
export interface OutputBuffer {
	/** rw stores `enable` at `enableWord` once it drains the buffer. */
	enableWord: number;
	enable: number;
	/** The program stores `at` at `addressWord` once the buffer is made. */
	addressWord: number;
	/** The buffer's word (0, `fd << fdShift | length`, or `draining`); its bytes start `data` after it. */
	at: number;
	data: number;
	capacity: number;
	draining: number;
	fdShift: number;
	lengthMask: number;
}

/** Where a program's reads of stdin take what rw put ahead of them (crate/src/adapt/input.rs). */
export interface InputRingSpec {
	/** rw stores `enable` at `enableWord` before it first fills the ring. */
	enableWord: number;
	enable: number;
	/** The program stores `at` at `addressWord` once the ring is made. */
	addressWord: number;
	/** The header: the words `filled` and `taken` at those offsets, the ring's `size` bytes at `ring`. */
	at: number;
	filled: number;
	taken: number;
	ring: number;
	size: number;
}

/** A line for the user and the exit code that goes with it. */
export interface ExitLine {
	code: number;
	line: string;
}

/** Failures the extension meets outside the core, worded by the core. */
export type HostFailure =
	| { kind: 'notFound'; file: string; cwd: string }
	| { kind: 'isDirectory'; file: string }
	| { kind: 'unreadable'; file: string; reason: string }
	| { kind: 'notAFile'; file: string; what: 'fifo' | 'socket' | 'device' | 'other' }
	| { kind: 'tooLarge'; file: string; size: number }
	| { kind: 'compileFailed'; file: string; reason: string }
	| { kind: 'startFailed'; file: string; reason: string }
	| { kind: 'dirNotFound'; dir: string }
	| { kind: 'untrusted' }
	| { kind: 'untrustedDir'; dir: string }
	| { kind: 'protocolMismatch'; client: number; server: number; extension: string }
	| { kind: 'badFrame'; reason: string }
	| { kind: 'badToken' }
	| { kind: 'tooManyRuns'; limit: number }
	/** A bug in rw itself, said by the command the user typed. */
	| { kind: 'internal'; program: Program; reason: string };

/** crate/src/view.rs `ModuleView`: what the module view shows. */
export interface ModuleView {
	file: string;
	size: number;
	kind: 'module' | 'component' | 'invalid';
	wasi: string;
	producers: string[];
	imports: { module: string; name: string; kind: string; signature: string; mark?: { kind: 'adapt' | 'refuse'; why: string } }[];
	exports: { name: string; kind: string; signature: string }[];
	memories: { import?: string; initial: number; maximum?: number; shared: boolean; memory64: boolean }[];
	tables: { import?: string; element: string; initial: number; maximum?: number }[];
	globals: { imported: number; defined: number };
	functions: { imported: number; defined: number };
	dataSegments: number;
	sections: { name: string; offset: number; size: number }[];
	largestFunctions: { index: number; name?: string; offset: number; size: number }[];
	verdict: { kind: 'run' | 'adapted' | 'refused'; changes: string[]; refusal?: ExitLine; explain: string };
}

/** crate/wat/src/page.rs `WatPage` (the WAT printer's, watPrinter.ts), or why the module has no text. */
export type WatAnswer = { text: string; more: boolean; next: number; functions: [number, number][] } | { error: string };
