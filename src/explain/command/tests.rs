//! Unit tests of the command-line scanner and of the compiled data.

use super::data::{COMMANDS, LAUNCHERS, global};
use super::spec::Reader;
use super::*;
use crate::shell_words::split_words;

fn line(text: &str) -> Explanation {
    explain(&split_words(text).expect("valid line"))
}

fn meaning_of<'e>(e: &'e Explanation, text: &str) -> &'e Part {
    e.parts
        .iter()
        .find(|p| p.text == text)
        .unwrap_or_else(|| panic!("no part {text:?} in {:#?}", e.parts))
}

#[test]
fn a_notebook_run_line_is_fully_explained() {
    let e = line(
        "docker run -it --rm --gpus all -v $PWD/data:/data -p 8888:8888 jupyter/pytorch-notebook",
    );
    assert_eq!(e.subcommand.as_deref(), Some("run"));
    assert!(
        meaning_of(&e, "-i (in -it)")
            .terms
            .contains(&"interactive-tty")
    );
    assert!(
        meaning_of(&e, "-t (in -it)")
            .terms
            .contains(&"interactive-tty")
    );
    assert!(meaning_of(&e, "--rm").terms.contains(&"auto-remove"));
    assert!(meaning_of(&e, "--gpus all").meaning.contains("every GPU"));
    let volume = meaning_of(&e, "-v $PWD/data:/data");
    assert!(
        volume
            .meaning
            .contains("bind-mount the host folder $PWD/data at /data"),
        "{}",
        volume.meaning
    );
    assert_eq!(volume.value.as_deref(), Some("$PWD/data:/data"));
    assert!(
        meaning_of(&e, "-p 8888:8888")
            .meaning
            .contains("host port 8888")
    );
    assert_eq!(e.image.as_deref(), Some("jupyter/pytorch-notebook"));
    assert!(e.container_command.is_empty());
    assert!(
        e.notes
            .iter()
            .any(|n| n.contains("filled in by your shell"))
    );
}

#[test]
fn equals_and_attached_forms_work_and_the_command_after_the_image_is_kept() {
    let e = line(
        "docker run --name=api -dit -p127.0.0.1:8000:8000/tcp --shm-size 8g my-model:v1 python serve.py --port 8000",
    );
    assert!(meaning_of(&e, "--name=api").meaning.contains("api"));
    assert!(
        meaning_of(&e, "-d (in -dit)")
            .terms
            .contains(&"detached-mode")
    );
    let port = meaning_of(&e, "-p127.0.0.1:8000:8000/tcp");
    assert!(
        port.meaning.contains("only this machine"),
        "{}",
        port.meaning
    );
    assert!(meaning_of(&e, "--shm-size 8g").meaning.contains("8 GiB"));
    assert_eq!(e.image.as_deref(), Some("my-model:v1"));
    assert_eq!(
        e.container_command,
        ["python", "serve.py", "--port", "8000"]
    );
}

#[test]
fn explicit_boolean_values_are_read() {
    let e = line("docker run --rm=false -d=false alpine");
    let rm = meaning_of(&e, "--rm=false");
    assert!(rm.meaning.starts_with("Turned off"), "{}", rm.meaning);
    let d = meaning_of(&e, "-d=false");
    assert!(d.meaning.starts_with("Turned off"), "{}", d.meaning);
    assert_eq!(e.image.as_deref(), Some("alpine"));
    let e = line("docker run --rm=maybe alpine");
    assert!(e.notes.iter().any(|n| n.contains("not true or false")));
}

#[test]
fn unknown_options_stay_local() {
    // The value of an unknown option is not taken for the image.
    let e = line("docker run --frobnicate nvidia --gpus all vllm/vllm-openai:latest --model x");
    assert_eq!(e.image.as_deref(), Some("vllm/vllm-openai:latest"));
    assert!(
        meaning_of(&e, "--frobnicate nvidia")
            .meaning
            .contains("guess")
    );
    assert_eq!(e.container_command, ["--model", "x"]);
    // An = form decides.
    let e = line("docker run --frob=1 alpine echo hi");
    assert_eq!(e.image.as_deref(), Some("alpine"));
    // A next word that cannot be an image is a value.
    let e = line("docker run --frob A=b alpine");
    assert_eq!(e.image.as_deref(), Some("alpine"));
    // Otherwise the unknown option is a switch, and the note says the split is a guess.
    let e = line("docker run --frob alpine echo hi");
    assert_eq!(e.image.as_deref(), Some("alpine"));
    assert!(e.notes.iter().any(|n| n.contains("--frob")));
    let e = line("docker run -Z alpine");
    assert!(meaning_of(&e, "-Z").meaning.contains("does not know"));
    let e = line("docker teleport now");
    assert_eq!(e.subcommand, None);
    assert!(meaning_of(&e, "teleport").meaning.contains("Unknown"));
    assert!(explain(&[]).parts.is_empty());
}

