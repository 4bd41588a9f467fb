// What rw puts in the environment of the window's integrated terminals, beside the socket:
// the folder of the crw that shipped in the VSIX for this machine, first on PATH, and crw as
// cargo's runner for the two WASI targets, so `cargo run`/`cargo test --target wasm32-wasip1`
// run through rw. Pure: node.ts gathers the inputs and applies the answer.

/** cargo reads a target's runner from this variable (CARGO_TARGET_<TRIPLE>_RUNNER). */
export const RUNNER_VARS = {
	'wasm32-wasip1': 'CARGO_TARGET_WASM32_WASIP1_RUNNER',
	'wasm32-wasip1-threads': 'CARGO_TARGET_WASM32_WASIP1_THREADS_RUNNER',
} as const;

export interface TerminalEnvInput {
	/** process.platform and process.arch: scripts/build-crw.sh names extension/bin's folders so. */
	platform: string;
	arch: string;
	/** the extension's folder, with `sep` the host's path separator */
	extensionPath: string;
	sep: string;
	/** the extension host's environment, which terminals inherit */
	env: Record<string, string | undefined>;
	/** the text of each cargo config that applies (workspace folders' .cargo/config.toml, cargo home's) */
	cargoConfigs: string[];
	/** the setting rw.cargoRunner */
	cargoRunner: boolean;
}

export interface TerminalEnv {
	/** prepend this folder to PATH; undefined when no crw shipped for this platform */
	binDir?: string;
	/** the crw to run */
	crw?: string;
	/** variables to set: cargo's runners the user has not set */
	replace: [string, string][];
}

const SHIPPED = new Set(['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64', 'win32-arm64']);

export function terminalEnv(input: TerminalEnvInput): TerminalEnv {
	const platform = `${input.platform}-${input.arch}`;
	if (!SHIPPED.has(platform)) return { replace: [] };
	const binDir = [input.extensionPath, 'bin', platform].join(input.sep);
	const crw = binDir + input.sep + (input.platform === 'win32' ? 'crw.exe' : 'crw');
	const replace: [string, string][] = [];
	if (input.cargoRunner) {
		// cargo splits a runner on whitespace: a path with a space in it would be cut in two,
		// so then the runner is the bare name, found first on the PATH rw prepends.
		const runner = /\s/.test(crw) ? 'crw' : crw;
		for (const [target, name] of Object.entries(RUNNER_VARS)) {
			if (input.env[name] !== undefined) continue; // the user's own runner wins
			if (input.cargoConfigs.some((text) => hasRunner(text, target))) continue;
			replace.push([name, runner]);
		}
	}
	return { binDir, crw, replace };
}

/**
 * Whether a cargo config (TOML) sets a runner for `target`: `runner = …` in a
 * `[target.TARGET]` table, or a dotted `target.TARGET.runner = …` key. Not a full TOML
 * parser: a config that says it in some other way is taken as none, and crw then runs.
 */
export function hasRunner(text: string, target: string): boolean {
	const quoted = `(?:${escape(target)}|"${escape(target)}"|'${escape(target)}')`;
	let table = '';
	for (const raw of text.split(/\r?\n/)) {
		const line = raw.replace(/#.*$/, '').trim();
		const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
		if (header) {
			table = header[1];
			continue;
		}
		const key = /^([^=]+?)\s*=/.exec(line)?.[1];
		if (key === undefined) continue;
		const path = table ? `${table}.${key}` : key;
		if (new RegExp(`^target\\s*\\.\\s*${quoted}\\s*\\.\\s*runner$`).test(path)) return true;
	}
	return false;
}

function escape(s: string): string {
	return s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}
