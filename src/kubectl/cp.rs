//! `kubectl cp`: copies a file between the editor (the playground's local
//! files) and a container, the way kubectl does it: by running `tar` in the
//! container (`tar cf - SRC` to copy out, `tar -xmf - -C DIR` to copy in), so
//! the image needs a `tar`, and tar's own messages are what the user sees
//! (GNU tar's or BusyBox's, by the image). A copy out writes the file under
//! the destination's name; a copy in goes into the destination when it is a
//! directory (`test -d`), else to that path.

use super::args::{Parsed, Spec, Takes};
use super::exec::{container_for, not_executable};
use super::output::Output;
use super::{Context, Invocation};
use crate::container::image::Distro;
use crate::container::{self, Inside};
use crate::sim::Cluster;

pub const SPEC: Spec = Spec {
    flags: &[
        ("container", Some('c'), Takes::Value),
        ("no-preserve", None, Takes::Bool),
        ("retries", None, Takes::Int),
    ],
    not_simulated: &[],
};

/// `[[namespace/]pod:]file/path`, as kubectl's extractFileSpec splits it.
#[derive(Debug, PartialEq, Eq)]
enum FileSpec {
    Local(String),
    Remote {
        namespace: Option<String>,
        pod: String,
        file: String,
    },
}

const BAD_SPEC: &str = "filespec must match the canonical format: [[namespace/]pod:]file/path";

fn file_spec(arg: &str) -> Result<FileSpec, Output> {
    let Some((pod, file)) = arg.split_once(':') else {
        return Ok(FileSpec::Local(strip_trailing_slash(arg)));
    };
    let (namespace, pod) = match pod.split('/').collect::<Vec<_>>().as_slice() {
        [""] => return Err(Output::error(BAD_SPEC)),
        [pod] => (None, pod.to_string()),
        [namespace, pod] => (Some(namespace.to_string()), pod.to_string()),
        _ => return Err(Output::error(BAD_SPEC)),
    };
    Ok(FileSpec::Remote {
        namespace,
        pod,
        file: strip_trailing_slash(file),
    })
}

/// One trailing slash goes, unless the path is the root.
fn strip_trailing_slash(path: &str) -> String {
    match path.strip_suffix('/') {
        Some(stripped) if path != "/" => stripped.to_string(),
        _ => path.to_string(),
    }
}

pub fn run(cluster: &mut Cluster, ctx: &Context<'_>, parsed: &Parsed) -> Invocation {
    let [src, dest] = parsed.positionals.as_slice() else {
        return Output::error("source and destination are required").into();
    };
    let (src, dest) = match (file_spec(src), file_spec(dest)) {
        (Ok(src), Ok(dest)) => (src, dest),
        (Err(err), _) | (_, Err(err)) => return err.into(),
    };
    let empty = |spec: &FileSpec| match spec {
        FileSpec::Local(file) | FileSpec::Remote { file, .. } => file.is_empty(),
    };
    let namespace = |given: Option<String>| {
        given.unwrap_or_else(|| {
            parsed
                .value("namespace")
                .unwrap_or(ctx.namespace)
                .to_string()
        })
    };
    match (src, dest) {
        (FileSpec::Remote { .. }, FileSpec::Remote { .. }) => {
            Output::error("one of src or dest must be a local file specification").into()
        }
        (src, dest) if empty(&src) || empty(&dest) => {
            Output::error("filepath can not be empty").into()
        }
        (
            FileSpec::Remote {
                namespace: ns,
                pod,
                file,
            },
            FileSpec::Local(local),
        ) => copy_from_pod(cluster, parsed, &namespace(ns), &pod, &file, &local),
        (
            FileSpec::Local(local),
            FileSpec::Remote {
                namespace: ns,
                pod,
                file,
            },
        ) => copy_to_pod(cluster, ctx, parsed, &namespace(ns), &pod, &local, &file),
        (FileSpec::Local(_), FileSpec::Local(_)) => {
            Output::error("one of src or dest must be a remote file specification").into()
        }
    }
}

