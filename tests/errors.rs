//! End to end: Docker error messages recognised in messy pastes (as an argument, on standard
//! input, with --as error), text that is not claimed, show/list/search of error entries, and
//! the docker CLI plugin protocol, called the way docker/cli calls it.

mod support;

use serde_json::Value;
use support::{Sandbox, run};

/// The ids `explain` recognises in `text` piped on standard input, in order.
fn piped(text: &str) -> (i32, Vec<String>) {
    let sandbox = Sandbox::new();
    let output = sandbox
        .dterms()
        .args(["--format", "json", "explain", "-"])
        .write_stdin(text)
        .output()
        .expect("runs");
    let code = output.status.code().expect("exits");
    if code != 0 {
        return (code, Vec::new());
    }
    let v: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let ids = v["matches"]
        .as_array()
        .expect("matches")
        .iter()
        .map(|m| m["id"].as_str().expect("id").to_owned())
        .collect();
    (code, ids)
}

#[test]
fn a_terminal_session_with_a_gpu_error_is_explained() {
    // The shape of the paste in the issue trackers: the prompt, the command, docker's pull
    // progress, the error, wrapped by the terminal and quoted in a markdown block.
    let paste = "```\n(base) user@box:~/LLaMA-Factory$ docker run -it --rm --gpus all \\\n  -p 7860:7860 hiyouga/llamafactory:latest\nUnable to find image 'hiyouga/llamafactory:latest' locally\nlatest: Pulling from hiyouga/llamafactory\nDigest: sha256:3d2f0c1b5e4a69788f7e6d5c4b3a2910f1e2d3c4b5a69788f7e6d5c4b3a29100\nStatus: Downloaded newer image for hiyouga/llamafactory:latest\ndocker: Error response from daemon: could not select device driver \"\" with\ncapabilities: [[gpu]].\nRun 'docker run --help' for more information\n```\n";
    let (code, ids) = piped(paste);
    assert_eq!(code, 0);
    assert_eq!(
        ids.first().map(String::as_str),
        Some("gpu-no-device-driver")
    );
}

#[test]
fn a_buildkit_log_with_colours_and_a_missing_file() {
    let log = "\u{1b}[1m#0 building with \"default\" instance using docker driver\u{1b}[0m\n\n#1 [internal] load build definition from Dockerfile\n#1 transferring dockerfile: 412B done\n#1 DONE 0.0s\n\n#7 [3/5] COPY requirements.txt .\n#7 ERROR: failed to calculate checksum of ref 9c1b7e: \"/requirements.txt\": not found\n------\n > [3/5] COPY requirements.txt .:\n------\nDockerfile:4\n--------------------\n   3 |     WORKDIR /app\n   4 | >>> COPY requirements.txt .\n--------------------\n\u{1b}[31mERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref 9c1b7e: \"/requirements.txt\": not found\u{1b}[0m\n";
    let (code, ids) = piped(log);
    assert_eq!(code, 0);
    assert_eq!(ids, ["build-file-not-found-in-context"]);
}

#[test]
fn a_paste_with_several_errors_lists_each_most_relevant_first() {
    let paste = "WARN[0000] /srv/app/docker-compose.yml: the attribute `version` is obsolete, it will be ignored, please remove it to avoid potential confusion\n[+] Running 2/2\n ✘ Container app-db-1  Error\nError response from daemon: driver failed programming external connectivity on endpoint app-db-1 (4b2d): Bind for 0.0.0.0:5432 failed: port is already allocated\n";
    let (code, ids) = piped(paste);
    assert_eq!(code, 0);
    assert!(
        ids.contains(&"port-already-allocated".to_owned()),
        "{ids:?}"
    );
    assert!(
        ids.contains(&"compose-version-obsolete".to_owned()),
        "{ids:?}"
    );
}

