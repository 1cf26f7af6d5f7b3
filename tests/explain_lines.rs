//! End to end: real `docker` command lines from public documentation, explained as JSON. Each
//! line names its source; the assertions are what a reader of that page needs to be told.

mod support;

use support::explained::{all_known, explain, meaning};

#[test]
fn vllm_openai_server() {
    // docs.vllm.ai, "Using Docker" (deployment/docker).
    let v = explain(
        "docker run --runtime nvidia --gpus all \\\n    -v ~/.cache/huggingface:/root/.cache/huggingface \\\n    --env \"HUGGING_FACE_HUB_TOKEN=$HF_TOKEN\" \\\n    -p 8000:8000 \\\n    --ipc=host \\\n    vllm/vllm-openai:latest \\\n    --model mistralai/Mistral-7B-v0.1",
    );
    all_known(&v);
    assert_eq!(v["subcommand"], "run");
    assert_eq!(v["image"]["input"], "vllm/vllm-openai:latest");
    assert_eq!(
        v["container_command"],
        serde_json::json!(["--model", "mistralai/Mistral-7B-v0.1"])
    );
    assert!(meaning(&v, "--runtime nvidia").contains("nvidia"));
    assert!(meaning(&v, "--ipc=host").contains("shared with the host"));
    assert!(meaning(&v, "-v ~/.cache/huggingface:/root/.cache/huggingface").contains("bind-mount"));
}

#[test]
fn ollama_with_gpus() {
    // hub.docker.com/r/ollama/ollama, "NVIDIA GPU".
    let v = explain(
        "docker run -d --gpus=all -v ollama:/root/.ollama -p 11434:11434 --name ollama ollama/ollama",
    );
    all_known(&v);
    assert!(meaning(&v, "--gpus=all").contains("every GPU"));
    assert!(meaning(&v, "-v ollama:/root/.ollama").contains("named volume 'ollama'"));
    assert_eq!(v["image"]["input"], "ollama/ollama");
    assert_eq!(v["notes"], serde_json::json!([]));
}

#[test]
fn ngc_pytorch_with_the_recommended_limits() {
    // NVIDIA NGC PyTorch container, "Running PyTorch" (catalog.ngc.nvidia.com).
    let v = explain(
        "docker run --gpus all -it --rm --ipc=host --ulimit memlock=-1 --ulimit stack=67108864 -v $PWD:/workspace nvcr.io/nvidia/pytorch:24.05-py3",
    );
    all_known(&v);
    assert!(meaning(&v, "--ulimit memlock=-1").contains("unlimited"));
    assert!(meaning(&v, "--ulimit stack=67108864").contains("64 MiB"));
    assert_eq!(v["image"]["input"], "nvcr.io/nvidia/pytorch:24.05-py3");
}

#[test]
fn triton_with_attached_port_values() {
    // github.com/triton-inference-server/server, docs/getting_started/quickstart.md.
    let v = explain(
        "docker run --gpus=1 --rm -p8000:8000 -p8001:8001 -p8002:8002 -v/full/path/to/docs/examples/model_repository:/models nvcr.io/nvidia/tritonserver:24.05-py3 tritonserver --model-repository=/models",
    );
    all_known(&v);
    assert!(meaning(&v, "--gpus=1").contains("1 of the host's GPUs"));
    assert!(meaning(&v, "-p8001:8001").contains("host port 8001"));
    assert_eq!(
        v["container_command"],
        serde_json::json!(["tritonserver", "--model-repository=/models"])
    );
}

#[test]
fn jupyter_docker_stacks_with_substitutions() {
    // jupyter-docker-stacks.readthedocs.io, "Common Features" (docker run options).
    let v = explain(
        "docker run -it --rm -p 8888:8888 --user root -e NB_UID=$(id -u) -e NB_GID=$(id -g) -e GRANT_SUDO=yes -v \"${PWD}\":/home/jovyan/work quay.io/jupyter/base-notebook",
    );
    all_known(&v);
    assert!(meaning(&v, "-e NB_UID=$(id -u)").contains("'$(id -u)'"));
    assert!(meaning(&v, "-v \"${PWD}\":/home/jovyan/work").contains("${PWD}"));
    assert_eq!(v["image"]["input"], "quay.io/jupyter/base-notebook");
    let notes = v["notes"].to_string();
    assert!(notes.contains("filled in by your shell"), "{notes}");
}

