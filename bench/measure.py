"""Measures dterms commands against a hello-world baseline, then the cost of team glossaries
of 1,000 and 10,000 generated terms; see bench/run.sh."""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

DTERMS, HELLO = sys.argv[1], sys.argv[2]
# `explain` of a docker run line with 20 options (issue #9's target: within 1.3x hello-world).
EXPLAIN_RUN = ("explain docker run -d --rm --name api --gpus all -p 8000:8000 -v hf:/root/.cache "
               "-e HF_HOME=/root/.cache --shm-size 8g --ipc host --ulimit memlock=-1 "
               "--ulimit stack=67108864 -w /app -u 1000:1000 --network host --cpus 4 -m 16g "
               "--pull missing --init --platform linux/amd64 --restart no "
               "vllm/vllm-openai:latest --model m").split()
# A 350-line compose file from real ones (the issue asks for 300 lines within 1.5x hello-world).
EXPLAIN_COMPOSE = ["explain", "bench/compose-350.yaml"]
# A 300-instruction Dockerfile of real ones (issue #10's target: within 1.5x hello-world).
EXPLAIN_DOCKERFILE = ["explain", "bench/dockerfile-300.Dockerfile"]
COMMANDS = [["show", "dockerfile"], ["list"], ["search", "tag"],
            ["search", "how", "do", "I", "use", "my", "gpu"], EXPLAIN_RUN, EXPLAIN_COMPOSE,
            EXPLAIN_DOCKERFILE]
RUNS = int(os.environ.get("BENCH_RUNS", "300"))
# Hermetic: no user glossary, no colour decisions from the caller's environment.
ENV = {k: v for k, v in os.environ.items() if not k.startswith("DTERMS_") and k != "NO_COLOR"}
ENV["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="dterms-bench-")


def medians(commands):
    """Median wall time in seconds of each command, stdout piped."""
    if shutil.which("hyperfine"):
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            subprocess.run(
                ["hyperfine", "-N", "--warmup", "20", "--runs", str(RUNS), "--output", "pipe",
                 "--export-json", out.name, "--style", "none"]
                + [" ".join(c) for c in commands],
                check=True, env=ENV, stdout=subprocess.DEVNULL)
            return [r["median"] for r in json.load(open(out.name))["results"]]
    # Fallback: interleave the commands so machine noise hits them alike.
    times = [[] for _ in commands]
    for _ in range(RUNS):
        for i, command in enumerate(commands):
            start = time.perf_counter()
            subprocess.run(command, stdout=subprocess.PIPE, env=ENV, check=False)
            times[i].append(time.perf_counter() - start)
    return [statistics.median(t) for t in times]


def instructions(command):
    if not shutil.which("valgrind"):
        return None
    run = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + command,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=ENV)
    found = re.search(r"Collected : (\d+)", run.stderr)
    return int(found.group(1)) if found else None


def peak_rss_kib(command):
    """Peak RSS in KiB, from GNU time (a fork of Python itself would count Python's memory)."""
    if not os.path.exists("/usr/bin/time"):
        return None
    run = subprocess.run(["/usr/bin/time", "-f", "%M"] + command, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True, env=ENV, check=False)
    return int(run.stderr.strip().splitlines()[-1])


def mib(kib):
    return "?" if kib is None else f"{kib / 1024:.1f} MiB"


def children(command):
    if not shutil.which("strace"):
        return None
    with tempfile.NamedTemporaryFile(mode="r") as log:
        subprocess.run(["strace", "-f", "-qq", "-e", "trace=fork,vfork,clone,clone3,execve",
                        "-o", log.name] + command, stdout=subprocess.DEVNULL, env=ENV, check=False)
        calls = [line for line in log if re.search(r"\b(fork|vfork|clone3?|execve)\(", line)]
    return len(calls) - 1  # the first execve is the command itself


hello = [HELLO]
commands = [[DTERMS] + c for c in COMMANDS]
walls = medians([hello] + commands)
base_instructions = instructions(hello)
print(f"runs per command: {RUNS}; baseline hello-world median "
      f"{walls[0] * 1e3:.3f} ms, {base_instructions or '?'} instructions, "
      f"{mib(peak_rss_kib(hello))} peak RSS\n")
print("| command (piped) | wall ratio vs hello | instructions | peak RSS | child processes |")
print("|---|---|---|---|---|")
for command, wall in zip(commands, walls[1:]):
    n = instructions(command)
    print(f"| `dterms {' '.join(command[1:])}` | {wall / walls[0]:.2f} | "
          f"{'?' if n is None else f'{n / 1e6:.2f} M'} | {mib(peak_rss_kib(command))} | "
          f"{children(command)} |")


def team_glossary(count):
    """A generated glossary file of `count` terms, each linking a built-in term and its neighbour."""
    path = os.path.join(ENV["XDG_CONFIG_HOME"], f"team-{count}.yaml")
    with open(path, "w") as out:
        for i in range(count):
            neighbour = f"team-term-{(i + 1) % count}"
            out.write(f"""- id: team-term-{i}
  name: Team term {i}
  aliases: [tt{i}]
  category: ml
  summary: Generated term number {i} of a team glossary, for the benchmark.
  body: |
    Term {i} is stored in a [[volume]] and shipped as an [[image]]; see also
    [[{neighbour}]]. It exists so that loading a big team glossary can be timed.
  examples:
    - command: docker run --rm team/tool:{i}
      note: run tool {i}
  related: [container, {neighbour}]
  docs: https://docs.docker.com/
""")
    return path


print("\nTeam glossaries (generated), stdout piped:\n")
print("| command | median wall time | ratio vs hello |")
print("|---|---|---|")
team_commands = [[DTERMS, "show", "dockerfile"]]
# Team glossary files are capped at 4 MiB (about 7,000 of these terms).
for count in (1000, 5000):
    path = team_glossary(count)
    team_commands.append([DTERMS, "--glossary", path, "show", "dockerfile"])
    team_commands.append([DTERMS, "--glossary", path, "show", "team-term-7"])
    team_commands.append([DTERMS, "--glossary", path, "search", "tag"])
walls = medians([hello] + team_commands)
for command, wall in zip(team_commands, walls[1:]):
    shown = " ".join(os.path.basename(w) if w.endswith(".yaml") else w for w in command[1:])
    print(f"| `dterms {shown}` | {wall * 1e3:.2f} ms | {wall / walls[0]:.2f} |")
