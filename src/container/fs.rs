//! A container's filesystem: the run's root layer with the pod's volumes
//! mounted over it. Volumes keep their files in the cluster's runtime data,
//! so a PersistentVolume's files outlive the pod and a fresh container run
//! starts from the image again.

use crate::sim::clock::Millis;
use crate::sim::runtime_data::{ContainerKey, File, Node, RuntimeData, Tree};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mount {
    /// Absolute path in the container.
    pub path: String,
    pub source: Source,
    pub read_only: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// Writable storage kept under `key` in the runtime data (a PV's name,
    /// `<pod uid>/<volume>` for an emptyDir), optionally a sub-path of it.
    Volume {
        key: String,
        sub_path: Option<String>,
    },
    /// Files projected from API objects (a ConfigMap, the service account token).
    Files(Tree),
    /// Another container's own files, seen through `/proc/1/root` from an
    /// ephemeral container that shares its processes; `base` is what they
    /// start as if nothing has looked into that container yet.
    Layer {
        container: ContainerKey,
        base: Box<Tree>,
    },
}

/// Why a file operation failed, with the C library's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Errno {
    NotFound,
    IsDir,
    NotDir,
    ReadOnly,
    Exists,
    NotEmpty,
    Busy,
}

impl Errno {
    pub fn text(self) -> &'static str {
        match self {
            Errno::NotFound => "No such file or directory",
            Errno::IsDir => "Is a directory",
            Errno::NotDir => "Not a directory",
            Errno::ReadOnly => "Read-only file system",
            Errno::Exists => "File exists",
            Errno::NotEmpty => "Directory not empty",
            Errno::Busy => "Device or resource busy",
        }
    }
}

/// One entry of a directory listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub dir: bool,
    pub size: usize,
    pub modified: Millis,
}

pub struct Fs<'a> {
    data: &'a mut RuntimeData,
    container: ContainerKey,
    mounts: &'a [Mount],
    now: Millis,
    /// When the container's run started: the time shown for directories.
    started: Millis,
    /// A main process replaying what it did before: its writes are in
    /// place already, so they change nothing.
    replaying: bool,
    /// Directories that are symbolic links: (link, target).
    links: &'static [(&'static str, &'static str)],
}

/// Which tree a path lives in, and the path's components inside it.
struct Located {
    mount: Option<usize>,
    parts: Vec<String>,
}

fn components(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

fn node<'t>(tree: &'t Tree, parts: &[String]) -> Result<Option<&'t Node>, Errno> {
    let Some((last, dirs)) = parts.split_last() else {
        return Ok(None);
    };
    let mut current = tree;
    for part in dirs {
        match current.entries.get(part) {
            Some(Node::Dir(t)) => current = t,
            Some(Node::File(_)) => return Err(Errno::NotDir),
            None => return Err(Errno::NotFound),
        }
    }
    current.entries.get(last).map(Some).ok_or(Errno::NotFound)
}

fn dir_mut<'t>(tree: &'t mut Tree, parts: &[String]) -> Result<&'t mut Tree, Errno> {
    let mut current = tree;
    for part in parts {
        match current.entries.get_mut(part) {
            Some(Node::Dir(t)) => current = t,
            Some(Node::File(_)) => return Err(Errno::NotDir),
            None => return Err(Errno::NotFound),
        }
    }
    Ok(current)
}

/// Creates the directories of `parts` (like `mkdir -p`) and returns the last.
fn make_dirs<'t>(tree: &'t mut Tree, parts: &[String]) -> Result<&'t mut Tree, Errno> {
    let mut current = tree;
    for part in parts {
        let entry = current
            .entries
            .entry(part.clone())
            .or_insert_with(|| Node::Dir(Tree::default()));
        match entry {
            Node::Dir(t) => current = t,
            Node::File(_) => return Err(Errno::NotDir),
        }
    }
    Ok(current)
}

