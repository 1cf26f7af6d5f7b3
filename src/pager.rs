//! Paging long output on a terminal, like git: through `$DTERMS_PAGER`, else `$PAGER`, else
//! `less -FRX`, and straight to the terminal when no pager can start.

use std::io::{self, Write};
use std::process::{Command, Stdio};

use crate::shell_words as shell;

/// The pager command to run, from `DTERMS_PAGER` and `PAGER` (an empty value means no pager),
/// split like a shell would; `less -FRX` when neither is set.
pub fn command(dterms_pager: Option<&str>, pager: Option<&str>) -> Option<Vec<String>> {
    let chosen = dterms_pager.or(pager).unwrap_or("less -FRX");
    let words = shell::split(chosen).ok()?;
    (!words.is_empty()).then_some(words)
}

/// Whether output of `lines` lines should be paged on a terminal `height` rows tall (unknown:
/// page, and let `less -F` decide).
pub fn needed(lines: usize, height: Option<usize>) -> bool {
    height.is_none_or(|h| lines >= h)
}

/// Shows `output` through the pager, or writes it to `out` when it fits, when there is no
/// pager, or when the pager cannot start. A reader who quits the pager early is not an error.
pub fn show(
    output: &[u8],
    height: Option<usize>,
    pager: Option<Vec<String>>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let lines = output.iter().filter(|b| **b == b'\n').count();
    let Some(words) = pager.filter(|_| needed(lines, height)) else {
        return out.write_all(output);
    };
    let mut child = Command::new(&words[0]);
    child.args(&words[1..]).stdin(Stdio::piped());
    // As git does: less keeps colours, quits when the text fits, and leaves it on screen.
    if std::env::var_os("LESS").is_none() {
        child.env("LESS", "FRX");
    }
    let Ok(mut child) = child.spawn() else {
        return out.write_all(output);
    };
    if let Some(mut stdin) = child.stdin.take() {
        match stdin.write_all(output) {
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => return Err(e),
            _ => {}
        }
    }
    child.wait()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pager_comes_from_the_environment() {
        assert_eq!(
            command(None, None),
            Some(vec!["less".to_owned(), "-FRX".to_owned()])
        );
        assert_eq!(
            command(Some("most -s"), Some("less")),
            Some(vec!["most".to_owned(), "-s".to_owned()])
        );
        assert_eq!(
            command(None, Some("less -R")),
            Some(vec!["less".to_owned(), "-R".to_owned()])
        );
        assert_eq!(
            command(Some(""), Some("less")),
            None,
            "an empty DTERMS_PAGER turns paging off"
        );
    }

    #[test]
    fn short_output_is_not_paged() {
        assert!(!needed(10, Some(40)));
        assert!(needed(40, Some(40)));
        assert!(needed(1, None));
    }

    #[test]
    fn output_that_fits_or_has_no_pager_is_written_directly() {
        let mut out = Vec::new();
        show(
            b"one\ntwo\n",
            Some(40),
            Some(vec!["false".into()]),
            &mut out,
        )
        .expect("writes");
        assert_eq!(out, b"one\ntwo\n");
        let mut out = Vec::new();
        show(
            b"x\n",
            Some(1),
            Some(vec!["/no/such/pager".into()]),
            &mut out,
        )
        .expect("falls back");
        assert_eq!(out, b"x\n");
    }

    #[test]
    fn long_output_goes_through_the_pager() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let target = dir.path().join("paged");
        let pager = vec![
            "sh".into(),
            "-c".into(),
            format!("cat > {}", target.display()),
        ];
        let mut out = Vec::new();
        show(b"a\nb\nc\n", Some(2), Some(pager), &mut out).expect("pages");
        assert!(out.is_empty());
        assert_eq!(
            std::fs::read_to_string(&target).expect("pager wrote"),
            "a\nb\nc\n"
        );
    }
}
