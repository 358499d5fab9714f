//! The load generators the Kubernetes docs run to show resource limits:
//! GNU `stress` 1.0.4 (`polinux/stress`, "Assign Memory Resources to
//! Containers and Pods") and Vish Kannan's Go `stress` (`vish/stress`,
//! "Assign CPU Resources", and the memory page's older revisions).
//!
//! What they print is played in the container like any program; how much
//! memory they take decides, against the container's memory limit, whether
//! and when the kernel's OOM killer ends the container (OOMKilled, 137).

use k8s_openapi::api::core::v1::Container;

use super::image::{Distro, Userland};
use crate::sim::clock::{Millis, SECOND};
use crate::sim::images::Behaviour;
use crate::sim::quantity;

/// What one GNU stress command line asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hogs {
    pub cpu: u64,
    pub io: u64,
    pub vm: u64,
    pub hdd: u64,
    /// Bytes each vm worker allocates (`--vm-bytes`, 256 MB by default).
    pub vm_bytes: u64,
    pub timeout: Option<Millis>,
    /// `--help` (or no arguments at all) or `--version`: print that and exit.
    pub help: bool,
    pub version: bool,
}

/// Memory besides the workers' allocations: the docs' `kubectl top` shows
/// 162,856,960 bytes for `--vm-bytes 150M`, about 5 MiB more.
const OVERHEAD: u64 = 5 << 20;

/// How long a vm worker takes to touch enough pages to cross a limit.
const TOUCHING: Millis = 100;

/// GNU stress's usage, printed for `--help` and for no arguments at all.
pub const USAGE: &str = "`stress' imposes certain types of compute stress on your system

Usage: stress [OPTION [ARG]] ...
 -?, --help         show this help statement
     --version      show version statement
 -v, --verbose      be verbose
 -q, --quiet        be quiet
 -n, --dry-run      show what would have been done
 -t, --timeout N    timeout after N seconds
     --backoff N    wait factor of N microseconds before work starts
 -c, --cpu N        spawn N workers spinning on sqrt()
 -i, --io N         spawn N workers spinning on sync()
 -m, --vm N         spawn N workers spinning on malloc()/free()
     --vm-bytes B   malloc B bytes per vm worker (default is 256MB)
     --vm-stride B  touch a byte every B bytes (default is 4096)
     --vm-hang N    sleep N secs before free (default none, 0 is inf)
     --vm-keep      redirty memory instead of freeing and reallocating
 -d, --hdd N        spawn N workers spinning on write()/unlink()
     --hdd-bytes B  write B bytes per hdd worker (default is 1GB)

Example: stress --cpu 2 --io 1 --vm 1 --vm-bytes 128M --timeout 10s

Note: Numbers may be suffixed with s,m,h,d,y (time) or B,K,M,G (size).
";

/// Parses GNU stress's options; the error is what it prints before giving up.
pub fn parse(args: &[String]) -> Result<Hogs, String> {
    let mut hogs = Hogs {
        vm_bytes: 256 << 20,
        help: args.is_empty(),
        ..Hogs::default()
    };
    let mut words = args.iter();
    while let Some(word) = words.next() {
        let (name, inline) = match word.split_once('=') {
            Some((name, value)) if word.starts_with("--") => (name, Some(value.to_string())),
            _ => (word.as_str(), None),
        };
        // polinux/stress is built on Alpine: musl's getopt words its errors.
        let bare = name.trim_start_matches('-');
        let Some(&(_, takes_value)) = OPTIONS.iter().find(|(option, _)| *option == name) else {
            return Err(format!("stress: unrecognized option: {bare}"));
        };
        if !takes_value {
            hogs.help |= matches!(name, "-?" | "--help");
            hogs.version |= name == "--version";
            continue;
        }
        let Some(value) = inline.or_else(|| words.next().cloned()) else {
            return Err(format!("stress: option requires an argument: {bare}"));
        };
        match name {
            "-c" | "--cpu" => hogs.cpu = size(&value),
            "-i" | "--io" => hogs.io = size(&value),
            "-m" | "--vm" => hogs.vm = size(&value),
            "-d" | "--hdd" => hogs.hdd = size(&value),
            "--vm-bytes" => hogs.vm_bytes = size(&value),
            "-t" | "--timeout" => hogs.timeout = Some(seconds(&value)),
            _ => {}
        }
    }
    Ok(hogs)
}

