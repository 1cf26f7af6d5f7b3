//! The shapes of `data/docker-cli.yaml` that both `build.rs` and the library know: how a
//! command's positional arguments are read, and which typed reader reads an option's value.
//! Shared through `#[path]` so the build and the scanner can never disagree on a name.

use serde::{Deserialize, Serialize};

/// What a command's positional arguments are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Operands {
    /// A group of commands (`image`, `compose`): the next word names one of them.
    Subcommand,
    /// An image, then the command to run in the container (`run`, `create`).
    ImageThenCommand,
    /// A container, then the command to run in it (`exec`).
    ContainerThenCommand,
    /// A compose service, then the command to run (`compose run`, `compose exec`).
    ServiceThenCommand,
    /// Image references (`pull`, `push`, `rmi`, `save`).
    Images,
    /// A source image and a new name for it (`tag`).
    TagPair,
    /// A build context: a folder, a URL or `-` (`build`).
    Context,
    /// Containers, by name or ID.
    Containers,
    /// A container, then optionally a new image name (`commit`).
    Commit,
    /// Two paths, one of them `CONTAINER:PATH` (`cp`).
    CopyPaths,
    /// Names of other things (volumes, networks, services, a registry); the command's
    /// `operand` field says what they are.
    Names,
    /// No positional arguments.
    Nothing,
    /// Model references of Docker Model Runner (`docker model pull ai/smollm2`); the command's
    /// `operand` field says what the model is for.
    Models,
    /// A model, then the prompt it answers (`docker model run ai/smollm2 "Hi"`).
    ModelThenPrompt,
    /// A model, then after `--` flags for its inference engine (`docker model configure`).
    ModelThenFlags,
    /// A model and a new name for it (`docker model tag`).
    ModelTagPair,
    /// What Docker Scout analyses: an image reference, or a source with a prefix such as
    /// `archive://`, `fs://` or `sbom://`; the command's `operand` field says its role.
    ScoutTargets,
}

/// How an option's value is read and checked. Every name here is a function in
/// `values.rs`; an unknown name in the data file fails the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Reader {
    /// Any text, shown as written.
    Text,
    /// A name (container, network, builder, context…).
    Name,
    /// A path on this machine.
    Path,
    /// An image reference.
    Image,
    /// A model reference of Docker Model Runner (`ai/smollm2`, `hf.co/org/repo:Q4_K_M`).
    Model,
    /// A whole number.
    Integer,
    /// A whole number where -1 means unlimited (`--pids-limit`).
    IntegerOrUnlimited,
    /// A number of seconds (`stop --timeout`).
    Seconds,
    /// A Go duration such as `30s`, `1m30s` (`--health-interval`).
    Duration,
    /// A point in time: a timestamp or a duration back from now (`logs --since`).
    Timestamp,
    /// A size: a bare number is bytes, or with a unit b, k, m, g (powers of 1024).
    Bytes,
    /// A size as in `bytes`, where -1 means unlimited (`--memory-swap`).
    BytesOrUnlimited,
    /// A fractional number of CPUs (`--cpus 1.5`).
    Cpus,
    /// true or false.
    Bool,
    /// `KEY=VALUE` (labels, annotations, sysctls, options).
    KeyValue,
    /// `NAME=VALUE`, or `NAME` alone to copy it from your shell (`-e`).
    Env,
    /// `NAME=VALUE` or `NAME` for a build argument (`--build-arg`).
    BuildArg,
    /// A port mapping `[IP:][HOST:]CONTAINER[/PROTO]`, ranges allowed (`-p`).
    Publish,
    /// A container port or range, with an optional protocol (`--expose`).
    Expose,
    /// `-v SOURCE:TARGET[:OPTIONS]` or an anonymous `-v /target`.
    Volume,
    /// `--mount type=…,source=…,target=…`.
    Mount,
    /// `--tmpfs /path[:options]`.
    Tmpfs,
    /// `--gpus all`, `2`, `"device=0,1"`, with Docker's own rules.
    Gpus,
    /// `--ulimit name=soft[:hard]`.
    Ulimit,
    /// `--restart no|always|unless-stopped|on-failure[:N]`.
    Restart,
    /// A container's network: `bridge`, `host`, `none`, `container:NAME` or a network name.
    Network,
    /// A namespace mode: `host`, `private`, `container:NAME`… (`--pid`, `--ipc`, `--uts`).
    Namespace,
    /// A platform such as `linux/amd64`, or a comma-separated list.
    Platform,
    /// A signal name or number (`SIGTERM`, `9`).
    Signal,
    /// A user `name|uid[:group|gid]`.
    User,
    /// A host device `/dev/x[:/dev/y[:rwm]]`.
    Device,
    /// `host:ip` for `--add-host`.
    HostIp,
    /// A Go template or a named output format (`--format json`).
    Format,
    /// `key=value` filters for list and prune commands.
    Filter,
    /// A build output: `type=…,dest=…`, or a path.
    BuildOutput,
    /// A cache source or destination: an image reference or `type=…,…`.
    CacheSpec,
    /// A build secret `id=…,src=…` or `id=…,env=…`.
    Secret,
    /// An SSH agent socket or key to forward to a build: `default` or `id=path`.
    Ssh,
    /// A number of lines (`logs --tail`), or `all`.
    Lines,
    /// One of a fixed set of words, each with its own meaning in the option's `choices`.
    Choice,
    /// Words from a fixed set, comma-separated (`--attach stdin,stdout`), each in `choices`.
    Choices,
}

/// What follows a launcher word such as `sudo` or `nvidia-docker`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Then {
    /// Another program: `sudo docker …`, `time docker …`.
    Program,
    /// The launcher stands for `docker` itself (`nvidia-docker run …`).
    Docker,
    /// The launcher stands for `docker compose` (`docker-compose up`).
    Compose,
}

/// Where a model comes from (the `source` of `model_sources` in `data/docker-cli.yaml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
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

impl Source {
    /// Every source, in the order of the generated `MODEL_SOURCES` table.
    pub const ALL: [Source; 6] = [
        Source::DockerAi,
        Source::DockerHub,
        Source::HuggingFace,
        Source::NvidiaNim,
        Source::Registry,
        Source::Id,
    ];
}
