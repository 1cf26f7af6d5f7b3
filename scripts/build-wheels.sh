#!/usr/bin/env bash
# Builds dterms' Python packages into dist/ (or $1): the sdist, and a wheel of the release
# binary linked with zig against glibc 2.17, so pip takes it on any Linux from manylinux2014
# on (RHEL/CentOS 7 and 8, Ubuntu 18.04 and 20.04: common on GPU clusters) instead of
# compiling. Then it checks the wheel: its platform tag must be manylinux_2_17 or older, and
# the binary inside must ask for no glibc symbol newer than 2.17.
#
# Needs Python 3.8+ with venv and pip, a Rust toolchain, and PyPI for maturin and ziglang,
# which it installs into a virtual environment of its own (target/wheel-tools).
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-dist}
# Pinned so that a release is built the same way every time; bump them together, on purpose.
maturin_req="maturin==1.16.0"
ziglang_req="ziglang==0.17.1"
max_glibc="2.17"

tools=target/wheel-tools
if ! "$tools/bin/python" -c 'import ziglang' 2>/dev/null || ! "$tools/bin/maturin" --version >/dev/null 2>&1; then
  echo "== installing $maturin_req and $ziglang_req into $tools"
  python3 -m venv "$tools"
  "$tools/bin/python" -m pip install --quiet --disable-pip-version-check "$maturin_req" "$ziglang_req"
fi
# maturin finds zig through the ziglang package of the Python that runs it.
export PATH="$PWD/$tools/bin:$PATH"

mkdir -p "$out"
rm -f "$out"/dterms-*.whl "$out"/dterms-*.tar.gz

echo "== maturin sdist"
maturin sdist --out "$out"

echo "== maturin build (release, zig, manylinux2014)"
maturin build --release --locked --zig --compatibility manylinux2014 --out "$out"

"$tools/bin/python" - "$out" "$max_glibc" <<'PY'
"""Check every built wheel: tag no newer than the glibc limit, and the binary's symbols too."""
import os, re, subprocess, sys, tempfile, zipfile

out, limit = sys.argv[1], tuple(int(p) for p in sys.argv[2].split("."))
legacy = {"manylinux1": (2, 5), "manylinux2010": (2, 12), "manylinux2014": (2, 17)}

def glibc_of(tag):
    """The glibc version a manylinux platform tag promises to run on, or None."""
    m = re.match(r"manylinux_(\d+)_(\d+)_", tag)
    if m:
        return int(m.group(1)), int(m.group(2))
    return legacy.get(tag.split("_", 1)[0])

wheels = [f for f in os.listdir(out) if f.endswith(".whl")]
if not wheels:
    sys.exit(f"error: no wheel in {out}")
ok = True
for name in wheels:
    platforms = name[:-len(".whl")].split("-")[-1].split(".")
    versions = [v for v in map(glibc_of, platforms) if v]
    oldest = min(versions) if versions else None
    with zipfile.ZipFile(os.path.join(out, name)) as whl, tempfile.TemporaryDirectory() as tmp:
        binaries = [n for n in whl.namelist() if re.search(r"\.data/scripts/dterms$", n)]
        needed = set()
        for member in binaries:
            path = whl.extract(member, tmp)
            dyn = subprocess.run(["objdump", "-T", path], check=True, capture_output=True, text=True)
            needed |= {tuple(int(p) for p in v.split(".")) for v in re.findall(r"GLIBC_([0-9.]+)\)?\s", dyn.stdout)}
    newest = max(needed) if needed else None
    show = lambda v: ".".join(map(str, v)) if v else "none"
    size = os.path.getsize(os.path.join(out, name))
    print(f"{name}: {size / 1e6:.2f} MB, platform tags {'.'.join(platforms)}, "
          f"oldest glibc in tag {show(oldest)}, newest glibc symbol {show(newest)}")
    if not binaries:
        print(f"error: {name} holds no dterms executable"); ok = False
    if oldest is None or oldest > limit:
        print(f"error: {name} is not tagged manylinux {show(limit)} or older"); ok = False
    if newest is not None and newest > limit:
        print(f"error: the binary in {name} needs glibc {show(newest)}"); ok = False
sys.exit(0 if ok else 1)
PY