#[test]
fn a_dataloader_traceback_from_a_training_container() {
    let traceback = "Epoch 1:   3%|▎         | 12/400 [00:08<04:21,  1.48it/s]\nERROR: Unexpected bus error encountered in worker. This might be caused by insufficient shared memory (shm).\nTraceback (most recent call last):\n  File \"/opt/conda/lib/python3.11/site-packages/torch/utils/data/dataloader.py\", line 1243, in _try_get_data\n    data = self._data_queue.get(timeout=timeout)\n  File \"/opt/conda/lib/python3.11/multiprocessing/queues.py\", line 113, in get\n    if not self._poll(timeout):\nRuntimeError: DataLoader worker (pid 2391) is killed by signal: Bus error. It is possible that dataloader's workers are out of shared memory. Please try to raise your shared memory limit.\n";
    let (_, ids) = piped(traceback);
    assert_eq!(
        ids.first().map(String::as_str),
        Some("shm-dataloader-bus-error")
    );
}

#[test]
fn windows_line_endings_and_a_crlf_entrypoint() {
    let paste = "PS C:\\Users\\ana\\proj> docker compose up\r\n[+] Running 1/1\r\nAttaching to api-1\r\napi-1  | exec /app/entrypoint.sh: no such file or directory\r\napi-1 exited with code 1\r\n";
    let (_, ids) = piped(paste);
    assert_eq!(ids.first().map(String::as_str), Some("entrypoint-crlf"));
}

#[test]
fn windows_mode_missing_users_foreign_gpus_opencv_and_no_gpu_in_real_pastes() {
    // Real pastes from issue trackers (spujadas/elk-docker#215, docker.kitematic#5405,
    // Overv/openstreetmap-tile-server#87, DeepLabCut/Docker4DeepLabCut2.0#16,
    // mmartial/ComfyUI-Nvidia-Docker#61, xorbitsai/inference#3603).
    let cases = [
        (
            "Pulling from sebp/elk\nimage operating system \"linux\" cannot be used on this platform\n",
            "windows-containers-mode",
        ),
        (
            "no matching manifest for windows/amd64 10.0.18362 in the manifest list entries",
            "windows-containers-mode",
        ),
        (
            "docker: Error response from daemon: unable to find user root: no matching entries in passwd file.\nERRO[0000] error waiting for container: context canceled\n",
            "user-not-in-passwd",
        ),
        (
            "$ docker exec --user $USER -it containername /bin/bash\nunable to find user alvaro: no matching entries in passwd file\n",
            "user-not-in-passwd",
        ),
        (
            "!!! Exception during processing !!! CUDA error: no kernel image is available for execution on the device\nCUDA kernel errors might be asynchronously reported at some other API call, so the stacktrace below might be incorrect.\nFor debugging consider passing CUDA_LAUNCH_BLOCKING=1\nCompile with `TORCH_USE_CUDA_DSA` to enable device-side assertions.\n",
            "gpu-no-kernel-image",
        ),
        (
            "NVIDIA GeForce RTX 5090 with CUDA capability sm_120 is not compatible with the current PyTorch installation.\nThe current PyTorch install supports CUDA capabilities sm_50 sm_60 sm_70 sm_75 sm_80 sm_86 sm_90.\nIf you want to use the NVIDIA GeForce RTX 5090 GPU with PyTorch, please check the instructions at https://pytorch.org/get-started/locally/\n",
            "gpu-no-kernel-image",
        ),
    ];
    for (paste, id) in cases.into_iter().chain(more_real_pastes()) {
        let (code, ids) = piped(paste);
        assert_eq!(code, 0, "{paste}");
        assert_eq!(ids, [id], "{paste}");
    }
    // A Linux-only image on a daemon in Linux mode is still the platform entry.
    let (_, ids) =
        piped("docker: no matching manifest for linux/arm64/v8 in the manifest list entries.");
    assert_eq!(ids, ["no-matching-manifest"]);
    // Near misses: a passwd file listed, `docker version` on Windows, PyTorch seeing its GPU.
    let near_misses = [
        "$ docker run --rm python:3.12 cat /etc/passwd\nroot:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n",
        "Client:\n Version:           24.0.6\n OS/Arch:           windows/amd64\n\nServer: Docker Desktop 4.25.0\n Engine:\n  OS/Arch:          linux/amd64\n",
        "Found GPU0 NVIDIA GeForce RTX 5090 with CUDA capability sm_120.\ntorch.cuda.is_available(): True\n",
        "$ ldd cv2.abi3.so | grep libGL\n\tlibGL.so.1 => /lib/x86_64-linux-gnu/libGL.so.1 (0x00007f3c9a000000)\n",
    ];
    for text in near_misses {
        assert_eq!(piped(text), (1, Vec::new()), "claimed: {text}");
    }
}

