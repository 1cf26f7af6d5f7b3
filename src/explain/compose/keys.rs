//! The keys a compose file may use where, with their meanings and terms: compiled from
//! data/compose-keys.yaml by build/compose.rs. Also the "did you mean" for an unknown key.

/// One allowed key.
#[derive(Debug)]
pub struct Key {
    /// The key.
    pub name: &'static str,
    /// What it means.
    pub meaning: &'static str,
    /// Glossary ids.
    pub terms: &'static [&'static str],
    /// The shape of its value.
    pub shape: Shape,
}

/// The shape of a key's value, as far as turning `docker run` options into a service needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One value.
    Single,
    /// A list: each repeated option adds an entry.
    List,
    /// A true/false switch.
    Flag,
    /// A mapping: each `key=value` option adds an entry.
    Map,
}

/// One tip's data.
#[derive(Debug)]
pub struct TipInfo {
    /// The stable id.
    pub id: &'static str,
    /// What to do about it.
    pub advice: &'static str,
    /// Glossary ids.
    pub terms: &'static [&'static str],
}

/// What a known image is for; the tips care about databases and notebooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    /// A database or key-value store.
    Database,
    /// A Jupyter server.
    Notebook,
    /// Object storage.
    Storage,
    /// Experiment tracking.
    Tracking,
    /// A model server.
    ModelServer,
    /// A web interface.
    Ui,
    /// A workflow scheduler.
    Pipeline,
    /// A message broker.
    Queue,
    /// A web server or reverse proxy.
    Proxy,
}

/// One entry of data/compose-images.yaml.
#[derive(Debug)]
pub struct KnownImage {
    /// What it matches.
    pub pattern: &'static str,
    /// What it is for.
    pub kind: ImageKind,
    /// What it is, in a few words.
    pub what: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/compose.rs"));

/// What the image at repository `path` (such as `library/postgres`) is, when it is known.
pub fn known_image(path: &str) -> Option<&'static KnownImage> {
    let path = path.to_ascii_lowercase();
    let last = path.rsplit('/').next().unwrap_or(&path);
    IMAGES.iter().find(|image| {
        let subject = if image.pattern.contains('/') {
            path.as_str()
        } else {
            last
        };
        glob(image.pattern, subject)
    })
}

/// `*` at the start or the end of `pattern` matches anything.
fn glob(pattern: &str, text: &str) -> bool {
    match (pattern.strip_prefix('*'), pattern.strip_suffix('*')) {
        (Some(suffix), _) => text.ends_with(suffix),
        (_, Some(prefix)) => text.starts_with(prefix),
        _ => text == pattern,
    }
}

/// The entry for `name` in `scope`.
pub fn find(scope: &'static [Key], name: &str) -> Option<&'static Key> {
    scope.iter().find(|k| k.name == name)
}

/// The closest key of `scope` to a key that is not in it, when one is close enough to be a typo.
pub fn suggest(scope: &'static [Key], name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase().replace('-', "_");
    if let Some(k) = scope.iter().find(|k| k.name == lower) {
        return Some(k.name);
    }
    scope
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&lower, k.name), k.name))
        .filter(|&(d, key)| d <= 2.max(key.len() / 4))
        .min_by_key(|&(d, _)| d)
        .map(|(_, key)| key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_get_a_suggestion() {
        assert_eq!(suggest(SERVICE, "enviroment"), Some("environment"));
        assert_eq!(suggest(SERVICE, "port"), Some("ports"));
        assert_eq!(suggest(SERVICE, "depends-on"), Some("depends_on"));
        assert_eq!(suggest(SERVICE, "shmsize"), Some("shm_size"));
        assert_eq!(suggest(SERVICE, "completely_different"), None);
        assert_eq!(suggest(TOP, "service"), Some("services"));
    }

    #[test]
    fn images_are_recognised_by_their_repository() {
        let kind = |p: &str| known_image(p).map(|i| i.kind);
        assert_eq!(kind("library/postgres"), Some(ImageKind::Database));
        assert_eq!(kind("pgvector/pgvector"), Some(ImageKind::Database));
        assert_eq!(kind("bitnami/postgresql"), Some(ImageKind::Database));
        assert_eq!(kind("jupyter/scipy-notebook"), Some(ImageKind::Notebook));
        assert_eq!(
            kind("quay.io/jupyter/pytorch-notebook"),
            Some(ImageKind::Notebook)
        );
        assert_eq!(kind("ollama/ollama"), Some(ImageKind::ModelServer));
        assert_eq!(kind("library/python"), None);
    }

    #[test]
    fn every_scope_has_the_keys_the_reader_relies_on() {
        for (scope, key) in [
            (SERVICE, "image"),
            (SERVICE, "gpus"),
            (SERVICE, "shm_size"),
            (TOP, "services"),
            (BUILD, "target"),
            (DEVICE, "capabilities"),
            (PORT, "published"),
            (MOUNT, "read_only"),
            (DEPENDENCY, "condition"),
        ] {
            assert!(find(scope, key).is_some(), "{key}");
        }
    }
}
