//! `docker …` command lines: which subcommand, what every option and argument does, the image
//! and the command run inside, each linked to glossary terms.

use super::looks_secret;

/// One option of a subcommand, as `docker SUBCOMMAND --help` lists it.
struct Opt {
    short: Option<char>,
    long: &'static str,
    /// Whether it takes a value (`--name api`), or is a switch (`--rm`).
    value: bool,
    /// What it does; `{}` stands for the value.
    meaning: &'static str,
    terms: &'static [&'static str],
}

const fn switch(
    short: Option<char>,
    long: &'static str,
    meaning: &'static str,
    terms: &'static [&'static str],
) -> Opt {
    Opt {
        short,
        long,
        value: false,
        meaning,
        terms,
    }
}

const fn valued(
    short: Option<char>,
    long: &'static str,
    meaning: &'static str,
    terms: &'static [&'static str],
) -> Opt {
    Opt {
        short,
        long,
        value: true,
        meaning,
        terms,
    }
}

/// What a subcommand's positional arguments are.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Operands {
    /// An image, then the command to run in the container (`run`, `create`).
    ImageThenCommand,
    /// A container, then the command to run in it (`exec`).
    ContainerThenCommand,
    /// Image references (`pull`, `push`, `rmi`, `history`).
    Images,
    /// A source image and a new name for it (`tag`).
    TagPair,
    /// A build context path or URL (`build`).
    Context,
    /// Containers, by name or ID.
    Containers,
    /// A container, then optionally a new image name (`commit`).
    Commit,
    /// Two paths, one of them `CONTAINER:PATH` (`cp`).
    CopyPaths,
    /// Anything else: names of volumes, networks, services, a registry host.
    Names(&'static str),
    /// No positional arguments expected.
    Nothing,
}

struct Subcommand {
    /// The canonical words, such as `["image", "ls"]`.
    words: &'static [&'static str],
    /// Other spellings of the same command.
    aliases: &'static [&'static [&'static str]],
    meaning: &'static str,
    terms: &'static [&'static str],
    options: &'static [&'static [Opt]],
    operands: Operands,
}

const GLOBAL: &[Opt] = &[
    valued(
        Some('H'),
        "host",
        "Talk to the Docker Engine at {} instead of the local one",
        &["docker-engine", "docker-cli"],
    ),
    valued(
        Some('c'),
        "context",
        "Use the Docker context {} (a saved engine connection)",
        &["docker-cli"],
    ),
    valued(
        None,
        "config",
        "Read client configuration from {}",
        &["docker-cli"],
    ),
    switch(Some('D'), "debug", "Print debug output", &["docker-cli"]),
    valued(
        Some('l'),
        "log-level",
        "Set the client's log level to {}",
        &["docker-cli"],
    ),
];

const RUN: &[Opt] = &[
    switch(
        Some('d'),
        "detach",
        "Run in the background and print the container ID; your terminal is free again",
        &["detached-mode"],
    ),
    switch(
        Some('i'),
        "interactive",
        "Keep standard input open, so you can type into the container",
        &["interactive-tty"],
    ),
    switch(
        Some('t'),
        "tty",
        "Give the container a terminal, for prompts, colours and Ctrl-C",
        &["interactive-tty"],
    ),
    switch(
        None,
        "rm",
        "Delete the container as soon as it exits, leaving nothing behind",
        &["auto-remove"],
    ),
    valued(
        None,
        "name",
        "Name the container {}, so later commands can use the name instead of its ID",
        &["container"],
    ),
    valued(Some('v'), "volume", "", &["volume"]),
    valued(None, "mount", "", &["bind-mount", "volume"]),
    valued(Some('p'), "publish", "", &["port-publishing"]),
    switch(
        Some('P'),
        "publish-all",
        "Publish every port the image EXPOSEs on random free host ports",
        &["port-publishing", "expose"],
    ),
    valued(Some('e'), "env", "", &["environment-variable"]),
    valued(
        None,
        "env-file",
        "Set the environment variables listed in the file {} (NAME=value lines)",
        &["environment-variable"],
    ),
    valued(None, "gpus", "", &["gpu-access"]),
    valued(
        None,
        "shm-size",
        "Give the container {} of shared memory in /dev/shm (the default is only 64 MB)",
        &["shared-memory"],
    ),
    valued(
        Some('w'),
        "workdir",
        "Start in the directory {} inside the container",
        &["workdir"],
    ),
    valued(
        None,
        "entrypoint",
        "Replace the image's ENTRYPOINT with {}",
        &["entrypoint"],
    ),
    valued(
        Some('u'),
        "user",
        "Run as the user {} instead of the image's default user",
        &["user"],
    ),
    valued(None, "network", "", &["network"]),
    valued(None, "net", "", &["network"]),
    valued(
        None,
        "cpus",
        "Allow at most {} CPUs' worth of processor time",
        &["resource-limits", "cgroup"],
    ),
    valued(
        Some('m'),
        "memory",
        "Allow at most {} of memory; the container is killed if it needs more",
        &["resource-limits", "cgroup"],
    ),
    valued(
        None,
        "memory-swap",
        "Allow at most {} of memory plus swap",
        &["resource-limits"],
    ),
    valued(
        None,
        "cpuset-cpus",
        "Run only on the CPU cores {}",
        &["resource-limits"],
    ),
    valued(None, "restart", "", &["restart-policy"]),
    valued(
        None,
        "platform",
        "Use the {} variant of the image (emulated if it is not this machine's)",
        &["multi-platform-image"],
    ),
    switch(
        None,
        "init",
        "Run a small init process as PID 1 that forwards signals and reaps zombie processes",
        &["pid-1"],
    ),
    valued(
        None,
        "ipc",
        "Use IPC namespace mode {} ('host' shares the host's shared memory)",
        &["shared-memory", "namespace"],
    ),
    valued(
        None,
        "tmpfs",
        "Mount a RAM-backed folder at {}",
        &["tmpfs-mount"],
    ),
    valued(
        None,
        "pull",
        "Pull the image {} (missing, always or never)",
        &["push-and-pull"],
    ),
    valued(
        None,
        "hostname",
        "Set the container's host name to {}",
        &["container"],
    ),
    valued(
        None,
        "add-host",
        "Add {} (NAME:IP) to the container's /etc/hosts",
        &["container-dns"],
    ),
    valued(
        None,
        "network-alias",
        "Make the container reachable as {} on its network",
        &["container-dns"],
    ),
    valued(
        None,
        "label",
        "Attach the metadata label {}",
        &["container"],
    ),
    valued(
        None,
        "ulimit",
        "Set the resource limit {} (such as memlock=-1)",
        &["resource-limits"],
    ),
    valued(
        None,
        "device",
        "Give the container the host device {}",
        &["container"],
    ),
    switch(
        None,
        "privileged",
        "Give the container almost every privilege of the host; avoid unless you must",
        &["container", "namespace"],
    ),
    valued(
        None,
        "cap-add",
        "Add the Linux capability {}",
        &["container"],
    ),
    valued(
        None,
        "health-cmd",
        "Check the container's health by running {}",
        &["healthcheck"],
    ),
    valued(
        None,
        "stop-timeout",
        "Wait {} seconds for a clean stop before killing the container",
        &["pid-1"],
    ),
    valued(
        None,
        "log-driver",
        "Send the container's logs to the {} logging driver",
        &["container-logs"],
    ),
    switch(
        Some('q'),
        "quiet",
        "Do not print pull progress",
        &["push-and-pull"],
    ),
];

