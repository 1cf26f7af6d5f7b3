//! Compiles and checks every data file under `data/` at build time and turns each into static
//! Rust data, so the binary never parses its own knowledge at run time and a broken data file
//! never builds. One module under `build/` per data file.

// Cargo reads a build script's stdout for instructions and shows its stderr on failure.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process;

// The library's own schema and index modules, compiled here too so the two can never drift.
// Parts of them serve only the library.
#[allow(dead_code)]
#[path = "src/schema.rs"]
mod schema;

#[allow(dead_code)]
#[path = "src/index.rs"]
mod index;

#[path = "build/categories.rs"]
mod categories;

#[path = "build/terms.rs"]
mod terms;

#[path = "src/explain/command/spec.rs"]
mod cli_spec;

#[path = "build/cli.rs"]
mod cli;

#[path = "build/compose.rs"]
mod compose;
#[path = "build/tips.rs"]
mod tips;

#[allow(dead_code)]
#[path = "src/error_text.rs"]
mod error_text;

#[path = "build/errors.rs"]
mod errors;

#[path = "build/error_index.rs"]
mod error_index;

#[path = "build/english.rs"]
mod english;

#[path = "build/domain.rs"]
mod domain;

fn main() {
    link_without_pie();
    let categories = categories::compile();
    terms::compile(&categories);
    cli::compile();
    compose::compile();
    errors::compile();
    error_index::compile();
    english::compile();
    domain::compile();
    tips::compile();
}

/// Links the `dterms` executable at a fixed address on Linux. A position-independent
/// executable must patch every pointer in its static data when it starts, and the compiled-in
/// knowledge (glossary, CLI tables, tips, errors) holds about ten thousand of them: that was a
/// fifth of the work of a `dterms show` and forty extra page faults, on every run of a program
/// that lives for a few milliseconds. The cost is address randomisation of the executable
/// itself (libraries, stack and heap stay randomised) for a memory-safe, offline program.
fn link_without_pie() {
    // glibc targets only: musl builds are static already, and -no-pie could fight static-pie.
    let target = |key: &str| std::env::var(key).unwrap_or_default();
    if target("CARGO_CFG_TARGET_OS") == "linux" && target("CARGO_CFG_TARGET_ENV") == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}

/// Stops the build with one line that names the file and, where known, the line.
pub fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    process::exit(1);
}
