//! Model references of Docker Model Runner (`ai/smollm2`, `hf.co/bartowski/…-GGUF:Q4_K_M`):
//! where a model comes from and which variant of it, normalised as the Model Runner does
//! (docker/model-runner `pkg/distribution`): `ai/` when no namespace is written, `latest` when
//! no tag, `hf.co` = `huggingface.co`, the name lowercased and the tag kept as written.

use serde::Serialize;

use super::values::{Reading, shown};
use crate::explain::reference;

/// Where a model comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// Docker's curated models, the `ai/` namespace on Docker Hub.
    DockerAi,
    /// Another namespace on Docker Hub.
    DockerHub,
    /// A Hugging Face repository (`hf.co/…` or `huggingface.co/…`).
    HuggingFace,
    /// An NVIDIA NIM image (`nvcr.io/nim/…`), which `docker model run` starts as a container.
    NvidiaNim,
    /// Another OCI registry.
    Registry,
    /// The ID or digest of a model already downloaded.
    Id,
}

/// A model reference, read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelRef {
    /// As written.
    pub input: String,
    /// The full reference the Model Runner uses, such as `docker.io/ai/smollm2:latest`.
    pub normalized: String,
    /// The registry host.
    pub registry: String,
    /// The repository path in the registry, such as `ai/smollm2`.
    pub repository: String,
    /// The tag, as written.
    pub tag: Option<String>,
    /// The digest, as written.
    pub digest: Option<String>,
    /// Where the model comes from.
    pub source: Source,
}

const HUGGING_FACE: &str = "huggingface.co";

/// Whether the text is a model's short (12) or full (64) hex ID, or a `sha256:` digest, which
/// the Model Runner looks up among downloaded models.
fn is_id(text: &str) -> bool {
    let hex = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    let bare = text.strip_prefix("sha256:").unwrap_or(text);
    match text.strip_prefix("sha256:") {
        Some(_) => bare.len() == 64 && hex(bare),
        None => matches!(text.len(), 12 | 64) && hex(text),
    }
}

/// Reads a model reference; the error says which rule it breaks.
pub fn parse(text: &str) -> Result<ModelRef, String> {
    let input = text.trim();
    if is_id(input) {
        return Ok(ModelRef {
            input: input.to_owned(),
            normalized: input.to_owned(),
            registry: String::new(),
            repository: String::new(),
            tag: None,
            digest: None,
            source: Source::Id,
        });
    }
    let text = match input.strip_prefix("hf.co/") {
        Some(rest) => format!("{HUGGING_FACE}/{rest}"),
        None => input.to_owned(),
    };
    // `name[:tag][@digest]`, where a `:` is a tag only after the last `/`.
    let (rest, digest) = match text.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (text.as_str(), None),
    };
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[slash..].find(':') {
        Some(i) => (&rest[..slash + i], Some(&rest[slash + i + 1..])),
        None => (rest, None),
    };
    // An empty tag falls back to `latest`, as the Model Runner does.
    let tag = tag.filter(|t| !t.is_empty());
    let name = name.to_lowercase();
    let mut checked = name.clone();
    if let Some(tag) = tag {
        checked.push(':');
        checked.push_str(tag);
    }
    if let Some(digest) = digest {
        checked.push('@');
        checked.push_str(digest);
    }
    reference::parse(&checked).map_err(|e| e.message)?;
    let (registry, path) = match name.split_once('/') {
        Some((first, rest)) if first.contains(['.', ':']) || first == "localhost" => {
            (first.to_owned(), rest.to_owned())
        }
        _ => (reference::DEFAULT_REGISTRY.to_owned(), name.clone()),
    };
    let path = if path.contains('/') {
        path
    } else {
        format!("ai/{path}")
    };
    let source = match registry.as_str() {
        HUGGING_FACE => Source::HuggingFace,
        "nvcr.io" if path.starts_with("nim/") => Source::NvidiaNim,
        reference::DEFAULT_REGISTRY if path.starts_with("ai/") => Source::DockerAi,
        reference::DEFAULT_REGISTRY => Source::DockerHub,
        _ => Source::Registry,
    };
    let normalized = match (digest, tag) {
        (Some(d), _) => format!("{registry}/{path}@{d}"),
        (None, Some(t)) => format!("{registry}/{path}:{t}"),
        (None, None) => format!("{registry}/{path}:{}", reference::DEFAULT_TAG),
    };
    Ok(ModelRef {
        input: input.to_owned(),
        normalized,
        registry,
        repository: path,
        tag: tag.map(str::to_owned),
        digest: digest.map(str::to_owned),
        source,
    })
}