const BUILD: &[Opt] = &[
    valued(Some('t'), "tag", "", &["image-name", "tag"]),
    valued(
        Some('f'),
        "file",
        "Use the Dockerfile {} instead of ./Dockerfile",
        &["dockerfile"],
    ),
    valued(None, "build-arg", "", &["build-arg"]),
    valued(
        None,
        "target",
        "Build only up to the stage named {}",
        &["multi-stage-build"],
    ),
    valued(
        None,
        "platform",
        "Build for the platform(s) {}",
        &["multi-platform-image", "buildx"],
    ),
    switch(
        None,
        "no-cache",
        "Ignore the build cache and run every step again",
        &["build-cache"],
    ),
    switch(
        None,
        "pull",
        "Check the registry for newer versions of the base images first",
        &["base-image", "push-and-pull"],
    ),
    valued(
        None,
        "secret",
        "Make the secret {} available to RUN --mount=type=secret without storing it in the image",
        &["buildkit"],
    ),
    valued(
        None,
        "ssh",
        "Forward the SSH agent or key {} to RUN --mount=type=ssh",
        &["buildkit"],
    ),
    switch(
        None,
        "push",
        "Push the result to its registry when the build finishes",
        &["push-and-pull"],
    ),
    switch(
        None,
        "load",
        "Load the result into the local image store",
        &["image"],
    ),
    valued(
        None,
        "progress",
        "Show build progress as {} (auto, plain, tty)",
        &["buildkit"],
    ),
    valued(
        None,
        "cache-from",
        "Reuse build cache from {}",
        &["build-cache"],
    ),
    valued(
        None,
        "cache-to",
        "Export the build cache to {}",
        &["build-cache"],
    ),
    valued(
        None,
        "build-context",
        "Add the named build context {}",
        &["build-context"],
    ),
    valued(
        Some('o'),
        "output",
        "Write the result to {} instead of the image store",
        &["buildkit"],
    ),
    valued(None, "label", "Add the label {} to the image", &["image"]),
    valued(
        None,
        "network",
        "Give RUN steps the network mode {}",
        &["network"],
    ),
    switch(Some('q'), "quiet", "Print only the image ID", &["image-id"]),
];

const PULL: &[Opt] = &[
    switch(
        Some('a'),
        "all-tags",
        "Download every tagged image of the repository",
        &["tag"],
    ),
    valued(
        None,
        "platform",
        "Download the {} variant",
        &["multi-platform-image"],
    ),
    switch(
        Some('q'),
        "quiet",
        "Do not print progress",
        &["push-and-pull"],
    ),
];

const LIST_IMAGES: &[Opt] = &[
    switch(Some('a'), "all", "Include intermediate images", &["image"]),
    switch(Some('q'), "quiet", "Print only image IDs", &["image-id"]),
    valued(
        Some('f'),
        "filter",
        "Show only images matching {} (such as dangling=true)",
        &["dangling-image"],
    ),
    switch(None, "digests", "Show registry digests", &["digest"]),
    switch(None, "no-trunc", "Show full IDs", &["image-id"]),
    valued(
        None,
        "format",
        "Format each line with the Go template {}",
        &["docker-cli"],
    ),
];

const LIST_CONTAINERS: &[Opt] = &[
    switch(
        Some('a'),
        "all",
        "Include stopped containers, not only running ones",
        &["container"],
    ),
    switch(
        Some('q'),
        "quiet",
        "Print only container IDs",
        &["container"],
    ),
    valued(
        Some('f'),
        "filter",
        "Show only containers matching {}",
        &["container"],
    ),
    switch(
        Some('s'),
        "size",
        "Show the size of each container's writable layer",
        &["copy-on-write"],
    ),
    switch(
        Some('l'),
        "latest",
        "Show only the most recently created container",
        &["container"],
    ),
    valued(
        Some('n'),
        "last",
        "Show the {} most recently created containers",
        &["container"],
    ),
    switch(
        None,
        "no-trunc",
        "Do not shorten the output",
        &["container"],
    ),
    valued(
        None,
        "format",
        "Format each line with the Go template {}",
        &["docker-cli"],
    ),
];

const EXEC: &[Opt] = &[
    switch(
        Some('d'),
        "detach",
        "Run the command in the background",
        &["detached-mode"],
    ),
    switch(
        Some('i'),
        "interactive",
        "Keep standard input open, so you can type into the command",
        &["interactive-tty"],
    ),
    switch(
        Some('t'),
        "tty",
        "Give the command a terminal",
        &["interactive-tty"],
    ),
    valued(Some('e'), "env", "", &["environment-variable"]),
    valued(
        None,
        "env-file",
        "Set the environment variables listed in the file {}",
        &["environment-variable"],
    ),
    valued(
        Some('u'),
        "user",
        "Run the command as the user {}",
        &["user"],
    ),
    valued(
        Some('w'),
        "workdir",
        "Run the command in the directory {}",
        &["workdir"],
    ),
    switch(
        None,
        "privileged",
        "Give the command extended privileges",
        &["container"],
    ),
];

const LOGS: &[Opt] = &[
    switch(
        Some('f'),
        "follow",
        "Keep printing new output as it arrives (Ctrl-C stops following, not the container)",
        &["container-logs"],
    ),
    valued(
        Some('n'),
        "tail",
        "Show only the last {} lines",
        &["container-logs"],
    ),
    switch(
        Some('t'),
        "timestamps",
        "Prefix each line with its time",
        &["container-logs"],
    ),
    valued(None, "since", "Show output since {}", &["container-logs"]),
    valued(None, "until", "Show output until {}", &["container-logs"]),
    switch(
        None,
        "details",
        "Show extra attributes",
        &["container-logs"],
    ),
];

const STOP: &[Opt] = &[
    valued(
        Some('t'),
        "timeout",
        "Wait {} seconds after SIGTERM before killing",
        &["pid-1"],
    ),
    valued(
        Some('s'),
        "signal",
        "Send the signal {} instead of SIGTERM",
        &["pid-1"],
    ),
];

const RM: &[Opt] = &[
    switch(
        Some('f'),
        "force",
        "Stop the container first if it is running",
        &["container"],
    ),
    switch(
        Some('v'),
        "volumes",
        "Also delete its anonymous volumes",
        &["anonymous-volume"],
    ),
];

const RMI: &[Opt] = &[
    switch(
        Some('f'),
        "force",
        "Remove the image even if a stopped container uses it or it has several tags",
        &["image"],
    ),
    switch(
        None,
        "no-prune",
        "Keep untagged parent images",
        &["dangling-image"],
    ),
];

const COMMIT: &[Opt] = &[
    valued(
        Some('m'),
        "message",
        "Record the commit message {}",
        &["image"],
    ),
    valued(Some('a'), "author", "Record {} as the author", &["image"]),
    valued(
        Some('c'),
        "change",
        "Apply the Dockerfile instruction {} to the new image",
        &["dockerfile"],
    ),
    switch(
        Some('p'),
        "pause",
        "Pause the container while committing",
        &["container"],
    ),
];

