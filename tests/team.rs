//! End-to-end tests of team glossaries as a team uses them: their own categories everywhere,
//! `check` finding every problem in one run, and special files in the config folder that
//! neither hang nor break unrelated commands.

use std::ffi::OsStr;
use std::path::Path;

mod support;
use support::{Run, Sandbox};

const TEAM: &str = "\
categories:
  - id: mlops
    title: MLOps at Acme
    about: How we train and ship models.
    colour: \"#123abc\"
  - id: data-platform
    after: storage
terms:
  - id: training-pipeline
    name: Training pipeline
    aliases: [pipeline]
    category: mlops
    summary: The nightly job that trains our models in a container.
    body: It runs in a [[container]] and writes to a [[volume]].
    related: [container]
    docs: https://docs.docker.com/
  - id: feature-store
    name: Feature store
    category: data-platform
    summary: Where the team's features live.
    body: Kept in a [[volume]].
    docs: https://docs.docker.com/
  - id: gpu-box
    name: GPU box
    category: our-infra
    summary: The shared training machine.
    body: Runs the [[training-pipeline]].
    docs: https://docs.docker.com/
";

fn with_team(sb: &Sandbox) -> std::path::PathBuf {
    sb.file("team.yaml", TEAM)
}

fn run_with(sb: &Sandbox, team: &Path, args: &[&str]) -> Run {
    let mut all: Vec<&OsStr> = vec![OsStr::new("--glossary"), team.as_os_str()];
    all.extend(args.iter().map(OsStr::new));
    sb.run(all)
}