/// OpenCV in a slim image (ThoughtfulDev/EagleEye#111) and an NGC image started without
/// `--gpus` (the warning as NVIDIA's entrypoint prints it).
fn more_real_pastes() -> [(&'static str, &'static str); 2] {
    [
        (
            "Traceback (most recent call last):\n  File \"eagle-eye.py\", line 13, in <module>\n    from face_recog import FaceRecog\n  File \"/EagleEye/face_recog.py\", line 1, in <module>\n    import cv2\n  File \"/usr/local/lib/python3.6/dist-packages/cv2/__init__.py\", line 5, in <module>\n    from .cv2 import *\nImportError: libGL.so.1: cannot open shared object file: No such file or directory\n",
            "opencv-libgl-missing",
        ),
        (
            "=============\n== PyTorch ==\n=============\n\nWARNING: The NVIDIA Driver was not detected.  GPU functionality will not be available.\n   Use the NVIDIA Container Toolkit to start this container with GPU support; see\n   https://docs.nvidia.com/datacenter/cloud-native/ .\n",
            "gpu-not-passed-to-container",
        ),
    ]
}

#[test]
fn text_that_is_not_a_docker_error_is_not_claimed() {
    let not_docker = [
        // A Python traceback unrelated to Docker.
        "Traceback (most recent call last):\n  File \"train.py\", line 42, in <module>\n    config = load(cfg[\"model\"])\nKeyError: 'model'\n",
        // A git error.
        "To github.com:ana/proj.git\n ! [rejected]        main -> main (fetch first)\nerror: failed to push some refs to 'github.com:ana/proj.git'\nhint: Updates were rejected because the remote contains work that you do not\nhint: have locally.\n",
        // A pip resolver error.
        "ERROR: Cannot install torch==2.3.0 and torchvision==0.20.0 because these package versions have conflicting dependencies.\n\nThe conflict is caused by:\n    The user requested torch==2.3.0\n    torchvision 0.20.0 depends on torch==2.5.0\n\nERROR: ResolutionImpossible: for help visit https://pip.pypa.io/en/latest/topics/dependency-resolution/#dealing-with-dependency-conflicts\n",
        // A plain sentence.
        "I would like to learn how containers work before the workshop next week.",
    ];
    for text in not_docker {
        let r = Sandbox::new()
            .dterms()
            .args(["explain", "--as", "error", "-"])
            .write_stdin(text)
            .output()
            .expect("runs");
        assert_eq!(r.status.code(), Some(1), "claimed: {text}");
        assert!(r.stdout.is_empty(), "{text}");
        let stderr = String::from_utf8_lossy(&r.stderr);
        assert!(stderr.starts_with("error: no Docker error"), "{stderr}");
    }
    // As an argument too, without --as.
    let r = run(["explain", "I would like to learn how containers work"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, "");
}

#[test]
fn json_has_exactly_the_documented_shape() {
    let r = run([
        "--format",
        "json",
        "explain",
        "docker: Error response from daemon: pull access denied for my-model, repository does not exist or may require 'docker login': denied: requested access to the resource is denied.",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).expect("JSON");
    let keys: Vec<&str> = v
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["input", "kind", "matches"]);
    assert_eq!(v["kind"], "error");
    let m = &v["matches"][0];
    let keys: Vec<&str> = m
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "cause", "docs", "fix", "id", "matched", "terms", "title", "variants"
        ]
    );
    assert_eq!(m["id"], "pull-access-denied");
    assert!(m["fix"].as_array().is_some_and(|f| !f.is_empty()));
    assert!(
        m["terms"]
            .as_array()
            .is_some_and(|t| t.contains(&Value::from("docker-login")))
    );
    assert!(
        m["matched"]
            .as_str()
            .is_some_and(|s| s.contains("pull access denied"))
    );
    assert!(
        m["docs"]
            .as_str()
            .is_some_and(|d| d.starts_with("https://"))
    );
}