/// The container that runs tar, or what stopped kubectl reaching it
/// (including an image without tar).
fn tar_in(
    cluster: &mut Cluster,
    parsed: &Parsed,
    namespace: &str,
    pod: &str,
    out: &mut Output,
) -> Result<Inside, Output> {
    let inside = container_for(
        cluster,
        "exec into",
        namespace,
        pod,
        parsed.value("container"),
        false,
        out,
    )?;
    if !inside.userland.has("tar") {
        return Err(not_executable(cluster, &inside, "tar"));
    }
    // What the container's processes wrote so far is on its files.
    container::start_up(cluster);
    Ok(inside)
}

/// `tar cf - SRC` in the container, and its archive unpacked locally: the
/// one file goes to `local`. tar's messages arrive on kubectl's stdout.
fn copy_from_pod(
    cluster: &mut Cluster,
    parsed: &Parsed,
    namespace: &str,
    pod: &str,
    file: &str,
    local: &str,
) -> Invocation {
    // The tar exec's stderr is kubectl's stdout here, notes included.
    let mut notes = Output::default();
    let found = tar_in(cluster, parsed, namespace, pod, &mut notes);
    let mut out = Output::default();
    out.print(&notes.stderr);
    let inside = match found {
        Ok(inside) => inside,
        Err(err) => return Invocation::from(err).after(out),
    };
    let tar = Tar::of(&inside);
    if file.starts_with('/') {
        out.print(&tar.leading_slash());
    }
    let path = in_container(&inside, file);
    let now = cluster.now();
    let mut fs = inside.fs(cluster, now);
    if !fs.exists(&path) {
        out.print(&tar.cannot_stat(file));
        return terminated(out, tar.status());
    }
    let Ok(text) = fs.read(&path) else {
        let dir = file.trim_end_matches('/');
        out.err(format!("stsplay: {file} is a directory; the playground's local files are the editor's tabs, which hold no directories: copy one file at a time ({pod}:{dir}/NAME NAME)"));
        out.code = 1;
        return out.into();
    };
    let Some(name) = editor_name(local) else {
        let message = if is_home(local) {
            format!("open {local}: is a directory")
        } else {
            format!("stsplay cannot write {local}: the playground's local files are the editor's tabs, with no directories; name the file (kubectl cp {pod}:{file} NAME)")
        };
        return Invocation::from(Output::error(message)).after(out);
    };
    let mut invocation: Invocation = out.into();
    invocation.wrote = vec![(name, text)];
    invocation
}

/// `test -d DEST`, then `tar -xmf - -C DIR` in the container: the editor's
/// file `local` lands in DEST, or under its own name in DEST when that is a
/// directory.
fn copy_to_pod(
    cluster: &mut Cluster,
    ctx: &Context<'_>,
    parsed: &Parsed,
    namespace: &str,
    pod: &str,
    local: &str,
    file: &str,
) -> Invocation {
    let text = match editor_name(local).and_then(|name| ctx.files.get(&name)) {
        Some(text) => text.clone(),
        None if is_home(local) => {
            return Output::error(format!("stsplay: {local} is the editor's directory; copy one of its files (kubectl cp NAME {pod}:{file})")).into()
        }
        None => {
            return Output::error(format!("{local} doesn't exist in local filesystem")).into()
        }
    };
    let mut out = Output::default();
    let inside = match tar_in(cluster, parsed, namespace, pod, &mut out) {
        Ok(inside) => inside,
        Err(err) => return Invocation::from(err).after(out),
    };
    let tar = Tar::of(&inside);
    let now = cluster.now();
    let mut fs = inside.fs(cluster, now);
    let base = local.rsplit('/').next().unwrap_or(local);
    let target = if fs.is_dir(&in_container(&inside, file)) {
        format!("{}/{base}", file.trim_end_matches('/'))
    } else {
        file.to_string()
    };
    let (dir, name) = match target.rsplit_once('/') {
        Some(("", name)) => ("/".to_string(), name.to_string()),
        Some((dir, name)) => (dir.to_string(), name.to_string()),
        None => (String::new(), target.clone()),
    };
    if !dir.is_empty() && !fs.is_dir(&in_container(&inside, &dir)) {
        out.print_err(&tar.cannot_enter(&dir));
        return terminated(out, tar.status());
    }
    let path = in_container(&inside, &target);
    if let Err(errno) = fs.write(&path, &text, false) {
        out.print_err(&tar.cannot_open(&name, errno.text()));
        return terminated(out, tar.status());
    }
    // The new file may change what exec probes see.
    crate::sim::kubelet::commands_ran(cluster, namespace, &inside.target.pod);
    out.into()
}

