// @ts-check
'use strict';
/**
 * The one place that kills what the harness started: every process group registered here is
 * SIGKILLed when the test process exits, however it exits (normal end, exception, SIGINT/TERM/HUP).
 * A test process killed with SIGKILL runs no hooks; n8n.js adds a watchdog for that case.
 */

const os = require('node:os');

/** Process-group leaders started by the harness and still running. @type {Set<number>} */
const live = new Set();
/** Extra work to do at exit, after the kill (e.g. removing temp folders). @type {((code: number) => void)[]} */
const atExit = [];
let hooksInstalled = false;

function killAll() {
	for (const pid of live) {
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			/* gone */
		}
		try {
			process.kill(pid, 'SIGKILL');
		} catch {
			/* gone */
		}
	}
	live.clear();
}

function installExitHooks() {
	if (hooksInstalled) return;
	hooksInstalled = true;
	process.on('exit', (code) => {
		killAll();
		for (const fn of atExit) {
			try {
				fn(code);
			} catch {
				/* exiting anyway */
			}
		}
	});
	for (const sig of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
		process.once(sig, () => {
			killAll();
			process.exit(128 + (os.constants.signals[sig] || 1));
		});
	}
}

/** Kill this process group when the test process exits. @param {number} pid */
function reapOnExit(pid) {
	installExitHooks();
	live.add(pid);
}

/** The process ended by itself: nothing left to kill. @param {number} pid */
function forget(pid) {
	live.delete(pid);
}

/** Run `fn(exitCode)` when the test process exits, after the kill. @param {(code: number) => void} fn */
function onExit(fn) {
	installExitHooks();
	atExit.push(fn);
}

module.exports = { reapOnExit, forget, onExit };
