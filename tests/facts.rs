//! Fact tests: each pins a corrected fact of the glossary (issue #11) in the term as it is
//! rendered, so that a later edit that brings back the old, wrong statement fails here.
//!
//! Pages are rendered through the library as plain text at the widest width and with runs of
//! white space collapsed, so a phrase matches wherever the layout breaks its lines. Where a
//! test names the wrong statement it replaced, it asserts that the statement is gone.

mod support;

use dterms::glossary::Glossary;
use dterms::lookup::{Resolution, resolve};
use dterms::render::{Format, Presentation, term_page};
use dterms::schema::Term;

const PLAIN: Presentation = Presentation {
    format: Format::Text,
    styled: false,
    rich: true,
    width: 1000,
    page: false,
    height: None,
};

/// The page of term `id` as `show` prints it piped, with white space collapsed.
fn page(id: &str) -> String {
    let glossary = Glossary::builtin();
    let Resolution::Found(found) = resolve(&glossary, id) else {
        panic!("{id} is not a term")
    };
    assert_eq!(found.term.id, id, "{id} resolves to another term");
    let mut out = Vec::new();
    term_page(&mut out, &glossary, &found, id, &PLAIN).expect("writing to a Vec cannot fail");
    let text = String::from_utf8(out).expect("output is UTF-8");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn term(id: &str) -> Term {
    Glossary::builtin()
        .get(id)
        .unwrap_or_else(|| panic!("{id} is not a term"))
        .clone()
}

/// Asserts that the page of `id` says every one of `facts` and none of `gone`.
fn says(id: &str, facts: &[&str], gone: &[&str]) {
    let text = page(id);
    for fact in facts {
        assert!(text.contains(fact), "{id} should say {fact:?}:\n{text}");
    }
    for old in gone {
        assert!(!text.contains(old), "{id} still says {old:?}:\n{text}");
    }
}

/// Every text of the glossary a reader can see: bodies, summaries, analogies, examples.
fn every_text() -> Vec<(String, String)> {
    let glossary = Glossary::builtin();
    let mut texts = Vec::new();
    for t in glossary.terms() {
        texts.push((t.id.to_string(), t.summary.to_string()));
        texts.push((t.id.to_string(), t.body.to_string()));
        if let Some(analogy) = &t.analogy {
            texts.push((t.id.to_string(), analogy.to_string()));
        }
        for e in t.examples.iter() {
            texts.push((t.id.to_string(), format!("{} # {}", e.command, e.note)));
        }
    }
    texts
}

// Factual errors.

#[test]
fn rate_limit_counts_per_6_hours_and_per_architecture() {
    says(
        "rate-limit",
        &[
            "6-hour window",
            "100 pulls per 6 hours for each IPv4 address (or IPv6 /64 subnet)",
            "200 per 6 hours for a free Personal account",
            "one pull for each architecture",
            "As of 2026-11",
        ],
        &["per hour", "10 and 100"],
    );
    for (id, text) in every_text() {
        assert!(
            !text.contains("pulls per hour"),
            "{id} still gives an hourly pull limit"
        );
    }
}

#[test]
fn dockerignore_patterns_are_globs_from_the_context_root() {
    says(
        "dockerignore",
        &[
            "root of the build context",
            "match only at the top level",
            "**/__pycache__",
            "docker/train.Dockerfile.dockerignore",
            "filepath.Match",
        ],
        &[
            "like .gitignore for docker build",
            "Patterns work much like .gitignore",
        ],
    );
    // The starter file must match nested caches and weights too.
    let example = &term("dockerignore").examples[0].command;
    let patterns: Vec<&str> = example
        .trim_start_matches("printf '")
        .split("\\n")
        .collect();
    for needed in ["**/__pycache__", "**/*.pt", "**/.ipynb_checkpoints"] {
        assert!(
            patterns.contains(&needed),
            "{needed} missing from {example}"
        );
    }
    for root_only in ["__pycache__", "*.pt", ".ipynb_checkpoints"] {
        assert!(
            !patterns.contains(&root_only),
            "{root_only} in {example} matches only at the top"
        );
    }
}

#[test]
fn build_context_strips_parent_paths_and_transfers_what_is_used() {
    says(
        "build-context",
        &[
            "COPY ../data /data, does not fail",
            "drops the ../",
            "fetches the files that steps actually use",
        ],
        &[
            "so COPY ../data /data fails",
            "sent to the builder (BuildKit) before the build starts",
        ],
    );
}

#[test]
fn a_re_pushed_parent_image_needs_pull_not_only_no_cache() {
    says(
        "parent-image",
        &[
            "your builds do not notice",
            "--no-cache alone does not help",
            "docker build --pull --no-cache",
        ],
        &["your next build picks up the change"],
    );
    says(
        "build-cache",
        &[
            "--pull checks the registry",
            "docker build --pull --no-cache",
        ],
        &["--no-cache to force a clean rebuild, for instance to pick up security updates"],
    );
}

#[test]
fn cgroup_process_cpu_count_follows_cpuset_not_cpus() {
    says(
        "cgroup",
        &[
            "os.process_cpu_count() (Python 3.13) does not fix that",
            "--cpuset-cpus narrows but --cpus does not",
            "OMP_NUM_THREADS",
            "torch.set_num_threads()",
            "-X cpu_count=4",
        ],
        &["Newer Python versions offer os.process_cpu_count(), and"],
    );
}

#[test]
fn gpus_count_means_the_first_devices() {
    says(
        "gpu-access",
        &["--gpus 2 into devices 0 and 1", "gpus: all"],
        &["any two"],
    );
    for (id, text) in every_text() {
        assert!(
            !text.contains("any two"),
            "{id}: --gpus N is not any N GPUs"
        );
    }
}

#[test]
fn init_forwards_sigterm_but_is_no_checkpoint_handler() {
    says(
        "pid-1",
        &[
            "docker run --init does not replace that handler",
            "without a handler, exits at once",
            "the checkpoint is still not saved",
            "a process whose parent has died is handed to PID 1",
        ],
        &["or start the container with docker run --init"],
    );
}

#[test]
fn kubernetes_ignores_healthcheck_and_swarm_acts_on_it() {
    says(
        "healthcheck",
        &[
            "Kubernetes ignores the image's HEALTHCHECK",
            "liveness, readiness and startup probes",
            "Swarm replaces unhealthy tasks",
            "never restarts an unhealthy container",
        ],
        &["orchestrators act on it"],
    );
}

#[test]
fn compose_up_builds_only_missing_images() {
    says(
        "docker-compose",
        &[
            "only when that image does not exist yet",
            "docker compose up -d --build",
        ],
        &["builds what needs building"],
    );
}

// Outdated statements.

#[test]
fn docker_29_hides_untagged_images_without_all() {
    says(
        "dangling-image",
        &[
            "As of Docker 29, plain docker image ls no longer lists untagged images at all: add -a",
            "--filter dangling=true",
        ],
        &["It shows up in docker image ls as"],
    );
}

#[test]
fn numpy_and_pandas_have_musl_wheels_pytorch_does_not() {
    says(
        "image-variant",
        &[
            "musllinux",
            "As of 2026-11, NumPy, pandas and many popular packages publish musllinux wheels, but PyTorch",
        ],
        &["(NumPy, pandas, PyTorch builds and more) are built for glibc"],
    );
}

#[test]
fn torchserve_is_not_recommended_without_its_status() {
    says(
        "model-serving",
        &["TorchServe", "limited maintenance since 2025"],
        &["such as TorchServe"],
    );
}

// Commands that failed or misled.

#[test]
fn gpu_notebook_commands_use_a_cuda_tag_and_localhost() {
    says(
        "docker-run",
        &[
            "--gpus all -p 127.0.0.1:8888:8888",
            "quay.io/jupyter/pytorch-notebook:cuda12-latest",
            "CPU-only PyTorch",
        ],
        &["-p 8888:8888 -v"],
    );
    says("jupyter-in-docker", &["cuda12-", "CPU-only"], &[]);
    // Anywhere the glossary gives the pytorch notebook a GPU, it names a CUDA tag.
    for (id, text) in every_text() {
        for line in text.lines() {
            if line.contains("--gpus") && line.contains("pytorch-notebook") {
                assert!(
                    line.contains("pytorch-notebook:cuda"),
                    "{id}: {line} runs the CPU-only notebook with --gpus"
                );
            }
        }
    }
}

#[test]
fn multi_platform_push_says_what_builder_it_needs() {
    for id in ["buildx", "multi-platform-image"] {
        let t = term(id);
        assert!(
            t.examples
                .iter()
                .any(|e| e.command.contains("--platform linux/amd64,linux/arm64")
                    && e.command.contains("--push")),
            "{id} lost its multi-platform push example"
        );
        says(
            id,
            &[
                "containerd image store",
                "docker-container",
                "docker buildx create --name multi --driver docker-container",
                "QEMU",
            ],
            &[],
        );
    }
    says(
        "buildx",
        &[
            "binfmt",
            "docker run --privileged --rm tonistiigi/binfmt --install all",
        ],
        &[],
    );
}

#[test]
fn repo_digests_are_not_indexed_blindly() {
    for (id, text) in every_text() {
        assert!(
            !text.contains("index .RepoDigests 0"),
            "{id}: {{{{index .RepoDigests 0}}}} fails on an image that was never pushed"
        );
    }
    says(
        "reproducible-environment",
        &[
            "{{json .RepoDigests}}",
            "[] means it was only built locally",
        ],
        &[],
    );
}

// Minor points.

#[test]
fn minor_points_are_fixed() {
    says(
        "dockerfile",
        &["provided the base image and the packages are pinned"],
        &[],
    );
    says("image", &["thin writable layer"], &["writable copy"]);
    says(
        "port-publishing",
        &["ufw and firewalld", "before Docker Engine 28", "127.0.0.1"],
        &[],
    );
    says(
        "restart-policy",
        &["docker run refuses --rm together with any --restart other than no"],
        &["has nothing left to restart"],
    );
    says(
        "pid-1",
        &["collects it when it exits"],
        &["finished DataLoader workers"],
    );
    says(
        "copy",
        &["ADD --checksum=sha256:", "prefer it to RUN curl"],
        &["or a RUN curl step is explicit about it"],
    );
    for id in ["compose-file", "gpu-access"] {
        says(id, &["gpus: all"], &[]);
    }
    says(
        "build-arg",
        &["declare it again there with ARG PYTHON"],
        &[],
    );
    says(
        "cuda-image",
        &[
            "NVIDIA deletes the tags of CUDA versions whose driver branch reached end of life",
            "Pin by digest",
        ],
        &["12.4.1"],
    );
}

// Provenance, new terms, the README.

#[test]
fn every_term_shows_when_and_against_what_it_was_checked() {
    for t in Glossary::builtin().terms() {
        let checked = t.checked.as_deref().unwrap_or_default();
        assert_eq!(checked, "2026-11", "{} was checked {checked:?}", t.id);
        assert!(!t.sources.is_empty(), "{} has no sources", t.id);
        let text = page(&t.id);
        assert!(
            text.contains("Facts last checked 2026-11, against:"),
            "{}",
            t.id
        );
        for source in t.sources.iter() {
            assert!(text.contains(&**source), "{} does not show {source}", t.id);
        }
    }
}

#[test]
fn show_json_carries_checked_and_sources() {
    let run = support::run(["show", "rate-limit", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("show prints JSON");
    assert_eq!(json["checked"], "2026-11");
    let sources = json["sources"].as_array().expect("sources is a list");
    assert!(
        sources
            .iter()
            .any(|s| s == "https://docs.docker.com/docker-hub/usage/pulls/"),
        "{sources:?}"
    );
}

#[test]
fn new_terms_exist_and_link_both_ways() {
    const NEW: [&str; 19] = [
        "save-load",
        "apptainer",
        "rootless-docker",
        "podman",
        "build-secret",
        "containerd-image-store",
        "model-runner",
        "container-lifecycle",
        "exit-code",
        "dev-container",
        "docker-init",
        "compose-watch",
        "image-scanning",
        "ulimit",
        "virtual-machine",
        "conda",
        "pip",
        "venv",
        "lock-file",
    ];
    let glossary = Glossary::builtin();
    assert!(glossary.terms().len() >= 100, "{}", glossary.terms().len());
    for id in NEW {
        let t = glossary
            .get(id)
            .unwrap_or_else(|| panic!("{id} is missing"));
        for other in t.related.iter() {
            let back = glossary.get(other).expect("build.rs checks related ids");
            assert!(
                back.related.iter().any(|r| r == id),
                "{other} does not list {id} in related"
            );
        }
    }
}

#[test]
fn new_terms_pin_their_aging_facts() {
    says(
        "ulimit",
        &[
            "As of Docker Engine 29",
            "a soft limit of 1024",
            "Too many open files",
        ],
        &[],
    );
    says(
        "exit-code",
        &[
            "125",
            "126",
            "127",
            "137 (128 + 9)",
            "143 (128 + 15)",
            "OOMKilled",
        ],
        &[],
    );
    says(
        "containerd-image-store",
        &["As of Docker Engine 29 the containerd store is the default for fresh installations"],
        &[],
    );
    says("save-load", &["Since Docker 28.0", "--platform"], &[]);
    says("model-runner", &["As of 2026-11", "models:"], &[]);
}

#[test]
fn readme_gives_the_real_term_count() {
    let readme = include_str!("../README.md");
    let count = Glossary::builtin().terms().len();
    assert!(
        readme.contains(&format!("a list of {count} terms")),
        "README.md does not say the glossary has {count} terms"
    );
}

// What the review of the other terms found (see /work/notes/glossary.md).

#[test]
fn review_findings_are_pinned() {
    says(
        "docker-hub",
        &[
            "As of 2026-11, a free Personal account can publish unlimited public repositories and one private one",
        ],
        &[],
    );
    says(
        "docker-desktop",
        &[
            "As of 2026-11, an organisation with 250 or more employees, or 10 million US dollars or more",
        ],
        &[],
    );
    says(
        "private-registry",
        &["shut down in 2025; gcr.io names are now served by Artifact Registry"],
        &[],
    );
    says(
        "docker-init",
        &["a slim base image for the Python version you name"],
        &["a pinned slim"],
    );
    says("conda", &["as of 2026-11", "200 or more people"], &[]);
    // CUDA 12.4 tags went with their driver branch: no example may still pull one.
    for (id, text) in every_text() {
        assert!(
            !text.contains("nvidia/cuda:12.4"),
            "{id} names a deleted CUDA 12.4 tag"
        );
    }
}

#[test]
fn a_remote_context_binds_the_remote_machines_folders() {
    says(
        "docker-context",
        &["paths now belong to the other machine", "DOCKER_HOST"],
        &[],
    );
    says(
        "disk-space",
        &[
            "leaves volumes alone unless you add --volumes",
            "docker builder prune",
        ],
        &[],
    );
}

#[test]
fn team_glossaries_may_omit_provenance_but_not_garble_it() {
    let sandbox = support::Sandbox::new();
    let good = sandbox.file(
        "team.yaml",
        "- id: feature-store\n  name: Feature store\n  category: ml\n  summary: Where our features live.\n  body: Built on [[volume|volumes]].\n  docs: https://example.com/fs\n",
    );
    let run = sandbox.run(["check".as_ref(), good.as_os_str()]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let bad = sandbox.file(
        "bad.yaml",
        "- id: feature-store\n  name: Feature store\n  category: ml\n  summary: Where our features live.\n  body: Built on [[volume|volumes]].\n  docs: https://example.com/fs\n  checked: Nov 2026\n  sources: [http://example.com/fs]\n",
    );
    let run = sandbox.run(["check".as_ref(), bad.as_os_str()]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let report = format!("{}{}", run.stdout, run.stderr);
    assert!(report.contains("bad.yaml:7"), "{report}");
    assert!(
        report.contains("checked must be a year and month"),
        "{report}"
    );
    assert!(report.contains("bad.yaml:8"), "{report}");
    assert!(report.contains("https:// URL"), "{report}");
}

// Second, independent review (2026-11): one test per fix.

/// The sources of term `id`.
fn sources(id: &str) -> Vec<String> {
    term(id).sources.iter().map(|s| s.to_string()).collect()
}

#[test]
fn dangling_filter_needs_no_all_flag_and_untagged_is_the_new_label() {
    // docker/cli cli/command/image/list.go: without --all, dangling images are dropped only
    // when no dangling filter is given (v29.0.0), so the filter alone lists them.
    says(
        "dangling-image",
        &[
            "docker image ls --filter dangling=true",
            "<untagged>",
            "the filter shows them even where plain docker image ls hides them",
        ],
        &[
            "-a is needed on Docker Engine 29",
            "docker image ls -a --filter dangling=true",
        ],
    );
    assert!(
        !term("dangling-image")
            .summary
            .contains("shown as <none>:<none>")
    );
}

#[test]
fn save_and_load_took_platform_in_28_and_lists_in_29() {
    // docker/cli PR #5331 (v28.0.0) added --platform to save and load; the 29.0.0 release
    // notes add several platforms at once.
    says(
        "save-load",
        &[
            "Since Docker 28.0 both commands take --platform",
            "since Docker 29.0 it accepts several",
            "zstd",
        ],
        &["As of Docker Engine 29 both commands take --platform"],
    );
    assert!(
        sources("save-load")
            .iter()
            .any(|s| s.ends_with("docker/cli/pull/5331"))
    );
}

#[test]
fn compose_is_past_v2() {
    // docker/compose tags: v5.x, module github.com/docker/compose/v5.
    says(
        "docker-compose",
        &["started as Compose v2", "as of 2026-11, is at version 5"],
        &["Compose v2 is a Docker CLI plugin"],
    );
}

#[test]
fn desktop_licence_counts_from_250_and_includes_government() {
    // docs: content/manuals/subscription/plans/desktop-license.md (free for fewer than 250
    // employees AND less than $10 million; government entities need a subscription).
    says(
        "docker-desktop",
        &[
            "250 or more employees",
            "10 million US dollars or more",
            "government entities",
            "As of 2026-11",
        ],
        &["more than 250 employees", "more than 10 million"],
    );
    assert!(
        sources("docker-desktop")
            .contains(&"https://docs.docker.com/subscription/plans/desktop-license/".to_string())
    );
}

#[test]
fn exit_status_lives_in_the_running_containers_page() {
    // The exit codes are documented in docker/cli docs/reference/run.md, which docs.docker.com
    // mounts at engine/containers/run; the CLI reference page has no #exit-status anchor.
    let t = term("exit-code");
    assert_eq!(
        &*t.docs,
        "https://docs.docker.com/engine/containers/run/#exit-status"
    );
    let s = sources("exit-code");
    assert!(s.contains(&"https://docs.docker.com/engine/containers/run/#exit-status".to_string()));
    assert!(!s.iter().any(|u| u.contains("container/run/#exit-status")));
}

#[test]
fn embedded_dns_address_is_sourced() {
    // docs: content/manuals/engine/network/dns.md documents 127.0.0.11.
    says("container-dns", &["127.0.0.11"], &[]);
    assert!(
        sources("container-dns")
            .contains(&"https://docs.docker.com/engine/network/dns/".to_string())
    );
}

#[test]
fn no_source_points_at_a_missing_buildx_anchor() {
    // docker/buildx docs/reference/buildx_build.md has no #pull or #no-cache section.
    for t in Glossary::builtin().terms() {
        for s in t.sources.iter() {
            assert!(
                !s.ends_with("buildx/build/#pull") && !s.ends_with("buildx/build/#no-cache"),
                "{} cites {s}",
                t.id
            );
        }
    }
}

#[test]
fn compose_watch_needs_build_only_to_rebuild() {
    // docker/compose pkg/compose/watch.go: only the rebuild action requires a build section;
    // compose-spec develop.md lists restart and sync+exec too.
    says(
        "compose-watch",
        &[
            "the one action that needs the service to have a build section",
            "sync+exec",
            "restart only restarts it",
        ],
        &[
            "a service that has a build section gets a develop.watch list",
            "(no glob patterns)",
        ],
    );
}

#[test]
fn rate_limit_cites_only_the_page_with_its_figures() {
    // The usage overview's table gives hourly limits that the pulls page no longer does.
    assert_eq!(
        sources("rate-limit"),
        vec!["https://docs.docker.com/docker-hub/usage/pulls/".to_string()]
    );
}

#[test]
fn build_secret_example_keeps_the_token_off_the_command_line() {
    for e in term("build-secret").examples.iter() {
        assert!(!e.command.contains("HF_TOKEN="), "{}", e.command);
    }
    says(
        "build-secret",
        &["docker build --secret id=HF_TOKEN -t my-model ."],
        &["hf_xxx"],
    );
}

#[test]
fn model_runner_platforms_and_engines() {
    // docs: ai/model-runner/_index.md (requirements) and inference-engines.md.
    says(
        "model-runner",
        &[
            "Qualcomm Adreno",
            "on the CPU or a GPU",
            "vLLM, on Linux or WSL 2 with an NVIDIA GPU",
        ],
        &["Windows with NVIDIA GPUs) and on Linux"],
    );
}

#[test]
fn logs_capture_the_main_streams_children_included() {
    // A child inherits the main process's stdout and stderr, so what it writes there is
    // logged; docker exec output goes to the exec client instead.
    says(
        "container-logs",
        &[
            "including whatever child processes it starts write there",
            "docker exec",
        ],
        &["Only the main process is captured"],
    );
}

#[test]
fn related_links_go_both_ways_where_they_teach_something() {
    for (a, b) in [
        ("healthcheck", "model-serving"),
        ("port-publishing", "host-network"),
        ("gpu-access", "jupyter-in-docker"),
        ("container-dns", "compose-service"),
        ("push-and-pull", "private-registry"),
        ("layer", "overlay-filesystem"),
        ("build-cache", "dockerignore"),
        ("bind-mount", "tmpfs-mount"),
    ] {
        assert!(
            term(a).related.iter().any(|r| &**r == b),
            "{a} does not list {b}"
        );
        assert!(
            term(b).related.iter().any(|r| &**r == a),
            "{b} does not list {a}"
        );
    }
}

#[test]
fn data_root_does_not_move_the_containerd_image_store() {
    // docs: content/manuals/engine/storage/containerd.md ("containerd uses a separate storage
    // path from the Docker data directory").
    says(
        "disk-space",
        &["images live in containerd's own directory, which data-root does not move"],
        &[],
    );
    assert!(
        sources("disk-space")
            .contains(&"https://docs.docker.com/engine/storage/containerd/".to_string())
    );
}
