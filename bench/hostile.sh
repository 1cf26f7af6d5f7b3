#!/usr/bin/env bash
# Hostile inputs at the largest size each reader accepts, and at half that size, timed under
# GNU time: prints a markdown table (case, size, exit, wall s, cpu s = user + system, peak RSS
# MiB) for the README. On a shared machine wall time includes waiting for a CPU; cpu s does not.
# Targets: every case under 1 s and 64 MiB; half size at least half the time and memory.
#
#   bench/hostile.sh            build the release binary, then measure
#   DTERMS=path bench/hostile.sh   measure that binary
#
# Each run is limited to 20 s and 2 GiB of address space, so a regression shows as a row, not
# as a machine out of memory. Needs bash, python3 and GNU time (apt-get install time).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -x /usr/bin/time ]]; then
  echo "bench/hostile.sh needs GNU time: apt-get install time" >&2
  exit 2
fi
if [[ -z "${DTERMS:-}" ]]; then
  cargo build --release --locked --quiet
  DTERMS=target/release/dterms
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home" "$work/config"

# Generates every case at two scales: 1 (the largest accepted size) and 0.5.
python3 - "$work" <<'EOF'
import os, sys
work = sys.argv[1]
MIB = 1024 * 1024
GLOSSARY_CAP = 4 * MIB          # src/load.rs MAX_FILE_BYTES
NODES = 250_000                 # src/yaml_budget.rs GLOSSARY.max_nodes
ALIAS_BYTES = MIB               # GLOSSARY.max_alias_bytes
DEPTH = 32                      # GLOSSARY.max_depth
DOCKERFILE_CAP = MIB            # src/explain/mod.rs MAX_DOCKERFILE_BYTES
DOCKERFILE_INSTRUCTIONS = 10_000  # src/explain/dockerfile/parse.rs MAX_INSTRUCTIONS
ARG_CAP = 120 * 1024            # one argv word: the kernel allows 128 KiB

def write(name, scale, data):
    path = os.path.join(work, f"{name}@{scale}")
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())

