/**
 * The AWS SDK warns, once per process, that its releases after January 2027 will need Node.js
 * 22. This machine may run Node.js 20 and the lockfile pins today's SDK (Lambda runs Node.js 24):
 * the README says so once ("Node.js versions"); the local tools and the tests do not repeat it.
 * The SDK's own switch, so every other warning is printed as Node.js would.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