/// Its options, and whether each takes a value.
const OPTIONS: &[(&str, bool)] = &[
    ("-?", false),
    ("--help", false),
    ("--version", false),
    ("-v", false),
    ("--verbose", false),
    ("-q", false),
    ("--quiet", false),
    ("-n", false),
    ("--dry-run", false),
    ("-t", true),
    ("--timeout", true),
    ("--backoff", true),
    ("-c", true),
    ("--cpu", true),
    ("-i", true),
    ("--io", true),
    ("-m", true),
    ("--vm", true),
    ("--vm-bytes", true),
    ("--vm-stride", true),
    ("--vm-hang", true),
    ("--vm-keep", false),
    ("-d", true),
    ("--hdd", true),
    ("--hdd-bytes", true),
];

/// A size as stress reads it: its leading digits (as atoll reads them),
/// times 1024 to the power its B, K, M or G suffix says (either case).
fn size(text: &str) -> u64 {
    let (number, unit) = split_number(text);
    let shift = match unit.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('k') => 10,
        Some('m') => 20,
        Some('g') => 30,
        _ => 0,
    };
    number.saturating_mul(1 << shift)
}

/// A time as stress reads it: seconds, or with an s, m, h, d or y suffix.
fn seconds(text: &str) -> Millis {
    let (number, unit) = split_number(text);
    let scale = match unit.chars().next() {
        Some('m') => 60,
        Some('h') => 3_600,
        Some('d') => 86_400,
        Some('y') => 31_536_000,
        _ => 1,
    };
    number.saturating_mul(scale).saturating_mul(SECOND)
}

fn split_number(text: &str) -> (u64, &str) {
    let at = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(at);
    // Too many digits saturate rather than wrap.
    let number = digits.bytes().fold(0u64, |n, d| {
        n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    });
    (number, unit)
}

impl Hogs {
    /// `stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd`
    pub fn dispatching(&self, pid: u32) -> String {
        format!(
            "stress: info: [{pid}] dispatching hogs: {} cpu, {} io, {} vm, {} hdd\n",
            self.cpu, self.io, self.vm, self.hdd
        )
    }

    fn memory(&self) -> u64 {
        self.vm
            .saturating_mul(self.vm_bytes)
            .saturating_add(OVERHEAD)
    }
}

/// Vish Kannan's stress: `-mem-total` allocated `-mem-alloc-size` at a
/// time, `-mem-alloc-sleep` apart (Go flags, one or two dashes).
struct Allocations {
    total: u64,
    chunk: u64,
    pause: Millis,
}

impl Allocations {
    fn of(args: &[String]) -> Option<Allocations> {
        let flag = |name: &str| {
            args.iter().enumerate().find_map(|(i, word)| {
                let bare = word.trim_start_matches('-');
                match bare.split_once('=') {
                    Some((n, value)) if n == name => Some(value.to_string()),
                    _ if bare == name => args.get(i + 1).cloned(),
                    _ => None,
                }
            })
        };
        let bytes = |text: String| bytes(&text);
        let total = flag("mem-total").and_then(bytes).filter(|&t| t > 0)?;
        // Without the other two flags (the program's own defaults are not
        // known here), 4 KiB a millisecond: any limit is reached at once.
        let chunk = flag("mem-alloc-size")
            .and_then(bytes)
            .filter(|&c| c > 0)
            .unwrap_or(4 << 10);
        let pause = flag("mem-alloc-sleep")
            .and_then(|t| super::parse_duration(&t))
            .unwrap_or(1);
        Some(Allocations {
            total,
            chunk,
            pause,
        })
    }

