"""Measures explaining pasted Docker errors against a hello-world baseline (see bench/run.sh):
an error given as an argument, a terminal paste on standard input, the docker CLI error hook
as docker runs it, and a 1 MiB build log. Target: within 1.5x hello-world."""

import os
import statistics
import subprocess
import sys
import tempfile
import time

DTERMS, HELLO = sys.argv[1], sys.argv[2]
RUNS = int(os.environ.get("BENCH_RUNS", "300"))
ENV = {k: v for k, v in os.environ.items() if not k.startswith("DTERMS_") and k != "NO_COLOR"}
ENV["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="dterms-bench-")

GPU = 'docker: Error response from daemon: could not select device driver "" with capabilities: [[gpu]].'
PASTE = """$ docker run -it --rm --gpus all -p 7860:7860 hiyouga/llamafactory:latest
Unable to find image 'hiyouga/llamafactory:latest' locally
latest: Pulling from hiyouga/llamafactory
Digest: sha256:3d2f0c1b5e4a69788f7e6d5c4b3a2910f1e2d3c4b5a69788f7e6d5c4b3a29100
Status: Downloaded newer image for hiyouga/llamafactory:latest
docker: Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error running hook #0: error running hook: exit status 1, stdout: , stderr: Auto-detected mode as 'legacy'
nvidia-container-cli: initialization error: load library failed: libnvidia-ml.so.1: cannot open shared object file: no such file or directory: unknown.
"""
LOG = ("#9 12.3 Downloading nvidia_cudnn_cu12-9.1.0.70-py3-none-manylinux2014_x86_64.whl (664.8 MB)\n" * 11000
       + '#9 ERROR: process "/bin/sh -c pip install -r requirements.txt" did not complete successfully: exit code: 137\n')
HOOK = '{"RootCmd":"run","Flags":{"gpus":""},"CommandError":"Error response from daemon: could not select device driver \\"\\" with capabilities: [[gpu]]"}'

paste_file = os.path.join(ENV["XDG_CONFIG_HOME"], "paste.txt")
log_file = os.path.join(ENV["XDG_CONFIG_HOME"], "build.log")
open(paste_file, "w").write(PASTE)
open(log_file, "w").write(LOG)
hook_env = dict(ENV, DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND="docker")

# (label, argv, stdin file or None, environment)
CASES = [
    ("hello-world", [HELLO], None, ENV),
    ("dterms explain '<GPU error>'", [DTERMS, "explain", GPU], None, ENV),
    ("dterms explain - < paste (1 KB)", [DTERMS, "explain", "-"], paste_file, ENV),
    ("docker-terms terms docker-cli-plugin-hooks '<request>'",
     [DTERMS, "terms", "docker-cli-plugin-hooks", HOOK], None, hook_env),
    ("dterms explain - < build.log (1 MiB)", [DTERMS, "explain", "-"], log_file, ENV),
]


def once(argv, stdin, env):
    with open(stdin or os.devnull, "rb") as source:
        start = time.perf_counter()
        subprocess.run(argv, stdin=source, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=env, check=False)
        return time.perf_counter() - start


# Interleaved, so machine noise hits every case alike.
times = [[] for _ in CASES]
for _ in range(RUNS):
    for i, (_, argv, stdin, env) in enumerate(CASES):
        times[i].append(once(argv, stdin, env))
medians = [statistics.median(t) for t in times]
print(f"\nExplaining errors, {RUNS} interleaved runs each, stdout to /dev/null:\n")
print("| command | median wall time | ratio vs hello |")
print("|---|---|---|")
for (label, *_), wall in zip(CASES, medians):
    print(f"| `{label}` | {wall * 1e3:.2f} ms | {wall / medians[0]:.2f} |")