const INSPECT: &[Opt] = &[
    valued(
        Some('f'),
        "format",
        "Print only what the Go template {} selects",
        &["docker-cli"],
    ),
    switch(Some('s'), "size", "Include sizes", &["image-size"]),
    valued(
        None,
        "type",
        "Inspect only objects of type {}",
        &["docker-cli"],
    ),
];

const LOGIN: &[Opt] = &[
    valued(Some('u'), "username", "Log in as {}", &["docker-login"]),
    valued(
        Some('p'),
        "password",
        "Give the password or token on the command line (it lands in shell history: prefer --password-stdin)",
        &["docker-login"],
    ),
    switch(
        None,
        "password-stdin",
        "Read the password or token from standard input",
        &["docker-login"],
    ),
];

const CP: &[Opt] = &[
    switch(
        Some('a'),
        "archive",
        "Keep owners and permissions",
        &["container"],
    ),
    switch(
        Some('L'),
        "follow-link",
        "Follow symbolic links in the source",
        &["container"],
    ),
];

const PRUNE: &[Opt] = &[
    switch(
        Some('a'),
        "all",
        "Remove everything unused, not only dangling items",
        &["dangling-image"],
    ),
    switch(
        Some('f'),
        "force",
        "Do not ask for confirmation",
        &["docker-cli"],
    ),
    valued(
        None,
        "filter",
        "Remove only what matches {}",
        &["docker-cli"],
    ),
    switch(
        None,
        "volumes",
        "Also remove unused volumes (their data is lost)",
        &["volume"],
    ),
];

const VOLUME: &[Opt] = &[
    valued(Some('d'), "driver", "Use the volume driver {}", &["volume"]),
    valued(Some('o'), "opt", "Pass the driver option {}", &["volume"]),
    valued(None, "label", "Attach the label {}", &["volume"]),
    switch(Some('q'), "quiet", "Print only names", &["volume"]),
    valued(
        Some('f'),
        "filter",
        "Show only volumes matching {}",
        &["volume"],
    ),
    switch(
        Some('a'),
        "all",
        "Include named volumes, not only anonymous ones",
        &["anonymous-volume"],
    ),
];

const NETWORK: &[Opt] = &[
    valued(
        Some('d'),
        "driver",
        "Use the network driver {} (bridge by default)",
        &["bridge-network"],
    ),
    valued(None, "subnet", "Use the subnet {}", &["network"]),
    valued(
        None,
        "alias",
        "Add the DNS alias {} for the container on this network",
        &["container-dns"],
    ),
    switch(
        None,
        "internal",
        "Cut the network off from the outside world",
        &["network"],
    ),
    switch(
        None,
        "attachable",
        "Let standalone containers join the network",
        &["network"],
    ),
    switch(Some('q'), "quiet", "Print only IDs", &["network"]),
];

const COMPOSE_GLOBAL: &[Opt] = &[
    valued(
        Some('f'),
        "file",
        "Use the compose file {}",
        &["compose-file"],
    ),
    valued(
        Some('p'),
        "project-name",
        "Name the project {}",
        &["docker-compose"],
    ),
    valued(None, "profile", "Enable the profile {}", &["compose-file"]),
    valued(
        None,
        "env-file",
        "Read variables for the compose file from {}",
        &["compose-file", "environment-variable"],
    ),
];

const COMPOSE_UP: &[Opt] = &[
    switch(
        Some('d'),
        "detach",
        "Start the services in the background",
        &["detached-mode"],
    ),
    switch(
        None,
        "build",
        "Build images before starting",
        &["dockerfile"],
    ),
    switch(
        None,
        "no-build",
        "Never build, even if an image is missing",
        &["compose-service"],
    ),
    switch(
        None,
        "force-recreate",
        "Recreate containers even if nothing changed",
        &["compose-service"],
    ),
    switch(
        None,
        "remove-orphans",
        "Remove containers of services no longer in the file",
        &["compose-service"],
    ),
    valued(
        None,
        "scale",
        "Run {} (SERVICE=NUMBER) containers of a service",
        &["compose-service"],
    ),
    switch(
        None,
        "wait",
        "Wait until services are running and healthy",
        &["healthcheck"],
    ),
    switch(
        None,
        "abort-on-container-exit",
        "Stop everything when any container exits",
        &["compose-service"],
    ),
    valued(
        None,
        "pull",
        "Pull images {} (always, missing, never)",
        &["push-and-pull"],
    ),
];

const COMPOSE_DOWN: &[Opt] = &[
    switch(
        Some('v'),
        "volumes",
        "Also delete the project's volumes (their data is lost)",
        &["volume"],
    ),
    valued(
        None,
        "rmi",
        "Also remove images: {} (local or all)",
        &["image"],
    ),
    switch(
        None,
        "remove-orphans",
        "Also remove containers of services no longer in the file",
        &["compose-service"],
    ),
    valued(
        Some('t'),
        "timeout",
        "Wait {} seconds for containers to stop",
        &["pid-1"],
    ),
];

const COMPOSE_BUILD: &[Opt] = &[
    switch(None, "no-cache", "Ignore the build cache", &["build-cache"]),
    switch(
        None,
        "pull",
        "Pull newer base images first",
        &["base-image"],
    ),
    valued(None, "build-arg", "", &["build-arg"]),
];

const fn sub(
    words: &'static [&'static str],
    aliases: &'static [&'static [&'static str]],
    meaning: &'static str,
    terms: &'static [&'static str],
    options: &'static [&'static [Opt]],
    operands: Operands,
) -> Subcommand {
    Subcommand {
        words,
        aliases,
        meaning,
        terms,
        options,
        operands,
    }
}

