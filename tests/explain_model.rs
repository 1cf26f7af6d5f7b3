//! End to end: `docker model` (Docker Model Runner) lines from Docker's own documentation,
//! explained as JSON. Each line names its source; the assertions are what a data scientist who
//! pasted it needs to be told: every word explained, option values read, the model named as a
//! model (not as a container image), and what dterms does not know kept local.

mod support;

use serde_json::{Value, json};
use support::Sandbox;
use support::explained::{self, explain, meaning, part, parts};

fn terms(v: &Value, text: &str) -> Vec<String> {
    part(v, text)["terms"]
        .as_array()
        .expect("terms")
        .iter()
        .map(|t| t.as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Every word is explained: nothing unknown, no unread placeholder, and the parts' texts put
/// together give back every word of the line.
fn all_known(v: &Value, words: &[&str]) {
    explained::all_known(v);
    let texts: Vec<&str> = parts(v)
        .iter()
        .map(|p| p["text"].as_str().unwrap_or_default())
        .collect();
    let joined = texts.join(" ");
    for w in words {
        assert!(joined.contains(w), "{w} is not explained: {texts:?}");
    }
}

#[test]
fn a_one_time_prompt() {
    // docs.docker.com/reference/cli/docker/model/run/ ("One-time prompt"), generated from
    // github.com/docker/model-runner cmd/cli/docs/reference/model_run.md.
    let v = explain(r#"docker model run ai/smollm2 "Hi""#);
    all_known(&v, &["docker", "model run", "ai/smollm2", "Hi"]);
    assert_eq!(v["subcommand"], "model run");
    // A model, not a container image: no image reading, no container command.
    assert_eq!(v["image"], Value::Null);
    assert_eq!(v["container_command"], json!([]));
    assert_eq!(v["model"]["input"], "ai/smollm2");
    assert_eq!(v["model"]["normalized"], "docker.io/ai/smollm2:latest");
    assert_eq!(v["model"]["source"], "docker-ai");
    let model = meaning(&v, "ai/smollm2");
    assert!(model.starts_with("The model to run"), "{model}");
    assert!(model.contains("ai namespace on Docker Hub"), "{model}");
    assert!(terms(&v, "ai/smollm2").contains(&"model-runner".to_owned()));
    assert!(meaning(&v, "\"Hi\"").starts_with("The prompt"));
    assert!(
        v["notes"]
            .as_array()
            .expect("notes")
            .iter()
            .any(|n| n.as_str().unwrap_or_default().contains("OCI artifact")),
        "{v:#}"
    );
}

#[test]
fn interactive_chat_and_preloading() {
    // docs.docker.com/reference/cli/docker/model/run/ ("Interactive chat", "Pre-load a model").
    let v = explain("docker model run ai/smollm2");
    all_known(&v, &["ai/smollm2"]);
    assert!(
        v["notes"]
            .as_array()
            .expect("notes")
            .iter()
            .any(|n| n.as_str().unwrap_or_default().contains("interactive chat")),
        "{v:#}"
    );
    let v = explain("docker model run --detach ai/smollm2");
    all_known(&v, &["--detach", "ai/smollm2"]);
    assert!(meaning(&v, "--detach").contains("load the model into memory"));
    assert_eq!(v["model"]["input"], "ai/smollm2");
    // The same with the short letter, after the model, as cobra allows.
    let v = explain("docker model run ai/smollm2 -d");
    assert!(meaning(&v, "-d").contains("load the model into memory"));
    assert_eq!(v["model"]["input"], "ai/smollm2");
}

#[test]
fn pulling_from_docker_hub_and_hugging_face() {
    // docs.docker.com/ai/model-runner/get-started/ ("Pull a model").
    let v = explain("docker model pull ai/smollm2:360M-Q4_K_M");
    all_known(&v, &["model pull", "ai/smollm2:360M-Q4_K_M"]);
    assert_eq!(v["model"]["tag"], "360M-Q4_K_M");
    assert!(meaning(&v, "ai/smollm2:360M-Q4_K_M").contains("size and quantization"));

    let v = explain("docker model pull hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF");
    all_known(&v, &["hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF"]);
    assert_eq!(v["model"]["source"], "hugging-face");
    assert_eq!(v["model"]["registry"], "huggingface.co");
    // The Model Runner lowercases the name, as its normalizeModelName does.
    assert_eq!(
        v["model"]["repository"],
        "bartowski/llama-3.2-1b-instruct-gguf"
    );
    let model = meaning(&v, "hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF");
    assert!(model.starts_with("The model to download"), "{model}");
    assert!(model.contains("Hugging Face"), "{model}");
    assert!(model.contains("Q4_K_M"), "{model}");

    // github.com/docker/model-runner cmd/cli/docs/reference/model_pull.md (quantization tag).
    let v = explain("docker model pull hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_S");
    assert!(
        meaning(&v, "hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_S")
            .contains("the tag Q4_K_S picks which quantization")
    );

    // docs.docker.com/ai/model-runner/inference-engines/ (Diffusers): no namespace means ai/.
    let v = explain("docker model pull stable-diffusion:Q4");
    assert_eq!(v["model"]["normalized"], "docker.io/ai/stable-diffusion:Q4");
    assert!(meaning(&v, "stable-diffusion:Q4").contains("adds ai/"));
}

#[test]
fn tag_push_and_package_to_publish() {
    // docs.docker.com/ai/model-runner/get-started/ ("Publish a model").
    let v = explain("docker model tag ai/smollm2 myorg/smollm2");
    all_known(&v, &["model tag", "ai/smollm2", "myorg/smollm2"]);
    assert!(meaning(&v, "ai/smollm2").starts_with("The model to tag"));
    let target = meaning(&v, "myorg/smollm2");
    assert!(target.starts_with("The new name"), "{target}");
    assert!(target.contains("organisation myorg"), "{target}");

    let v = explain("docker model push myorg/smollm2");
    all_known(&v, &["model push", "myorg/smollm2"]);
    assert!(meaning(&v, "myorg/smollm2").starts_with("The model to upload"));
    assert_eq!(v["model"]["source"], "docker-hub");

    let v = explain(
        r#"docker model package --gguf "$(pwd)/model.gguf" --push myorg/mistral-7b-v0.1:Q4_K_M"#,
    );
    all_known(&v, &["--gguf", "--push", "myorg/mistral-7b-v0.1:Q4_K_M"]);
    let gguf = parts(&v)
        .iter()
        .find(|p| p["text"].as_str().unwrap_or_default().starts_with("--gguf"))
        .expect("--gguf part");
    assert_eq!(gguf["value"], "$(pwd)/model.gguf");
    assert!(
        gguf["meaning"]
            .as_str()
            .unwrap_or_default()
            .contains("GGUF file")
    );
    assert!(meaning(&v, "--push").contains("Push the packaged model"));
    assert_eq!(v["model"]["input"], "myorg/mistral-7b-v0.1:Q4_K_M");
}

#[test]
fn configure_reads_the_context_size_and_the_engine_flags() {
    // docs.docker.com/ai/model-runner/configuration/ ("Configure context size", "Using
    // Command Line", "Reset configuration", "vLLM parameters").
    let v = explain("docker model configure --context-size 8192 ai/qwen2.5-coder");
    all_known(
        &v,
        &["model configure", "--context-size 8192", "ai/qwen2.5-coder"],
    );
    let size = parts(&v)
        .iter()
        .find(|p| p["text"] == "--context-size 8192")
        .expect("part");
    assert_eq!(size["value"], "8192");
    assert!(
        size["meaning"]
            .as_str()
            .unwrap_or_default()
            .contains("to 8192")
    );

    let v = explain("docker model configure ai/qwen2.5-coder -- --temp 0.7 --top-p 0.9");
    all_known(&v, &["ai/qwen2.5-coder", "--temp 0.7 --top-p 0.9"]);
    assert!(meaning(&v, "--temp 0.7 --top-p 0.9").contains("inference engine"));
    // In the order written: the model, the `--`, the engine's flags.
    let texts: Vec<&str> = parts(&v)
        .iter()
        .map(|p| p["text"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        texts[texts.len() - 3..],
        ["ai/qwen2.5-coder", "--", "--temp 0.7 --top-p 0.9"]
    );
    assert_eq!(v["model"]["input"], "ai/qwen2.5-coder");

    let v = explain("docker model configure --context-size -1 ai/qwen2.5-coder");
    assert!(meaning(&v, "--context-size -1").contains("-1 goes back to the default"));
    assert_eq!(v["model"]["input"], "ai/qwen2.5-coder");

    let v =
        explain(r#"docker model configure --hf_overrides '{"max_model_len": 8192}' ai/model-vllm"#);
    all_known(&v, &["--hf_overrides", "ai/model-vllm"]);
    assert_eq!(v["model"]["input"], "ai/model-vllm");
}

#[test]
fn installing_the_runner_on_docker_engine() {
    // docs.docker.com/ai/model-runner/inference-engines/ ("Setting up vLLM", "Setting up
    // Diffusers") and get-started/ ("Update DMR in Docker Engine").
    let v = explain("docker model install-runner --backend vllm --gpu cuda");
    all_known(
        &v,
        &["model install-runner", "--backend vllm", "--gpu cuda"],
    );
    assert!(meaning(&v, "--gpu cuda").contains("NVIDIA"));
    assert!(meaning(&v, "--backend vllm").contains("vLLM"));
    assert_eq!(v["notes"], json!([]));

    let v = explain("docker model reinstall-runner --backend diffusers --gpu cuda");
    all_known(&v, &["model reinstall-runner", "--backend diffusers"]);
    assert!(meaning(&v, "--backend diffusers").contains("image-generation"));

    let v = explain("docker model uninstall-runner --images && docker model install-runner");
    assert!(meaning(&v, "--images").contains("images"));
    assert_eq!(v["subcommand"], "model uninstall-runner");

    // A GPU kind the docs mention but the plugin refuses ("unknown GPU specification").
    let v = explain("docker model install-runner --gpu vulkan");
    assert!(
        v["notes"][0]
            .as_str()
            .unwrap_or_default()
            .contains("not one of the values"),
        "{v:#}"
    );
}

#[test]
fn the_other_commands_of_the_reference() {
    // github.com/docker/model-runner cmd/cli/docs/reference/*.md: aliases and plain commands.
    for (line, command) in [
        ("docker model ls", "model list"),
        ("docker model list --json", "model list"),
        ("docker model ps", "model ps"),
        ("docker model df", "model df"),
        ("docker model status", "model status"),
        ("docker model version", "model version"),
        ("docker model logs -f", "model logs"),
        ("docker model stop ai/smollm2", "model unload"),
        ("docker model unload --all", "model unload"),
        ("docker model rm -f ai/smollm2", "model rm"),
        ("docker model inspect -r ai/smollm2", "model inspect"),
        (
            "docker model search -n 5 --source huggingface llama",
            "model search",
        ),
        ("docker model context ls", "model context ls"),
        (
            "docker model configure show ai/smollm2",
            "model configure show",
        ),
        (
            "docker model bench --concurrency 1,2 ai/smollm2",
            "model bench",
        ),
        ("docker model launch openwebui --port 3000", "model launch"),
    ] {
        let v = explain(line);
        assert_eq!(v["subcommand"], command, "{line}");
        all_known(&v, &[]);
    }
    let v = explain("docker model inspect -r ai/smollm2");
    assert!(meaning(&v, "-r").contains("registry"));
    let v = explain("docker model search -n 5 --source huggingface llama");
    assert!(meaning(&v, "--source huggingface").contains("Hugging Face only"));
}

#[test]
fn unknown_options_stay_local() {
    // docs.docker.com/ai/model-runner/inference-engines/ ("Package a Safetensors model"):
    // the page writes --safetensors, which the plugin does not have (it is
    // --safetensors-dir). The value is still told apart from the model's name.
    let v = explain("docker model package --safetensors ./model/ --push myorg/mymodel-vllm");
    assert!(meaning(&v, "--safetensors ./model/").contains("does not know"));
    assert!(meaning(&v, "--push").contains("Push the packaged model"));
    assert_eq!(v["model"]["input"], "myorg/mymodel-vllm");
    // An unknown option before the model of run: the model and the prompt stay in place.
    let v = explain(r#"docker model run --frobnicate=3 ai/smollm2 "Hi""#);
    assert!(meaning(&v, "--frobnicate=3").contains("does not know"));
    assert_eq!(v["model"]["input"], "ai/smollm2");
    assert!(meaning(&v, "\"Hi\"").starts_with("The prompt"));
    // A word that is not a valid model reference is a note, not a crash.
    let v = explain("docker model pull 'ai/smol llm'");
    assert!(
        v["notes"].as_array().expect("notes").iter().any(|n| n
            .as_str()
            .unwrap_or_default()
            .contains("not a valid model reference")),
        "{v:#}"
    );
}

#[test]
fn the_text_output_names_the_model() {
    let r = Sandbox::new().run([
        "--color",
        "never",
        "--width",
        "200",
        "explain",
        "docker model run ai/llama3.2:1B-Q8_0 Why is the sky blue",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("The model to run: the model llama3.2"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("Why is the sky blue: The prompt"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("words are joined with spaces"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("## The image"), "{}", r.stdout);
}