#[test]
fn team_categories_are_listed_in_their_place_with_their_titles() {
    let sb = Sandbox::new();
    let team = with_team(&sb);
    let r = run_with(&sb, &team, &["list", "--format", "markdown"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let headings: Vec<&str> = r.stdout.lines().filter(|l| l.starts_with("## ")).collect();
    let at = |title: &str| {
        headings
            .iter()
            .position(|h| *h == format!("## {title}"))
            .unwrap_or_else(|| panic!("no heading {title}: {headings:?}"))
    };
    // Declared after storage; declared without `after` follows the built-ins; used only, last.
    assert_eq!(at("Data platform"), at("Storage and data") + 1);
    assert!(at("MLOps at Acme") > at("Machine learning"));
    assert_eq!(at("Our infra"), headings.len() - 1);

    let json: serde_json::Value =
        serde_json::from_str(&run_with(&sb, &team, &["list", "--format", "json"]).stdout)
            .expect("JSON");
    let pipeline = json
        .as_array()
        .expect("a list")
        .iter()
        .find(|t| t["id"] == "training-pipeline")
        .expect("listed");
    assert_eq!(pipeline["category"], "mlops");

    let shown = run_with(&sb, &team, &["show", "pipeline"]);
    assert!(shown.stdout.contains("MLOps at Acme"), "{}", shown.stdout);
}

#[test]
fn category_filter_is_case_insensitive_for_builtin_and_team_categories() {
    let sb = Sandbox::new();
    let team = with_team(&sb);
    let r = run_with(&sb, &team, &["list", "--names", "--category", "MLOps"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, "training-pipeline\n"));
    let r = run_with(&sb, &team, &["list", "--names", "-c", "Our-Infra"]);
    assert_eq!(r.stdout, "gpu-box\n");
    let r = sb.run(["list", "--names", "--category", "STORAGE"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.lines().any(|l| l == "volume"), "{}", r.stdout);
    let r = run_with(&sb, &team, &["list", "--category", "cooking"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("possible values") && r.stderr.contains("mlops"),
        "{}",
        r.stderr
    );
}

#[test]
fn graph_colours_and_groups_team_categories() {
    let sb = Sandbox::new();
    let team = with_team(&sb);
    let dot = run_with(&sb, &team, &["graph", "training-pipeline"]).stdout;
    assert!(dot.contains("subgraph cluster_mlops {"), "{dot}");
    assert!(dot.contains("label=\"MLOps at Acme\""), "{dot}");
    assert!(dot.contains("fillcolor=\"#123abc\""), "{dot}");
    let mermaid = run_with(&sb, &team, &["--format", "mermaid", "graph"]).stdout;
    assert!(
        mermaid.contains("classDef data_platform fill:#"),
        "{mermaid}"
    );
    assert!(
        mermaid.contains("subgraph c_our_infra[\"Our infra\"]"),
        "{mermaid}"
    );
    let json: serde_json::Value = serde_json::from_str(
        &run_with(&sb, &team, &["--format", "json", "graph", "gpu-box"]).stdout,
    )
    .expect("JSON");
    assert!(
        json["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .any(|n| n["category"] == "our-infra")
    );
}

#[test]
fn completions_offer_team_categories() {
    let sb = Sandbox::new();
    let team = with_team(&sb);
    let script = run_with(&sb, &team, &["completions", "bash"]).stdout;
    assert!(
        script.contains("data-platform"),
        "team categories are offered"
    );
    assert!(script.contains("orchestration"));
}

#[test]
fn check_reports_every_kind_of_mistake_in_one_run_sorted_with_a_summary() {
    let sb = Sandbox::new();
    let bad = sb.file(
        "bad.yaml",
        "- id: a\n  name: [wrong, type]\n  category: ml\n  sumary: typo\n  body: see [[nowhere]]\n  docs: https://x\n- id: b\n  name: B \u{202e}reversed\n  category: imgae\n  summary: s\n  body: b\n  docs: https://x\n- id: c\n  name: Container\n  category: ml\n  summary: s\n  body: b\n  related: [also-nowhere]\n  docs: https://x\n",
    );
    let r = sb.run([OsStr::new("check"), bad.as_os_str()]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let file = bad.display().to_string();
    let lines: Vec<&str> = r.stdout.lines().collect();
    let expected = [
        (2, "name: invalid type"),
        (4, "unknown field 'sumary' (did you mean 'summary'?)"),
        (5, "[[nowhere]]"),
        (8, "bidirectional"),
        (9, "unknown category 'imgae' (did you mean 'image'?)"),
        (14, "'Container' is already"),
        (18, "'also-nowhere'"),
    ];
    for (i, (line, needle)) in expected.iter().enumerate() {
        let prefix = format!("{file}:{line}:");
        assert!(
            lines[i].starts_with(&prefix) && lines[i].contains(needle),
            "line {i}: expected {prefix} … {needle}\n{}",
            r.stdout
        );
    }
    assert_eq!(lines.len(), expected.len() + 1, "{}", r.stdout);
    assert_eq!(lines[expected.len()], "7 problems in 1 of 1 file(s)");
    // Nothing escapes to the terminal.
    assert!(!r.stdout.contains('\u{202e}'));
}

#[test]
fn check_json_is_for_editors() {
    let sb = Sandbox::new();
    let bad = sb.file(
        "bad.yaml",
        "- id: a\n  name: A\n  category: ml\n  summary: s\n  body: b\n  docs: http://insecure\n",
    );
    let r = sb.run([
        OsStr::new("check"),
        OsStr::new("--format"),
        OsStr::new("json"),
        bad.as_os_str(),
    ]);
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    assert_eq!(v["ok"], false);
    assert_eq!(v["problems"][0]["line"], 6);
    assert_eq!(v["problems"][0]["column"], 3);
    assert_eq!(v["problems"][0]["fatal"], false);
    assert!(
        v["problems"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("https://"))
    );
    assert_eq!(v["files"][0]["terms"], 1);

    let good = sb.file("team.yaml", TEAM);
    let r = sb.run([
        OsStr::new("check"),
        OsStr::new("--format=json"),
        good.as_os_str(),
    ]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    assert_eq!((r.code, &v["ok"]), (0, &serde_json::Value::Bool(true)));
    assert_eq!(v["files"][0]["categories"], 2);
}

#[test]
fn check_exits_2_when_a_file_cannot_be_checked() {
    let sb = Sandbox::new();
    let good = sb.file("team.yaml", TEAM);
    for args in [
        vec![sb.path().join("missing.yaml")],
        vec![sb.path().to_path_buf()],
        vec![sb.file("big.yaml", vec![b'#'; 9 * 1024 * 1024])],
        vec![sb.file("deep.yaml", "[".repeat(1000))],
        vec![sb.path().join("missing.yaml"), good.clone()],
    ] {
        let mut all = vec![OsStr::new("check")];
        all.extend(args.iter().map(|a| a.as_os_str()));
        let r = sb.run(all);
        assert_eq!(r.code, 2, "{args:?}: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
        if args.len() == 2 {
            // The other file is still checked.
            assert!(
                r.stdout.contains("team.yaml: ok, 3 term(s), 2 categories"),
                "{}",
                r.stdout
            );
        }
    }
}

#[test]
fn the_same_file_through_several_paths_is_loaded_once() {
    let sb = Sandbox::new();
    let team = with_team(&sb);
    std::fs::copy(&team, sb.glossary_dir().join("team.yaml")).expect("copy");
    let link = sb.path().join("link.yaml");
    std::os::unix::fs::symlink(sb.glossary_dir().join("team.yaml"), &link).expect("symlink");
    let output = sb
        .dterms()
        .env("DTERMS_GLOSSARY", &link)
        .args(["--glossary"])
        .arg(&link)
        .args(["show", "gpu-box"])
        .output()
        .expect("runs");
    let r = Run::from(output);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "");
}

#[test]
fn special_files_in_the_config_folder_are_skipped_with_a_warning() {
    let sb = Sandbox::new();
    let dir = sb.glossary_dir();
    std::fs::create_dir(dir.join("folder.yaml")).expect("dir");
    std::os::unix::fs::symlink("/no/such/file", dir.join("dangling.yaml")).expect("symlink");
    let fifo = dir.join("fifo.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    assert!(made, "mkfifo works here");
    std::fs::write(dir.join("team.yaml"), TEAM).expect("write");
    // A FIFO nobody writes to would block a plain open() forever.
    let r = sb.run(["show", "gpu-box"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let warnings: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(warnings.len(), 3, "{}", r.stderr);
    assert!(warnings.iter().all(|w| w.starts_with("warning: skipping ")));
    assert!(r.stderr.contains("FIFO") && r.stderr.contains("directory"));

    // Given by name, a FIFO is an error, not a hang.
    let r = sb.run([
        OsStr::new("--glossary"),
        fifo.as_os_str(),
        OsStr::new("list"),
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("is a FIFO"), "{}", r.stderr);
}

#[test]
fn a_broken_team_file_does_not_stop_commands_that_use_no_team_terms() {
    let sb = Sandbox::new();
    std::fs::write(sb.glossary_dir().join("broken.yaml"), "- id: [\n").expect("write");
    for args in [
        &["explain", "python:3.12-slim"][..],
        &["man"],
        &["completions", "zsh"],
    ] {
        let r = sb.run(args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert!(!r.stdout.is_empty());
    }
    // Commands that use team terms name the file and line.
    let r = sb.run(["show", "image"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("broken.yaml:"), "{}", r.stderr);
}
