//! Property tests: no input of any kind makes the reference, command-line, shell or Dockerfile
//! parsers panic, and what they accept keeps its shape.

use dterms::explain::{Kind, command, dockerfile, explain, reference, shell};
use proptest::collection::vec;
use proptest::prelude::*;

/// Words that look like parts of docker command lines, so options and values meet each other.
fn docker_word() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("docker".to_owned()),
        Just("run".to_owned()),
        Just("compose".to_owned()),
        Just("build".to_owned()),
        "-{1,2}[a-zA-Z-]{0,10}(=[a-z0-9:/.,=]{0,12})?",
        "[a-z0-9./:@_-]{0,20}",
        ".{0,12}",
    ]
}

/// Lines that look like Dockerfile lines, with continuations, heredocs and directives.
fn dockerfile_line() -> impl Strategy<Value = String> {
    prop_oneof![
        "(FROM|from|RUN|COPY|ADD|ENV|ARG|CMD|ENTRYPOINT|USER|WORKDIR|EXPOSE|HEALTHCHECK|ONBUILD) .{0,30}",
        "FROM [a-z$:{}./-]{1,20}( AS [a-z]{1,5})?",
        "(RUN|COPY) <<-?[A-Z]{1,4}",
        // Installs read word by word, with options and non-ASCII words (a split inside a
        // character once panicked here).
        "RUN (pip|pip3|python -m pip|uv pip|apt-get|apt|conda|micromamba|apk|dnf|yum) (install|add)( -{0,2}.{0,6}){0,4}",
        "[A-Z]{1,4}",
        "# ?(syntax|escape)=.{0,5}",
        ".{0,20}\\\\",
        "[\\[\\]\",a-z ]{0,20}",
        ".{0,30}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn references_never_panic_and_round_trip(input in "[a-zA-Z0-9:/@._\\-\\[\\]%$ ]{0,80}|.{0,40}") {
        if let Ok(r) = reference::parse(&input) {
            let mut rebuilt = r.name.to_owned();
            if let Some(tag) = r.tag { rebuilt.push(':'); rebuilt.push_str(tag); }
            if let Some(digest) = r.digest { rebuilt.push('@'); rebuilt.push_str(digest); }
            prop_assert_eq!(rebuilt, input.clone());
        }
        if let Ok(n) = reference::parse_normalized(&input) {
            prop_assert!(n.pull_reference().starts_with(&n.registry));
            prop_assert!(!n.familiar().is_empty());
        }
    }

    #[test]
    fn command_lines_never_panic(words in vec(docker_word(), 0..14)) {
        let words: Vec<shell::Word> = words.iter().map(|w| shell::Word::literal(w)).collect();
        let e = command::explain(&words);
        prop_assert!(e.parts.iter().all(|p| !p.meaning.is_empty()));
    }

    #[test]
    fn shell_splitting_never_panics(line in ".{0,80}|[ a-z$(){}`'\"\\:C]{0,60}") {
        if let Ok(words) = shell::split_words(&line) {
            prop_assert!(words.len() <= line.len());
            for w in &words {
                prop_assert!(line.contains(&w.raw));
            }
        }
        if let Ok(words) = shell::split_words(&line) {
            let pasted: Vec<String> = words.iter().map(|w| w.raw.clone()).collect();
            let again = shell::split(&pasted.join(" ")).expect("raw words split again");
            let texts: Vec<String> = words.into_iter().map(|w| w.text).collect();
            prop_assert_eq!(again, texts);
        }
    }

    #[test]
    fn command_lines_from_one_string_never_panic(line in "(docker|sudo -E docker|A=1 docker) [ a-z0-9=:/.,$(){}`'\"-]{0,80}") {
        if let Ok(words) = shell::split_words(&line) {
            let e = command::explain(&words);
            prop_assert!(e.parts.iter().all(|p| !p.meaning.is_empty()));
        }
    }

    #[test]
    fn dockerfiles_never_panic(lines in vec(dockerfile_line(), 0..24)) {
        let source = lines.join("\n");
        match dockerfile::explain(&source) {
            Ok(e) => {
                let count = source.lines().count();
                prop_assert!(e.instructions.iter().all(|i| i.line >= 1 && i.line <= count));
                prop_assert!(e.instructions.iter().all(|i| i.stage.is_none_or(|s| s < e.stages.len())));
                prop_assert!(!e.stages.is_empty());
            }
            Err(err) => prop_assert!(err.line >= 1),
        }
    }

    #[test]
    fn explanations_of_anything_render_without_panicking(words in vec(docker_word(), 1..8), kind in prop_oneof![Just(None), Just(Some(Kind::Reference)), Just(Some(Kind::Command))]) {
        if let Ok(explained) = explain(&words, kind, &mut std::io::empty()) {
            prop_assert!(!explained.markdown().is_empty());
            prop_assert!(explained.json().is_object());
        }
    }

    #[test]
    fn dockerfiles_from_stdin_render_without_panicking(lines in vec(dockerfile_line(), 1..16)) {
        let source = lines.join("\n");
        // Standard input is sniffed (a Dockerfile or error output); this property is about
        // Dockerfiles, so it says so.
        if let Ok(explained) = explain(&["-".to_owned()], Some(Kind::Dockerfile), &mut source.as_bytes()) {
            prop_assert!(explained.markdown().contains("Stages"));
            prop_assert_eq!(&explained.json()["kind"], "dockerfile");
        }
    }

    #[test]
    fn arbitrary_text_as_a_dockerfile_never_panics(source in ".{0,300}") {
        if let Err(err) = dockerfile::explain(&source) {
            prop_assert!(!err.message.is_empty());
        }
    }
}