impl ModelRef {
    /// What the reference names, in a sentence without a final stop.
    pub fn describe(&self) -> String {
        let repo = shown(&self.repository);
        let mut text = match self.source {
            Source::Id => {
                return format!(
                    "the model with the ID {}, among the models already downloaded",
                    shown(&self.input)
                );
            }
            Source::DockerAi => {
                let bare = repo.strip_prefix("ai/").unwrap_or(&repo).to_owned();
                let added = if self.input.contains('/') {
                    ""
                } else {
                    " (with no namespace written, the Model Runner adds ai/)"
                };
                format!(
                    "the model {bare} from the ai namespace on Docker Hub, where Docker publishes curated models{added}"
                )
            }
            Source::DockerHub => {
                let owner = repo.split('/').next().unwrap_or_default();
                format!(
                    "the model {repo} on Docker Hub, published by the account or organisation {owner}"
                )
            }
            Source::HuggingFace => format!(
                "the Hugging Face repository {repo} (hf.co is short for huggingface.co), downloaded straight from Hugging Face"
            ),
            Source::NvidiaNim => format!(
                "the NVIDIA NIM image {repo} from nvcr.io: docker model run starts it as a container with its own inference server, not inside the Model Runner"
            ),
            Source::Registry => {
                format!("the model {repo} in the registry {}", shown(&self.registry))
            }
        };
        match (&self.digest, &self.tag, self.source) {
            (Some(d), _, _) => text.push_str(&format!(
                "; pinned by the digest {}, so always exactly this model",
                shown(d)
            )),
            (None, Some(t), Source::HuggingFace) => text.push_str(&format!(
                "; the tag {} picks which quantization (GGUF file) of the repository to download",
                shown(t)
            )),
            (None, None, Source::HuggingFace) => text.push_str(
                "; with no tag, the Model Runner picks a quantization (Q4_K_M when the repository has one)",
            ),
            (None, Some(t), Source::DockerAi) => text.push_str(&format!(
                "; the tag {} picks a variant: on Docker's ai/ models a tag names the size and quantization, such as 1B-Q8_0",
                shown(t)
            )),
            (None, Some(t), _) => {
                text.push_str(&format!("; the tag {} picks a version or variant", shown(t)));
            }
            (None, None, _) => {
                text.push_str("; with no tag, latest: the variant its publisher marks as default");
            }
        }
        text.push_str(&format!(" ({})", shown(&self.normalized)));
        text
    }

    /// Glossary ids for the reference.
    pub fn terms(&self) -> Vec<&'static str> {
        let mut terms = vec!["model-runner", "model-weights"];
        match self.source {
            Source::DockerAi | Source::DockerHub => terms.extend(["docker-hub", "registry"]),
            Source::HuggingFace | Source::Registry => terms.push("registry"),
            Source::NvidiaNim => terms.extend(["registry", "nvidia-container-toolkit"]),
            Source::Id => {}
        }
        if self.digest.is_some() {
            terms.push("digest");
        } else if self.source != Source::Id {
            terms.push("tag");
        }
        terms
    }
}

/// The value of an option that names a model (`--from`, `--speculative-draft-model`).
pub fn read(value: &str) -> Reading {
    match parse(value) {
        Ok(model) => Reading {
            detail: Some(model.describe()),
            terms: model.terms(),
            problems: Vec::new(),
        },
        Err(why) => Reading {
            detail: None,
            terms: vec!["model-runner"],
            problems: vec![format!(
                "'{}' is not a valid model reference: {why}",
                shown(value)
            )],
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_normalised_as_the_model_runner_does() {
        // Cases from docker/model-runner's normalizeModelName and its docs.
        for (input, normalized, source) in [
            (
                "ai/smollm2",
                "docker.io/ai/smollm2:latest",
                Source::DockerAi,
            ),
            ("smollm2", "docker.io/ai/smollm2:latest", Source::DockerAi),
            (
                "ai/llama3.2:1B-Q8_0",
                "docker.io/ai/llama3.2:1B-Q8_0",
                Source::DockerAi,
            ),
            (
                "myorg/llama3:8b",
                "docker.io/myorg/llama3:8b",
                Source::DockerHub,
            ),
            (
                "hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_S",
                "huggingface.co/bartowski/llama-3.2-1b-instruct-gguf:Q4_K_S",
                Source::HuggingFace,
            ),
            (
                "localhost:5000/team/model",
                "localhost:5000/team/model:latest",
                Source::Registry,
            ),
            (
                "nvcr.io/nim/google/gemma-3-1b-it:latest",
                "nvcr.io/nim/google/gemma-3-1b-it:latest",
                Source::NvidiaNim,
            ),
            ("0123456789ab", "0123456789ab", Source::Id),
        ] {
            let m = parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(
                (m.normalized.as_str(), m.source),
                (normalized, source),
                "{input}"
            );
        }
    }

    #[test]
    fn the_description_says_where_and_which_variant() {
        let d = parse("ai/smollm2").expect("valid").describe();
        assert!(d.contains("ai namespace on Docker Hub"), "{d}");
        assert!(d.contains("latest"), "{d}");
        let d = parse("smollm2").expect("valid").describe();
        assert!(d.contains("adds ai/"), "{d}");
        let d = parse("hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF")
            .expect("valid")
            .describe();
        assert!(d.contains("Hugging Face"), "{d}");
        assert!(d.contains("picks a quantization"), "{d}");
        let d = parse("ai/llama3.2:1B-Q8_0").expect("valid").describe();
        assert!(d.contains("1B-Q8_0"), "{d}");
        let d = parse(&format!("ai/smollm2@sha256:{}", "a".repeat(64)))
            .expect("valid")
            .describe();
        assert!(d.contains("pinned"), "{d}");
    }

    #[test]
    fn invalid_references_are_problems() {
        for bad in ["ai/smol llm", "ai//x", "", "-x", "ai/x@sha256:12"] {
            assert!(parse(bad).is_err(), "{bad}");
            assert!(!read(bad).problems.is_empty(), "{bad}");
        }
    }
}
