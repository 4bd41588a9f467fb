// Two CommonJS bundles: `browser` (web worker host) and `main` (Node host, which adds the
// crw server and so needs Node built-ins). The core's .wasm is inlined as bytes so both
// hosts load it the same way.
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

const minify = process.argv.includes('--minify');

// The module view's page script (webview/), inlined into both bundles as text: the
// webview's Content-Security-Policy then allows exactly one script, by its nonce.
const webview = await esbuild.build({
	entryPoints: ['webview/moduleView.ts'],
	bundle: true,
	format: 'iife',
	target: 'es2022',
	platform: 'browser',
	write: false,
	minify,
	logLevel: 'warning',
});
common.define = { RW_WEBVIEW_SCRIPT: JSON.stringify(webview.outputFiles[0].text.replace(/<\/script/gi, '<\\/script')) };

// `browser`: the web worker host. Neutral platform: no Node built-in may sneak in.
await esbuild.build({
	...common,
	entryPoints: ['src/extension.ts'],
	outfile: 'out/extension.js',
	platform: 'neutral',
	mainFields: ['module', 'main'],
	external: ['vscode'],
	minify,
	sourcemap: !minify,
});

// `main`: the Node host (desktop, Remote, code-server): the same plus the crw server.
await esbuild.build({
	...common,
	entryPoints: ['src/node.ts'],
	outfile: 'out/node.js',
	platform: 'node',
	external: ['vscode'],
	minify,
	sourcemap: !minify,
});

// Unit tests: each test file bundled for Node (node --test runs the output).
if (process.argv.includes('--tests')) {
	const { readdirSync, rmSync } = await import('node:fs');
	// Emptied first: node --test runs every file there, also one whose test was deleted.
	rmSync('out/test', { recursive: true, force: true });
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