impl<'a> Fs<'a> {
    /// The filesystem of `container`'s current run; `base` is the image's
    /// root, used the first time the run's layer is touched.
    pub fn new(
        data: &'a mut RuntimeData,
        container: ContainerKey,
        mounts: &'a [Mount],
        base: impl FnOnce() -> Tree,
        now: Millis,
    ) -> Fs<'a> {
        let mut started = now;
        if let Some(run) = data
            .containers
            .get_mut(&container)
            .and_then(|r| r.current.as_mut())
        {
            started = run.started;
            if run.layer.is_none() {
                run.layer = Some(with_mount_points(base(), mounts));
            }
        }
        Fs {
            data,
            container,
            mounts,
            now,
            started,
            replaying: false,
            links: &[],
        }
    }

    /// The same filesystem with the image's directory links followed.
    pub fn links(mut self, links: &'static [(&'static str, &'static str)]) -> Fs<'a> {
        self.links = links;
        self
    }

    /// `path` with the links it passes through followed (a few deep, as a
    /// link may lead into another).
    fn resolve(&self, path: &str) -> Vec<String> {
        let mut parts = components(path);
        for _ in 0..8 {
            let hop = self.links.iter().find_map(|(link, target)| {
                let link = components(link);
                parts
                    .starts_with(&link)
                    .then(|| [components(target), parts[link.len()..].to_vec()].concat())
            });
            match hop {
                Some(next) => parts = next,
                None => break,
            }
        }
        parts
    }

    /// The same filesystem for a main process replaying its past (see
    /// `replaying`): its writes succeed without changing anything.
    pub fn replaying(mut self, replaying: bool) -> Fs<'a> {
        self.replaying = replaying;
        self
    }

    fn locate(&self, path: &str) -> Located {
        let parts = self.resolve(path);
        let mut best: Option<(usize, usize)> = None;
        for (i, mount) in self.mounts.iter().enumerate() {
            let mount_parts = components(&mount.path);
            if parts.starts_with(&mount_parts)
                && best.is_none_or(|(_, len)| mount_parts.len() > len)
            {
                best = Some((i, mount_parts.len()));
            }
        }
        match best {
            Some((i, len)) => Located {
                mount: Some(i),
                parts: parts[len..].to_vec(),
            },
            None => Located { mount: None, parts },
        }
    }

    fn read_only(&self, at: &Located) -> bool {
        at.mount
            .and_then(|i| self.mounts.get(i))
            .is_some_and(|m| m.read_only || matches!(m.source, Source::Files(_)))
    }

    /// The tree a located path is in; None when the container has no run.
    fn tree(&mut self, at: &Located) -> Option<&mut Tree> {
        match at.mount.and_then(|i| self.mounts.get(i)) {
            None => self
                .data
                .containers
                .get_mut(&self.container)?
                .current
                .as_mut()?
                .layer
                .as_mut(),
            Some(Mount {
                source: Source::Volume { key, sub_path },
                ..
            }) => {
                let root = self.data.volumes.entry(key.clone()).or_default();
                match sub_path {
                    Some(sub) => make_dirs(root, &components(sub)).ok(),
                    None => Some(root),
                }
            }
            Some(Mount {
                source: Source::Files(_),
                ..
            }) => None,
            Some(Mount {
                source: Source::Layer { container, base },
                ..
            }) => {
                let run = self.data.containers.get_mut(container)?.current.as_mut()?;
                Some(run.layer.get_or_insert_with(|| (**base).clone()))
            }
        }
    }

    /// Runs `f` on the tree a path is in (projected files are read through a copy).
    fn with_tree<T>(
        &mut self,
        path: &str,
        f: impl FnOnce(&mut Tree, &[String], bool) -> Result<T, Errno>,
    ) -> Result<T, Errno> {
        let at = self.locate(path);
        let read_only = self.read_only(&at);
        if let Some(Mount {
            source: Source::Files(files),
            ..
        }) = at.mount.and_then(|i| self.mounts.get(i))
        {
            let mut copy = files.clone();
            return f(&mut copy, &at.parts, true);
        }
        match self.tree(&at) {
            Some(tree) => f(tree, &at.parts, read_only),
            None => Err(Errno::NotFound),
        }
    }

    pub fn read(&mut self, path: &str) -> Result<String, Errno> {
        if path == "/dev/null" {
            return Ok(String::new());
        }
        self.with_tree(path, |tree, parts, _| match node(tree, parts)? {
            Some(Node::File(f)) => Ok(f.text.clone()),
            _ => Err(Errno::IsDir),
        })
    }

    pub fn write(&mut self, path: &str, text: &str, append: bool) -> Result<(), Errno> {
        if path == "/dev/null" || self.replaying {
            return Ok(());
        }
        let now = self.now;
        self.with_tree(path, |tree, parts, read_only| {
            let Some((name, dirs)) = parts.split_last() else {
                return Err(Errno::IsDir);
            };
            let dir = dir_mut(tree, dirs)?;
            if read_only {
                return Err(Errno::ReadOnly);
            }
            match dir
                .entries
                .entry(name.clone())
                .or_insert_with(|| Node::File(File::default()))
            {
                Node::Dir(_) => Err(Errno::IsDir),
                Node::File(f) => {
                    if !append {
                        f.text.clear();
                    }
                    f.text.push_str(text);
                    f.modified = now;
                    Ok(())
                }
            }
        })
    }

    pub fn is_dir(&mut self, path: &str) -> bool {
        !self.mount_points_in(path).is_empty()
            || self
                .with_tree(path, |tree, parts, _| {
                    Ok(matches!(node(tree, parts)?, None | Some(Node::Dir(_))))
                })
                .unwrap_or(false)
    }

    pub fn exists(&mut self, path: &str) -> bool {
        !self.mount_points_in(path).is_empty()
            || self
                .with_tree(path, |tree, parts, _| node(tree, parts).map(|_| ()))
                .is_ok()
    }

    /// The names of the mount points directly in `path`. A mount point is a
    /// directory whether or not the tree it is in has one: a volume mounted
    /// inside another volume (a node's volumes under its root).
    fn mount_points_in(&self, path: &str) -> Vec<String> {
        let parts = self.resolve(path);
        self.mounts
            .iter()
            .filter_map(|m| {
                let mount = components(&m.path);
                (mount.len() > parts.len() && mount.starts_with(&parts))
                    .then(|| mount[parts.len()].clone())
            })
            .collect()
    }

    /// A directory's entries by name, or the entry itself for a file.
    pub fn list(&mut self, path: &str) -> Result<Vec<Entry>, Errno> {
        let started = self.started;
        let mount_points = self.mount_points_in(path);
        let mount_point = |name: String| Entry {
            name,
            dir: true,
            size: 4096,
            modified: started,
        };
        let listed = self.with_tree(path, |tree, parts, _| {
            let dir = match node(tree, parts)? {
                None => &*tree,
                Some(Node::Dir(t)) => t,
                Some(Node::File(f)) => {
                    let name = parts.last().cloned().unwrap_or_default();
                    return Ok(vec![Entry {
                        name,
                        dir: false,
                        size: f.text.len(),
                        modified: f.modified,
                    }]);
                }
            };
            Ok(dir
                .entries
                .iter()
                .map(|(name, node)| match node {
                    Node::File(f) => Entry {
                        name: name.clone(),
                        dir: false,
                        size: f.text.len(),
                        modified: f.modified,
                    },
                    Node::Dir(_) => Entry {
                        name: name.clone(),
                        dir: true,
                        size: 4096,
                        modified: started,
                    },
                })
                .collect())
        });
        let mut entries = match listed {
            Err(Errno::NotFound) if !mount_points.is_empty() => Vec::new(),
            other => other?,
        };
        for name in mount_points {
            if !entries.iter().any(|e| e.name == name) {
                entries.push(mount_point(name));
            }
        }
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(entries)
    }

    pub fn mkdir(&mut self, path: &str, parents: bool) -> Result<(), Errno> {
        if self.replaying {
            return Ok(());
        }
        self.with_tree(path, |tree, parts, read_only| {
            if read_only {
                return Err(Errno::ReadOnly);
            }
            if parents {
                return make_dirs(tree, parts).map(|_| ());
            }
            let Some((name, dirs)) = parts.split_last() else {
                return Err(Errno::Exists);
            };
            let dir = dir_mut(tree, dirs)?;
            if dir.entries.contains_key(name) {
                return Err(Errno::Exists);
            }
            dir.entries.insert(name.clone(), Node::Dir(Tree::default()));
            Ok(())
        })
    }

    /// Removes a file, or a directory when `recursive` (or `dir_ok` and it is empty).
    pub fn remove(&mut self, path: &str, recursive: bool, dir_ok: bool) -> Result<(), Errno> {
        if self.replaying {
            return Ok(());
        }
        if self
            .mounts
            .iter()
            .any(|m| components(&m.path) == components(path))
        {
            return Err(Errno::Busy);
        }
        self.with_tree(path, |tree, parts, read_only| {
            let Some((name, dirs)) = parts.split_last() else {
                return Err(Errno::Busy);
            };
            let dir = dir_mut(tree, dirs)?;
            match dir.entries.get(name) {
                None => return Err(Errno::NotFound),
                Some(Node::Dir(t)) if !(recursive || dir_ok && t.entries.is_empty()) => {
                    return Err(if dir_ok {
                        Errno::NotEmpty
                    } else {
                        Errno::IsDir
                    })
                }
                _ => {}
            }
            if read_only {
                return Err(Errno::ReadOnly);
            }
            dir.entries.remove(name);
            Ok(())
        })
    }
}

