// What a crw program sees where: the cwd at `/`, each --dir at its guest path, and the
// directories above a mount point that exist only to hold it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { guestPath, place, type Layout } from '../src/crw/layout';

const layout: Layout = {
	root: '/home/me/proj',
	mounts: new Map([
		['/data', '/srv/data'],
		['/srv/x', '/opt/x'],
		['/data/inner', '/mnt/inner'],
	]),
};

test('paths outside every mount are the cwd\'s; .. stops at the program\'s /', () => {
	assert.deepEqual(place(layout, '/notes.txt'), { host: '/home/me/proj/notes.txt', mountsInside: [] });
	assert.deepEqual(place(layout, '/../../etc/passwd'), { host: '/home/me/proj/etc/passwd', mountsInside: [] });
	assert.equal(place(layout, '/database').host, '/home/me/proj/database', 'a longer name is not inside /data');
});

test('a mount and the longest one wins', () => {
	assert.equal(place(layout, '/data').host, '/srv/data');
	assert.equal(place(layout, '/data/a/b.txt').host, '/srv/data/a/b.txt');
	assert.equal(place(layout, '/data/inner/c').host, '/mnt/inner/c');
	assert.equal(place(layout, '/srv/x/y').host, '/opt/x/y');
});

test('listings show the mounts directly inside a directory', () => {
	assert.deepEqual(place(layout, '/').mountsInside, ['data', 'srv']);
	assert.deepEqual(place(layout, '/srv').mountsInside, ['x']);
	assert.deepEqual(place(layout, '/data').mountsInside, ['inner']);
	assert.deepEqual(place(layout, '/srv/x').mountsInside, []);
});

test('guest paths are normalised POSIX paths from /', () => {
	assert.equal(guestPath('data'), '/data');
	assert.equal(guestPath('../up/./x/'), '/up/x');
	assert.equal(guestPath('/a//b'), '/a/b');
});