#[test]
fn the_lines_from_the_issue_that_shifted_are_read_right() {
    for (text, image) in [
        ("docker run -h myhost alpine", "alpine"),
        ("docker run --pid host alpine", "alpine"),
        (
            "docker run --security-opt seccomp=unconfined alpine",
            "alpine",
        ),
        ("docker run --volumes-from x alpine", "alpine"),
        ("docker run --expose 8000 alpine", "alpine"),
        ("docker run -l k=v alpine", "alpine"),
        ("docker --tlscacert ca.pem run alpine", "alpine"),
        (
            "docker run --runtime nvidia --gpus all vllm/vllm-openai:latest",
            "vllm/vllm-openai:latest",
        ),
    ] {
        let e = line(text);
        assert_eq!(e.image.as_deref(), Some(image), "{text}");
        assert!(
            e.parts.iter().all(|p| !p.meaning.contains("does not know")),
            "{text}: {:#?}",
            e.parts
        );
    }
    let e = line("docker compose --project-directory ./deploy up --timeout 60 web");
    assert_eq!(e.subcommand.as_deref(), Some("compose up"));
    assert!(
        meaning_of(&e, "--timeout 60")
            .meaning
            .contains("60 seconds")
    );
    assert!(meaning_of(&e, "web").meaning.contains("service"));
}

#[test]
fn meanings_are_per_command() {
    let push = line("docker push --all-tags --platform linux/amd64 me/app");
    assert!(!meaning_of(&push, "--all-tags").meaning.contains("Download"));
    assert!(
        meaning_of(&push, "--platform linux/amd64")
            .meaning
            .contains("Upload")
    );
    let rm = line("docker volume rm -f data");
    assert!(!meaning_of(&rm, "-f").meaning.contains("Stop"));
    let build = line("docker build --network host .");
    let net = meaning_of(&build, "--network host");
    assert!(!net.meaning.contains("-p is ignored"), "{}", net.meaning);
    assert!(net.meaning.contains("RUN"), "{}", net.meaning);
    let run = line("docker compose run -P web bash");
    assert!(meaning_of(&run, "-P").meaning.contains("ports section"));
    assert_eq!(run.container_command, ["bash"]);
    let save = line("docker save -o img.tar img");
    assert_eq!(save.image.as_deref(), Some("img"));
    assert!(meaning_of(&save, "-o img.tar").meaning.contains("img.tar"));
    let load = line("docker load -i img.tar");
    assert!(meaning_of(&load, "-i img.tar").meaning.contains("img.tar"));
    let prune = line("docker system prune --volumes");
    assert!(
        meaning_of(&prune, "--volumes")
            .meaning
            .contains("anonymous")
    );
    // An option of another command is not accepted.
    let e = line("docker pull --rm alpine");
    assert!(meaning_of(&e, "--rm").meaning.contains("does not know"));
}

#[test]
fn pasted_lines_with_prompts_variables_sudo_and_wrappers() {
    let e = line("$ DOCKER_BUILDKIT=1 docker build -t app .");
    assert_eq!(e.subcommand.as_deref(), Some("build"));
    assert!(
        meaning_of(&e, "DOCKER_BUILDKIT=1")
            .meaning
            .contains("BuildKit")
    );
    assert!(meaning_of(&e, "$").meaning.contains("prompt"));
    let e = line("sudo -E docker run --rm alpine");
    assert!(meaning_of(&e, "-E").meaning.contains("environment"));
    assert_eq!(e.image.as_deref(), Some("alpine"));
    let e = line("sudo -u admin docker ps -a");
    assert_eq!(e.subcommand.as_deref(), Some("container ls"));
    let e = line("nvidia-docker run -it nvcr.io/nvidia/pytorch:24.05-py3");
    assert_eq!(e.subcommand.as_deref(), Some("run"));
    assert_eq!(e.image.as_deref(), Some("nvcr.io/nvidia/pytorch:24.05-py3"));
    let e = line("time docker pull python:3.12");
    assert_eq!(e.image.as_deref(), Some("python:3.12"));
    let e = line("docker-compose -f dev.yml up -d");
    assert_eq!(e.subcommand.as_deref(), Some("compose up"));
    assert!(e.notes.iter().any(|n| n.contains("retired")));
}