static SUBCOMMANDS: &[Subcommand] = &[
    sub(
        &["run"],
        &[&["container", "run"]],
        "Create a container from an image and start it",
        &["docker-run", "container"],
        &[RUN],
        Operands::ImageThenCommand,
    ),
    sub(
        &["create"],
        &[&["container", "create"]],
        "Create a container from an image without starting it",
        &["container"],
        &[RUN],
        Operands::ImageThenCommand,
    ),
    sub(
        &["build"],
        &[&["image", "build"], &["builder", "build"]],
        "Build an image from a Dockerfile and a build context",
        &["dockerfile", "buildkit"],
        &[BUILD],
        Operands::Context,
    ),
    sub(
        &["buildx", "build"],
        &[&["buildx", "b"]],
        "Build an image with BuildKit through the buildx plugin (multi-platform, remote builders)",
        &["buildx", "buildkit"],
        &[BUILD],
        Operands::Context,
    ),
    sub(
        &["pull"],
        &[&["image", "pull"]],
        "Download an image from a registry",
        &["push-and-pull", "registry"],
        &[PULL],
        Operands::Images,
    ),
    sub(
        &["push"],
        &[&["image", "push"]],
        "Upload an image to the registry its name points at",
        &["push-and-pull", "registry"],
        &[PULL],
        Operands::Images,
    ),
    sub(
        &["tag"],
        &[&["image", "tag"]],
        "Give an image another name (a new tag or repository); nothing is copied",
        &["tag", "image-name"],
        &[],
        Operands::TagPair,
    ),
    sub(
        &["image", "ls"],
        &[&["images"], &["image", "list"]],
        "List the images stored on this machine",
        &["image"],
        &[LIST_IMAGES],
        Operands::Names("repository to list"),
    ),
    sub(
        &["container", "ls"],
        &[&["ps"], &["container", "ps"], &["container", "list"]],
        "List containers (running ones unless -a)",
        &["container"],
        &[LIST_CONTAINERS],
        Operands::Nothing,
    ),
    sub(
        &["exec"],
        &[&["container", "exec"]],
        "Run an extra command inside a running container",
        &["docker-exec"],
        &[EXEC],
        Operands::ContainerThenCommand,
    ),
    sub(
        &["logs"],
        &[&["container", "logs"]],
        "Show what a container's main process printed",
        &["container-logs"],
        &[LOGS],
        Operands::Containers,
    ),
    sub(
        &["stop"],
        &[&["container", "stop"]],
        "Stop running containers: SIGTERM, then SIGKILL after a grace period",
        &["pid-1", "container"],
        &[STOP],
        Operands::Containers,
    ),
    sub(
        &["start"],
        &[&["container", "start"]],
        "Start stopped containers again",
        &["container"],
        &[],
        Operands::Containers,
    ),
    sub(
        &["restart"],
        &[&["container", "restart"]],
        "Stop and start containers",
        &["container"],
        &[STOP],
        Operands::Containers,
    ),
    sub(
        &["kill"],
        &[&["container", "kill"]],
        "Kill running containers at once (SIGKILL)",
        &["pid-1"],
        &[STOP],
        Operands::Containers,
    ),
    sub(
        &["rm"],
        &[&["container", "rm"], &["container", "remove"]],
        "Delete stopped containers and their writable layers",
        &["container", "auto-remove"],
        &[RM],
        Operands::Containers,
    ),
    sub(
        &["rmi"],
        &[&["image", "rm"], &["image", "remove"]],
        "Delete images from this machine (remove their names; layers go when unused)",
        &["image", "tag"],
        &[RMI],
        Operands::Images,
    ),
    sub(
        &["cp"],
        &[&["container", "cp"]],
        "Copy files between a container and this machine",
        &["container"],
        &[CP],
        Operands::CopyPaths,
    ),
    sub(
        &["commit"],
        &[&["container", "commit"]],
        "Save a container's current state as a new image (prefer a Dockerfile: it can be repeated)",
        &["container", "image", "dockerfile"],
        &[COMMIT],
        Operands::Commit,
    ),
    sub(
        &["inspect"],
        &[],
        "Print low-level JSON details of images, containers, volumes or networks",
        &["docker-cli"],
        &[INSPECT],
        Operands::Names("object to inspect"),
    ),
    sub(
        &["image", "inspect"],
        &[],
        "Print low-level JSON details of images",
        &["image"],
        &[INSPECT],
        Operands::Images,
    ),
    sub(
        &["container", "inspect"],
        &[],
        "Print low-level JSON details of containers",
        &["container"],
        &[INSPECT],
        Operands::Containers,
    ),
    sub(
        &["history"],
        &[&["image", "history"]],
        "Show the layers of an image and the instructions that made them",
        &["layer"],
        &[LIST_IMAGES],
        Operands::Images,
    ),
    sub(
        &["login"],
        &[],
        "Log in to a registry (Docker Hub when no server is given)",
        &["docker-login"],
        &[LOGIN],
        Operands::Names("registry server"),
    ),
    sub(
        &["logout"],
        &[],
        "Forget the stored credentials of a registry",
        &["docker-login"],
        &[],
        Operands::Names("registry server"),
    ),
    sub(
        &["volume", "create"],
        &[],
        "Create a named volume",
        &["volume"],
        &[VOLUME],
        Operands::Names("volume name"),
    ),
    sub(
        &["volume", "ls"],
        &[&["volume", "list"]],
        "List volumes",
        &["volume"],
        &[VOLUME],
        Operands::Nothing,
    ),
    sub(
        &["volume", "rm"],
        &[&["volume", "remove"]],
        "Delete volumes and the data in them",
        &["volume"],
        &[RM],
        Operands::Names("volume name"),
    ),
    sub(
        &["volume", "inspect"],
        &[],
        "Show where a volume lives and how it is configured",
        &["volume"],
        &[INSPECT],
        Operands::Names("volume name"),
    ),
    sub(
        &["volume", "prune"],
        &[],
        "Delete unused volumes (anonymous ones unless -a); their data is lost",
        &["anonymous-volume", "volume"],
        &[PRUNE, VOLUME],
        Operands::Nothing,
    ),
    sub(
        &["network", "create"],
        &[],
        "Create a user-defined network, on which containers find each other by name",
        &["network", "container-dns"],
        &[NETWORK],
        Operands::Names("network name"),
    ),
    sub(
        &["network", "ls"],
        &[&["network", "list"]],
        "List networks",
        &["network"],
        &[NETWORK],
        Operands::Nothing,
    ),
    sub(
        &["network", "rm"],
        &[&["network", "remove"]],
        "Delete networks",
        &["network"],
        &[],
        Operands::Names("network name"),
    ),
    sub(
        &["network", "connect"],
        &[],
        "Attach a running container to a network",
        &["network"],
        &[NETWORK],
        Operands::Names("network, then container"),
    ),
    sub(
        &["network", "inspect"],
        &[],
        "Show a network's subnet and attached containers",
        &["network"],
        &[INSPECT],
        Operands::Names("network name"),
    ),
    sub(
        &["system", "prune"],
        &[],
        "Delete stopped containers, unused networks, dangling images and build cache",
        &["dangling-image", "build-cache"],
        &[PRUNE],
        Operands::Nothing,
    ),
    sub(
        &["system", "df"],
        &[],
        "Show how much disk images, containers, volumes and build cache use",
        &["image-size"],
        &[],
        Operands::Nothing,
    ),
    sub(
        &["image", "prune"],
        &[],
        "Delete dangling images (all unused images with -a)",
        &["dangling-image"],
        &[PRUNE],
        Operands::Nothing,
    ),
    sub(
        &["container", "prune"],
        &[],
        "Delete all stopped containers",
        &["container"],
        &[PRUNE],
        Operands::Nothing,
    ),
    sub(
        &["builder", "prune"],
        &[&["buildx", "prune"]],
        "Delete the build cache",
        &["build-cache"],
        &[PRUNE],
        Operands::Nothing,
    ),
    sub(
        &["compose", "up"],
        &[],
        "Create and start every service of the compose file",
        &["docker-compose", "compose-service"],
        &[COMPOSE_UP],
        Operands::Names("service"),
    ),
    sub(
        &["compose", "down"],
        &[],
        "Stop and remove the project's containers and networks",
        &["docker-compose"],
        &[COMPOSE_DOWN],
        Operands::Nothing,
    ),
    sub(
        &["compose", "build"],
        &[],
        "Build the images of services that have a build section",
        &["docker-compose", "dockerfile"],
        &[COMPOSE_BUILD],
        Operands::Names("service"),
    ),
    sub(
        &["compose", "logs"],
        &[],
        "Show the output of the project's services",
        &["docker-compose", "container-logs"],
        &[LOGS],
        Operands::Names("service"),
    ),
    sub(
        &["compose", "ps"],
        &[],
        "List the project's containers",
        &["docker-compose"],
        &[LIST_CONTAINERS],
        Operands::Names("service"),
    ),
    sub(
        &["compose", "exec"],
        &[],
        "Run a command in a running service container",
        &["docker-compose", "docker-exec"],
        &[EXEC],
        Operands::ContainerThenCommand,
    ),
    sub(
        &["compose", "run"],
        &[],
        "Run a one-off command in a new container of a service",
        &["docker-compose", "compose-service"],
        &[RUN],
        Operands::ContainerThenCommand,
    ),
    sub(
        &["compose", "pull"],
        &[],
        "Pull the images of the project's services",
        &["docker-compose", "push-and-pull"],
        &[PULL],
        Operands::Names("service"),
    ),
    sub(
        &["stats"],
        &[&["container", "stats"]],
        "Show live CPU, memory and I/O use of containers",
        &["resource-limits"],
        &[],
        Operands::Containers,
    ),
    sub(
        &["version"],
        &[],
        "Show the versions of the Docker client and engine",
        &["docker-cli", "docker-engine"],
        &[],
        Operands::Nothing,
    ),
    sub(
        &["info"],
        &[&["system", "info"]],
        "Show the engine's configuration",
        &["docker-engine"],
        &[],
        Operands::Nothing,
    ),
    sub(
        &["save"],
        &[&["image", "save"]],
        "Write images to a tar archive",
        &["image"],
        &[],
        Operands::Images,
    ),
    sub(
        &["load"],
        &[&["image", "load"]],
        "Read images from a tar archive",
        &["image"],
        &[],
        Operands::Nothing,
    ),
];

