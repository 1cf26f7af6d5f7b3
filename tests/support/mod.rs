//! Helpers shared by the integration tests.

/// Compares `actual` with `tests/golden/NAME`; `DTERMS_BLESS=1 cargo test` rewrites the file
/// instead, to be reviewed in the diff.
pub fn golden(name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("DTERMS_BLESS").is_some() {
        std::fs::write(&path, actual).expect("golden file is writable");
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: run DTERMS_BLESS=1 cargo test",
            path.display()
        )
    });
    assert_eq!(actual, expected, "output differs from {}", path.display());
}
