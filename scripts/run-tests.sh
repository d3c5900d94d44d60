#!/usr/bin/env bash
# `npm test`'s Jest step: the end-to-end suites (one local stack, one test file at a time) run
# beside the other suites (unit, construct, local emulators, consumer) in a second Jest process.
# The e2e suites spend much of their time waiting on the stack, so the two share the machine's
# cores well: the whole run takes the time of the e2e suites, not of everything in a row.
# Arguments go to both (a path that one of them does not hold runs nothing there).
set -uo pipefail
cd "$(dirname "$0")/.."
npx jest --selectProjects unit construct local consumer --passWithNoTests "$@" &
others=$!
npx jest --selectProjects e2e --passWithNoTests "$@"
e2e=$?
wait "$others"
rest=$?
if [ "$e2e" -ne 0 ] || [ "$rest" -ne 0 ]; then exit 1; fi
