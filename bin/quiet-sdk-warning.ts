/**
 * The AWS SDK warns, once per process, that its releases after January 2027 will need Node.js
 * 22; this machine runs Node.js 20 and the lockfile pins today's SDK (Lambda runs Node.js 24).
 * The local tools drop that one notice and print every other warning as Node.js would.
 */
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (!warning.message.includes('NodeVersionSupportWarning')) console.warn(`${warning.name}: ${warning.message}`);
});
