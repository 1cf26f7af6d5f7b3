//! Model references of Docker Model Runner (`ai/smollm2`, `hf.co/bartowski/…-GGUF:Q4_K_M`):
//! where a model comes from and which variant of it, normalised as the Model Runner does
//! (docker/model-runner `pkg/distribution`): `ai/` when no namespace is written, `latest` when
//! no tag, `hf.co` = `huggingface.co`, the name lowercased and the tag kept as written.

use serde::Serialize;

use super::data;
use super::values::{Reading, shown};
use crate::explain::reference;

pub use super::spec::Source;

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
        let said = data::model_source(self.source);
        let repo = shown(&self.repository);
        let name = repo.strip_prefix("ai/").unwrap_or(&repo);
        let owner = repo.split('/').next().unwrap_or_default();
        let registry = shown(&self.registry);
        let input = shown(&self.input);
        let mut text = fill(
            said.meaning(),
            &[
                ("repository", &repo),
                ("name", name),
                ("owner", owner),
                ("registry", &registry),
                ("input", &input),
            ],
        );
        if self.source == Source::Id {
            return text;
        }
        if !self.input.contains('/')
            && let Some(added) = said.unqualified()
        {
            text.push_str(added);
        }
        let sentences = &data::MODEL_SENTENCES;
        text.push_str("; ");
        match (&self.digest, &self.tag) {
            (Some(d), _) => text.push_str(&sentences.digest.get().replacen("{}", &shown(d), 1)),
            (None, Some(t)) => text.push_str(&match said.tag() {
                Some(own) => own.replacen("{tag}", &shown(t), 1),
                None => sentences.tag.get().replacen("{}", &shown(t), 1),
            }),
            (None, None) => text.push_str(said.no_tag().unwrap_or(sentences.no_tag.get())),
        }
        text.push_str(&format!(" ({})", shown(&self.normalized)));
        text
    }

    /// Glossary ids for the reference.
    pub fn terms(&self) -> Vec<&'static str> {
        let mut terms = data::model_source(self.source).terms();
        if self.digest.is_some() {
            terms.extend(data::MODEL_SENTENCES.digest_terms());
        } else if self.source != Source::Id {
            terms.extend(data::MODEL_SENTENCES.tag_terms());
        }
        terms
    }
}

/// `template` with each `{key}` of `values` replaced by its value, in one pass (a value is
/// never searched for placeholders itself).
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after
            .find('}')
            .and_then(|close| values.iter().find(|(k, _)| *k == &after[..close]))
        {
            Some((key, value)) => {
                out.push_str(value);
                rest = &after[key.len() + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// "'…' is not a valid model reference: why".
pub fn invalid(text: &str, why: &str) -> String {
    let mut said = data::MODEL_SENTENCES
        .invalid
        .get()
        .replacen("{}", &shown(text), 1);
    said.push_str(why);
    said
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
            terms: data::MODEL_SENTENCES.unread_terms(),
            problems: vec![invalid(value, &why)],
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
    fn placeholders_are_filled_once_and_values_are_not_searched() {
        let said = fill(
            "the model {repository} by {owner}, {unknown}",
            &[("repository", "{owner}/x"), ("owner", "me")],
        );
        assert_eq!(said, "the model {owner}/x by me, {unknown}");
    }

    #[test]
    fn invalid_references_are_problems() {
        for bad in ["ai/smol llm", "ai//x", "", "-x", "ai/x@sha256:12"] {
            assert!(parse(bad).is_err(), "{bad}");
            assert!(!read(bad).problems.is_empty(), "{bad}");
        }
    }
}