#[test]
fn substitutions_and_windows_paths_stay_whole() {
    let e = line(
        "docker run -u $(id -u $USER):$(id -g $USER) -e NB_UID=$(id -u) -v `pwd`:/app -v C:\\Users\\me\\proj:/app jupyter/base-notebook",
    );
    assert_eq!(e.image.as_deref(), Some("jupyter/base-notebook"));
    assert!(
        meaning_of(&e, "-u $(id -u $USER):$(id -g $USER)")
            .meaning
            .contains("$(id -u $USER)")
    );
    assert!(
        meaning_of(&e, "-e NB_UID=$(id -u)")
            .meaning
            .contains("'$(id -u)'")
    );
    assert!(
        meaning_of(&e, "-v `pwd`:/app")
            .meaning
            .contains("bind-mount")
    );
    assert!(
        meaning_of(&e, "-v C:\\Users\\me\\proj:/app")
            .meaning
            .contains("Windows path")
    );
    assert!(
        e.notes
            .iter()
            .any(|n| n.contains("filled in by your shell"))
    );
}

#[test]
fn the_container_command_keeps_its_quoting() {
    let e = line("docker run alpine sh -c 'echo a && echo b'");
    assert!(e.parts.iter().any(|p| p.text == "sh -c 'echo a && echo b'"));
    assert_eq!(e.container_command, ["sh", "-c", "echo a && echo b"]);
}

#[test]
fn values_are_checked_and_problems_become_notes() {
    for (text, needle) in [
        ("docker run -p 99999:80 alpine", "outside 1 to 65535"),
        ("docker run -v :/x alpine", "empty"),
        ("docker run --gpus device=0,1 alpine", "cannot set both"),
        ("docker run --shm-size 64 alpine", "bare number is bytes"),
        ("docker run --restart always:3 alpine", "on-failure"),
        (
            "docker run --pull sometimes alpine",
            "always, missing, never",
        ),
        ("docker run --rm --restart always alpine", "conflicting"),
    ] {
        let e = line(text);
        assert!(
            e.notes.iter().any(|n| n.contains(needle)),
            "{text}: {:#?}",
            e.notes
        );
    }
    let e = line(
        "docker run --ulimit memlock=-1 --ulimit stack=67108864 --memory-swap -1 --pull never -p 127.0.0.1::80 alpine",
    );
    assert!(
        meaning_of(&e, "--ulimit memlock=-1")
            .meaning
            .contains("unlimited")
    );
    assert!(
        meaning_of(&e, "--ulimit stack=67108864")
            .meaning
            .contains("64 MiB")
    );
    assert!(
        meaning_of(&e, "--memory-swap -1")
            .meaning
            .contains("unlimited")
    );
    assert!(
        meaning_of(&e, "--pull never")
            .meaning
            .contains("never pull")
    );
    assert!(
        meaning_of(&e, "-p 127.0.0.1::80")
            .meaning
            .contains("127.0.0.1")
    );
    assert!(e.notes.is_empty(), "{:#?}", e.notes);
}

#[test]
fn aliases_compose_and_buildx_are_recognised() {
    for (text, name) in [
        ("docker image ls -a", "image ls"),
        ("docker images", "image ls"),
        ("docker container run alpine", "run"),
        ("docker compose -f dev.yaml up -d --build", "compose up"),
        (
            "docker buildx build --platform linux/amd64,linux/arm64 .",
            "buildx build",
        ),
        ("docker buildx b .", "buildx build"),
        ("docker builder prune -af", "buildx prune"),
        ("docker system prune -af", "system prune"),
        (
            "docker buildx imagetools inspect alpine",
            "buildx imagetools inspect",
        ),
        ("docker --builder x buildx ls", "buildx ls"),
        ("docker compose up --dry-run", "compose up"),
    ] {
        assert_eq!(line(text).subcommand.as_deref(), Some(name), "{text}");
    }
    let compose = line("docker compose -f dev.yaml up -d --build");
    assert!(
        meaning_of(&compose, "-f dev.yaml")
            .terms
            .contains(&"compose-file")
    );
    let e = line("docker image");
    assert!(e.notes.iter().any(|n| n.contains("No subcommand")));
}

