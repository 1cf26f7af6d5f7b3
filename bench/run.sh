#!/usr/bin/env bash
# Benchmarks dterms against a hello-world Rust binary built with the same release profile, and
# prints a markdown table: median wall-time ratio (hyperfine if installed, else a timing loop),
# instructions (valgrind callgrind), peak RSS, and child processes started (strace).
# Usage: bench/run.sh            (apt-get install hyperfine valgrind strace for every column)
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --locked --quiet

# The baseline: a hello-world with the release profile copied from our Cargo.toml.
hello=target/bench-hello
mkdir -p "$hello/src"
printf 'fn main() {\n    println!("hello");\n}\n' > "$hello/src/main.rs"
{
  printf '[package]\nname = "hello"\nversion = "0.1.0"\nedition = "2024"\n\n[workspace]\n\n'
  sed -n '/^\[profile.release\]/,/^$/p' Cargo.toml
} > "$hello/Cargo.toml"
cargo build --release --quiet --manifest-path "$hello/Cargo.toml" --target-dir "$hello/target"

# Measure copies, as `cargo install` would place them: a binary the linker has just written
# sits differently in the page cache and starts measurably slower than a copied one, and the
# two binaries must be treated alike.
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
cp target/release/dterms "$hello/target/release/hello" "$bin/"
python3 bench/measure.py "$bin/dterms" "$bin/hello" "$@"
python3 bench/errors.py "$bin/dterms" "$bin/hello"