#[test]
fn text_output_says_what_why_how_and_where() {
    let r = run(["explain", "--as", "error", "no space left on device"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for needle in [
        "disk",
        "Why:",
        "How to fix it:",
        "docker system df",
        "Docs: https://",
    ] {
        assert!(r.stdout.contains(needle), "{needle}: {}", r.stdout);
    }
}

#[test]
fn matched_text_is_sanitised_and_cut() {
    let long = format!(
        "\u{1b}]0;evil title\u{7}{} docker: Error response from daemon: No such container: \u{202e}jupyter {}",
        "x".repeat(300),
        "y".repeat(300)
    );
    let r = run(["--format", "json", "explain", &long]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).expect("JSON");
    let matched = v["matches"][0]["matched"].as_str().expect("matched");
    assert!(matched.chars().count() <= 90, "{matched}");
    assert!(
        !matched.contains('\u{1b}') && !matched.contains('\u{202e}'),
        "{matched:?}"
    );
}

#[test]
fn a_one_mebibyte_log_on_stdin_is_fine() {
    let mut log = "#9 12.3 Downloading nvidia_cudnn_cu12-9.1.0.70-py3-none-manylinux2014_x86_64.whl (664.8 MB)\n".repeat(12_000);
    log.push_str("#9 ERROR: process \"/bin/sh -c pip install -r requirements.txt\" did not complete successfully: exit code: 137\n");
    assert!(log.len() > 1024 * 1024);
    let (code, ids) = piped(&log);
    assert_eq!(code, 0);
    assert_eq!(ids.first().map(String::as_str), Some("oom-killed-137"));
}

#[test]
fn show_list_and_search_know_error_entries() {
    let r = run(["show", "registry-rate-limit"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("docker login"), "{}", r.stdout);
    let r = run(["--format", "json", "show", "exec-format-error"]);
    let v: Value = serde_json::from_str(&r.stdout).expect("JSON");
    assert_eq!(v["kind"], "error");
    assert!(v["sources"].as_array().is_some_and(|s| !s.is_empty()));

    let r = run(["list", "--errors", "--names"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.lines().count() >= 50, "{}", r.stdout);
    assert!(r.stdout.lines().any(|l| l == "gpu-no-device-driver"));

    let r = run(["search", "denied:", "requested", "access"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("push-denied\t"), "{}", r.stdout);
}

/// The plugin installed in a docker config folder of the sandbox, as docker finds it.
fn installed_plugin(sandbox: &Sandbox) -> std::path::PathBuf {
    let config = sandbox.path().join("docker-config");
    let r = Run::from(
        sandbox
            .dterms()
            .env("DOCKER_CONFIG", &config)
            .args(["install", "docker-plugin"])
            .output()
            .expect("runs"),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("\"error-hooks\""), "{}", r.stdout);
    config.join("cli-plugins").join("docker-terms")
}

use support::Run;

#[test]
fn install_dry_run_changes_nothing() {
    let sandbox = Sandbox::new();
    let config = sandbox.path().join("docker-config");
    let r = Run::from(
        sandbox
            .dterms()
            .env("DOCKER_CONFIG", &config)
            .args(["install", "docker-plugin", "--dry-run"])
            .output()
            .expect("runs"),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("would "), "{}", r.stdout);
    assert!(!config.exists());
    // Without DOCKER_CONFIG, ~/.docker.
    let r = sandbox.run(["install", "docker-plugin", "--dry-run"]);
    assert!(
        r.stdout.contains(&format!(
            "{}",
            sandbox.home().join(".docker").join("cli-plugins").display()
        )),
        "{}",
        r.stdout
    );
}

#[test]
fn docker_reads_the_plugin_metadata() {
    let sandbox = Sandbox::new();
    let plugin = installed_plugin(&sandbox);
    // cli-plugins/manager/candidate.go: exec.Command(c.path, metadata.MetadataSubcommandName)
    let r = Run::from(
        sandbox
            .command(&plugin)
            .arg("docker-cli-plugin-metadata")
            .output()
            .expect("runs"),
    );
    assert_eq!(r.code, 0);
    let v: Value = serde_json::from_str(&r.stdout).expect("JSON");
    // manager/plugin.go: SchemaVersion must be 0.1.0 (or < 2.0.0) and Vendor non-empty.
    assert_eq!(v["SchemaVersion"], "0.1.0");
    assert!(v["Vendor"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(
        v["ShortDescription"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
}

#[test]
fn docker_runs_the_plugin_with_its_global_options_first() {
    let sandbox = Sandbox::new();
    let plugin = installed_plugin(&sandbox);
    // manager/manager.go PluginRunCommand: exec.Command(plugin.Path, os.Args[1:]...) with
    // DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND set: `docker --context ctx -D terms show image`.
    let r = Run::from(
        sandbox
            .command(&plugin)
            .env("DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND", "docker")
            .args(["--context", "ctx", "-D", "terms", "show", "image"])
            .output()
            .expect("runs"),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("Image"), "{}", r.stdout);
}

#[test]
fn docker_runs_the_error_hook_after_a_failed_command() {
    let sandbox = Sandbox::new();
    let plugin = installed_plugin(&sandbox);
    // manager/plugin.go RunHook: exec.CommandContext(ctx, p.Path, p.Name,
    // metadata.HookSubcommandName, string(hDataBytes)), the JSON of hooks.Request.
    let hook = |error: &str| {
        let request = serde_json::json!({
            "RootCmd": "run",
            "Flags": {"gpus": "", "rm": "true"},
            "CommandError": error,
        });
        let r = Run::from(
            sandbox
                .command(&plugin)
                .env("DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND", "docker")
                .args(["terms", "docker-cli-plugin-hooks", &request.to_string()])
                .output()
                .expect("runs"),
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        // hooks.Response: {"Type":0,"Template":"…"}; manager/hooks.go rejects other types.
        let v: Value = serde_json::from_str(&r.stdout).expect("JSON");
        assert_eq!(v["Type"], 0);
        v["Template"].as_str().expect("template").to_owned()
    };
    let template = hook(
        "Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error running hook #0: error running hook: exit status 1, stdout: , stderr: Auto-detected mode as 'legacy'\nnvidia-container-cli: initialization error: load library failed: libnvidia-ml.so.1: cannot open shared object file: no such file or directory: unknown",
    );
    // hooks/template.go: at most 10 lines.
    assert!(template.lines().count() <= 10, "{template}");
    assert!(
        template.contains("docker terms show gpu-nvml-library-missing"),
        "{template}"
    );
    // docker's "exited with code N" (cmd/docker/docker.go cmdErrorMessage) for a container
    // that failed in general is no known error: nothing is printed.
    assert_eq!(hook("exited with code 1"), "");
    assert!(hook("exited with code 137").contains("memory"));
    // A malformed request gets a valid, empty answer.
    let r = Run::from(
        sandbox
            .command(&plugin)
            .args(["terms", "docker-cli-plugin-hooks", "{not json"])
            .output()
            .expect("runs"),
    );
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout.trim(), r#"{"Type":0,"Template":""}"#);
}