#[test]
fn exec_keeps_the_container_command() {
    let e = line("docker exec -it train bash -lc ls");
    assert_eq!(e.container_command, ["bash", "-lc", "ls"]);
    assert!(meaning_of(&e, "train").terms.contains(&"container"));
}

#[test]
fn combined_short_flags_are_bounded() {
    let word = format!("-{}", "i".repeat(100_000));
    let e = line(&format!("docker run {word} alpine"));
    assert!(e.parts.len() < 10, "{}", e.parts.len());
    let total: usize = e.parts.iter().map(|p| p.text.len() + p.meaning.len()).sum();
    assert!(total < 2_000, "{total}");
    let many: String = ('α'..='ω').collect();
    let e = line(&format!("docker run -{many} alpine"));
    assert!(e.parts.len() < 40, "{}", e.parts.len());
    assert!(
        e.parts
            .iter()
            .any(|p| p.meaning.contains("more letters not read"))
    );
}

/// Every option of every command parses as `--opt V` and `--opt=V`, and a switch never
/// swallows the next word.
#[test]
fn every_option_round_trips() {
    let sample = |reader: Reader, choices: &[(&str, &str)]| -> String {
        match reader {
            Reader::Choice | Reader::Choices => choices[0].0.to_owned(),
            _ => "v1".to_owned(),
        }
    };
    for c in COMMANDS
        .iter()
        .filter(|c| c.operands != Operands::Subcommand)
    {
        let mut prefix = String::from("docker ");
        prefix.push_str(c.name());
        for o in c.options() {
            let forms: Vec<String> = match o.value {
                Some(r) if !o.optional => {
                    let v = sample(r, &o.choices());
                    vec![format!("--{} {v}", o.long()), format!("--{}={v}", o.long())]
                }
                Some(r) => vec![format!("--{}={}", o.long(), sample(r, &o.choices()))],
                None => vec![format!("--{}", o.long()), format!("--{}=true", o.long())],
            };
            for form in forms {
                let text = format!("{prefix} {form} zz-operand");
                let e = line(&text);
                assert_eq!(e.subcommand.as_deref(), Some(c.name()), "{text}");
                let p = e
                    .parts
                    .iter()
                    .find(|p| p.text == form)
                    .unwrap_or_else(|| panic!("{text}: {:#?}", e.parts));
                assert!(!p.meaning.contains("does not know"), "{text}");
                assert!(!p.meaning.contains("{}"), "{text}: {}", p.meaning);
                if c.operands != Operands::Nothing {
                    assert!(
                        e.parts.iter().any(|p| p.text == "zz-operand"),
                        "{text}: the operand was swallowed: {:#?}",
                        e.parts
                    );
                }
            }
            if let Some(letter) = o.short {
                let form = if o.value.is_some() && !o.optional {
                    format!(
                        "-{letter} {}",
                        sample(o.value.unwrap_or(Reader::Text), &o.choices())
                    )
                } else {
                    format!("-{letter}")
                };
                let text = format!("{prefix} {form} zz-operand");
                let e = line(&text);
                assert!(
                    e.parts.iter().any(|p| p.text == form),
                    "{text}: {:#?}",
                    e.parts
                );
            }
        }
    }
}

/// docker's own options and those of the command groups (`compose -f`, `buildx --builder`)
/// parse in both forms too, and the subcommand after them is still found.
#[test]
fn every_global_and_group_option_round_trips() {
    let groups = [("", global(), "ps", "container ls")].into_iter().chain(
        COMMANDS
            .iter()
            .filter(|c| c.operands == Operands::Subcommand)
            .map(|c| {
                let prefix = format!("{} ", c.name());
                let (spelling, sub) = COMMANDS
                    .iter()
                    .filter(|s| s.operands != Operands::Subcommand)
                    .flat_map(|s| {
                        std::iter::once(s.name())
                            .chain(s.aliases())
                            .map(move |n| (n, s))
                    })
                    .find(|(n, _)| n.starts_with(&prefix))
                    .expect("a group has a subcommand");
                (c.name(), c.options(), &spelling[prefix.len()..], sub.name())
            }),
    );
    for (group, opts, sub, name) in groups {
        for o in opts {
            let forms: Vec<String> = match o.value {
                Some(Reader::Choice | Reader::Choices) => {
                    let v = o.choices()[0].0;
                    vec![format!("--{} {v}", o.long()), format!("--{}={v}", o.long())]
                }
                Some(_) => vec![format!("--{} v1", o.long()), format!("--{}=v1", o.long())],
                None => vec![format!("--{}", o.long())],
            };
            for form in forms {
                let text = format!("docker {group} {form} {sub}");
                let e = line(&text);
                assert_eq!(
                    e.subcommand.as_deref(),
                    Some(name),
                    "{text}: {:#?}",
                    e.parts
                );
                assert!(e.parts.iter().any(|p| p.text == form), "{text}");
            }
        }
    }
}