/// One explained piece of the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The words as written, such as `-p 8888:8888`.
    pub text: String,
    /// The option's value, when it has one.
    pub value: Option<String>,
    /// What it does, in a sentence.
    pub meaning: String,
    /// Glossary ids.
    pub terms: Vec<&'static str>,
}

/// A whole command line, explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The subcommand's canonical name, such as `run` or `compose up`; `None` when unknown.
    pub subcommand: Option<String>,
    /// Every piece, in order.
    pub parts: Vec<Part>,
    /// The image the command runs, pulls or pushes, when there is one.
    pub image: Option<String>,
    /// What runs inside the container, after the image (or container) argument.
    pub container_command: Vec<String>,
    /// Remarks that apply to the whole command.
    pub notes: Vec<String>,
}

fn part(
    text: impl Into<String>,
    value: Option<&str>,
    meaning: impl Into<String>,
    terms: &[&'static str],
) -> Part {
    Part {
        text: text.into(),
        value: value.map(String::from),
        meaning: meaning.into(),
        terms: terms.to_vec(),
    }
}

/// Explains `docker …` given as separate words. Never fails: what it does not know, it says it
/// does not know.
pub fn explain(words: &[String]) -> Explanation {
    let mut out = Explanation {
        subcommand: None,
        parts: Vec::new(),
        image: None,
        container_command: Vec::new(),
        notes: Vec::new(),
    };
    let mut rest: &[String] = words;
    if let [first, tail @ ..] = rest
        && first == "sudo"
    {
        out.parts.push(part("sudo", None, "Run as root; needed only when your user may not use the Docker socket (see the docker group)", &["docker-engine"]));
        rest = tail;
    }
    match rest.first().map(String::as_str) {
        Some("docker") => {
            out.parts.push(part(
                "docker",
                None,
                "The Docker command-line client, which sends the request to the Docker Engine",
                &["docker-cli", "docker-engine"],
            ));
            rest = &rest[1..];
        }
        Some("docker-compose") => {
            out.parts.push(part(
                "docker-compose",
                None,
                "Compose v1, which is no longer maintained: use `docker compose` (a space) instead",
                &["docker-compose"],
            ));
            out.notes.push(
                "docker-compose (v1) is retired; the same commands work as docker compose.".into(),
            );
            explain_compose(&rest[1..], &mut out);
            return out;
        }
        _ => out
            .notes
            .push("The command does not start with docker; reading it as docker arguments.".into()),
    }
    rest = take_options(rest, &[GLOBAL], &mut out);
    if rest.first().is_some_and(|w| w == "compose") {
        out.parts.push(part(
            "compose",
            None,
            "Docker Compose v2, which manages several containers from one compose file",
            &["docker-compose"],
        ));
        explain_compose(&rest[1..], &mut out);
        return out;
    }
    let Some((subcommand, used)) = find_subcommand(rest) else {
        if let Some(word) = rest.first() {
            out.parts.push(part(
                word.clone(),
                None,
                format!("Unknown docker subcommand '{word}'; dterms does not explain it"),
                &[],
            ));
            for word in &rest[1..] {
                out.parts.push(part(
                    word.clone(),
                    None,
                    "An argument of the unknown subcommand",
                    &[],
                ));
            }
        } else {
            out.notes
                .push("No subcommand given: docker alone prints its help.".into());
        }
        return out;
    };
    explain_subcommand(subcommand, &rest[..used], &rest[used..], &mut out);
    out
}

fn explain_compose(rest: &[String], out: &mut Explanation) {
    let rest = take_options(rest, &[COMPOSE_GLOBAL], out);
    let mut words = vec!["compose".to_owned()];
    words.extend(rest.iter().cloned());
    match find_subcommand(&words) {
        Some((subcommand, used)) => {
            explain_subcommand(subcommand, &rest[..used - 1], &rest[used - 1..], out)
        }
        None => match rest.first() {
            Some(word) => out.parts.push(part(
                word.clone(),
                None,
                format!("A compose subcommand dterms does not explain: '{word}'"),
                &["docker-compose"],
            )),
            None => out.notes.push("No compose subcommand given.".into()),
        },
    }
}

/// The longest subcommand (by words) that the words start with, and how many words it used.
fn find_subcommand(words: &[String]) -> Option<(&'static Subcommand, usize)> {
    let starts = |spelling: &[&str]| {
        spelling.len() <= words.len() && spelling.iter().zip(words).all(|(a, b)| a == b)
    };
    SUBCOMMANDS
        .iter()
        .flat_map(|s| {
            std::iter::once(s.words)
                .chain(s.aliases.iter().copied())
                .map(move |w| (s, w))
        })
        .filter(|(_, spelling)| starts(spelling))
        .max_by_key(|(_, spelling)| spelling.len())
        .map(|(s, spelling)| (s, spelling.len()))
}

fn explain_subcommand(
    subcommand: &'static Subcommand,
    written: &[String],
    args: &[String],
    out: &mut Explanation,
) {
    let canonical = subcommand.words.join(" ");
    out.subcommand = Some(canonical.clone());
    out.parts.push(part(
        written.join(" "),
        None,
        subcommand.meaning,
        subcommand.terms,
    ));
    // run, create and exec stop reading options at their first operand: what follows belongs
    // to the container's command.
    let stop_at_operand = matches!(
        subcommand.operands,
        Operands::ImageThenCommand | Operands::ContainerThenCommand
    );
    let mut operands: Vec<String> = Vec::new();
    let mut rest = args;
    loop {
        rest = take_options(rest, subcommand.options, out);
        match rest.split_first() {
            None => break,
            Some((word, tail)) if word == "--" => {
                operands.extend(tail.iter().cloned());
                break;
            }
            Some((word, tail)) => {
                operands.push(word.clone());
                rest = tail;
                if stop_at_operand {
                    operands.extend(rest.iter().cloned());
                    break;
                }
            }
        }
    }
    explain_operands(subcommand, &operands, out);
}

/// Reads options off the front of `words`, explaining each; returns what is left, from the
/// first word that is not an option.
fn take_options<'w>(
    mut words: &'w [String],
    tables: &[&[Opt]],
    out: &mut Explanation,
) -> &'w [String] {
    while let Some((word, tail)) = words.split_first() {
        if word == "--" || !word.starts_with('-') || word == "-" {
            return words;
        }
        words = tail;
        if let Some(long) = word.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((name, value)) => (name, Some(value.to_owned())),
                None => (long, None),
            };
            match find_long(tables, name) {
                Some(opt) if opt.value => {
                    let (value, text) = match inline {
                        Some(v) => (Some(v), word.clone()),
                        None => match words.split_first() {
                            Some((v, tail)) => {
                                words = tail;
                                (Some(v.clone()), format!("{word} {v}"))
                            }
                            None => (None, word.clone()),
                        },
                    };
                    out.parts.push(explain_option(opt, text, value.as_deref()));
                }
                Some(opt) => out.parts.push(explain_option(opt, word.clone(), None)),
                None => out.parts.push(part(
                    word.clone(),
                    inline.as_deref(),
                    format!("An option dterms does not know: '--{name}'"),
                    &[],
                )),
            }
            continue;
        }
        // Short options, possibly combined (-it, -dit) or with the value attached (-p8080:80).
        let letters: Vec<char> = word[1..].chars().collect();
        let mut i = 0;
        while i < letters.len() {
            let letter = letters[i];
            match find_short(tables, letter) {
                Some(opt) if opt.value => {
                    let attached: String = letters[i + 1..].iter().collect();
                    let (value, text) = if !attached.is_empty() {
                        (Some(attached.clone()), format!("-{letter}{attached}"))
                    } else {
                        match words.split_first() {
                            Some((v, tail)) => {
                                words = tail;
                                (Some(v.clone()), format!("-{letter} {v}"))
                            }
                            None => (None, format!("-{letter}")),
                        }
                    };
                    out.parts.push(explain_option(opt, text, value.as_deref()));
                    break;
                }
                Some(opt) => {
                    let text = if letters.len() > 1 {
                        format!("-{letter} (in {word})")
                    } else {
                        word.clone()
                    };
                    out.parts.push(explain_option(opt, text, None));
                }
                None => out.parts.push(part(
                    format!("-{letter}"),
                    None,
                    format!("An option dterms does not know: '-{letter}'"),
                    &[],
                )),
            }
            i += 1;
        }
    }
    words
}