    /// When the allocations first take more than `limit`, counting the Go
    /// runtime's few MiB; None if they never do.
    fn crossing(&self, limit: u64) -> Option<Millis> {
        const RUNTIME: u64 = 2 << 20;
        if self.total.saturating_add(RUNTIME) <= limit {
            return None;
        }
        let room = limit.saturating_sub(RUNTIME);
        let chunks = room / self.chunk + 1;
        Some((chunks - 1).saturating_mul(self.pause))
    }
}

/// How a stress main process behaves: it runs until stopped, ignoring
/// SIGTERM as PID 1 does without a handler, unless GNU stress is told a
/// `--timeout` or has nothing to do but print (its usage, its version, an
/// option error); None when the main process is not a stress.
pub fn behaviour(userland: &Userland, container: &Container) -> Option<Behaviour> {
    let argv = stress_argv(userland, container)?;
    let runs = Behaviour::Runs {
        serves_http: false,
        port: None,
        graceful: false,
    };
    if is_go(userland) {
        return Some(runs);
    }
    let exits = |code| Behaviour::Exits {
        after_ms: 100,
        code,
    };
    Some(match parse(&argv[1..]) {
        Err(_) => exits(1),
        Ok(hogs) if hogs.help || hogs.version => exits(0),
        Ok(Hogs {
            timeout: Some(after_ms),
            ..
        }) => Behaviour::Exits { after_ms, code: 0 },
        Ok(_) => runs,
    })
}

/// The main process's command line, when it runs the image's stress.
fn stress_argv(userland: &Userland, container: &Container) -> Option<Vec<String>> {
    if userland.binary != Some("stress") {
        return None;
    }
    let argv = userland.main_command(container);
    (argv.first()?.rsplit('/').next() == Some("stress")).then_some(argv)
}

/// Whether the image's stress is the Go one.
pub fn is_go(userland: &Userland) -> bool {
    userland.distro == Distro::Distroless
}

/// The container's memory limit in bytes, if it has one.
fn memory_limit(container: &Container) -> Option<u64> {
    container
        .resources
        .as_ref()
        .and_then(|r| r.limits.as_ref())
        .and_then(|l| l.get("memory"))
        .and_then(|q| bytes(&q.0))
        // A zero limit sets no cgroup limit at all.
        .filter(|&limit| limit > 0)
}

/// A memory quantity (`100Mi`) in bytes.
fn bytes(text: &str) -> Option<u64> {
    quantity::parse(text).map(|m| u64::try_from((m / 1000).max(0)).unwrap_or(u64::MAX))
}

/// Whether GNU stress run beside the main process (`kubectl exec`) takes
/// the container past its memory limit, the main process's own stress
/// counted: then the OOM killer ends the whole container.
pub fn exec_passes_limit(userland: &Userland, container: &Container, hogs: &Hogs) -> bool {
    let Some(limit) = memory_limit(container) else {
        return false;
    };
    let main = stress_argv(userland, container)
        .filter(|_| !is_go(userland))
        .and_then(|argv| parse(&argv[1..]).ok())
        .map_or(0, |main| main.vm.saturating_mul(main.vm_bytes));
    hogs.vm > 0 && hogs.memory().saturating_add(main) > limit
}

