#!/usr/bin/env bash
# Exports the sample project and a tricky fixture in every format and checks
# them with the real consumers: spaCy (blank "en", no model download),
# Hugging Face datasets and seqeval, plus slice checks for brat, doccano,
# Label Studio and CSV. Fails when a consumer disagrees.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${SPANMARK_INTEROP_VENV:-target/interop-venv}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q --disable-pip-version-check -r tests/interop/requirements.txt
cargo build -q --bin spanmark
"$venv/bin/python" tests/interop/check.py target/debug/spanmark