fn find_long<'t>(tables: &[&'t [Opt]], name: &str) -> Option<&'t Opt> {
    tables
        .iter()
        .flat_map(|t| t.iter())
        .find(|o| o.long == name)
}

fn find_short<'t>(tables: &[&'t [Opt]], letter: char) -> Option<&'t Opt> {
    tables
        .iter()
        .flat_map(|t| t.iter())
        .find(|o| o.short == Some(letter))
}

/// The meaning of one option with its value; options whose values have structure (volumes,
/// ports, environment, GPUs, networks, restart policies) get a reading of the value itself.
fn explain_option(opt: &Opt, text: String, value: Option<&str>) -> Part {
    let Some(value) = value else {
        let meaning = if opt.value {
            format!("--{} expects a value, but none follows", opt.long)
        } else {
            opt.meaning.to_owned()
        };
        return part(text, None, meaning, opt.terms);
    };
    let (meaning, terms): (String, Vec<&'static str>) = match opt.long {
        "volume" => volume(value),
        "mount" => mount(value),
        "publish" => publish(value),
        "env" => env(value),
        "gpus" => gpus(value),
        "network" | "net" => network(value),
        "restart" => restart(value),
        "tag" => (
            format!("Name the resulting image {value}"),
            vec!["image-name", "tag"],
        ),
        "build-arg" => match value.split_once('=') {
            Some((name, v)) => (
                format!(
                    "Set the build argument {name} to '{v}' for this build (ARG {name} in the Dockerfile)"
                ),
                vec!["build-arg"],
            ),
            None => (
                format!(
                    "Pass the build argument {value} with its value from your shell's environment"
                ),
                vec!["build-arg"],
            ),
        },
        _ => (opt.meaning.replace("{}", value), opt.terms.to_vec()),
    };
    Part {
        text,
        value: Some(value.to_owned()),
        meaning,
        terms,
    }
}

/// Where a `-v` source points: a host path (bind mount) or a volume name.
fn is_host_path(source: &str) -> bool {
    source.starts_with(['/', '.', '~', '$']) || source.contains('/')
}