/// How long after its start the container's main process takes more
/// memory than its limit allows, when it is a stress the simulator knows.
pub fn oom_after(userland: &Userland, container: &Container) -> Option<Millis> {
    let limit = memory_limit(container)?;
    let argv = stress_argv(userland, container)?;
    if is_go(userland) {
        return Allocations::of(&argv[1..])?.crossing(limit);
    }
    let hogs = parse(&argv[1..]).ok()?;
    (hogs.vm > 0 && hogs.memory() > limit).then_some(TOUCHING)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::strings;

    fn container(image: &str, command: &[&str], args: &[&str], limit: Option<&str>) -> Container {
        let resources = limit
            .map(|l| serde_json::from_value(serde_json::json!({"limits": {"memory": l}})).unwrap());
        Container {
            name: "c".to_string(),
            image: Some(image.to_string()),
            command: (!command.is_empty()).then(|| strings(command)),
            args: (!args.is_empty()).then(|| strings(args)),
            resources,
            ..Container::default()
        }
    }

    #[test]
    fn the_docs_memory_examples() {
        let over = container(
            "polinux/stress",
            &["stress"],
            &["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"],
            Some("100Mi"),
        );
        let within = container(
            "polinux/stress",
            &["stress"],
            &["--vm", "1", "--vm-bytes", "150M", "--vm-hang", "1"],
            Some("200Mi"),
        );
        let unlimited = container("polinux/stress", &["stress"], &["--vm", "1"], None);
        let of = |c: &Container| oom_after(&Userland::of(c.image.as_deref().unwrap()), c);
        assert_eq!(of(&over), Some(TOUCHING));
        assert_eq!(of(&within), None);
        assert_eq!(of(&unlimited), None);
        // Ten 10 MiB allocations a second apart pass 100 MiB with the tenth.
        let go = container(
            "vish/stress",
            &[],
            &[
                "-mem-total",
                "250Mi",
                "-mem-alloc-size",
                "10Mi",
                "-mem-alloc-sleep",
                "1s",
            ],
            Some("100Mi"),
        );
        assert_eq!(of(&go), Some(9 * SECOND));
        let cpu = container("vish/stress", &[], &["-cpus", "2"], Some("100Mi"));
        assert_eq!(of(&cpu), None);
        // A zero limit is none; absurd numbers saturate instead of overflowing.
        let zero = container("polinux/stress", &["stress"], &["--vm", "1"], Some("0"));
        assert_eq!(of(&zero), None);
        let slow = container(
            "vish/stress",
            &[],
            &[
                "-mem-total",
                "1Ei",
                "-mem-alloc-size",
                "1",
                "-mem-alloc-sleep",
                "9999999h",
            ],
            Some("1Gi"),
        );
        assert!(of(&slow).is_some_and(|at| at > 9_999_999 * 3_600_000));
        let huge = parse(&strings(&[
            "--vm",
            "99999999999999999999",
            "--vm-bytes",
            "9999999999g",
        ]));
        assert!(huge.is_ok_and(|h| h.memory() == u64::MAX));
        // Another image's `stress` is not this one.
        let busybox = container("busybox", &["stress"], &["--vm", "1"], Some("1Mi"));
        assert_eq!(of(&busybox), None);
    }

    #[test]
    fn options_as_gnu_stress_reads_them() {
        let hogs = parse(&strings(&[
            "-c",
            "2",
            "--vm=3",
            "--vm-bytes",
            "1g",
            "-t",
            "2m",
        ]))
        .unwrap();
        assert_eq!((hogs.cpu, hogs.vm, hogs.vm_bytes), (2, 3, 1 << 30));
        assert_eq!(hogs.timeout, Some(120 * SECOND));
        assert!(parse(&[]).is_ok_and(|h| h.help), "no arguments: the usage");
        assert_eq!(
            parse(&strings(&["--vm", "1", "--fast"])).unwrap_err(),
            "stress: unrecognized option: fast"
        );
        assert_eq!(
            parse(&strings(&["-x"])).unwrap_err(),
            "stress: unrecognized option: x"
        );
        assert_eq!(
            parse(&strings(&["--vm"])).unwrap_err(),
            "stress: option requires an argument: vm"
        );
        assert_eq!(
            hogs.dispatching(1),
            "stress: info: [1] dispatching hogs: 2 cpu, 0 io, 3 vm, 0 hdd\n"
        );
    }
}
