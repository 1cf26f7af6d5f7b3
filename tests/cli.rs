//! End-to-end tests of the `dterms` binary: every command, exit codes, stdout and stderr kept
//! apart, escape codes only when asked for, JSON shapes, and hostile input.

use std::ffi::OsStr;
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::process::Stdio;

mod support;
use support::{Sandbox, dterms, golden, run};

#[test]
fn show_prints_the_page_and_nothing_on_stderr() {
    let r = run(["show", "image"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("Image\n"), "{}", r.stdout);
    assert!(r.stdout.contains("See also"));
    assert_eq!(r.stderr, "");
}

#[test]
fn show_joins_words_and_forgives_case_plurals_and_docker() {
    for args in [
        &["show", "image", "id"][..],
        &["show", "Image-IDs"],
        &["show", "docker", "volumes"],
    ] {
        let r = run(args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert_eq!(r.stderr, "", "{args:?}");
    }
}

#[test]
fn fuzzy_match_says_what_it_shows_on_stderr() {
    let r = run(["show", "contianer"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("Container\n"));
    assert_eq!(r.stderr, "showing 'Container' for 'contianer'\n");
}

#[test]
fn unknown_term_exits_1_with_nothing_on_stdout() {
    let r = run(["show", "xyzzy"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr.starts_with("error: no term 'xyzzy'\n"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_query_that_names_no_term_lists_the_closest_search_hits() {
    let r = run(["show", "regstry", "hub"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr
            .starts_with("error: no term 'regstry hub'; closest in the glossary:\n  docker-hub "),
        "{}",
        r.stderr
    );
}

#[test]
fn show_offers_as_closest_only_terms_whose_names_the_query_may_mean() {
    // `sudo` is in an example of nvidia-container-toolkit, which is no reason to offer it.
    for query in ["sudo", "pytorch"] {
        let r = run(["show", query]);
        assert_eq!(r.code, 1, "{query}");
        assert_eq!(
            r.stderr,
            format!("error: no term '{query}'\nhint: 'dterms list' shows every term\n")
        );
    }
}

#[test]
fn show_never_shows_a_term_the_query_does_not_name() {
    // From issue 14: these used to show ENV, Dockerfile, or suggest unrelated terms.
    for query in ["venv", "lockfile", "sudo", "conda", "nonexistent"] {
        let r = run(["show", query]);
        if r.code == 0 {
            // Once the glossary has the term, it must be that term, found exactly.
            assert!(!r.stderr.contains("showing"), "{query}: {}", r.stderr);
            continue;
        }
        assert_eq!(r.code, 1, "{query}");
        assert!(
            r.stderr.starts_with(&format!("error: no term '{query}'")),
            "{}",
            r.stderr
        );
        assert!(!r.stderr.contains("showing") && !r.stderr.contains("Did you mean"));
    }
}

#[test]
fn ambiguous_query_lists_candidates_and_exits_1() {
    let r = run(["show", "re"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr.contains("registry") && r.stderr.contains("repository"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_query_matching_many_terms_lists_only_the_first_few() {
    let r = run(["show", "do"]);
    assert_eq!(r.code, 1);
    let listed = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("  ") && !l.contains("more"))
        .count();
    assert!(listed <= 8, "{}", r.stderr);
    assert!(
        r.stderr.contains("more: type a few more letters"),
        "{}",
        r.stderr
    );
}

#[test]
fn list_piped_is_one_tab_separated_record_per_term() {
    let r = run(["list"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.lines().count() >= 13);
    for line in r.stdout.lines() {
        let (id, summary) = line.split_once('\t').expect("id<TAB>summary");
        assert!(!id.is_empty() && !summary.is_empty() && !summary.contains('\t'));
    }
}

#[test]
fn list_names_and_category_filter() {
    let r = run(["list", "--names", "--category", "storage"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.lines().any(|l| l == "volume"));
    assert!(!r.stdout.lines().any(|l| l == "image"));
    assert!(r.stdout.lines().all(|l| !l.contains(char::is_whitespace)));
}

#[test]
fn list_rejects_an_unknown_category_with_usage_error() {
    let r = run(["list", "--category", "cooking"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("possible values"), "{}", r.stderr);
}

#[test]
fn search_ranks_the_named_term_first() {
    let r = run(["search", "tag"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("tag\t"), "{}", r.stdout);
    assert_eq!(r.stderr, "");
}

#[test]
fn search_respects_limit() {
    let r = run(["search", "image", "--limit", "2"]);
    assert_eq!(r.stdout.lines().count(), 2);
}

#[test]
fn search_without_hits_exits_1_with_nothing_on_stdout() {
    let r = run(["search", "qqqzzzxxx"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, "");
    assert!(r.stderr.contains("no term mentions 'qqqzzzxxx'"));
}

#[test]
fn piped_output_has_no_escape_codes_at_all() {
    for args in [
        &["show", "image"][..],
        &["list"],
        &["search", "layer"],
        &["show", "tag", "--format", "markdown"],
    ] {
        let r = run(args);
        assert!(!r.stdout.contains('\x1b'), "{args:?} wrote an escape code");
    }
}

#[test]
fn color_always_styles_even_when_piped_and_even_with_no_color() {
    for args in [&["show", "image"][..], &["list"], &["search", "layer"]] {
        let mut with_flag = vec!["--color", "always"];
        with_flag.extend_from_slice(args);
        let r = run(&with_flag);
        assert!(r.stdout.contains("\x1b["), "{args:?}");
        let output = dterms()
            .env("NO_COLOR", "1")
            .args(&with_flag)
            .output()
            .expect("runs");
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("\x1b["),
            "NO_COLOR beat --color always"
        );
    }
}

#[test]
fn json_documents_have_the_documented_shapes() {
    let show: serde_json::Value =
        serde_json::from_str(&run(["--format", "json", "show", "repo"]).stdout).expect("JSON");
    assert_eq!(show["id"], "repository");
    assert_eq!(show["match"]["kind"], "alias");
    assert!(
        show["referenced_by"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
    );

    let list: serde_json::Value =
        serde_json::from_str(&run(["list", "--format", "json"]).stdout).expect("JSON");
    let first = &list[0];
    for key in ["id", "name", "category", "summary"] {
        assert!(first[key].is_string(), "list entry lacks {key}");
    }

    let hits: serde_json::Value =
        serde_json::from_str(&run(["search", "digest", "--format=json"]).stdout).expect("JSON");
    for key in ["id", "name", "summary", "snippet"] {
        assert!(hits[0][key].is_string(), "hit lacks {key}");
    }
    assert!(hits[0]["score"].is_number());
}

#[test]
fn width_option_and_columns_variable_wrap_text() {
    let narrow = run(["show", "image", "--width", "40"]);
    assert!(
        narrow
            .stdout
            .lines()
            .filter(|l| !l.contains("://") && !l.contains("docker "))
            .all(|l| l.chars().count() <= 40)
    );
    let output = dterms()
        .env("COLUMNS", "50")
        .args(["show", "image"])
        .output()
        .expect("runs");
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(text.lines().any(|l| l.chars().count() > 40));
    assert!(
        text.lines()
            .filter(|l| !l.contains("://") && !l.contains("docker "))
            .all(|l| l.chars().count() <= 50)
    );
    assert_eq!(run(["show", "image", "--width", "5"]).code, 2);
}

#[test]
fn empty_and_overlong_queries_are_errors() {
    let empty = run(["show", ""]);
    assert_eq!(empty.code, 2);
    assert_eq!(empty.stdout, "");
    assert!(
        empty.stderr.starts_with("error: the query is empty"),
        "{}",
        empty.stderr
    );

    let long = "a".repeat(5000);
    let r = run(["search", &long]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("limit is 200"), "{}", r.stderr);
}

#[test]
fn missing_arguments_are_usage_errors() {
    assert_eq!(run(["show"]).code, 2);
    assert_eq!(run(Vec::<&str>::new()).code, 2);
    assert_eq!(run(["frobnicate"]).code, 2);
}

#[test]
fn non_utf8_arguments_are_a_clear_error() {
    let r = run([OsStr::from_bytes(b"show"), OsStr::from_bytes(b"im\xffage")]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("invalid UTF-8"), "{}", r.stderr);
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let r = run(["show", "\x1b[31mevil\x07"]);
    assert_eq!(r.code, 1);
    assert!(
        !r.stderr.contains('\x1b') && !r.stderr.contains('\x07'),
        "{:?}",
        r.stderr
    );
    assert!(r.stderr.contains("[31mevil"));

    let r = run(["explain", "\x1b[31mEvil:tag"]);
    assert_eq!(r.code, 2);
    assert!(!r.stderr.contains('\x1b'), "{:?}", r.stderr);

    let r = run(["--\x1b]0;pwned\x07", "show", "image"]);
    assert_eq!(r.code, 2);
    assert!(
        !r.stderr.contains('\x1b') && !r.stderr.contains('\x07'),
        "{:?}",
        r.stderr
    );
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let sb = Sandbox::new();
    let mut child = sb
        .command(env!("CARGO_BIN_EXE_dterms"))
        .args(["list", "--width", "20"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dterms starts");
    // Read one byte, then hang up while dterms may still be writing.
    let mut stdout = child.stdout.take().expect("piped");
    let mut byte = [0u8; 1];
    stdout.read_exact(&mut byte).expect("some output");
    drop(stdout);
    let output = child.wait_with_output().expect("dterms ends");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

#[test]
fn help_teaches_and_matches_its_snapshot() {
    let r = run(["--help"]);
    assert_eq!(r.code, 0);
    golden("help.txt", &r.stdout);
    for sub in ["show", "list", "search", "explain"] {
        assert_eq!(run([sub, "--help"]).code, 0);
    }
}

#[test]
fn version_is_printed() {
    let r = run(["--version"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("dterms "));
}

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ml.Dockerfile");

#[test]
fn explain_reference_matches_its_golden_file() {
    let r = run([
        "--width",
        "80",
        "explain",
        "nvcr.io/nvidia/pytorch:24.05-py3",
    ]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    golden("explain-reference.txt", &r.stdout);
}

#[test]
fn explain_command_matches_its_golden_file() {
    let r = run([
        "--width",
        "80",
        "explain",
        "docker",
        "run",
        "-it",
        "--rm",
        "--gpus",
        "all",
        "-v",
        "$PWD/data:/data",
        "-p",
        "8888:8888",
        "quay.io/jupyter/pytorch-notebook",
    ]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    golden("explain-command.txt", &r.stdout);
}

#[test]
fn explain_shows_heredoc_bodies_line_by_line() {
    let sandbox = Sandbox::new();
    let file = sandbox.file(
        "Dockerfile",
        "FROM python:3.12\nRUN <<EOF\nset -e\n```\n\tpip install torch\nEOF\nRUN echo done\n",
    );
    let r = sandbox.run(["--width", "80", "explain", file.to_str().unwrap()]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    // The body keeps its lines (a line of backticks does not end the block early, a tab is
    // shown as spaces) and the
    // next instruction is an item of its own again.
    assert!(
        r.stdout.contains(
            "layer\n  <<EOF\n  set -e\n  '``\n      pip install torch\n* Line 7 RUN echo done"
        ),
        "{}",
        r.stdout
    );
}

#[test]
fn explain_shows_a_backtick_escape_directive_as_a_backtick() {
    let sandbox = Sandbox::new();
    let file = sandbox.file("Dockerfile", "# escape=`\nFROM python:3.12\n");
    let r = sandbox.run(["explain", file.to_str().unwrap()]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    assert!(
        r.stdout.contains("\n* Parser directive escape: `\n"),
        "{}",
        r.stdout
    );
}

#[test]
fn explain_refuses_stray_options_and_extra_words_instead_of_reading_error_text() {
    let sandbox = Sandbox::new();
    let file = sandbox.file("Dockerfile", "FROM python:3.12\n");
    let file = file.to_str().unwrap();
    for (args, expected) in [
        (
            vec!["explain", file, "--json"],
            "error: '--json' is not an option of dterms explain; JSON output is --format json\n",
        ),
        (
            vec!["explain", "--json", file],
            "error: '--json' is not an option of dterms explain; JSON output is --format json\n",
        ),
        (
            vec!["explain", "-it"],
            "error: '-it' is not an option of dterms explain; see dterms explain --help, or for docker's option: dterms show -it\n",
        ),
    ] {
        let r = sandbox.run(&args);
        assert_eq!(
            (r.code, r.stdout.as_str(), r.stderr.as_str()),
            (2, "", expected),
            "{args:?}"
        );
    }
    // A file named docker in the current folder does not make a command line a file.
    let docker = sandbox.file("docker", "not a program\n");
    let mut cmd = sandbox.dterms();
    cmd.current_dir(docker.parent().unwrap())
        .args(["explain", "docker", "run", "-it", "ubuntu"]);
    let r = support::Run::from(cmd.output().unwrap());
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    let r = sandbox.run(["explain", "--as", "dockerfile", file, "extra"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("explain reads one file at a time, and 'extra'"),
        "{}",
        r.stderr
    );
    let r = sandbox.run(["explain", file, "compose.yaml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("explain reads one file at a time, and 'compose.yaml'"),
        "{}",
        r.stderr
    );
    // Text that only starts with a dash is still read as pasted output, and options written
    // exactly after the file are still dterms' own.
    let r = sandbox.run(["explain", "-bash:", "docker:", "command", "not", "found"]);
    assert_ne!(r.code, 2, "{}", r.stderr);
    let r = sandbox.run(["explain", file, "--format", "json"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    assert!(r.stdout.starts_with('{'));
}

#[test]
fn explain_dockerfile_matches_its_golden_file() {
    let r = run(["--width", "80", "explain", FIXTURE]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    golden(
        "explain-dockerfile.txt",
        &r.stdout.replace(FIXTURE, "tests/fixtures/ml.Dockerfile"),
    );
}

#[test]
fn explain_takes_one_quoted_command_line_and_stdin() {
    let quoted = run([
        "explain",
        "docker run --rm -e 'MSG=hello world' alpine echo hi",
    ]);
    assert_eq!(quoted.code, 0);
    assert!(
        quoted.stdout.contains("MSG set to 'hello world'"),
        "{}",
        quoted.stdout
    );

    let output = dterms()
        .args(["--format", "json", "explain", "-"])
        .write_stdin("FROM python:3.12-slim\nCMD [\"python\"]\n")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(v["kind"], "dockerfile");
    assert_eq!(v["stages"][0]["base"], "python:3.12-slim");
}

#[test]
fn explain_json_shapes() {
    let r = run([
        "--format",
        "json",
        "explain",
        "python:3.12-slim@sha256:".to_owned().as_str(),
    ]);
    assert_eq!(r.code, 2, "an invalid digest is an error");

    let v: serde_json::Value =
        serde_json::from_str(&run(["explain", "python:3.12-slim", "--format", "json"]).stdout)
            .expect("JSON");
    for key in [
        "kind",
        "input",
        "name",
        "registry",
        "path",
        "tag",
        "digest",
        "normalized",
        "familiar",
        "parts",
        "notes",
    ] {
        assert!(v.get(key).is_some(), "reference JSON lacks {key}");
    }
    let v: serde_json::Value = serde_json::from_str(
        &run(["--format", "json", "explain", "docker", "pull", "redis"]).stdout,
    )
    .expect("JSON");
    for key in [
        "kind",
        "input",
        "subcommand",
        "parts",
        "image",
        "container_command",
    ] {
        assert!(v.get(key).is_some(), "command JSON lacks {key}");
    }
    assert_eq!(v["image"]["familiar"], "redis");
    let v: serde_json::Value =
        serde_json::from_str(&run(["--format", "json", "explain", FIXTURE]).stdout).expect("JSON");
    for key in [
        "kind",
        "path",
        "directives",
        "stages",
        "instructions",
        "tips",
    ] {
        assert!(v.get(key).is_some(), "dockerfile JSON lacks {key}");
    }
    assert_eq!(v["stages"][1]["copies_from"][0], "builder");
}

#[test]
fn explain_errors_exit_2_with_one_line_and_nothing_on_stdout() {
    for (args, needle) in [
        (&["explain", "Acme/App:v1"][..], "uppercase"),
        (&["explain", "python:"], "tag"),
        (
            &["explain", "--as", "dockerfile", "/no/such/Dockerfile"],
            "cannot read",
        ),
        (&["explain", "--as", "dockerfile", "src"], "directory"),
        (&["explain", "docker run 'oops"], "unterminated"),
        (&["explain", "--as", "reference", "two", "words"], "2 words"),
    ] {
        let r = run(args);
        assert_eq!(r.code, 2, "{args:?}");
        assert_eq!(r.stdout, "", "{args:?}");
        assert!(
            r.stderr.starts_with("error: ") && r.stderr.contains(needle),
            "{args:?}: {}",
            r.stderr
        );
        assert_eq!(r.stderr.lines().count(), 1, "{args:?}: {}", r.stderr);
    }
    let sb = Sandbox::new();
    let bad = sb.file("bad.Dockerfile", "FROM python:3.12\nRUNN pip install x\n");
    let r = sb.run([std::ffi::OsStr::new("explain"), bad.as_os_str()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains(":2: unknown instruction 'RUNN' (did you mean RUN?)"),
        "{}",
        r.stderr
    );
}

#[test]
fn explain_output_is_plain_when_piped_and_styled_when_asked() {
    let plain = run(["explain", FIXTURE]);
    assert!(!plain.stdout.contains('\x1b'));
    let styled = run(["--color", "always", "explain", FIXTURE]);
    assert!(styled.stdout.contains("\x1b["));
}

const TEAM: &str = "- id: feature-store
  name: Feature store
  aliases: [fstore]
  category: ml
  summary: Where the team's features live, versioned next to the data.
  body: |
    Our feature store keeps features in a [[volume]] shared by the training
    [[container|containers]].
  related: [volume, image]
  docs: https://docs.docker.com/engine/storage/volumes/
- id: image
  name: Image
  category: image
  summary: At our company, always built by CI and pushed to ghcr.io/acme.
  body: Ours come from CI, see [[registry]].
  related: [registry, container]
  docs: https://docs.docker.com/get-started/docker-concepts/the-basics/what-is-an-image/
";

#[test]
fn team_glossaries_join_show_list_search_and_graph() {
    let sb = Sandbox::new();
    let team = sb.file("team.yaml", TEAM);
    let team = team.to_str().expect("UTF-8 path");
    let shown = sb.run(["--glossary", team, "show", "fstore"]);
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    assert!(shown.stdout.starts_with("Feature store\n"));
    let listed = sb.run(["--glossary", team, "list", "--names"]);
    assert!(listed.stdout.lines().any(|l| l == "feature-store"));
    let found = sb.run(["--glossary", team, "search", "features"]);
    assert!(
        found.stdout.starts_with("feature-store\t"),
        "{}",
        found.stdout
    );
    let graph = sb.run(["--glossary", team, "graph", "feature-store"]);
    assert!(
        graph.stdout.contains("\"feature-store\" -> \"volume\";"),
        "{}",
        graph.stdout
    );
    // A built-in term cross-links back to the team term.
    let volume = sb.run(["--glossary", team, "--format", "json", "show", "volume"]);
    let v: serde_json::Value = serde_json::from_str(&volume.stdout).expect("JSON");
    assert!(
        v["referenced_by"]
            .as_array()
            .expect("list")
            .iter()
            .any(|t| t["id"] == "feature-store")
    );
}

#[test]
fn a_team_term_replaces_the_builtin_one_and_show_says_so() {
    let sb = Sandbox::new();
    let team = sb.file("override.yaml", TEAM);
    let r = sb.run([
        OsStr::new("--glossary"),
        team.as_os_str(),
        OsStr::new("show"),
        OsStr::new("image"),
    ]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("ghcr.io/acme"));
    assert!(
        r.stderr.starts_with("note: 'Image' comes from ")
            && r.stderr.contains("replacing the built-in term"),
        "{}",
        r.stderr
    );
}

#[test]
fn team_glossaries_come_from_the_environment_and_the_config_folder() {
    let sb = Sandbox::new();
    let team = sb.file("env.yaml", TEAM);
    let output = sb
        .dterms()
        .env("DTERMS_GLOSSARY", &team)
        .args(["show", "feature-store"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));

    let sb = Sandbox::new();
    std::fs::write(sb.glossary_dir().join("team.yml"), TEAM).expect("write");
    let r = sb.run(["show", "feature-store"]);
    assert_eq!(r.code, 0, "{}", r.stderr);

    // Without XDG_CONFIG_HOME, the folder is ~/.config/dterms.
    let sb = Sandbox::new();
    let dir = sb.home().join(".config/dterms");
    std::fs::create_dir_all(&dir).expect("config folder");
    std::fs::write(dir.join("team.yaml"), TEAM).expect("write");
    let output = sb
        .dterms()
        .env_remove("XDG_CONFIG_HOME")
        .args(["show", "feature-store"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn a_bad_team_glossary_fails_cleanly_with_the_file_named() {
    let sb = Sandbox::new();
    let bad = sb.file(
        "bad.yaml",
        "- id: x\n  name: X\n  category: ml\n  sumary: typo\n  body: b\n  docs: https://x\n",
    );
    let bad_str = bad.to_str().expect("UTF-8 path");
    let r = sb.run(["--glossary", bad_str, "show", "image"]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr.starts_with(&format!(
            "error: {bad_str}:4:3: unknown field 'sumary' (did you mean 'summary'?)"
        )),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.lines().count(), 1);

    for hostile in [sb.file("binary.yaml", "\u{0}\u{1}ELF"), sb.home()] {
        let r = sb.run([
            OsStr::new("--glossary"),
            hostile.as_os_str(),
            OsStr::new("list"),
        ]);
        assert_eq!(r.code, 2, "{}", hostile.display());
        assert!(
            r.stderr.starts_with("error: ") && !r.stderr.contains("panicked"),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn check_reports_every_problem_or_says_ok() {
    let sb = Sandbox::new();
    let good = sb.file("good.yaml", TEAM);
    let r = sb.run([OsStr::new("check"), good.as_os_str()]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.ends_with(": ok, 2 term(s)\n"), "{}", r.stdout);

    let bad = sb.file(
        "many.yaml",
        "- id: a\n  name: A\n  category: ml\n  sumary: s\n  body: b\n  docs: https://x\n- id: b\n  name: Container\n  category: ml\n  summary: s\n  body: see [[nowhere]]\n  related: [also-nowhere]\n  docs: https://x\n",
    );
    let r = sb.run([OsStr::new("check"), bad.as_os_str()]);
    assert_eq!(r.code, 1);
    let file = bad.display().to_string();
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{}", r.stdout);
    assert_eq!(lines[4], "4 problems in 1 of 1 file(s)");
    for (line, needle) in [
        (4, "sumary"),
        (8, "'Container' is already"),
        (11, "[[nowhere]]"),
        (12, "'also-nowhere'"),
    ] {
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("{file}:{line}:")) && l.contains(needle)),
            "{line} {needle}: {}",
            r.stdout
        );
    }
}

#[test]
fn bash_completion_completes_term_names() {
    let sb = Sandbox::new();
    let script = sb.run(["completions", "bash"]).stdout;
    let path = sb.file("dterms.bash", &script);
    let output = sb
        .command("bash")
        .arg("-c")
        .arg(format!(
            "source {}; COMP_WORDS=(dterms show cont); COMP_CWORD=2; COMP_LINE='dterms show cont'; COMP_POINT=${{#COMP_LINE}}; _dterms dterms cont show; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            path.display()
        ))
        .output()
        .expect("bash runs");
    let offered = String::from_utf8_lossy(&output.stdout);
    assert!(
        offered.lines().any(|l| l == "container"),
        "offered: {offered:?}"
    );
    assert!(
        offered.lines().all(|l| l.starts_with("cont")),
        "offered: {offered:?}"
    );
}

#[test]
fn man_page_is_roff_with_every_section() {
    let r = run(["man"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.contains(".TH dterms 1"),
        "{}",
        &r.stdout[..200.min(r.stdout.len())]
    );
    for needle in [
        ".SH \"EXIT STATUS\"",
        ".SH ENVIRONMENT",
        "DTERMS_GLOSSARY",
        "dterms graph",
        "GLOSSARY FILES",
    ] {
        assert!(r.stdout.contains(needle), "missing {needle}");
    }
}

#[test]
fn graph_prints_dot_mermaid_markdown_and_json() {
    let dot = run(["graph", "image", "--depth", "1"]);
    assert_eq!(dot.code, 0);
    assert!(dot.stdout.starts_with("digraph dterms {"));
    let mermaid = run(["--format", "mermaid", "graph", "image"]);
    assert!(mermaid.stdout.starts_with("flowchart LR\n"));
    let markdown = run(["--format", "markdown", "graph", "tag"]);
    assert!(
        markdown.stdout.starts_with("```mermaid\nflowchart LR\n")
            && markdown.stdout.ends_with("```\n")
    );
    let json: serde_json::Value =
        serde_json::from_str(&run(["--format", "json", "graph"]).stdout).expect("JSON");
    assert!(json["nodes"].as_array().is_some_and(|n| n.len() >= 60));
    assert_eq!(run(["graph", "xyzzy"]).code, 1);
    let wrong = run(["--format", "dot", "show", "image"]);
    assert_eq!(wrong.code, 2);
    assert!(wrong.stderr.contains("only with graph"));
}

#[test]
fn long_output_on_a_terminal_goes_through_the_pager() {
    // `script` runs dterms on a pseudo-terminal, as a person would.
    let sb = Sandbox::new();
    let target = sb.file("paged.txt", "");
    let pager = format!("sh -c 'cat > {}'", target.display());
    let script = |command: &str| {
        sb.command("script")
            .env("DTERMS_PAGER", &pager)
            .env("TERM", "xterm")
            .args(["-qec", command, "/dev/null"])
            .stdout(Stdio::null())
            .status()
            .expect("script runs")
    };
    let status = script(&format!("{} show image", env!("CARGO_BIN_EXE_dterms")));
    assert!(status.success());
    let paged = std::fs::read_to_string(&target).expect("the pager wrote");
    assert!(paged.contains("Image"), "{paged:?}");
    assert!(paged.contains("\u{1b}["), "styles survive the pager");

    std::fs::write(&target, "").expect("reset");
    let status = script(&format!(
        "{} --no-pager show image",
        env!("CARGO_BIN_EXE_dterms")
    ));
    assert!(status.success());
    assert_eq!(
        std::fs::read_to_string(&target).expect("exists"),
        "",
        "--no-pager does not page"
    );
}

#[test]
fn words_starting_with_a_dash_are_looked_up_not_refused() {
    let r = run(["show", "-it"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("Interactive"), "{}", r.stdout);
    for flag in ["--gpus", "-p", "--env-file"] {
        let r = run(["search", flag, "--limit", "3"]);
        assert_eq!(r.code, 0, "{flag}: {}", r.stderr);
        assert!(r.stdout.lines().count() <= 3, "{flag}: {}", r.stdout);
    }
    let r = run(["search", "--help"]);
    assert!(
        r.stdout.contains("even one that starts with `-`"),
        "{}",
        r.stdout
    );
}

#[test]
fn categories_are_matched_in_any_case() {
    let lower = run(["list", "--category", "run", "--names"]);
    let title = run(["list", "--category", "Run", "--names"]);
    assert_eq!(title.code, 0, "{}", title.stderr);
    assert_eq!(title.stdout, lower.stdout);
    assert!(title.stdout.contains("docker-run"));
}

#[test]
fn search_says_when_no_term_matches_well() {
    let r = run(["search", "how", "to", "bake", "sourdough", "bread"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr
            .starts_with("no term matches 'how to bake sourdough bread' well"),
        "{}",
        r.stderr
    );
    let r = run(["--format", "json", "search", "shared", "memory"]);
    assert_eq!(r.code, 0);
    let hits: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    assert_eq!(hits[0]["id"], "shared-memory");
    assert_eq!(hits[0]["score"], 1.0);
    assert_eq!(hits[0]["confident"], true);
    assert_eq!(hits[0]["kind"], "term");
}

/// The product's headline question: lost files are a storage question, answered by volumes,
/// with confidence (a confident answer prints on stdout and exits 0).
#[test]
fn search_answers_why_data_disappears_with_volume_first() {
    let r = run(["search", "why", "does", "my", "data", "disappear"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("volume\t"), "{}", r.stdout);
    let r = run(["--format", "json", "search", "why does my data disappear"]);
    let hits: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    assert_eq!(hits[0]["id"], "volume");
    assert_eq!(hits[0]["confident"], true);
    assert_eq!(hits[1]["confident"], false, "{}", r.stdout);
}

/// Jargon the glossary explains without a term of that name: search finds the explaining
/// term with confidence, while `show` still refuses to guess.
#[test]
fn search_finds_jargon_explained_inside_a_term() {
    for (word, id) in [
        ("dind", "docker-engine"),
        ("distroless", "image-variant"),
        ("unshare", "namespace"),
    ] {
        let r = run(["--format", "json", "search", word]);
        assert_eq!(r.code, 0, "{word}: {}", r.stderr);
        let hits: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
        assert_eq!(hits[0]["id"], id, "{word}");
        assert_eq!(hits[0]["confident"], true, "{word}");
        let shown = run(["show", word]);
        assert_eq!(shown.code, 1, "{word}: {}", shown.stdout);
    }
}

#[test]
fn pasted_errors_find_the_error_entry_first_then_its_terms() {
    let r = run([
        "search",
        "Bind for 0.0.0.0:8888 failed: port is already allocated",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ids: Vec<&str> = r
        .stdout
        .lines()
        .filter_map(|l| l.split('\t').next())
        .collect();
    assert_eq!(ids.first(), Some(&"port-already-allocated"), "{}", r.stdout);
    assert_eq!(ids.get(1), Some(&"port-publishing"), "{}", r.stdout);
    let r = run([
        "--format",
        "json",
        "search",
        "--",
        "docker: Error response from daemon: could not select device driver \"\" with capabilities: [[gpu]].",
    ]);
    let hits: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    assert_eq!(hits[0]["kind"], "error");
    assert_eq!(hits[0]["id"], "gpu-no-device-driver");
    assert_eq!(hits[1]["id"], "gpu-access");
}
