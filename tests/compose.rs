//! `dterms explain` on compose files, end to end: real files from public repositories (each names
//! its source in its first lines, under tests/fixtures/compose/), files made to break each tip's
//! rule, detection, interpolation sources, files that are not compose files, hostile input, and a
//! property test that no input panics.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use proptest::prelude::*;
use serde_json::Value;

/// The binary with an environment that cannot leak into the results: its own HOME and config
/// folder, and none of the variables dterms or the fixtures read.
fn dterms(home: &Path) -> Command {
    let mut cmd = Command::cargo_bin("dterms").expect("the binary is built");
    cmd.env_clear()
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("PATH", std::env::var_os("PATH").unwrap_or_default());
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_in(home: &Path, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Run {
    let mut cmd = dterms(home);
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    if let Some(input) = stdin {
        cmd.write_stdin(input.to_owned());
    }
    let output = cmd.output().expect("dterms runs");
    Run {
        code: output.status.code().expect("exits normally"),
        stdout: String::from_utf8(output.stdout).expect("UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("UTF-8"),
    }
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/compose")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// `explain --format json` of a file, which must succeed.
fn json(args: &[&str], env: &[(&str, &str)]) -> Value {
    let home = tempfile::tempdir().expect("temp dir");
    let mut all = vec!["--format", "json", "explain"];
    all.extend_from_slice(args);
    let r = run_in(home.path(), &all, None, env);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).expect("JSON")
}

fn service<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["services"]
        .as_array()
        .expect("services")
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no service {name}"))
}

fn tip_ids(doc: &Value) -> Vec<String> {
    doc["tips"]
        .as_array()
        .expect("tips")
        .iter()
        .map(|t| t["id"].as_str().expect("id").to_owned())
        .collect()
}

/// The warnings of an explained compose file.
fn warnings(doc: &Value) -> impl Iterator<Item = &Value> {
    doc["warnings"].as_array().expect("warnings").iter()
}

/// The first warning whose message contains `text`.
fn warning<'a>(doc: &'a Value, text: &str) -> Option<&'a Value> {
    warnings(doc).find(|w| w["message"].as_str().is_some_and(|m| m.contains(text)))
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .expect("a list")
        .iter()
        .map(|s| s.as_str().expect("a string"))
        .collect()
}

