// Paths of the fixture programs built by scripts/build-fixtures.sh.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** tests/fixtures/wasm at the repository root (tests run from extension/). */
export const FIXTURES = resolve(process.cwd(), '../tests/fixtures/wasm');

export function fixture(name: string): Uint8Array<ArrayBuffer> {
	const path = join(FIXTURES, `${name}.wasm`);
	if (!existsSync(path)) {
		throw new Error(`${path} is missing; build the fixtures first: scripts/build-fixtures.sh`);
	}
	return new Uint8Array(readFileSync(path));
}