#[test]
fn no_meaning_is_an_unread_template() {
    let all = COMMANDS
        .iter()
        .flat_map(|c| c.options().iter())
        .chain(global())
        .chain(LAUNCHERS.iter().flat_map(|l| l.options().iter()));
    for o in all {
        let filled = o.meaning().replace("{}", "X");
        assert!(
            !filled.contains(['{', '}']),
            "--{}: {}",
            o.long(),
            o.meaning()
        );
        assert!(!filled.contains("such as {"), "--{}", o.long());
    }
}

#[test]
fn every_linked_term_exists() {
    let glossary = crate::glossary::Glossary::builtin();
    let options = COMMANDS
        .iter()
        .flat_map(|c| c.options().iter())
        .chain(global())
        .chain(LAUNCHERS.iter().flat_map(|l| l.options().iter()));
    let ids = COMMANDS
        .iter()
        .flat_map(|c| c.terms())
        .chain(options.flat_map(|o| o.terms()))
        .chain(LAUNCHERS.iter().flat_map(|l| l.terms()));
    for id in ids {
        assert!(glossary.get(id).is_some(), "no term {id}");
    }
}

#[test]
fn notes_are_capped_and_said_once() {
    let options: Vec<String> = (0..500).map(|i| format!("--unknown-{i} v{i}")).collect();
    let e = line(&format!("docker ps {}", options.join(" ")));
    assert!(e.notes.len() <= MAX_NOTES + 1, "{}", e.notes.len());
    assert!(e.notes.last().is_some_and(|n| n.contains("more notes")));
    let e = line("docker run --frob --frob --frob alpine");
    assert_eq!(e.notes.iter().filter(|n| n.contains("--frob")).count(), 1);
}

#[test]
fn pipelines_lists_and_redirections_are_the_shells() {
    let e = line("echo $CR_PAT | docker login ghcr.io -u me --password-stdin");
    assert_eq!(e.subcommand.as_deref(), Some("login"));
    assert!(
        meaning_of(&e, "echo $CR_PAT |")
            .meaning
            .contains("piped into the docker command")
    );
    assert!(meaning_of(&e, "ghcr.io").meaning.contains("registry"));
    let e = line("docker save python:3.12 | gzip > py.tar.gz");
    assert_eq!(e.image.as_deref(), Some("python:3.12"));
    assert!(
        meaning_of(&e, "| gzip > py.tar.gz")
            .meaning
            .contains("not in docker")
    );
    let e = line("docker save -o img.tar img && scp img.tar gpu:");
    assert!(
        meaning_of(&e, "&& scp img.tar gpu:")
            .meaning
            .contains("only if docker succeeded")
    );
    let e = line("docker load < img.tar");
    assert!(
        meaning_of(&e, "< img.tar")
            .meaning
            .contains("standard input")
    );
    let e = line("docker build -t app . 2>&1 > build.log");
    assert!(
        meaning_of(&e, "2>&1")
            .meaning
            .contains("where the stream 1 goes")
    );
    assert!(meaning_of(&e, "> build.log").meaning.contains("build.log"));
    assert!(e.parts.iter().all(|p| p.text != "build.log"));
    let e = line("docker run alpine sh -c echo a && echo b");
    assert_eq!(e.container_command, ["sh", "-c", "echo", "a"]);
    assert!(meaning_of(&e, "&& echo b").meaning.contains("your shell"));
}

#[test]
fn only_secret_names_get_the_shell_history_warning() {
    // The same word rule as the Dockerfile tip: ML settings that contain "token" or "key" as
    // part of a longer word are not secrets.
    let e = line(
        "docker run -e TOKENIZERS_PARALLELISM=false -e MAX_NEW_TOKENS=512 -e HF_TOKEN=hf_x img",
    );
    let warned: Vec<&String> = e
        .notes
        .iter()
        .filter(|n| n.contains("looks like a secret"))
        .collect();
    assert_eq!(warned.len(), 1, "{:#?}", e.notes);
    assert!(warned[0].contains("HF_TOKEN"), "{warned:?}");
}
