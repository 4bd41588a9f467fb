// One CommonJS bundle serves as both `main` (Node extension host) and `browser` (web
// worker host). The core's .wasm is inlined as bytes so both hosts load it the same way.
import * as esbuild from 'esbuild';

const common = {
	bundle: true,
	format: 'cjs',
	target: 'es2022',
	loader: { '.wasm': 'binary' },
	// The wasm-bindgen glue's async loader uses import.meta.url; we call initSync only.
	logOverride: { 'empty-import-meta': 'silent' },
	logLevel: 'warning',
};

await esbuild.build({
	...common,
	entryPoints: ['src/extension.ts'],
	outfile: 'out/extension.js',
	// Neutral platform: no Node built-ins may sneak into the browser host.
	platform: 'neutral',
	mainFields: ['module', 'main'],
	external: ['vscode'],
	minify: process.argv.includes('--minify'),
	sourcemap: !process.argv.includes('--minify'),
});

// Unit tests: each test file bundled for Node (node --test runs the output).
if (process.argv.includes('--tests')) {
	const { readdirSync } = await import('node:fs');
	await esbuild.build({
		...common,
		entryPoints: readdirSync('test').filter((f) => f.endsWith('.test.ts')).map((f) => `test/${f}`),
		outdir: 'out/test',
		outExtension: { '.js': '.cjs' },
		platform: 'node',
		external: ['vscode'],
		sourcemap: 'inline',
	});
}
