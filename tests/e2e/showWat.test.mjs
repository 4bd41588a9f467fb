// Show as WAT from the Explorer, rw installed from its VSIX, in both extension hosts: the
// module's text comes from the WAT printer, a wasm of its own that ships beside the
// bundles (extension/src/watPrinter.ts) and is read from the extension's folder the first
// time text is asked for, through VS Code's file system in the web worker and in Node.
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hosts } from './lib/hosts.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const VERSION = JSON.parse(await fs.readFile(path.join(REPO, 'extension/package.json'), 'utf8')).version;
const VSIX = path.join(REPO, `rw-${VERSION}.vsix`);
const HELLO = path.join(REPO, 'tests/fixtures/wasm/hello.wasm');

/** The Explorer's row for `name`. */
function explorerRow(page, name) {
  return page.locator('.explorer-folders-view .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${name.replace('.', '\\.')}$`) }) }).first();
}

for (const host of hosts) {
  describe(`Show as WAT in the ${host.name} extension host`, { skip: host.skip }, () => {
    let workspace, vscode;

    before(async () => {
      for (const [what, file] of [['the VSIX', VSIX], ['the fixtures', HELLO]]) {
        if (!existsSync(file)) throw new Error(`${what} is not built (${file}); run scripts/build.sh and scripts/build-fixtures.sh first`);
      }
      workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'rw-e2e-wat-'));
      await fs.copyFile(HELLO, path.join(workspace, 'hello.wasm'));
      vscode = await host.start({ workspace, extension: VSIX });
    });

    after(async () => {
      await vscode?.close();
      if (workspace) await fs.rm(workspace, { recursive: true, force: true });
    });

    test("the Explorer's Show as WAT opens the module as text", async () => {
      const { page } = vscode;
      const row = explorerRow(page, 'hello.wasm');
      if (!(await row.isVisible())) await page.keyboard.press('Control+Shift+E');
      await row.waitFor({ timeout: 60_000 });
      // The editor draws only the lines in view: the first is the module's.
      const lines = page.locator('.monaco-editor .view-lines', { hasText: '(module' }).first();
      const item = page.locator('.monaco-menu .action-label', { hasText: /^Show as WAT$/ });
      // While the workbench is still settling, a context menu may close before it is used:
      // open it again, a few times.
      for (let attempt = 1; ; attempt++) {
        try {
          await row.click({ button: 'right' });
          // A click can land while the menu still ignores the mouse (it drops the mouse-up
          // of the right-click that opened it): pick the item by the keyboard instead.
          await item.hover({ timeout: 10_000 });
          await page.keyboard.press('Enter');
          await lines.waitFor({ timeout: 30_000 });
          break;
        } catch (error) {
          if (attempt === 3) throw error;
          await page.keyboard.press('Escape');
        }
      }
      assert.doesNotMatch(await lines.innerText(), /;; rw:/, 'no line saying the text could not be printed');
      await page.locator('.tab', { hasText: 'hello.wasm.wat' }).first().waitFor({ timeout: 10_000 });
    });
  });
}