fn volume(spec: &str) -> (String, Vec<&'static str>) {
    let fields: Vec<&str> = spec.split(':').collect();
    let mode = |m: &str| -> String {
        m.split(',')
            .map(|flag| match flag {
                "ro" | "readonly" => "read-only".to_owned(),
                "rw" => "read-write".to_owned(),
                "z" => "relabelled for SELinux, shared".to_owned(),
                "Z" => "relabelled for SELinux, private".to_owned(),
                "nocopy" => "without copying the image's files in".to_owned(),
                "cached" | "delegated" | "consistent" => {
                    format!("{flag} (a legacy macOS hint, ignored today)")
                }
                other => format!("option '{other}'"),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    match fields.as_slice() {
        [target] => (
            format!(
                "Mount a new anonymous volume at {target} in the container; it gets a random name"
            ),
            vec!["anonymous-volume", "volume"],
        ),
        [source, target, rest @ ..] => {
            let how = if rest.is_empty() {
                String::new()
            } else {
                format!(", {}", mode(&rest.join(":")))
            };
            if is_host_path(source) {
                (
                    format!(
                        "Bind-mount the host folder {source} at {target} in the container{how}: both see the same files"
                    ),
                    vec!["bind-mount"],
                )
            } else {
                (
                    format!(
                        "Mount the named volume '{source}' at {target} in the container{how}; its data outlives the container"
                    ),
                    vec!["volume"],
                )
            }
        }
        [] => ("An empty volume specification".to_owned(), vec!["volume"]),
    }
}

fn mount(spec: &str) -> (String, Vec<&'static str>) {
    let mut kind = "volume";
    let (mut source, mut target, mut readonly) = (None, None, false);
    for field in spec.split(',') {
        let (key, value) = field.split_once('=').unwrap_or((field, ""));
        match key {
            "type" => {
                kind = if value == "bind" {
                    "bind"
                } else if value == "tmpfs" {
                    "tmpfs"
                } else {
                    "volume"
                }
            }
            "source" | "src" => source = Some(value),
            "target" | "destination" | "dst" => target = Some(value),
            "readonly" | "ro" => readonly = value.is_empty() || value == "true" || value == "1",
            _ => {}
        }
    }
    let target = target.unwrap_or("(no target given)");
    let ro = if readonly { ", read-only" } else { "" };
    match (kind, source) {
        ("bind", Some(source)) => (
            format!("Bind-mount the host path {source} at {target}{ro}"),
            vec!["bind-mount"],
        ),
        ("tmpfs", _) => (
            format!("Mount a RAM-backed tmpfs at {target}"),
            vec!["tmpfs-mount"],
        ),
        (_, Some(source)) => (
            format!("Mount the named volume '{source}' at {target}{ro}"),
            vec!["volume"],
        ),
        _ => (
            format!("Mount a new anonymous volume at {target}{ro}"),
            vec!["anonymous-volume"],
        ),
    }
}

fn publish(spec: &str) -> (String, Vec<&'static str>) {
    let (ports, protocol) = match spec.rsplit_once('/') {
        Some((ports, protocol)) => (ports, protocol.to_uppercase()),
        None => (spec, "TCP".to_owned()),
    };
    // An IPv6 address comes in brackets: [::1]:8080:80.
    let (ip, ports) = match ports.strip_prefix('[').and_then(|p| p.split_once("]:")) {
        Some((ip, rest)) => (Some(ip), rest),
        None => (None, ports),
    };
    let fields: Vec<&str> = ports.split(':').collect();
    let (ip, host, container) = match (ip, fields.as_slice()) {
        (None, [container]) => (None, None, *container),
        (None, [host, container]) => (None, Some(*host), *container),
        (None, [ip, host, container]) => (Some(*ip), Some(*host), *container),
        (Some(ip), [host, container]) => (Some(ip), Some(*host), *container),
        _ => {
            return (
                format!("Publish ports as '{spec}', a form dterms does not recognise"),
                vec!["port-publishing"],
            );
        }
    };
    let on = match ip {
        Some("127.0.0.1" | "::1" | "localhost") => " on this machine only",
        Some(_) | None => "",
    };
    let meaning = match host.filter(|h| !h.is_empty()) {
        None => format!(
            "Publish container port {container} ({protocol}) on a random free host port; docker port shows which"
        ),
        Some(host) => {
            let interfaces = match ip {
                Some(ip) if !ip.is_empty() => format!(" at {ip}{on}"),
                _ => " on all of the host's network interfaces".to_owned(),
            };
            format!(
                "Forward host port {host}{interfaces} to port {container} ({protocol}) in the container"
            )
        }
    };
    (meaning, vec!["port-publishing"])
}

fn env(spec: &str) -> (String, Vec<&'static str>) {
    match spec.split_once('=') {
        Some((name, value)) => {
            let warning = if looks_secret(name) {
                " (a secret on the command line lands in your shell history; prefer -e NAME or --env-file)"
            } else {
                ""
            };
            (
                format!(
                    "Set the environment variable {name} to '{value}' inside the container{warning}"
                ),
                vec!["environment-variable"],
            )
        }
        None => (
            format!(
                "Copy the environment variable {spec} from your shell into the container (it is left out if unset)"
            ),
            vec!["environment-variable"],
        ),
    }
}

fn gpus(spec: &str) -> (String, Vec<&'static str>) {
    let spec = spec.trim_matches(['"', '\'']);
    let meaning = if spec == "all" {
        "Give the container every GPU of the host (needs the NVIDIA Container Toolkit)".to_owned()
    } else if spec.bytes().all(|b| b.is_ascii_digit()) {
        format!("Give the container {spec} of the host's GPUs (needs the NVIDIA Container Toolkit)")
    } else if let Some(devices) = spec.strip_prefix("device=") {
        format!(
            "Give the container only the GPU(s) {devices}, by index or UUID (needs the NVIDIA Container Toolkit)"
        )
    } else {
        format!("Request GPUs as '{spec}' (needs the NVIDIA Container Toolkit)")
    };
    (meaning, vec!["gpu-access", "nvidia-container-toolkit"])
}

fn network(mode: &str) -> (String, Vec<&'static str>) {
    match mode {
        "host" => (
            "Share the host's network: no isolation, and -p is ignored".into(),
            vec!["host-network"],
        ),
        "bridge" => (
            "Use the default bridge network (containers cannot find each other by name there)"
                .into(),
            vec!["bridge-network"],
        ),
        "none" => ("No network at all, only loopback".into(), vec!["network"]),
        other if other.starts_with("container:") => (
            format!("Share the network of {}", &other[10..]),
            vec!["network", "namespace"],
        ),
        other => (
            format!("Join the network '{other}', where containers reach each other by name"),
            vec!["network", "container-dns"],
        ),
    }
}

fn restart(policy: &str) -> (String, Vec<&'static str>) {
    let meaning = match policy.split_once(':').map_or(policy, |(p, _)| p) {
        "no" => "Never restart the container (the default)".to_owned(),
        "on-failure" => match policy.split_once(':') {
            Some((_, n)) => {
                format!("Restart the container when it exits with an error, at most {n} times")
            }
            None => "Restart the container whenever it exits with an error".to_owned(),
        },
        "always" => {
            "Always restart the container when it stops, and start it with the Docker daemon"
                .to_owned()
        }
        "unless-stopped" => {
            "Restart the container when it stops, unless you stopped it yourself".to_owned()
        }
        other => format!(
            "Restart policy '{other}', which Docker does not know (no, on-failure, always, unless-stopped)"
        ),
    };
    (meaning, vec!["restart-policy"])
}

fn explain_operands(subcommand: &Subcommand, operands: &[String], out: &mut Explanation) {
    let image = |word: &String, out: &mut Explanation, role: &str| {
        if out.image.is_none() {
            out.image = Some(word.clone());
        }
        out.parts.push(part(
            word.clone(),
            None,
            format!("{role}: the image reference {word}, explained below"),
            &["image-name", "image"],
        ));
    };
    match subcommand.operands {
        Operands::ImageThenCommand => {
            let Some((first, command)) = operands.split_first() else {
                out.notes
                    .push("No image given: docker will refuse to run.".into());
                return;
            };
            image(first, out, "The image to start the container from");
            if !command.is_empty() {
                out.parts.push(part(command.join(" "), None, "The command run inside the container, replacing the image's CMD (arguments to its ENTRYPOINT, if it has one)", &["cmd", "entrypoint"]));
                out.container_command = command.to_vec();
            }
        }
        Operands::ContainerThenCommand => {
            let Some((first, command)) = operands.split_first() else {
                out.notes.push("No container given.".into());
                return;
            };
            out.parts.push(part(
                first.clone(),
                None,
                "The running container (or service) to run the command in",
                &["container"],
            ));
            if !command.is_empty() {
                out.parts.push(part(
                    command.join(" "),
                    None,
                    "The command run inside it",
                    &["docker-exec"],
                ));
                out.container_command = command.to_vec();
            }
        }
        Operands::Images => {
            for word in operands {
                image(word, out, "Image");
            }
        }
        Operands::TagPair => match operands {
            [source, target, ..] => {
                image(source, out, "The existing image");
                out.parts.push(part(
                    target.clone(),
                    None,
                    format!("The new name it will also be known by: {target}"),
                    &["tag", "image-name"],
                ));
            }
            _ => out
                .notes
                .push("docker tag needs a source image and a new name.".into()),
        },
        Operands::Context => match operands.first() {
            Some(context) => {
                let meaning = if context == "." {
                    "The build context: the current folder, whose files COPY and ADD can use (.dockerignore trims it)".to_owned()
                } else if context == "-" {
                    "The build context read from standard input".to_owned()
                } else {
                    format!("The build context: {context}, whose files COPY and ADD can use")
                };
                out.parts.push(part(
                    context.clone(),
                    None,
                    meaning,
                    &["build-context", "dockerignore"],
                ));
            }
            None => out
                .notes
                .push("No build context given: docker build needs one, usually '.'.".into()),
        },
        Operands::Containers => {
            for word in operands {
                out.parts.push(part(
                    word.clone(),
                    None,
                    "A container, by name or ID",
                    &["container"],
                ));
            }
        }
        Operands::Commit => {
            if let Some(container) = operands.first() {
                out.parts.push(part(
                    container.clone(),
                    None,
                    "The container whose current state becomes an image",
                    &["container"],
                ));
            }
            if let Some(name) = operands.get(1) {
                out.parts.push(part(
                    name.clone(),
                    None,
                    format!("The name of the new image: {name}"),
                    &["image-name"],
                ));
            }
        }
        Operands::CopyPaths => {
            for word in operands {
                let meaning = match word.split_once(':') {
                    Some((container, path)) if !container.contains('/') => {
                        format!("The path {path} inside the container {container}")
                    }
                    _ => format!("The path {word} on this machine"),
                };
                out.parts
                    .push(part(word.clone(), None, meaning, &["container"]));
            }
        }
        Operands::Names(what) => {
            for word in operands {
                out.parts.push(part(
                    word.clone(),
                    None,
                    format!("Argument: the {what}"),
                    subcommand.terms,
                ));
            }
        }
        Operands::Nothing => {
            for word in operands {
                out.parts.push(part(
                    word.clone(),
                    None,
                    "An extra argument this command does not take",
                    &[],
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    fn meaning_of<'e>(e: &'e Explanation, text: &str) -> &'e Part {
        e.parts
            .iter()
            .find(|p| p.text == text)
            .unwrap_or_else(|| panic!("no part {text:?} in {:#?}", e.parts))
    }

    #[test]
    fn a_notebook_run_line_is_fully_explained() {
        let e = explain(&words(
            "docker run -it --rm --gpus all -v $PWD/data:/data -p 8888:8888 jupyter/pytorch-notebook",
        ));
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
                .contains("Bind-mount the host folder $PWD/data at /data"),
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
    }

    #[test]
    fn equals_and_attached_forms_work_and_the_command_after_the_image_is_kept() {
        let e = explain(&words(
            "docker run --name=api -dit -p127.0.0.1:8000:8000/tcp --shm-size 8g my-model:v1 python serve.py --port 8000",
        ));
        assert!(meaning_of(&e, "--name=api").meaning.contains("api"));
        assert!(
            meaning_of(&e, "-d (in -dit)")
                .terms
                .contains(&"detached-mode")
        );
        let port = meaning_of(&e, "-p127.0.0.1:8000:8000/tcp");
        assert!(
            port.meaning.contains("this machine only"),
            "{}",
            port.meaning
        );
        assert!(meaning_of(&e, "--shm-size 8g").meaning.contains("8g"));
        assert_eq!(e.image.as_deref(), Some("my-model:v1"));
        assert_eq!(
            e.container_command,
            ["python", "serve.py", "--port", "8000"]
        );
    }

    #[test]
    fn volumes_tell_bind_mounts_named_and_anonymous_volumes_apart() {
        assert!(
            volume("hf-cache:/root/.cache")
                .0
                .contains("named volume 'hf-cache'")
        );
        assert!(volume("./data:/data:ro").0.contains("read-only"));
        assert!(volume("/scratch").0.contains("anonymous"));
        assert_eq!(volume("/host:/c").1, ["bind-mount"]);
    }

    #[test]
    fn build_lines_explain_tag_file_args_and_context() {
        let e = explain(&words(
            "docker build -t ghcr.io/acme/app:v1 -f docker/Dockerfile --build-arg PY=3.12 --target runtime --no-cache .",
        ));
        assert_eq!(e.subcommand.as_deref(), Some("build"));
        assert!(meaning_of(&e, "--build-arg PY=3.12").meaning.contains("PY"));
        assert!(
            meaning_of(&e, "--target runtime")
                .terms
                .contains(&"multi-stage-build")
        );
        assert!(meaning_of(&e, ".").terms.contains(&"build-context"));
        assert!(
            meaning_of(&e, "-t ghcr.io/acme/app:v1")
                .terms
                .contains(&"tag")
        );
    }

    #[test]
    fn aliases_compose_and_buildx_are_recognised() {
        assert_eq!(
            explain(&words("docker image ls -a")).subcommand.as_deref(),
            Some("image ls")
        );
        assert_eq!(
            explain(&words("docker images")).subcommand.as_deref(),
            Some("image ls")
        );
        assert_eq!(
            explain(&words("docker container run alpine"))
                .subcommand
                .as_deref(),
            Some("run")
        );
        let compose = explain(&words("docker compose -f dev.yaml up -d --build"));
        assert_eq!(compose.subcommand.as_deref(), Some("compose up"));
        assert!(
            meaning_of(&compose, "-f dev.yaml")
                .terms
                .contains(&"compose-file")
        );
        assert_eq!(
            explain(&words(
                "docker buildx build --platform linux/amd64,linux/arm64 ."
            ))
            .subcommand
            .as_deref(),
            Some("buildx build")
        );
        assert_eq!(
            explain(&words("docker system prune -af"))
                .subcommand
                .as_deref(),
            Some("system prune")
        );
    }

    #[test]
    fn unknown_things_are_reported_not_fatal() {
        let e = explain(&words("docker run --frobnicate -Z alpine"));
        assert!(
            meaning_of(&e, "--frobnicate")
                .meaning
                .contains("does not know")
        );
        assert!(meaning_of(&e, "-Z").meaning.contains("does not know"));
        let e = explain(&words("docker teleport now"));
        assert_eq!(e.subcommand, None);
        assert!(meaning_of(&e, "teleport").meaning.contains("Unknown"));
        assert!(explain(&[]).parts.is_empty());
    }

    #[test]
    fn exec_keeps_the_container_command() {
        let e = explain(&words("docker exec -it train bash -lc ls"));
        assert_eq!(e.container_command, ["bash", "-lc", "ls"]);
        assert!(meaning_of(&e, "train").terms.contains(&"container"));
    }

    #[test]
    fn every_linked_term_exists() {
        let glossary = crate::glossary::Glossary::builtin();
        let all = SUBCOMMANDS.iter().flat_map(|s| {
            s.terms.iter().chain(
                s.options
                    .iter()
                    .flat_map(|t| t.iter().flat_map(|o| o.terms.iter())),
            )
        });
        for id in all
            .chain(GLOBAL.iter().flat_map(|o| o.terms.iter()))
            .chain(COMPOSE_GLOBAL.iter().flat_map(|o| o.terms.iter()))
        {
            assert!(glossary.get(id).is_some(), "no term {id}");
        }
    }
}
