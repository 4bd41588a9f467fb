// Where a run's time goes, for scripts/bench-output.sh (issue 14, goal 3): the moment
// each phase of the run pipeline ends, in ms since rw got the command. Off until the
// hidden command `rw.timings` is first executed (the benchmark's rig does, through the
// Web Shell); off, a mark is a call that does nothing. On, each finished run's marks
// replace the last run's, which the same command returns.

/** The phases of runPipeline.ts and prepare.ts, in the order a run passes them. */
export type Phase =
	| 'core' // the core loaded and instantiated (only the first run of a window waits)
	| 'parsed' // the command line parsed (the core's first call: what V8 compiles lazily)
	| 'read' // the module file read
	| 'keyed' // the module hashed for the cache
	| 'planned' // preflight: the plan, with the adapted module (a cache miss only)
	| 'compiled' // the module compiled (a cache miss only)
	| 'mounted' // the program's tree served
	| 'wasi' // the WASM WASI Core loaded (Wasm.load)
	| 'started' // createProcess done, run() called
	| 'ran' // run() settled: the program ended
	| 'done'; // rw's own last words written: the shell gets the exit code

/** A phase's end in ms since the run began; `start` is 0. */
export type Marks = Partial<Record<Phase | 'start', number>>;

export interface RunTimings {
	/** `phase` ended now, or at `at` (a time of the same clock). */
	mark(phase: Phase, at?: number): void;
	/** The run is over: its marks become the last run's. */
	finish(): void;
}

const OFF: RunTimings = { mark: () => undefined, finish: () => undefined };

let recording = false;
let last: Marks | undefined;

/** The timings of one run, on the clock `now` (the host's). */
export function runTimings(now: () => number): RunTimings {
	if (!recording) {
		return OFF;
	}
	const start = now();
	const marks: Marks = { start: 0 };
	return {
		mark: (phase, at = now()) => {
			marks[phase] = at - start;
		},
		finish: () => {
			last = marks;
		},
	};
}

/** The hidden command `rw.timings`: turns the marks on, and gives the last finished run's. */
export function lastTimings(): Marks | undefined {
	recording = true;
	return last;
}
