//! What running containers leave behind: their log streams and the files
//! they write. It lives in the [`Cluster`](super::Cluster) so that snapshots
//! of the cluster carry it, and it follows the objects it belongs to:
//!
//! - a container's log and writable layer belong to one run of it (a
//!   restart starts a fresh layer; the log of the run before is kept for
//!   `logs --previous`), and go when the pod goes;
//! - an emptyDir belongs to its pod;
//! - a PersistentVolume's files belong to the PV, keyed by its name, so a
//!   pod recreated with the same claim sees them again, and they go when
//!   the PV is deleted.
//!
//! The kubelet records container starts here; kubectl's exec and logs read
//! and write the rest (see `crate::container`).

use std::collections::{BTreeMap, VecDeque};

use super::clock::Millis;

/// A directory tree of text files.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tree {
    pub entries: BTreeMap<String, Node>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    File(File),
    Dir(Tree),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct File {
    pub text: String,
    /// When it was last written, in virtual time.
    pub modified: Millis,
}

/// Which stream a log line was written to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogStream {
    Stdout,
    Stderr,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    pub at: Millis,
    pub stream: LogStream,
    pub text: String,
}

/// One run of a container, from its start to its exit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub container_id: String,
    pub started: Millis,
    pub lines: VecDeque<LogLine>,
    /// How far the main process's own output and file writes have been
    /// played: they are played lazily, before anyone looks into the
    /// container (`crate::container::start_up`). None until first played;
    /// then what happened up to this time is in place, and `Millis::MAX`
    /// once the process has nothing more to do.
    pub played_to: Option<Millis>,
    /// Where the last play left the main process; None until first played.
    pub progress: Option<Progress>,
    /// The root filesystem as this run changed it; None until first touched.
    pub layer: Option<Tree>,
}

/// Where a play left a main process: the kubelet learns from it when a
/// script ends and with which exit status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// In a sleep that ends at this time; a later play goes on from there.
    Sleeping(Millis),
    /// Waiting for good: serving, `tail -f`, a day-long sleep.
    Waiting,
    /// It ended by itself at this time with this exit status.
    Exited(Millis, i32),
    /// It ran a program the image has and the simulator does not (or
    /// cannot be played at all), so how it goes on is not known here.
    Unknown,
}

/// The runs of one container of one pod: the current and the one before.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContainerRuns {
    pub current: Option<Run>,
    pub previous: Option<Run>,
}

/// Key of a container: (pod uid, container name).
pub type ContainerKey = (String, String);

/// Lines a container's log keeps; older lines are dropped as a log rotation would.
pub const MAX_LOG_LINES: usize = 10_000;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuntimeData {
    pub containers: BTreeMap<ContainerKey, ContainerRuns>,
    /// PersistentVolume contents by PV name; emptyDirs by `<pod uid>/<volume>`.
    pub volumes: BTreeMap<String, Tree>,
    /// What `kubectl run -i` sent a container's standard input (`stdinOnce`),
    /// which its main process reads to the end.
    pub stdin: BTreeMap<ContainerKey, String>,
}

impl RuntimeData {
    /// The kubelet started a container: its previous run becomes `previous`.
    pub fn container_started(
        &mut self,
        pod_uid: &str,
        container: &str,
        container_id: &str,
        now: Millis,
    ) {
        let runs = self
            .containers
            .entry((pod_uid.to_string(), container.to_string()))
            .or_default();
        runs.previous = runs.current.take();
        runs.current = Some(Run {
            container_id: container_id.to_string(),
            started: now,
            lines: VecDeque::new(),
            played_to: None,
            progress: None,
            layer: None,
        });
    }

    /// The container's current run.
    pub fn current(&self, pod_uid: &str, container: &str) -> Option<&Run> {
        let key = (pod_uid.to_string(), container.to_string());
        self.containers.get(&key)?.current.as_ref()
    }

    /// Appends a line to the container's current run.
    pub fn log(&mut self, pod_uid: &str, container: &str, line: LogLine) {
        self.log_all(pod_uid, container, [line]);
    }

    /// Appends lines to the container's current run, each in time order: a
    /// container's own start-up is played only when someone looks, after
    /// lines others wrote for it meanwhile.
    pub fn log_all(
        &mut self,
        pod_uid: &str,
        container: &str,
        lines: impl IntoIterator<Item = LogLine>,
    ) {
        let key = (pod_uid.to_string(), container.to_string());
        let Some(run) = self
            .containers
            .get_mut(&key)
            .and_then(|r| r.current.as_mut())
        else {
            return;
        };
        for line in lines {
            if run.lines.len() >= MAX_LOG_LINES {
                run.lines.pop_front();
            }
            match run.lines.back() {
                Some(last) if last.at > line.at => {
                    let at = run.lines.partition_point(|l| l.at <= line.at);
                    run.lines.insert(at, line);
                }
                _ => run.lines.push_back(line),
            }
        }
    }

    /// A pod is gone: its containers' logs and layers and its emptyDirs go with it.
    pub fn forget_pod(&mut self, pod_uid: &str) {
        self.containers.retain(|(uid, _), _| uid != pod_uid);
        self.stdin.retain(|(uid, _), _| uid != pod_uid);
        let prefix = format!("{pod_uid}/");
        self.volumes.retain(|key, _| !key.starts_with(&prefix));
    }

    /// A PersistentVolume is gone, and its data with it.
    pub fn forget_volume(&mut self, pv_name: &str) {
        self.volumes.remove(pv_name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restarts_keep_one_previous_run() {
        let mut data = RuntimeData::default();
        data.container_started("uid", "nginx", "a", 0);
        data.log(
            "uid",
            "nginx",
            LogLine {
                at: 1,
                stream: LogStream::Stdout,
                text: "first".into(),
            },
        );
        data.container_started("uid", "nginx", "b", 5);
        let runs = &data.containers[&("uid".to_string(), "nginx".to_string())];
        assert_eq!(runs.previous.as_ref().map(|r| r.lines.len()), Some(1));
        assert_eq!(
            runs.current.as_ref().map(|r| r.container_id.as_str()),
            Some("b")
        );
    }

    #[test]
    fn data_follows_its_owner() {
        let mut data = RuntimeData::default();
        data.container_started("uid", "nginx", "a", 0);
        data.volumes.insert("uid/cache".into(), Tree::default());
        data.volumes.insert("pvc-1".into(), Tree::default());
        data.forget_pod("uid");
        assert!(data.containers.is_empty());
        assert_eq!(data.volumes.keys().collect::<Vec<_>>(), ["pvc-1"]);
        data.forget_volume("pvc-1");
        assert!(data.volumes.is_empty());
    }
}