// Airflow's official docker-compose.yaml: anchors on their own lines, merge keys into
// depends_on and environment, profiles, health conditions, `$$` escapes.
#[test]
fn airflow_official_file() {
    let doc = json(&[&fixture("airflow.docker-compose.yaml")], &[]);
    assert_eq!(doc["kind"], "compose");
    let names: Vec<&str> = doc["services"]
        .as_array()
        .expect("services")
        .iter()
        .map(|s| s["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names.len(), 10);
    let apiserver = service(&doc, "airflow-apiserver");
    let deps: Vec<(&str, &str)> = apiserver["depends_on"]
        .as_array()
        .expect("deps")
        .iter()
        .map(|d| {
            (
                d["service"].as_str().expect("s"),
                d["condition"].as_str().expect("c"),
            )
        })
        .collect();
    assert!(deps.contains(&("redis", "service_healthy")), "{deps:?}");
    assert!(deps.contains(&("postgres", "service_healthy")), "{deps:?}");
    assert!(deps.contains(&("airflow-init", "service_completed_successfully")));
    assert_eq!(apiserver["ports"][0]["host_port"], "8080");
    assert_eq!(apiserver["ports"][0]["reachable_from_other_machines"], true);
    // The shared volumes come from the anchor, and keep its lines.
    assert_eq!(apiserver["volumes"][0]["type"], "bind");
    assert_eq!(apiserver["volumes"][0]["source"], "./dags");
    assert_eq!(apiserver["volumes"][0]["line"], 38);
    let worker_env = strings(&service(&doc, "airflow-worker")["environment"]);
    assert!(worker_env.contains(&"DUMB_INIT_SETSID"));
    assert!(worker_env.contains(&"AIRFLOW__CORE__EXECUTOR"));
    assert_eq!(strings(&service(&doc, "flower")["profiles"]), ["flower"]);
    assert_eq!(service(&doc, "postgres")["healthcheck"], true);
    assert_eq!(
        service(&doc, "postgres")["image"]["normalized"],
        "docker.io/library/postgres:16"
    );
    let order = strings(&doc["start_order"]);
    let at = |n: &str| order.iter().position(|o| *o == n).expect(n);
    assert!(at("postgres") < at("airflow-init") && at("airflow-init") < at("airflow-apiserver"));
    assert!(at("airflow-apiserver") < at("airflow-worker"));
    assert_eq!(strings(&doc["volumes"]), ["postgres-db-volume"]);
    let ids = tip_ids(&doc);
    assert!(ids.contains(&"compose-secret-in-environment".to_owned()));
    assert!(ids.contains(&"compose-bind-missing".to_owned()));
    assert!(!ids.contains(&"compose-depends-not-healthy".to_owned()));
    let containers: Vec<&str> = doc["creates"]
        .as_array()
        .expect("creates")
        .iter()
        .filter(|c| c["kind"] == "container")
        .map(|c| c["name"].as_str().expect("name"))
        .collect();
    assert_eq!(containers.len(), 8, "flower and airflow-cli need --profile");
    assert!(
        warning(&doc, "|version|").is_some(),
        "{:?}",
        doc["warnings"]
    );
    assert!(
        warning(&doc, "AIRFLOW_UID").is_some(),
        "{:?}",
        doc["warnings"]
    );
}

// Jupyter, PostgreSQL, MinIO and MLflow built from folders, on an external network.
#[test]
fn jupyter_postgres_minio_mlflow() {
    let doc = json(&[&fixture("ds-template.docker-compose.yml")], &[]);
    let jupyter = service(&doc, "jupyter");
    assert_eq!(jupyter["image"], Value::Null);
    assert_eq!(jupyter["build"]["context"], "./jupyter/");
    assert_eq!(jupyter["build"]["dockerfile"], "Dockerfile");
    assert_eq!(jupyter["ports"][0]["container_port"], "8888");
    assert_eq!(jupyter["volumes"][0]["type"], "bind");
    assert!(strings(&jupyter["environment"]).contains(&"AWS_SECRET_ACCESS_KEY"));
    let ids = tip_ids(&doc);
    for id in [
        "compose-version-obsolete",
        "compose-published-all-interfaces",
        "compose-depends-not-healthy",
    ] {
        assert!(ids.contains(&id.to_owned()), "{id} in {ids:?}");
    }
    assert_eq!(strings(&doc["networks"]), ["ds_network"]);
    let created: Vec<&str> = doc["creates"]
        .as_array()
        .expect("creates")
        .iter()
        .filter(|c| c["kind"] == "network")
        .map(|c| c["name"].as_str().expect("name"))
        .collect();
    assert!(
        created.is_empty(),
        "the only network is external: {created:?}"
    );
}

// MLflow's own compose file, with the .env its README gives.
#[test]
fn mlflow_with_its_env_file() {
    let env_file = fixture("mlflow.env");
    let doc = json(
        &[
            &fixture("mlflow.docker-compose.yml"),
            "--env-file",
            &env_file,
        ],
        &[],
    );
    assert_eq!(
        doc["warnings"],
        serde_json::json!([]),
        "every variable is set"
    );
    let postgres = service(&doc, "postgres");
    assert_eq!(postgres["ports"][0]["text"], "5432:5432");
    let mlflow = service(&doc, "mlflow");
    assert_eq!(
        mlflow["image"]["normalized"],
        "ghcr.io/mlflow/mlflow:latest"
    );
    let conditions: Vec<&str> = mlflow["depends_on"]
        .as_array()
        .expect("deps")
        .iter()
        .map(|d| d["condition"].as_str().expect("c"))
        .collect();
    assert_eq!(
        conditions,
        [
            "service_healthy",
            "service_healthy",
            "service_completed_successfully"
        ]
    );
    assert_eq!(
        strings(&doc["start_order"]),
        ["postgres", "storage", "create-bucket", "mlflow"]
    );

    // Without the variables, Compose would warn and the ports would be empty.
    let bare = json(&[&fixture("mlflow.docker-compose.yml")], &[]);
    let text = bare["warnings"].to_string();
    assert!(text.contains("PGPORT is not set"), "{text}");
    assert!(text.contains("no container port"), "{text}");

    // The text output hides the values of secret-looking variables.
    let home = tempfile::tempdir().expect("temp dir");
    let r = run_in(
        home.path(),
        &[
            "explain",
            &fixture("mlflow.docker-compose.yml"),
            "--env-file",
            &env_file,
        ],
        None,
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("AWS_SECRET_ACCESS_KEY=(hidden)"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("AWS_SECRET_ACCESS_KEY=s3admin"));
    assert!(r.stdout.contains("AWS_DEFAULT_REGION=us-east-1"));
}

// Ollama with every NVIDIA GPU, and Open WebUI (open-webui's docker-compose.gpu.yaml).
#[test]
fn ollama_and_open_webui_with_a_gpu() {
    let doc = json(&[&fixture("ollama-open-webui.gpu.compose.yaml")], &[]);
    let ollama = service(&doc, "ollama");
    assert_eq!(ollama["gpus"]["count"], "all");
    assert_eq!(ollama["gpus"]["driver"], "nvidia");
    assert_eq!(ollama["gpus"]["device_ids"], serde_json::json!([]));
    assert_eq!(service(&doc, "openWebUI")["gpus"], Value::Null);
    let ids = tip_ids(&doc);
    assert!(ids.contains(&"compose-gpu-shm".to_owned()));
    assert_eq!(
        ids.iter()
            .filter(|i| *i == "compose-image-unpinned")
            .count(),
        2
    );
    let volumes: Vec<&Value> = doc["creates"]
        .as_array()
        .expect("creates")
        .iter()
        .filter(|c| c["kind"] == "volume")
        .collect();
    assert!(volumes.is_empty(), "both volumes are external");
}

// FastChat's compose file: a model worker that reserves every GPU, images named for builds.
#[test]
fn fastchat_gpu_worker() {
    let doc = json(&[&fixture("fastchat.docker-compose.yml")], &[]);
    let worker = service(&doc, "fastchat-model-worker");
    assert_eq!(worker["gpus"]["count"], "all");
    assert_eq!(worker["gpus"]["capabilities"], serde_json::json!(["gpu"]));
    assert_eq!(worker["build"]["context"], ".");
    let ids = tip_ids(&doc);
    assert!(ids.contains(&"compose-gpu-shm".to_owned()));
    // fastchat:latest names an image that is built, so it is not an unpinned pull.
    assert!(!ids.contains(&"compose-image-unpinned".to_owned()));
    let line = |key: &str| {
        worker["parts"]
            .as_array()
            .expect("parts")
            .iter()
            .find(|p| p["key"] == key)
            .map(|p| p["line"].as_u64().expect("line"))
    };
    assert_eq!(line("deploy"), Some(26));
    assert_eq!(line("entrypoint"), Some(34));
}

/// Explains `text` as a compose file written in a fresh folder, with `files` beside it.
fn explain_text(text: &str, files: &[&str]) -> Value {
    let dir = tempfile::tempdir().expect("temp dir");
    for f in files {
        std::fs::create_dir_all(dir.path().join(f)).expect("folder");
    }
    let path = dir.path().join("compose.yaml");
    std::fs::write(&path, text).expect("written");
    json(&[path.to_str().expect("UTF-8 path")], &[])
}

// Each tip: a file that breaks its rule, and the same file fixed.
#[test]
fn every_tip_fires_on_its_rule_and_not_on_the_fix() {
    let cases: &[(&str, &str, &str, &[&str])] = &[
        (
            "compose-version-obsolete",
            "version: '3.8'\nservices:\n  a:\n    image: python:3.12\n",
            "services:\n  a:\n    image: python:3.12\n",
            &[],
        ),
        (
            "compose-published-all-interfaces",
            "services:\n  nb:\n    image: quay.io/jupyter/scipy-notebook:2024-05-27\n    ports: [\"8888:8888\"]\n",
            "services:\n  nb:\n    image: quay.io/jupyter/scipy-notebook:2024-05-27\n    ports: [\"127.0.0.1:8888:8888\"]\n",
            &[],
        ),
        (
            "compose-gpu-shm",
            "services:\n  train:\n    image: pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime\n    gpus: all\n",
            "services:\n  train:\n    image: pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime\n    gpus: all\n    shm_size: 8gb\n",
            &[],
        ),
        (
            "compose-image-unpinned",
            "services:\n  db:\n    image: redis\n",
            "services:\n  db:\n    image: redis:7.2\n",
            &[],
        ),
        (
            "compose-depends-not-healthy",
            "services:\n  app:\n    image: python:3.12\n    depends_on: [db]\n  db:\n    image: postgres:16\n",
            "services:\n  app:\n    image: python:3.12\n    depends_on:\n      db:\n        condition: service_healthy\n  db:\n    image: postgres:16\n    healthcheck:\n      test: [\"CMD\", \"pg_isready\"]\n",
            &[],
        ),
        (
            "compose-secret-in-environment",
            "services:\n  app:\n    image: python:3.12\n    environment:\n      - API_TOKEN=abc123\n",
            "services:\n  app:\n    image: python:3.12\n    environment:\n      - API_TOKEN=${API_TOKEN}\n",
            &[],
        ),
        (
            "compose-volume-undeclared",
            "services:\n  db:\n    image: postgres:16\n    volumes: [\"pgdata:/var/lib/postgresql/data\"]\n",
            "services:\n  db:\n    image: postgres:16\n    volumes: [\"pgdata:/var/lib/postgresql/data\"]\nvolumes:\n  pgdata:\n",
            &[],
        ),
        (
            "compose-bind-missing",
            "services:\n  app:\n    image: python:3.12\n    volumes: [\"./data:/data\"]\n",
            "services:\n  app:\n    image: python:3.12\n    volumes: [\"./data:/data\"]\n",
            &["data"],
        ),
        (
            "compose-depends-unknown",
            "services:\n  app:\n    image: python:3.12\n    depends_on: [dbb]\n  db:\n    image: postgres:16\n",
            "services:\n  app:\n    image: python:3.12\n    depends_on: [db]\n  db:\n    image: postgres:16\n",
            &[],
        ),
    ];
    for (id, broken, fixed, folders) in cases {
        let ids = tip_ids(&explain_text(broken, &[]));
        assert!(ids.contains(&id.to_string()), "{id} not in {ids:?}");
        let ids = tip_ids(&explain_text(fixed, folders));
        assert!(!ids.contains(&id.to_string()), "{id} still in {ids:?}");
    }
}

#[test]
fn unknown_keys_get_a_suggestion_with_their_line() {
    let doc = explain_text(
        "services:\n  app:\n    image: python:3.12\n    enviroment:\n      A: 1\n    healthcheck:\n      intervall: 5s\n",
        &[],
    );
    let warnings = doc["warnings"].as_array().expect("warnings");
    assert_eq!(warnings[0]["line"], 4);
    assert!(
        warnings[0]["message"]
            .as_str()
            .expect("m")
            .contains("did you mean 'environment'"),
        "{warnings:?}"
    );
    assert_eq!(warnings[1]["line"], 7);
    assert!(
        warnings[1]["message"]
            .as_str()
            .expect("m")
            .contains("'interval'")
    );
}

#[test]
fn ports_and_volumes_are_read_in_both_syntaxes() {
    let doc = explain_text(
        "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"127.0.0.1:8080:80\"\n      - target: 443\n        published: \"8443\"\n        protocol: tcp\n      - \"6060:6060/udp\"\n    volumes:\n      - type: bind\n        source: /etc/nginx\n        target: /etc/nginx\n        read_only: true\n      - cache:/var/cache/nginx\n    tmpfs: /run\nvolumes:\n  cache:\n",
        &[],
    );
    let web = service(&doc, "web");
    assert_eq!(web["ports"][0]["host_ip"], "127.0.0.1");
    assert_eq!(web["ports"][0]["reachable_from_other_machines"], false);
    assert_eq!(web["ports"][1]["container_port"], "443");
    assert_eq!(web["ports"][1]["host_port"], "8443");
    assert_eq!(web["ports"][1]["line"], 6);
    assert_eq!(web["ports"][2]["protocol"], "udp");
    assert_eq!(web["volumes"][0]["read_only"], true);
    assert_eq!(web["volumes"][0]["line"], 11);
    assert_eq!(web["volumes"][1]["type"], "volume");
    assert_eq!(web["volumes"][2]["type"], "tmpfs");
    assert_eq!(web["volumes"][2]["target"], "/run");
}

#[test]
fn detected_by_name_by_content_on_stdin_and_with_as() {
    let home = tempfile::tempdir().expect("temp dir");
    let text = "services:\n  a:\n    image: python:3.12\n";
    // Standard input with compose content.
    let r = run_in(
        home.path(),
        &["--format", "json", "explain", "-"],
        Some(text),
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("\"kind\": \"compose\""), "{}", r.stdout);
    // A file whose name says nothing, read by its content.
    let plain = home.path().join("stack");
    std::fs::write(&plain, text).expect("written");
    let r = run_in(
        home.path(),
        &["explain", plain.to_str().expect("path")],
        None,
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Service a"), "{}", r.stdout);
    // --as compose on standard input.
    let r = run_in(
        home.path(),
        &["explain", "--as", "compose", "-"],
        Some("include:\n  - other.yaml\n"),
        &[],
    );
    // Read as a compose file: the include is looked for in the current folder, where it is not.
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr
            .contains("-:2: included file other.yaml does not exist"),
        "{}",
        r.stderr
    );
}

#[test]
fn variables_come_from_the_environment_then_dotenv() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("compose.yaml");
    std::fs::write(
        &path,
        "services:\n  a:\n    image: python:${TAG}\n    ports: [\"${PORT:-8000}:8000\"]\n",
    )
    .expect("written");
    std::fs::write(dir.path().join(".env"), "TAG=3.11\nPORT=9000\n").expect("written");
    let p = path.to_str().expect("path");
    let doc = json(&[p], &[]);
    assert_eq!(service(&doc, "a")["image"]["tag"], "3.11");
    assert_eq!(service(&doc, "a")["ports"][0]["host_port"], "9000");
    let doc = json(&[p], &[("TAG", "3.12")]);
    assert_eq!(
        service(&doc, "a")["image"]["tag"],
        "3.12",
        "the environment wins"
    );
    let other = dir.path().join("other.env");
    std::fs::write(&other, "TAG=3.13\n").expect("written");
    let doc = json(&[p, "--env-file", other.to_str().expect("path")], &[]);
    assert_eq!(service(&doc, "a")["image"]["tag"], "3.13");
    assert_eq!(
        service(&doc, "a")["ports"][0]["host_port"],
        "8000",
        "--env-file replaces .env"
    );
}

/// Runs on a file holding `text` and expects exit 2 with one line naming the file.
fn refused(text: &str, args: &[&str]) -> String {
    let home = tempfile::tempdir().expect("temp dir");
    let path: PathBuf = home.path().join("compose.yaml");
    std::fs::write(&path, text).expect("written");
    let p = path.to_str().expect("path");
    let mut all = vec!["explain"];
    all.extend_from_slice(args);
    all.push(p);
    let r = run_in(home.path(), &all, None, &[]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert_eq!(r.stdout, "");
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.starts_with(&format!("error: {p}")), "{}", r.stderr);
    r.stderr
}

#[test]
fn files_that_are_not_compose_files_are_refused_clearly() {
    let err = refused(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n",
        &["--as", "compose"],
    );
    assert!(err.contains("not a compose file"), "{err}");
    assert!(err.contains("apiVersion, kind"), "{err}");
    let err = refused("- a\n- b\n", &[]);
    assert!(err.contains("top level is a list"), "{err}");
    let err = refused("services:\n  a: [\n", &[]);
    assert!(err.contains("compose.yaml:"), "{err}");
    assert!(err.contains("not valid YAML"), "{err}");
}

#[test]
fn hostile_files_stop_at_a_cap_with_one_line() {
    // An alias bomb: each level repeats the one before ten times.
    let mut bomb = String::from(
        "x-a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n",
    );
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        bomb.push_str(&format!("x-a{i}: &a{i} [{refs}]\n"));
    }
    bomb.push_str("services:\n  a:\n    image: x\n");
    let err = refused(&bomb, &[]);
    assert!(err.contains("aliases") || err.contains("values"), "{err}");
    // Nesting far deeper than any real file.
    let deep = format!(
        "services:\n  a:\n    x-deep: {}{}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let err = refused(&deep, &[]);
    assert!(err.contains("deep") || err.contains("nest"), "{err}");
    // Interpolation that nests defaults far beyond any real file.
    let nested = format!(
        "services:\n  a:\n    image: \"{}x{}\"\n",
        "${A:-".repeat(200),
        "}".repeat(200)
    );
    let err = refused(&nested, &[]);
    assert!(err.contains("compose.yaml:3:"), "{err}");
    // A file far larger than a compose file.
    let huge = format!(
        "services:\n  a:\n    image: x\n# {}\n",
        "x".repeat(2 * 1024 * 1024)
    );
    let err = refused(&huge, &[]);
    assert!(err.contains("larger than"), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    // Any text, and text built from compose-like lines, is explained or refused, never a panic;
    // every line number points into the file.
    #[test]
    fn no_input_panics(lines in proptest::collection::vec(prop_oneof![
        Just("services:".to_owned()),
        Just("  web:".to_owned()),
        "    (image|ports|volumes|environment|depends_on|gpus|shm_size|build|healthcheck|<<): ?.{0,20}",
        "      - ?\"?[0-9a-z.:/${}\\-]{0,20}\"?",
        "[ ]{0,8}[a-z_&*<-]{1,10}: ?[&*!]?[a-z${}:\\[\\]\"]{0,12}",
        ".{0,30}",
    ], 0..24)) {
        let text = lines.join("\n");
        let env = dterms::explain::compose::Environment::default();
        let origin = dterms::explain::compose::Origin::default();
        if let Ok(file) = dterms::explain::compose::explain(&text, &origin, &env) {
            let count = text.lines().count().max(1);
            for s in &file.services {
                prop_assert!(s.line >= 1 && s.line <= count, "service line {} of {count}", s.line);
                for p in &s.parts {
                    prop_assert!(p.line >= 1 && p.line <= count, "part line {} of {count}", p.line);
                }
            }
            let _ = file.markdown("x");
            let _ = file.json("x");
        }
    }
}

// docker run → compose: the file dterms prints is one that dterms (and Compose) reads back as the
// same container.
#[test]
fn docker_run_becomes_a_compose_file() {
    let home = tempfile::tempdir().expect("temp dir");
    // The vLLM quick start's docker run line (docs.vllm.ai, "Using Docker").
    let line = "docker run --runtime nvidia --gpus all -v ~/.cache/huggingface:/root/.cache/huggingface --env HUGGING_FACE_HUB_TOKEN=secret -p 8000:8000 --ipc=host vllm/vllm-openai:latest --model mistralai/Mistral-7B-v0.1";
    let r = run_in(
        home.path(),
        &["--format", "compose", "explain", line],
        None,
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let path = home.path().join("compose.yaml");
    std::fs::write(&path, &r.stdout).expect("written");
    let doc = json(&[path.to_str().expect("path")], &[]);
    let s = service(&doc, "vllm-openai");
    assert_eq!(
        s["image"]["normalized"],
        "docker.io/vllm/vllm-openai:latest"
    );
    assert_eq!(s["gpus"]["count"], "all");
    assert_eq!(s["ipc"], "host");
    assert_eq!(s["ports"][0]["text"], "8000:8000");
    assert_eq!(s["volumes"][0]["type"], "bind");
    assert_eq!(strings(&s["environment"]), ["HUGGING_FACE_HUB_TOKEN"]);
    let runtime = s["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .find(|p| p["key"] == "runtime")
        .expect("runtime");
    assert_eq!(runtime["text"], "nvidia");
    let command: Vec<&Value> = s["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .filter(|p| p["key"] == "command")
        .collect();
    assert_eq!(command[0]["text"], "--model mistralai/Mistral-7B-v0.1");

    // The text output has the same file in a section; JSON carries it with its notes.
    let r = run_in(
        home.path(),
        &[
            "explain",
            "docker run --rm -d -p 8888:8888 jupyter/base-notebook",
        ],
        None,
        &[],
    );
    assert!(r.stdout.contains("As a compose service"), "{}", r.stdout);
    let out = run_in(
        home.path(),
        &[
            "--format",
            "json",
            "explain",
            "docker run --rm -d -p 8888:8888 jupyter/base-notebook",
        ],
        None,
        &[],
    );
    let v: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(v["compose"]["service"], "base-notebook");
    assert!(
        v["compose"]["notes"].to_string().contains("--rm"),
        "{}",
        v["compose"]
    );
    // Commands other than run and create have nothing to convert.
    let r = run_in(
        home.path(),
        &["--format", "compose", "explain", "docker ps -a"],
        None,
        &[],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.starts_with("error: --format compose needs"),
        "{}",
        r.stderr
    );
}

// env_file: the files are read beside the compose file as Compose reads them; secret-looking
// values are hidden in the text; a missing required file and a line Compose refuses are
// warnings on the env_file's line; an optional missing file is silent.
#[test]
fn env_files_are_read_beside_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("app.env"),
        "# settings\nexport MODEL=llama3\nHF_TOKEN=\"hf_abc\"\nGREETING='hi ${MODEL}'\nURL=http://x:1 # comment\nSAY=\"${GREETING}, ${MODEL}\"\n",
    )
    .expect("written");
    std::fs::write(dir.path().join("bad.env"), "A=1\nB C=2\n").expect("written");
    let text = "services:\n  app:\n    image: python:3.12\n    env_file:\n      - app.env\n      - path: optional.env\n        required: false\n      - missing.env\n      - bad.env\n";
    let path = dir.path().join("compose.yaml");
    std::fs::write(&path, text).expect("written");
    let p = path.to_str().expect("UTF-8 path");

    let doc = json(&[p], &[]);
    let files = service(&doc, "app")["env_file"]
        .as_array()
        .expect("env_file");
    assert_eq!(files.len(), 4);
    assert_eq!(files[0]["path"], "app.env");
    assert_eq!(files[0]["line"], 5);
    assert_eq!(
        strings(&files[0]["variables"]),
        ["MODEL", "HF_TOKEN", "GREETING", "URL", "SAY"]
    );
    assert_eq!(files[1]["required"], false);
    assert!(files[1]["variables"].is_null());
    assert!(files[2]["variables"].is_null());
    assert!(files[3]["variables"].is_null());
    let warnings: Vec<(u64, &str)> = doc["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .map(|w| {
            (
                w["line"].as_u64().expect("line"),
                w["message"].as_str().expect("text"),
            )
        })
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert_eq!(warnings[0].0, 8);
    assert!(
        warnings[0].1.contains("missing.env is not there"),
        "{}",
        warnings[0].1
    );
    assert_eq!(warnings[1].0, 9);
    assert!(
        warnings[1].1.contains("bad.env: line 2: invalid statement"),
        "{}",
        warnings[1].1
    );

    let home = tempfile::tempdir().expect("temp dir");
    let r = run_in(home.path(), &["explain", p], None, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("MODEL=llama3"), "{}", r.stdout);
    // Single quotes keep `${…}` as written; double quotes interpolate, earlier lines included.
    assert!(r.stdout.contains("GREETING=hi ${MODEL}"), "{}", r.stdout);
    assert!(r.stdout.contains("SAY=hi ${MODEL}, llama3"), "{}", r.stdout);
    assert!(r.stdout.contains("URL=http://x:1,"), "{}", r.stdout);
    assert!(r.stdout.contains("HF_TOKEN=(hidden)"), "{}", r.stdout);
    assert!(!r.stdout.contains("hf_abc"), "{}", r.stdout);
}

// Found in review: an alias can repeat one env_file entry thousands of times. The file is read
// once, and past 10,000 listed variables the rest are left out with one warning.
#[test]
fn env_files_named_many_times_are_read_once_and_listed_within_a_cap() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vars: String = (0..1_000).map(|n| format!("V{n}=x\n")).collect();
    std::fs::write(dir.path().join("big.env"), vars).expect("written");
    let entries = vec!["*e"; 5_000].join(", ");
    let text = format!(
        "x-e: &e big.env\nservices:\n  app:\n    image: python:3.12\n    env_file: [{entries}]\n"
    );
    let path = dir.path().join("compose.yaml");
    std::fs::write(&path, text).expect("written");
    let p = path.to_str().expect("UTF-8 path");

    let doc = json(&[p], &[]);
    let files = service(&doc, "app")["env_file"]
        .as_array()
        .expect("env_file");
    assert_eq!(files.len(), 5_000);
    let listed = files.iter().filter(|f| !f["variables"].is_null()).count();
    assert_eq!(listed, 10, "10 files of 1,000 variables fit the cap");
    let capped = warnings(&doc)
        .filter(|w| {
            w["message"]
                .as_str()
                .is_some_and(|m| m.contains("more than 10000 variables"))
        })
        .count();
    assert_eq!(capped, 1, "{:?}", doc["warnings"]);
}

// ---- include and extends across files ----

mod support;

use support::Sandbox;

/// `explain` of `main` (a path in the sandbox) as JSON, which must succeed.
fn json_in(sandbox: &Sandbox, main: &Path) -> Value {
    let r = sandbox.run([
        "--format".as_ref(),
        "json".as_ref(),
        "explain".as_ref(),
        main.as_os_str(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).expect("JSON")
}

/// `explain` of `main` in text, which must succeed.
fn text_in(sandbox: &Sandbox, main: &Path) -> String {
    let r = sandbox.run(["explain".as_ref(), main.as_os_str()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
}

/// `explain` of `main`, which must fail with one line on stderr and exit 2; that line.
fn failure_in(sandbox: &Sandbox, main: &Path) -> String {
    let r = sandbox.run(["explain".as_ref(), main.as_os_str()]);
    assert_eq!(r.code, 2, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    r.stderr
}

fn names(doc: &Value) -> Vec<&str> {
    doc["services"]
        .as_array()
        .expect("services")
        .iter()
        .map(|s| s["name"].as_str().expect("name"))
        .collect()
}

#[test]
fn include_brings_in_the_services_of_other_files_with_their_file_and_line() {
    // The short syntax example of the Compose Specification's 14-include.md: a web app that
    // depends on a service another team's file defines, beside a shared commons file.
    let sandbox = Sandbox::new();
    sandbox.file(
        "commons/compose.yaml",
        "services:\n  cache:\n    image: redis:${REDIS_TAG}\nvolumes:\n  shared: {}\n",
    );
    // The included file's own .env gives its default values.
    sandbox.file("commons/.env", "REDIS_TAG=7.2\n");
    sandbox.file(
        "another_domain/compose.yaml",
        "services:\n  included-service:\n    image: postgres:16\n    ports: ['5432:5432']\n    volumes: ['./data:/var/lib/postgresql/data']\n",
    );
    let main = sandbox.file(
        "webapp/compose.yaml",
        "include:\n  - ../commons/compose.yaml\n  - ../another_domain/compose.yaml\n\nservices:\n  webapp:\n    image: nginx:1.27\n    depends_on:\n      - included-service\n",
    );
    let doc = json_in(&sandbox, &main);
    assert_eq!(names(&doc), ["webapp", "cache", "included-service"]);
    let webapp = service(&doc, "webapp");
    assert!(webapp.get("file").is_none(), "{webapp}");
    let cache = service(&doc, "cache");
    assert_eq!(cache["file"], "../commons/compose.yaml");
    assert_eq!(cache["line"], 2);
    assert_eq!(cache["image"]["tag"], "7.2");
    let db = service(&doc, "included-service");
    assert_eq!(db["ports"][0]["file"], "../another_domain/compose.yaml");
    assert_eq!(db["ports"][0]["line"], 4);
    assert_eq!(strings(&doc["volumes"]), ["shared"]);
    // depends_on finds the included service, so no depends-unknown tip.
    assert!(!tip_ids(&doc).contains(&"compose-depends-unknown".to_owned()));
    // The bind mount is looked for beside the included file, where it is missing.
    let bind = doc["tips"]
        .as_array()
        .expect("tips")
        .iter()
        .find(|t| t["id"] == "compose-bind-missing")
        .expect("bind tip");
    assert_eq!(bind["file"], "../another_domain/compose.yaml");
    let text = text_in(&sandbox, &main);
    assert!(
        text.contains("Line 4 in ../another_domain/compose.yaml port 5432:5432"),
        "{text}"
    );
    assert!(
        text.contains("Service cache (line 2 in ../commons/compose.yaml)"),
        "{text}"
    );
}

#[test]
fn the_long_syntax_merges_its_paths_and_reads_its_env_file_and_project_directory() {
    let sandbox = Sandbox::new();
    sandbox.file(
        "lib/compose.yaml",
        "services:\n  api:\n    image: api:${API_TAG:-missing}\n    ports: ['8000:8000']\n    environment: {LEVEL: info}\n",
    );
    sandbox.file(
        "lib/override.yaml",
        "services:\n  api:\n    ports: ['8000:8000', '9000:9000']\n    environment: {LEVEL: debug}\n",
    );
    sandbox.file("envs/lib.env", "API_TAG=2.1\n");
    // project_directory decides where the included file's env_file is read from.
    sandbox.file("proj/api.env", "A=1\n");
    sandbox.file("lib/api.env", "B=1\n");
    sandbox.file(
        "lib/extra.yaml",
        "services:\n  worker:\n    image: worker:1\n    env_file: api.env\n",
    );
    let main = sandbox.file(
        "compose.yaml",
        "include:\n  - path: [lib/compose.yaml, lib/override.yaml]\n    env_file: envs/lib.env\n  - path: lib/extra.yaml\n    project_directory: proj\nservices: {}\n",
    );
    let doc = json_in(&sandbox, &main);
    let api = service(&doc, "api");
    assert_eq!(api["image"]["tag"], "2.1");
    // Sequences are appended, then ports made unique; environment merged by name.
    let ports: Vec<&str> = api["ports"]
        .as_array()
        .expect("ports")
        .iter()
        .map(|p| p["text"].as_str().expect("text"))
        .collect();
    assert_eq!(ports, ["8000:8000", "9000:9000"]);
    assert_eq!(strings(&api["environment"]), ["LEVEL"]);
    let text = text_in(&sandbox, &main);
    assert!(text.contains("LEVEL=debug"), "{text}");
    let worker = service(&doc, "worker");
    assert_eq!(strings(&worker["env_file"][0]["variables"]), ["A"]);
}

#[test]
fn a_service_both_included_and_defined_is_merged_with_a_warning() {
    // compose-go 2.10 (loader/include_test.go): the including file's definition is merged over
    // the included one instead of refusing the file.
    let sandbox = Sandbox::new();
    sandbox.file(
        "sub/compose.yaml",
        "services:\n  bar:\n    image: busybox\n    environment: [FOO=1]\n    user: nobody\n",
    );
    let main = sandbox.file(
        "compose.yaml",
        "include: [sub/compose.yaml]\nservices:\n  bar:\n    image: busybox:1.36\n    environment: !override [ZOT=QIX]\n",
    );
    let doc = json_in(&sandbox, &main);
    assert_eq!(names(&doc), ["bar"]);
    let bar = service(&doc, "bar");
    assert_eq!(bar["image"]["tag"], "1.36");
    assert_eq!(strings(&bar["environment"]), ["ZOT"]);
    let keys: Vec<&str> = bar["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .map(|p| p["key"].as_str().expect("key"))
        .collect();
    assert!(keys.contains(&"user"), "{keys:?}");
    let conflict = warning(&doc, "also defined").expect("a conflict warning");
    assert_eq!(conflict["line"], 3);
    assert!(conflict.get("file").is_none());
}

#[test]
fn extends_reads_a_service_from_another_file_and_merges_it() {
    // compose-go's loader/testdata/extends: base.yaml's with-build extends sibling.yaml's test,
    // and a service extends one in its own file.
    let sandbox = Sandbox::new();
    sandbox.file(
        "sibling.yaml",
        "services:\n  test:\n    build: .\n    ports: ['8080:8080']\n",
    );
    let main = sandbox.file(
        "base.yaml",
        "services:\n  base:\n    image: base:1\n    environment: {TZ: utc, PORT: '80'}\n  another:\n    extends: base\n    environment: {PORT: '8080'}\n  with-build:\n    extends:\n      file: sibling.yaml\n      service: test\n    ports: ['9090:9090']\n",
    );
    let doc = json_in(&sandbox, &main);
    let another = service(&doc, "another");
    assert_eq!(another["image"]["tag"], "1");
    // The example of 05-services.md: PORT overridden, TZ kept.
    assert_eq!(strings(&another["environment"]), ["PORT", "TZ"]);
    let text = text_in(&sandbox, &main);
    assert!(text.contains("PORT=8080"), "{text}");
    let build = service(&doc, "with-build");
    assert_eq!(build["build"]["context"], ".");
    let ports = build["ports"].as_array().expect("ports");
    assert_eq!(ports.len(), 2);
    assert_eq!(ports[0]["file"], "sibling.yaml");
    assert_eq!(ports[0]["line"], 4);
    assert!(ports[1].get("file").is_none());
    assert!(warning(&doc, "neither image nor build").is_none());
}

#[test]
fn extends_in_an_extended_file_is_relative_to_that_file() {
    // compose-go's loader/testdata/extends/withdir: compose.yaml extends dir/compose.yaml,
    // which extends base.yaml beside itself.
    let sandbox = Sandbox::new();
    sandbox.file(
        "dir/base.yaml",
        "services:\n  test:\n    image: hello-world\n",
    );
    sandbox.file(
        "dir/compose.yaml",
        "services:\n  test:\n    extends:\n      file: base.yaml\n      service: test\n",
    );
    let main = sandbox.file(
        "compose.yaml",
        "services:\n  test:\n    extends:\n      file: dir/compose.yaml\n      service: test\n",
    );
    let doc = json_in(&sandbox, &main);
    let test = service(&doc, "test");
    assert_eq!(test["image"]["path"], "library/hello-world");
    let text = text_in(&sandbox, &main);
    assert!(
        text.contains("Line 3 in dir/base.yaml: runs the image"),
        "{text}"
    );
}

#[test]
fn a_missing_included_or_extended_file_is_one_line_naming_where_it_is_named() {
    let sandbox = Sandbox::new();
    let main = sandbox.file("compose.yaml", "include:\n  - nothere.yaml\nservices: {}\n");
    let err = failure_in(&sandbox, &main);
    assert!(
        err.contains("compose.yaml:2: included file nothere.yaml does not exist"),
        "{err}"
    );
    sandbox.file(
        "sub/compose.yaml",
        "services:\n  a:\n    extends: {file: ../gone.yaml, service: a}\n",
    );
    let main = sandbox.file("two.yaml", "include: [sub/compose.yaml]\n");
    let err = failure_in(&sandbox, &main);
    assert!(
        err.contains("error: sub/compose.yaml:3: extended file gone.yaml does not exist"),
        "{err}"
    );
}

#[test]
fn include_and_extends_cycles_are_errors_naming_the_files() {
    // compose-go's loader/testdata/compose-include-cycle.yaml includes itself.
    let sandbox = Sandbox::new();
    let main = sandbox.file(
        "compose-include-cycle.yaml",
        "include:\n  - compose-include-cycle.yaml\n\nname: project\nservices:\n  foo:\n    image: foo\n",
    );
    let err = failure_in(&sandbox, &main);
    assert!(err.contains(":2: include goes round in a circle:"), "{err}");
    assert!(err.contains("includes compose-include-cycle.yaml"), "{err}");

    sandbox.file("a.yaml", "include: [b.yaml]\nservices: {}\n");
    sandbox.file("b.yaml", "include: [a.yaml]\nservices: {}\n");
    let err = failure_in(&sandbox, &sandbox.path().join("files/a.yaml"));
    assert!(
        err.contains("a.yaml includes b.yaml includes a.yaml"),
        "{err}"
    );

    let main = sandbox.file(
        "loop.yaml",
        "services:\n  a:\n    extends: b\n  b:\n    extends: a\n",
    );
    let err = failure_in(&sandbox, &main);
    assert!(
        err.contains("extends goes round in a circle: a in"),
        "{err}"
    );

    sandbox.file(
        "x.yaml",
        "services:\n  x:\n    extends: {file: y.yaml, service: y}\n",
    );
    sandbox.file(
        "y.yaml",
        "services:\n  y:\n    extends: {file: x.yaml, service: x}\n",
    );
    let err = failure_in(&sandbox, &sandbox.path().join("files/x.yaml"));
    assert!(
        err.contains("x in x.yaml extends y in y.yaml extends x in x.yaml"),
        "{err}"
    );
}

#[test]
fn include_depth_and_file_count_stop_at_their_caps() {
    let sandbox = Sandbox::new();
    for i in 0..12 {
        sandbox.file(
            &format!("d{i}.yaml"),
            format!("include: [d{}.yaml]\nservices: {{}}\n", i + 1),
        );
    }
    sandbox.file("d12.yaml", "services: {}\n");
    let err = failure_in(&sandbox, &sandbox.path().join("files/d0.yaml"));
    assert!(
        err.contains("include nests more than 10 files deep"),
        "{err}"
    );

    // Wide instead of deep: one file including 70 others.
    let mut list = String::from("include:\n");
    for i in 0..70 {
        sandbox.file(
            &format!("w{i}.yaml"),
            format!("services:\n  s{i}: {{image: a}}\n"),
        );
        list.push_str(&format!("  - w{i}.yaml\n"));
    }
    let main = sandbox.file("wide.yaml", list);
    let err = failure_in(&sandbox, &main);
    assert!(err.contains("more than 64 files to read"), "{err}");

    // A chain of extends across files.
    for i in 0..12 {
        sandbox.file(
            &format!("e{i}.yaml"),
            format!(
                "services:\n  s:\n    extends: {{file: e{}.yaml, service: s}}\n",
                i + 1
            ),
        );
    }
    sandbox.file("e12.yaml", "services:\n  s: {image: a}\n");
    let err = failure_in(&sandbox, &sandbox.path().join("files/e0.yaml"));
    assert!(
        err.contains("extends nests more than 10 services deep"),
        "{err}"
    );
}

#[test]
fn an_invalid_included_file_is_reported_with_its_own_name_and_line() {
    let sandbox = Sandbox::new();
    sandbox.file("sub/bad.yaml", "services:\n  a: [\n");
    let main = sandbox.file("compose.yaml", "include: [sub/bad.yaml]\n");
    let err = failure_in(&sandbox, &main);
    assert!(err.starts_with("error: sub/bad.yaml:"), "{err}");
    assert!(err.contains("not valid YAML"), "{err}");
}

#[test]
fn on_standard_input_includes_are_read_from_the_current_folder() {
    let sandbox = Sandbox::new();
    sandbox.file("lib/compose.yaml", "services:\n  lib:\n    image: lib:1\n");
    let output = sandbox
        .dterms()
        .current_dir(sandbox.path().join("files"))
        .args(["--format", "json", "explain", "-"])
        .write_stdin("include: [lib/compose.yaml]\nservices:\n  app: {image: app:1}\n")
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let doc: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(names(&doc), ["app", "lib"]);
    assert_eq!(service(&doc, "lib")["file"], "lib/compose.yaml");
}

#[test]
fn paths_with_control_characters_are_not_echoed_raw() {
    let sandbox = Sandbox::new();
    let main = sandbox.file(
        "compose.yaml",
        "include:\n  - \"evil\\e[31m\\u202e.yaml\"\nservices: {}\n",
    );
    let err = failure_in(&sandbox, &main);
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{202e}'),
        "{err:?}"
    );
    assert!(err.contains("does not exist"), "{err}");
}

#[test]
fn include_counts_every_file_it_reads_against_one_cap_on_values() {
    // 254 bytes that aliases expand to 150,000 values, included 63 times: each include is
    // counted, so the load stops at the third instead of building 9 million values.
    let sandbox = Sandbox::new();
    sandbox.file(
        "d.yaml",
        "x-a: &a [a,a,a,a,a,a,a,a,a,a]\nx-b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nx-c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nx-d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\nservices:\n  s:\n    image: x:1\n    security_opt: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n",
    );
    let main = sandbox.file(
        "main.yaml",
        format!(
            "include:\n{}services:\n  m: {{image: 'y:1'}}\n",
            "  - d.yaml\n".repeat(63)
        ),
    );
    let err = failure_in(&sandbox, &main);
    assert!(
        err.contains("main.yaml:4: included file d.yaml: the files read and the copies extends makes come to more than 400000 values"),
        "{err}"
    );
}

#[test]
fn interpolation_is_counted_for_all_the_files_together() {
    // A 1 MB value used seven times in a file included 63 times: 7 MB per file is under the
    // 8 MiB cap, the second include passes it.
    let sandbox = Sandbox::new();
    let vars = sandbox.file("vars.env", format!("X={}\n", "v".repeat(1_000_000)));
    sandbox.file(
        "sub/d.yaml",
        format!(
            "services:\n  s:\n    image: x:1\n    security_opt: [{}]\n",
            ["\"${X}\""; 7].join(", ")
        ),
    );
    let main = sandbox.file(
        "main.yaml",
        format!(
            "include:\n{}services:\n  m: {{image: 'y:1'}}\n",
            "  - sub/d.yaml\n".repeat(63)
        ),
    );
    let r = sandbox.run([
        "explain".as_ref(),
        main.as_os_str(),
        "--env-file".as_ref(),
        vars.as_os_str(),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("error: sub/d.yaml:4: interpolation produces more than 8 MiB"),
        "{}",
        r.stderr
    );

    // The variables an include's own .env sets are counted each time it is read.
    std::fs::rename(&vars, sandbox.path().join("files/sub/.env")).expect("moved");
    let err = failure_in(&sandbox, &main);
    assert!(
        err.contains("main.yaml:3: env_file sub/.env: the variables and interpolation of the files read come to more than 8 MiB"),
        "{err}"
    );
}

#[test]
fn an_include_env_file_sees_the_variables_of_the_files_before_it() {
    // compose-go's dotenv.GetEnvFromFile reads the files in order; a later one looks a
    // variable up in the including environment, then in what the earlier ones set.
    let sandbox = Sandbox::new();
    sandbox.file(
        "other/a.yaml",
        "services:\n  o:\n    image: o:${A}-${B}-${C}\n",
    );
    sandbox.file("other/one.env", "A=one\nB=b1\nC=c1\n");
    sandbox.file("other/two.env", "B=two-${A}\nC=${SHELL_C}\n");
    let main = sandbox.file(
        "compose.yaml",
        "include:\n  - path: [other/a.yaml]\n    env_file: [other/one.env, other/two.env]\nservices: {}\n",
    );
    let r = sandbox
        .dterms()
        .env("SHELL_C", "shell")
        .args(["--format", "json", "explain"])
        .arg(&main)
        .output()
        .expect("runs");
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let doc: Value = serde_json::from_slice(&r.stdout).expect("JSON");
    assert_eq!(service(&doc, "o")["image"]["tag"], "one-two-one-shell");
}

#[test]
fn many_missing_binds_and_many_extending_services_are_each_handled_once() {
    // 20,000 missing bind mounts: one tip each, found by one lookup each (a search of the
    // mounts seen so far made this quadratic), and a mount shared through an anchor is one tip.
    let sandbox = Sandbox::new();
    let mut text = String::from("services:\n  a:\n    image: a:1\n    volumes:\n");
    for i in 0..20_000 {
        text.push_str(&format!("      - ./d{i}:/d{i}\n"));
    }
    text.push_str(
        "  c:\n    image: c:1\n    volumes: &shared [./common:/common]\n  b:\n    image: b:1\n    volumes: *shared\n",
    );
    let main = sandbox.file("binds.yaml", text);
    let doc = json_in(&sandbox, &main);
    let tips = doc["tips"].as_array().expect("tips");
    let binds: Vec<&str> = tips
        .iter()
        .filter(|t| t["id"] == "compose-bind-missing")
        .map(|t| t["message"].as_str().expect("message"))
        .collect();
    assert_eq!(binds.len(), 20_001);
    assert!(
        binds[0].starts_with("service a mounts ./d0,"),
        "{}",
        binds[0]
    );
    assert!(
        binds[20_000].starts_with("services c and 1 more mount ./common,"),
        "{}",
        binds[20_000]
    );

    // 5,000 services extending one base in the same file: each finds its base by name (through
    // an index now, not a search of the services).
    let mut text = String::from("services:\n  base:\n    image: base:1\n    ports: ['80']\n");
    for i in 0..5_000 {
        text.push_str(&format!("  s{i}: {{extends: base}}\n"));
    }
    let main = sandbox.file("many.yaml", text);
    let doc = json_in(&sandbox, &main);
    let services = doc["services"].as_array().expect("services");
    assert_eq!(services.len(), 5_001);
    assert_eq!(services[5_000]["name"], "s4999");
    assert_eq!(
        services[5_000]["image"]["normalized"],
        "docker.io/library/base:1"
    );
    assert_eq!(services[5_000]["ports"][0]["container_port"], "80");
}

#[test]
fn remote_includes_and_extends_are_named_in_a_warning_not_read() {
    // docker compose downloads these through its OCI and git loaders; dterms stays offline.
    let sandbox = Sandbox::new();
    sandbox.file("local.yaml", "services:\n  l: {image: 'l:1'}\n");
    let main = sandbox.file(
        "remote.yaml",
        "include:\n  - oci://docker.io/user/app:latest\n  - https://github.com/docker/awesome-compose.git#master:nginx-golang\n  - local.yaml\nservices:\n  x:\n    image: x:1\n    extends:\n      file: git@github.com:me/base.git\n      service: base\n",
    );
    let doc = json_in(&sandbox, &main);
    assert_eq!(names(&doc), ["x", "l"]);
    let warnings: Vec<(u64, &str)> = doc["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .map(|w| {
            (
                w["line"].as_u64().expect("line"),
                w["message"].as_str().expect("message"),
            )
        })
        .filter(|(_, m)| m.contains("remote file"))
        .collect();
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert_eq!(warnings[0].0, 2);
    assert!(
        warnings[0]
            .1
            .starts_with("include oci://docker.io/user/app:latest: a remote file"),
        "{warnings:?}"
    );
    assert_eq!(warnings[1].0, 3);
    assert!(
        warnings[1].1.starts_with(
            "include https://github.com/docker/awesome-compose.git#master:nginx-golang:"
        ),
        "{warnings:?}"
    );
    assert_eq!(warnings[2].0, 8);
    assert!(
        warnings[2]
            .1
            .starts_with("service x extends base in git@github.com:me/base.git: a remote file"),
        "{warnings:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_file_reached_through_a_symbolic_link_reads_its_paths_beside_the_link() {
    // compose-go takes an included or extended file's folder from the path as written
    // (filepath.Dir), not from the file a link points to.
    let sandbox = Sandbox::new();
    let files = sandbox.path().join("files");
    sandbox.file(
        "shared/svc/compose.yaml",
        "services:\n  svc:\n    image: svc:${TAG}\n    volumes: ['./data:/data']\n    env_file: vars.env\n  base:\n    image: base:1\n    env_file: vars.env\n",
    );
    sandbox.file("shared/svc/.env", "TAG=fromtargetdir\n");
    sandbox.file("shared/svc/vars.env", "V_TARGET=1\n");
    sandbox.file("app/inc/.env", "TAG=fromlinkdir\n");
    sandbox.file("app/inc/vars.env", "V_LINK=1\n");
    std::fs::create_dir_all(files.join("app/inc/data")).expect("data folder");
    std::os::unix::fs::symlink(
        "../../shared/svc/compose.yaml",
        files.join("app/inc/compose.yaml"),
    )
    .expect("link");
    let main = sandbox.file(
        "app/compose.yaml",
        "include: [inc/compose.yaml]\nservices:\n  ext:\n    extends: {file: inc/compose.yaml, service: base}\n",
    );
    let doc = json_in(&sandbox, &main);
    let svc = service(&doc, "svc");
    assert_eq!(svc["image"]["tag"], "fromlinkdir");
    assert_eq!(strings(&svc["env_file"][0]["variables"]), ["V_LINK"]);
    assert!(
        !tip_ids(&doc).contains(&"compose-bind-missing".to_owned()),
        "{}",
        doc["tips"]
    );
    let ext = service(&doc, "ext");
    assert_eq!(strings(&ext["env_file"][0]["variables"]), ["V_LINK"]);
}

#[test]
fn several_yaml_documents_merge_in_order_as_compose_go_reads_them() {
    // compose-go's loader reads every document of a file and merges each over those above it,
    // as files given with -f.
    let sandbox = Sandbox::new();
    let main = sandbox.file(
        "compose.yaml",
        "services:\n  web:\n    image: nginx:1.27\n    ports: ['8080:80']\n---\nservices:\n  web:\n    ports: ['8080:80', '8443:443']\n    environment: {A: '1'}\n  db:\n    image: postgres:16\n",
    );
    let doc = json_in(&sandbox, &main);
    assert_eq!(names(&doc), ["web", "db"]);
    let web = service(&doc, "web");
    let ports: Vec<(&str, u64)> = web["ports"]
        .as_array()
        .expect("ports")
        .iter()
        .map(|p| {
            (
                p["text"].as_str().expect("text"),
                p["line"].as_u64().expect("line"),
            )
        })
        .collect();
    assert_eq!(ports, [("8080:80", 8), ("8443:443", 8)]);
    assert_eq!(web["image"]["tag"], "1.27");
    let note = warning(&doc, "further YAML document").expect("a note on the second document");
    assert_eq!(note["line"], 5);
    // A document that is not a mapping is refused with its line.
    let bad = sandbox.file("bad.yaml", "services: {}\n---\n- a\n");
    let err = failure_in(&sandbox, &bad);
    assert!(err.contains("bad.yaml:2: not a compose file"), "{err}");
}

#[test]
fn a_file_included_twice_warns_only_when_its_definitions_differ() {
    // The diamond of docker/compose#11612: a includes b and c, both include d. compose-go
    // accepted the two equal definitions before 2.10 and merges them since; nothing to warn.
    let sandbox = Sandbox::new();
    sandbox.file("d.yaml", "services:\n  d:\n    image: d:1\n");
    sandbox.file(
        "b.yaml",
        "include: [d.yaml]\nservices:\n  b: {image: 'b:1'}\n",
    );
    sandbox.file(
        "c.yaml",
        "include: [d.yaml]\nservices:\n  c: {image: 'c:1'}\n",
    );
    let main = sandbox.file("a.yaml", "include: [b.yaml, c.yaml]\nservices: {}\n");
    let doc = json_in(&sandbox, &main);
    assert_eq!(names(&doc), ["b", "d", "c"]);
    assert_eq!(
        doc["warnings"],
        Value::Array(Vec::new()),
        "{}",
        doc["warnings"]
    );

    // The same file with other variables: its definitions differ, which older compose-go
    // refused.
    sandbox.file("t.yaml", "services:\n  t:\n    image: t:${TAG}\n");
    sandbox.file("one.env", "TAG=1\n");
    sandbox.file("two.env", "TAG=2\n");
    let main = sandbox.file(
        "twice.yaml",
        "include:\n  - path: t.yaml\n    env_file: one.env\n  - path: t.yaml\n    env_file: two.env\nservices: {}\n",
    );
    let doc = json_in(&sandbox, &main);
    let warnings = doc["warnings"].as_array().expect("warnings");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0]["file"], "t.yaml");
    assert_eq!(warnings[0]["line"], 2);
    let message = warnings[0]["message"].as_str().expect("message");
    assert!(
        message.starts_with("t.yaml is included twice, and its service t differs between the two"),
        "{message}"
    );
    assert!(
        message.contains(
            "compose-go before 2.10 refused the file: services.t conflicts with imported resource"
        ),
        "{message}"
    );
}
