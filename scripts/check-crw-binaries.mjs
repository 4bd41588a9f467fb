// Checks that extension/bin holds a crw for each of the six desktop platforms, each of the
// right format (ELF / Mach-O / PE) and machine, so a missing or wrong cross-build fails the
// build. Runs the one this machine can run: with no socket it must say so in its one line.
//   node scripts/check-crw-binaries.mjs DIR
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// platform-arch: [format, machine] as the headers spell them.
const expected = {
	'linux-x64': ['elf', 0x3e], // EM_X86_64
	'linux-arm64': ['elf', 0xb7], // EM_AARCH64
	'darwin-x64': ['macho', 0x01000007], // CPU_TYPE_X86_64
	'darwin-arm64': ['macho', 0x0100000c], // CPU_TYPE_ARM64
	'win32-x64': ['pe', 0x8664], // IMAGE_FILE_MACHINE_AMD64
	'win32-arm64': ['pe', 0xaa64], // IMAGE_FILE_MACHINE_ARM64
};

/** [format, machine] of an executable's bytes, or undefined for none of the three. */
export function header(bytes) {
	if (bytes.length >= 20 && bytes.readUInt32BE(0) === 0x7f454c46) {
		// 64-bit little-endian, ET_EXEC or ET_DYN; e_machine at 18.
		if (bytes[4] !== 2 || bytes[5] !== 1) return ['elf', -1];
		return ['elf', bytes.readUInt16LE(18)];
	}
	if (bytes.length >= 8 && bytes.readUInt32LE(0) === 0xfeedfacf) return ['macho', bytes.readUInt32LE(4)];
	if (bytes.length >= 0x40 && bytes.toString('latin1', 0, 2) === 'MZ') {
		const pe = bytes.readUInt32LE(0x3c);
		if (bytes.length >= pe + 6 && bytes.readUInt32BE(pe) === 0x50450000) return ['pe', bytes.readUInt16LE(pe + 4)];
	}
	return undefined;
}

const dir = process.argv[2] ?? 'extension/bin';
const here = `${process.platform}-${process.arch}`;
let failed = 0;
for (const [platform, [format, machine]] of Object.entries(expected)) {
	const file = join(dir, platform, platform.startsWith('win32') ? 'crw.exe' : 'crw');
	let got;
	try {
		got = header(readFileSync(file));
	} catch (e) {
		console.error(`check-crw: ${file}: missing (${e.code}); run scripts/build-crw.sh`);
		failed++;
		continue;
	}
	if (!got || got[0] !== format || got[1] !== machine) {
		console.error(`check-crw: ${file}: is ${got ? `${got[0]} machine 0x${got[1].toString(16)}` : 'no executable'}, not ${format} machine 0x${machine.toString(16)}`);
		failed++;
		continue;
	}
	if (platform === here) {
		// Outside a VS Code terminal crw can only say so (everything else needs the extension).
		const env = { ...process.env };
		delete env.RW_CRW_SOCKET;
		const run = spawnSync(file, ['hello.wasm'], { env, encoding: 'utf8' });
		if (run.status !== 1 || !run.stderr.startsWith('crw: RW_CRW_SOCKET is not set')) {
			console.error(`check-crw: ${file}: ran with ${run.status ?? run.error}: ${run.stderr}`);
			failed++;
			continue;
		}
		console.log(`check-crw: ${platform}: ${format}, runs`);
	} else {
		console.log(`check-crw: ${platform}: ${format} 0x${machine.toString(16)}`);
	}
}
process.exit(failed ? 1 : 0);
