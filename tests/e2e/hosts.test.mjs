// lib/hosts.mjs: in each host (web worker, Node), the extension under test loads both as a VSIX and
// as a development folder. The extension is a throwaway probe that shows in the status bar which
// runtime activated it; the VSIX is zipped here (fflate), no vsce needed.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import os from 'node:os';
import path from 'node:path';
import { hosts } from './lib/hosts.mjs';
import { strToU8, zipSync } from 'fflate';

const PACKAGE = {
  name: 'probe', publisher: 'rw-e2e', version: '0.0.1', license: 'MIT',
  engines: { vscode: '^1.88.0' },
  activationEvents: ['onStartupFinished'],
  main: './extension.js', browser: './extension.js',
  extensionDependencies: ['ms-vscode.webshell'], // like rw: the upstream extensions are there
};
const EXTENSION = `
const vscode = require('vscode');
exports.activate = (context) => {
  const runtime = globalThis.process?.release?.name === 'node' ? 'node' : 'web';
  const mode = vscode.ExtensionMode[context.extensionMode];
  const item = vscode.window.createStatusBarItem('rw-e2e.probe', vscode.StatusBarAlignment.Left);
  item.text = 'rw-probe:' + runtime + ':' + mode;
  item.show();
  context.subscriptions.push(item);
};
`;

let tmp, workspace, folder, vsix;
before(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'rw-e2e-probe-'));
  workspace = path.join(tmp, 'workspace');
  folder = path.join(tmp, 'probe');
  vsix = path.join(tmp, 'probe-0.0.1.vsix');
  await fs.mkdir(workspace);
  await fs.mkdir(folder);
  await fs.writeFile(path.join(folder, 'package.json'), JSON.stringify(PACKAGE));
  await fs.writeFile(path.join(folder, 'extension.js'), EXTENSION);
  await fs.writeFile(vsix, zipSync({
    'extension/package.json': strToU8(JSON.stringify(PACKAGE)),
    'extension/extension.js': strToU8(EXTENSION),
  }));
});
after(async () => {
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

for (const h of hosts) {
  describe(`host ${h.name}: extension under test`, { skip: h.skip }, () => {
    for (const [kind, mode] of [['vsix', /^(Production|Development)$/], ['folder', /^Development$/]]) {
      test(`as a ${kind}`, async () => {
        const vscode = await h.start({ workspace, extension: kind === 'vsix' ? vsix : folder });
        try {
          assert.equal(vscode.host, h.name);
          const item = vscode.page.locator('.statusbar-item', { hasText: 'rw-probe:' });
          const [, runtime, m] = (await item.innerText({ timeout: 30_000 })).trim().split(':');
          assert.equal(runtime, h.name);
          assert.match(m, mode);
        } finally {
          await vscode.close();
        }
      });
    }
  });
}