#[test]
fn hugging_face_tgi() {
    // huggingface.co/docs/text-generation-inference, "Quick Tour".
    let v = explain(
        "docker run --gpus all --shm-size 1g -p 8080:80 -v $volume:/data ghcr.io/huggingface/text-generation-inference:3.0.0 --model-id $model",
    );
    all_known(&v);
    assert!(meaning(&v, "--shm-size 1g").contains("1 GiB"));
    assert_eq!(
        v["container_command"],
        serde_json::json!(["--model-id", "$model"])
    );
}

#[test]
fn buildkit_variable_and_sudo() {
    // docs.docker.com, "BuildKit" (getting started): DOCKER_BUILDKIT=1 on older engines.
    let v = explain("sudo -E DOCKER_BUILDKIT=1 docker build -t myapp .");
    all_known(&v);
    assert_eq!(v["subcommand"], "build");
    assert!(meaning(&v, "DOCKER_BUILDKIT=1").contains("BuildKit"));
}

#[test]
fn windows_paths_from_a_powershell_tutorial() {
    // docs.docker.com, "Use bind mounts" run on Windows, with PowerShell's line continuation.
    let v = explain(
        "docker run -it `\n  -v C:\\Users\\me\\proj:/app `\n  -w /app python:3.12 python train.py",
    );
    all_known(&v);
    assert!(meaning(&v, "-v C:\\Users\\me\\proj:/app").contains("Windows path"));
    assert_eq!(
        v["container_command"],
        serde_json::json!(["python", "train.py"])
    );
}

#[test]
fn compose_lines_from_the_compose_docs() {
    // docs.docker.com/reference/cli/docker/compose/, "up" and "run" examples.
    let v = explain(
        "docker compose -f compose.yaml -f compose.prod.yaml --profile gpu up -d --build --wait --timeout 30",
    );
    all_known(&v);
    assert_eq!(v["subcommand"], "compose up");
    let v = explain("docker compose run --rm -e DEBUG=1 -p 8080:80 web python manage.py shell");
    all_known(&v);
    assert_eq!(
        v["container_command"],
        serde_json::json!(["python", "manage.py", "shell"])
    );
}

#[test]
fn a_pipeline_from_the_github_packages_docs() {
    // docs.github.com, "Working with the Container registry": log in with a token from stdin.
    let v = explain("echo $CR_PAT | docker login ghcr.io -u USERNAME --password-stdin");
    all_known(&v);
    assert_eq!(v["subcommand"], "login");
    assert!(meaning(&v, "echo $CR_PAT |").contains("piped into the docker command"));
    // docs.docker.com, "docker image save": compress on the way out.
    let v = explain("docker save myimage:latest | gzip > myimage_latest.tar.gz");
    assert_eq!(v["image"]["input"], "myimage:latest");
    assert!(meaning(&v, "| gzip > myimage_latest.tar.gz").contains("not in docker"));
}

#[test]
fn gpus_without_inner_quotes_are_a_problem() {
    // docs.docker.com, "Resource constraints", GPUs: the device list needs inner quotes.
    let v = explain("docker run --gpus device=0,1 nvidia/cuda:12.4.1-base-ubuntu22.04 nvidia-smi");
    assert!(
        v["notes"]
            .to_string()
            .contains("cannot set both Count and DeviceIDs")
    );
    let v = explain(
        "docker run --gpus '\"device=0,1\"' nvidia/cuda:12.4.1-base-ubuntu22.04 nvidia-smi",
    );
    assert!(meaning(&v, "--gpus '\"device=0,1\"'").contains("GPU(s) 0,1"));
    assert_eq!(v["notes"], serde_json::json!([]));
}
