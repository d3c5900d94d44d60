#!/usr/bin/env bash
# `npm run package:python`: the Python package (wheel and sdist) of the library, from its jsii
# assembly, into dist/python/.
#
# `jsii-pacmak --targets python` alone builds in a virtualenv whose build tools it pip-installs
# from PyPI at pinned versions (setuptools~=75.3.2, build~=1.5.0, twine~=7.0.0). Where PyPI is
# not reachable that step fails, so pacmak only generates the Python project here
# (--code-only) and the wheel is built with the build tools already installed (Debian:
# `apt-get install python3-build twine`), then checked with twine. With PyPI at hand,
# `npx jsii-pacmak --targets python` does the same in one step.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-/usr/bin/python3}"

if [ ! -f .jsii ]; then npm run build; fi
rm -rf dist/packages/python dist/python
npx jsii-pacmak --targets python --code-only
"$PYTHON" -m build --no-isolation --skip-dependency-check --outdir dist/python dist/packages/python
twine check dist/python/*
ls -l dist/python