/// A container's own tree with a directory at each of its mount points.
pub fn with_mount_points(mut root: Tree, mounts: &[Mount]) -> Tree {
    for mount in mounts {
        let _ = make_dirs(&mut root, &components(&mount.path));
    }
    root
}

/// Builds a tree from (path, contents) pairs; paths ending in `/` are directories.
pub fn tree_of(files: &[(String, String)], modified: Millis) -> Tree {
    let mut root = Tree::default();
    for (path, text) in files {
        let parts = components(path);
        if path.ends_with('/') {
            let _ = make_dirs(&mut root, &parts);
            continue;
        }
        if let Some((name, dirs)) = parts.split_last() {
            if let Ok(dir) = make_dirs(&mut root, dirs) {
                dir.entries.insert(
                    name.clone(),
                    Node::File(File {
                        text: text.clone(),
                        modified,
                    }),
                );
            }
        }
    }
    root
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (RuntimeData, Vec<Mount>) {
        let mut data = RuntimeData::default();
        data.container_started("uid", "nginx", "c1", 0);
        let mounts = vec![
            Mount {
                path: "/usr/share/nginx/html".into(),
                source: Source::Volume {
                    key: "pvc-1".into(),
                    sub_path: None,
                },
                read_only: false,
            },
            Mount {
                path: "/etc/config".into(),
                source: Source::Files(tree_of(&[("a".into(), "1".into())], 0)),
                read_only: true,
            },
        ];
        (data, mounts)
    }

    fn base() -> Tree {
        tree_of(
            &[
                ("/etc/hostname".into(), "web-0\n".into()),
                ("/tmp/".into(), String::new()),
            ],
            0,
        )
    }

    #[test]
    fn volumes_outlive_the_container_run() {
        let (mut data, mounts) = setup();
        let key = ("uid".to_string(), "nginx".to_string());
        let mut fs = Fs::new(&mut data, key.clone(), &mounts, base, 5);
        fs.write("/usr/share/nginx/html/index.html", "web-0\n", false)
            .unwrap();
        fs.write("/tmp/scratch", "x", false).unwrap();
        assert!(fs.is_dir("/usr/share/nginx"));
        data.container_started("uid", "nginx", "c2", 10);
        let mut fs = Fs::new(&mut data, key, &mounts, base, 11);
        assert_eq!(
            fs.read("/usr/share/nginx/html/index.html"),
            Ok("web-0\n".to_string())
        );
        assert_eq!(fs.read("/tmp/scratch"), Err(Errno::NotFound));
        assert_eq!(fs.read("/etc/hostname"), Ok("web-0\n".to_string()));
    }

    #[test]
    fn errors_match_the_kernel() {
        let (mut data, mounts) = setup();
        let mut fs = Fs::new(&mut data, ("uid".into(), "nginx".into()), &mounts, base, 0);
        assert_eq!(fs.write("/etc/config/a", "2", false), Err(Errno::ReadOnly));
        assert_eq!(fs.read("/etc/config/a"), Ok("1".to_string()));
        assert_eq!(fs.write("/nope/x", "", false), Err(Errno::NotFound));
        assert_eq!(fs.read("/etc"), Err(Errno::IsDir));
        assert_eq!(
            fs.remove("/usr/share/nginx/html", true, false),
            Err(Errno::Busy)
        );
        assert_eq!(fs.mkdir("/tmp", false), Err(Errno::Exists));
        assert_eq!(fs.remove("/etc", false, false), Err(Errno::IsDir));
        fs.mkdir("/a/b/c", true).unwrap();
        assert_eq!(fs.remove("/a", false, true), Err(Errno::NotEmpty));
        fs.remove("/a", true, false).unwrap();
        assert!(!fs.exists("/a"));
    }
}
