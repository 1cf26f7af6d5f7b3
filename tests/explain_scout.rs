//! End to end: `docker scout` lines from Docker Scout's own reference (github.com/docker/scout-cli
//! docs/scout_*.md, published at docs.docker.com/reference/cli/docker/scout/), explained as
//! JSON: every word explained, option values read, the image (or the archive, folder or SBOM)
//! named as what Docker Scout analyses, and unknown options kept local.

mod support;

use serde_json::Value;
use support::explained::{all_known, explain, meaning, part};

#[test]
fn cves_of_an_image_written_to_a_sarif_file() {
    // docs/scout_cves.md, "Export vulnerabilities to a SARIF JSON file".
    let v = explain("docker scout cves --format sarif --output alpine.sarif.json alpine");
    all_known(&v);
    assert_eq!(v["subcommand"], "scout cves");
    assert!(meaning(&v, "--format sarif").contains("SARIF"));
    assert_eq!(
        part(&v, "--output alpine.sarif.json")["value"],
        "alpine.sarif.json"
    );
    assert!(meaning(&v, "--output alpine.sarif.json").contains("alpine.sarif.json"));
    assert!(meaning(&v, "alpine").starts_with("The image to scan"));
    // A real image: its reference is read as docker pull reads it.
    assert_eq!(v["image"]["familiar"], "alpine");
    assert_eq!(v["model"], Value::Null);
}

#[test]
fn archives_oci_folders_local_folders_and_sboms() {
    // docs/scout_cves.md: "from a docker save tarball", "from an OCI directory", "from the
    // current directory"; docs/scout_quickview.md: an SBOM piped in from syft.
    let v = explain("docker scout cves archive://alpine.tar");
    all_known(&v);
    assert!(meaning(&v, "archive://alpine.tar").contains("docker save"));
    assert_eq!(v["image"], Value::Null);
    let v = explain("docker scout cves oci-dir://alpine");
    assert!(meaning(&v, "oci-dir://alpine").contains("OCI layout folder alpine"));
    let v = explain("docker scout cves fs://.");
    assert!(meaning(&v, "fs://.").contains("folder or file ."));
    let v = explain("syft -o spdx-json alpine:3.16.1 | docker scout quickview sbom://");
    all_known(&v);
    assert_eq!(v["subcommand"], "scout quickview");
    assert!(meaning(&v, "sbom://").contains("standard input"));
}

#[test]
fn quickview_and_its_alias() {
    // docs/scout_quickview.md, "Quick overview of an image" and "... the most recently built
    // image".
    let v = explain("docker scout quickview golang:1.19.4");
    all_known(&v);
    assert_eq!(v["image"]["input"], "golang:1.19.4");
    let v = explain("docker scout qv");
    all_known(&v);
    assert_eq!(v["subcommand"], "scout quickview");
    assert!(meaning(&v, "scout qv").contains("most recently built"));
}

#[test]
fn recommendations() {
    // docs/scout_recommendations.md.
    for line in [
        "docker scout recommendations golang:1.19.4",
        "docker scout recommendations --only-refresh golang:1.19.4",
        "docker scout recommendations --only-update golang:1.19.4",
    ] {
        let v = explain(line);
        all_known(&v);
        assert_eq!(v["subcommand"], "scout recommendations", "{line}");
        assert_eq!(v["image"]["input"], "golang:1.19.4", "{line}");
    }
    let v = explain("docker scout recommendations --only-refresh golang:1.19.4");
    assert!(meaning(&v, "--only-refresh").contains("refreshing the base image"));
}

#[test]
fn compare_with_sources_severities_and_package_types() {
    // docs/scout_compare.md.
    let v = explain(
        "docker scout compare local://namespace/repo:latest --to registry://namespace/repo:latest",
    );
    all_known(&v);
    assert_eq!(v["subcommand"], "scout compare");
    assert!(meaning(&v, "local://namespace/repo:latest").contains("only on this machine"));
    assert_eq!(v["image"]["input"], "namespace/repo:latest");
    assert_eq!(
        part(&v, "--to registry://namespace/repo:latest")["value"],
        "registry://namespace/repo:latest"
    );
    let v = explain(
        "docker scout compare --only-package-type maven --only-severity critical --to namespace/repo:latest namespace/repo:v1.2.3-pre",
    );
    all_known(&v);
    assert!(meaning(&v, "--only-severity critical").contains("the most severe"));
    assert!(meaning(&v, "--only-package-type maven").contains("maven"));
    assert_eq!(v["image"]["input"], "namespace/repo:v1.2.3-pre");
    // The alias, and a CI gate.
    let v = explain("docker scout diff --exit-on vulnerability,policy --to app:prod app:dev");
    all_known(&v);
    assert_eq!(v["subcommand"], "scout compare");
    assert!(meaning(&v, "--exit-on vulnerability,policy").contains("policy results"));
}

#[test]
fn sbom_and_the_rest_of_the_reference() {
    // docs/scout_sbom.md, scout_cache_prune.md, scout_version.md, scout_repo_enable.md,
    // scout_policy.md, scout_environment.md.
    for (line, command) in [
        ("docker scout sbom --format list alpine", "scout sbom"),
        (
            "docker scout cache prune --sboms --force",
            "scout cache prune",
        ),
        ("docker scout version", "scout version"),
        (
            "docker scout repo enable --org myorg myorg/webapp",
            "scout repo enable",
        ),
        (
            "docker scout policy --exit-code myorg/app:v1",
            "scout policy",
        ),
        (
            "docker scout policy publish --policy-dir ./policies myorg/policies:1",
            "scout policy publish",
        ),
        (
            "docker scout env production myorg/app:v1",
            "scout environment",
        ),
        (
            "docker scout cves --only-severity critical,high --only-fixed --platform linux/amd64 pytorch/pytorch:latest",
            "scout cves",
        ),
    ] {
        let v = explain(line);
        assert_eq!(v["subcommand"], command, "{line}");
        all_known(&v);
    }
    let v = explain("docker scout policy --exit-code myorg/app:v1");
    assert!(meaning(&v, "--exit-code").contains("code 2"));
    let v = explain(
        "docker scout cves --only-severity critical,high --only-fixed --platform linux/amd64 pytorch/pytorch:latest",
    );
    assert!(meaning(&v, "--only-severity critical,high").contains("severe"));
    assert!(meaning(&v, "--platform linux/amd64").contains("linux/amd64"));
    assert_eq!(v["image"]["input"], "pytorch/pytorch:latest");
}

#[test]
fn unknown_options_stay_local() {
    // An option this version does not know, written with =, does not move the image.
    let v = explain("docker scout cves --severity=high alpine");
    assert!(meaning(&v, "--severity=high").contains("does not know"));
    assert_eq!(v["image"]["input"], "alpine");
    // A severity Docker Scout does not have is a note.
    let v = explain("docker scout cves --only-severity severe alpine");
    assert!(
        v["notes"].as_array().expect("notes").iter().any(|n| n
            .as_str()
            .unwrap_or_default()
            .contains("'severe' is not one of")),
        "{v:#}"
    );
    assert_eq!(v["image"]["input"], "alpine");
}