/// An editor file's name for a local path (`f`, `./f`, `~/f`, `$HOME/f`);
/// None for the editor's directory itself or a path under another one.
fn editor_name(local: &str) -> Option<String> {
    let home = format!("{}/", crate::playground::HOME);
    let name = local
        .strip_prefix("./")
        .or_else(|| local.strip_prefix("~/"))
        .or_else(|| local.strip_prefix(home.as_str()))
        .unwrap_or(local);
    (!name.is_empty() && !name.contains('/') && !is_home(name)).then(|| name.to_string())
}

/// The local directory the editor's files are in.
fn is_home(local: &str) -> bool {
    matches!(local, "." | "~" | "./" | "") || local.trim_end_matches('/') == crate::playground::HOME
}

/// A path in the container, relative ones from its working directory.
fn in_container(inside: &Inside, file: &str) -> String {
    crate::shell::absolute_path(inside.userland.workdir, file)
}

/// kubectl's CheckErr of the remote command's exit status.
fn terminated(mut out: Output, code: i32) -> Invocation {
    out.err(format!("command terminated with exit code {code}"));
    out.code = code;
    out.into()
}

/// Which tar the image has, for its words and exit status.
enum Tar {
    Gnu,
    BusyBox,
}

impl Tar {
    fn of(inside: &Inside) -> Tar {
        match inside.userland.distro {
            Distro::Busybox { .. } | Distro::Alpine => Tar::BusyBox,
            _ => Tar::Gnu,
        }
    }

    fn leading_slash(&self) -> String {
        match self {
            Tar::Gnu => "tar: Removing leading `/' from member names\n",
            Tar::BusyBox => "tar: removing leading '/' from member names\n",
        }
        .to_string()
    }

    fn cannot_stat(&self, file: &str) -> String {
        match self {
            Tar::Gnu => format!("tar: {file}: Cannot stat: No such file or directory\ntar: Exiting with failure status due to previous errors\n"),
            Tar::BusyBox => format!("tar: {file}: No such file or directory\ntar: error exit delayed from previous errors\n"),
        }
    }

    fn cannot_enter(&self, dir: &str) -> String {
        match self {
            Tar::Gnu => format!("tar: {dir}: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\n"),
            Tar::BusyBox => format!("tar: can't change directory to '{dir}': No such file or directory\n"),
        }
    }

    fn cannot_open(&self, name: &str, why: &str) -> String {
        match self {
            Tar::Gnu => format!("tar: {name}: Cannot open: {why}\ntar: Exiting with failure status due to previous errors\n"),
            Tar::BusyBox => format!("tar: can't open '{name}': {why}\n"),
        }
    }

    /// GNU tar exits 2 on a fatal error, BusyBox's 1.
    fn status(&self) -> i32 {
        match self {
            Tar::Gnu => 2,
            Tar::BusyBox => 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_specs_as_kubectl_splits_them() {
        assert_eq!(
            file_spec("web-0:/usr/share/nginx/html/index.html").ok(),
            Some(FileSpec::Remote {
                namespace: None,
                pod: "web-0".into(),
                file: "/usr/share/nginx/html/index.html".into()
            })
        );
        assert_eq!(
            file_spec("shop/web-0:data.txt").ok(),
            Some(FileSpec::Remote {
                namespace: Some("shop".into()),
                pod: "web-0".into(),
                file: "data.txt".into()
            })
        );
        assert_eq!(
            file_spec("index.html").ok(),
            Some(FileSpec::Local("index.html".into()))
        );
        assert!(file_spec(":/etc/hosts").is_err());
        assert!(file_spec("a/b/c:/etc/hosts").is_err());
    }

    #[test]
    fn editor_names_of_local_paths() {
        assert_eq!(editor_name("index.html").as_deref(), Some("index.html"));
        assert_eq!(editor_name("./index.html").as_deref(), Some("index.html"));
        assert_eq!(editor_name("~/index.html").as_deref(), Some("index.html"));
        assert_eq!(
            editor_name("/home/learner/index.html").as_deref(),
            Some("index.html")
        );
        assert_eq!(editor_name("."), None);
        assert_eq!(editor_name("out/index.html"), None);
        assert!(is_home("."));
        assert!(is_home("/home/learner/"));
    }
}