def fill(unit, size):
    return unit * max(1, size // len(unit))

def term(i, body="It is stored in a [[volume]] and shipped as an [[image]]."):
    return (f"- id: team-term-{i}\n  name: Team term {i}\n  aliases: [tt{i}]\n  category: ml\n"
            f"  summary: Generated term number {i}, for the benchmark.\n  body: |\n    {body}\n"
            f"  examples:\n    - command: docker run --rm team/tool:{i}\n      note: run tool {i}\n"
            f"  related: [container]\n  docs: https://docs.docker.com/\n")

for scale in (1, 0.5):
    cap = int(GLOSSARY_CAP * scale)
    nodes = int(NODES * scale) - 10
    # A valid glossary of small terms up to the node limit, and one of big terms up to the cap.
    per_term_nodes = 37         # as src/yaml_budget.rs counts them (a key counts twice)
    write("glossary-terms", scale, "".join(term(i) for i in range(nodes // per_term_nodes)))
    big_body = "word " * 2000
    n = (cap - 4096) // len(term(0, big_body))
    write("glossary-big-terms", scale, "".join(term(i, big_body) for i in range(n)))
    # Every term wrong: check finds the first 500 problems.
    write("glossary-problems", scale, "- id: a\n  nme: x\n" * min(cap // 18, nodes // 7))
    # Aliases: a fan of 10,000 aliases (the most allowed) of an anchor sized to the expansion cap.
    count = int(10_000 * scale)
    anchor = "x" * (ALIAS_BYTES // 10_000 - 12)
    write("yaml-alias-fan", scale, f"a: &a [{anchor}]\nl: [{', '.join(['*a'] * count)}]\n")
    # One large string aliased: expansion at the cap.
    size = int(ALIAS_BYTES * scale) // 4 - 16
    write("yaml-alias-string", scale, f"s: &s {'y' * size}\nl: [*s, *s, *s]\n")
    # Nesting at the depth limit, repeated up to the node limit.
    # (name, one item at the depth limit, its nodes)
    for name, unit, unit_nodes in (
            ("yaml-nest-square", "[" * (DEPTH - 1) + "x" + "]" * (DEPTH - 1) + "\n", DEPTH + 1),
            ("yaml-nest-curly", "{a: " * (DEPTH - 1) + "x" + "}" * (DEPTH - 1) + "\n", 2 * DEPTH)):
        write(name, scale, ("- " + unit) * min(nodes // unit_nodes, cap // (len(unit) + 2)))
    block = "".join(" " * i + f"k{i}:\n" for i in range(DEPTH - 1))
    block_unit = "".join(" " + l for l in block.splitlines(True))
    units = min(nodes // (2 * DEPTH), cap // (len(block_unit) + 8))
    write("yaml-nest-block", scale, "".join(f"r{j}:\n" + block_unit for j in range(units)))
    # One long line, and many short ones.
    write("glossary-long-line", scale, "- id: " + "x" * (cap - 10) + "\n")
    write("glossary-short-lines", scale, fill("#\n", cap))
    write("glossary-items", scale, "- a\n" * (nodes // 2))
    # Dockerfiles up to their cap.
    dcap = int(DOCKERFILE_CAP * scale)
    write("dockerfile-long-line", scale, "FROM alpine\nRUN echo " + "x" * (dcap - 30) + "\n")
    write("dockerfile-short-lines", scale, "FROM alpine\n" + fill("#\n", dcap - 12))
    # Many instructions: up to the instruction cap (the byte cap comes later for these).
    icap = int(DOCKERFILE_INSTRUCTIONS * scale)
    write("dockerfile-many-from", scale, "FROM a\n" * icap)
    chain = "FROM alpine AS s0\n" + "".join(
        f"FROM s{i-1} AS s{i}\nCOPY --from=s{i-1} /a /a\n" for i in range(1, (icap - 1) // 2 + 1))
    write("dockerfile-stage-chain", scale, chain)
    write("dockerfile-copy", scale, "FROM python\n" + "COPY . .\n" * (icap - 1))
    arg = "ARG A0=xxxxxxxxxxxxxxxx\n" + "".join(f"ARG A{i}=${{A{i-1}}}${{A{i-1}}}\n" for i in range(1, int(40 * scale)))
    write("dockerfile-arg-doubling", scale, arg + f"FROM alpine\nRUN echo ${{A{int(40 * scale) - 1}}}\n")
    # Command-line words (read from a file by the shell below).
    write("command-flags", scale, "-" + "i" * int(ARG_CAP * scale))
    write("image-reference", scale, "a" * int(100_000 * scale))
EOF
mkfifo "$work/fifo.yaml"

# case|command (FILE is the generated file; ARG is its content as one word)
cases=(
  "glossary-terms|--glossary FILE show team-term-7"
  "glossary-big-terms|--glossary FILE show team-term-7"
  "glossary-problems|check FILE"
  "glossary-long-line|check FILE"
  "glossary-short-lines|--glossary FILE show image"
  "glossary-items|--glossary FILE show image"
  "yaml-alias-fan|--glossary FILE show image"
  "yaml-alias-string|--glossary FILE show image"
  "yaml-nest-square|--glossary FILE show image"
  "yaml-nest-curly|--glossary FILE show image"
  "yaml-nest-block|--glossary FILE show image"
  "dockerfile-long-line|explain FILE"
  "dockerfile-short-lines|explain FILE"
  "dockerfile-many-from|explain FILE"
  "dockerfile-stage-chain|explain FILE"
  "dockerfile-copy|explain FILE"
  "dockerfile-arg-doubling|explain FILE"
  "command-flags|explain docker run ARG alpine"
  "image-reference|explain ARG"
)

measure() { # label size args... → one table row
  local label=$1 size=$2
  shift 2
  local report="$work/time.txt" code
  set +e
  (
    ulimit -v 2097152
    HOME="$work/home" XDG_CONFIG_HOME="$work/config" timeout 20 \
      /usr/bin/time -v -o "$report" "$DTERMS" "$@" >/dev/null 2>&1 </dev/null
  )
  code=$?
  set -e
  local wall rss cpu
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {if (NR) printf "%.2f", s}' "$report" 2>/dev/null)
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$report" 2>/dev/null | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$report" 2>/dev/null)
  case $code in
    124) code="timeout (20 s)" ;;
    134 | 137) code="killed ($code)" ;;
  esac
  printf '| %s | %s | %s | %s | %s | %s |\n' "$label" "$size" "$code" "${wall:-?}" "${cpu:-?}" "${rss:-?}"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| case | size | exit | wall s | cpu s | peak RSS MiB |"
echo "|---|---|---|---|---|---|"
for entry in "${cases[@]}"; do
  name=${entry%%|*}
  command=${entry#*|}
  for scale in 1 0.5; do
    file="$work/$name@$scale"
    size=$(stat -c %s "$file")
    args=()
    for word in $command; do
      case $word in
        FILE) args+=("$file") ;;
        ARG) args+=("$(cat "$file")") ;;
        *) args+=("$word") ;;
      esac
    done
    measure "$name" "$size" "${args[@]}"
  done
done
measure "glossary-fifo" 0 --glossary "$work/fifo.yaml" show image
