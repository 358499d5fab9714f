//! The file tools of a container: `ls`, `mkdir`, `rm`, `chmod`, in GNU
//! or busybox words depending on the image.

use super::ContainerHost;
use crate::container::fs::{Entry, Errno};
use crate::shell::{absolute_path, text, Io, Shell, Sink};
use crate::sim::clock::timestamp;

impl ContainerHost<'_> {
    pub(super) fn ls(&mut self, shell: &Shell, args: &[String], io: &mut Io<'_>) -> i32 {
        let mut flags = String::new();
        let mut paths = Vec::new();
        for arg in args {
            match arg.strip_prefix('-').filter(|f| !f.is_empty()) {
                Some(f) => flags.push_str(f),
                None => paths.push(arg.clone()),
            }
        }
        if let Some(bad) = flags.chars().find(|c| !"alAh1dFt".contains(*c)) {
            io.sink.err_line(format!("ls: invalid option -- '{bad}'"));
            return 2;
        }
        if paths.is_empty() {
            paths.push(".".to_string());
        }
        let long = flags.contains('l');
        let one_per_line = flags.contains('1') || !self.tty || io.captured;
        let busybox = self.busybox();
        let mut status = 0;
        let mut files = Vec::new();
        let mut dirs = Vec::new();
        for path in &paths {
            let abs = absolute_path(&shell.cwd, path);
            let mut fs = self.fs();
            if !fs.exists(&abs) {
                io.sink.err_line(if busybox {
                    format!("ls: {path}: No such file or directory")
                } else {
                    format!("ls: cannot access '{path}': No such file or directory")
                });
                status = if busybox { 1 } else { 2 };
            } else if fs.is_dir(&abs) && !flags.contains('d') {
                dirs.push((path.clone(), fs.list(&abs).unwrap_or_default()));
            } else if let Ok(mut entries) = fs.list(&abs) {
                for e in entries.iter_mut() {
                    e.name = path.clone();
                }
                files.extend(entries);
            }
        }
        let show = |entries: &[Entry], sink: &mut Sink| {
            if long {
                // GNU ls lines its size column up to the widest size.
                let width = entries
                    .iter()
                    .map(|e| e.size.to_string().len())
                    .max()
                    .unwrap_or(1);
                for e in entries {
                    sink.out(long_line(e, busybox, width));
                }
            } else if one_per_line {
                for e in entries {
                    sink.out(format!("{}\n", e.name));
                }
            } else {
                sink.out(text::columns(
                    &entries.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(),
                ));
            }
        };
        show(&files, io.sink);
        let many = paths.len() > 1;
        for (i, (path, mut entries)) in dirs.into_iter().enumerate() {
            if !flags.contains('a') && !flags.contains('A') {
                entries.retain(|e| !e.name.starts_with('.'));
            }
            if flags.contains('a') {
                let dot = |name: &str| Entry {
                    name: name.to_string(),
                    dir: true,
                    size: 4096,
                    modified: self.now,
                };
                entries.insert(0, dot(".."));
                entries.insert(0, dot("."));
            }
            if many {
                io.sink.out(format!(
                    "{}{path}:\n",
                    if i > 0 || !files.is_empty() { "\n" } else { "" }
                ));
            }
            if long {
                let blocks: usize = entries.iter().map(|e| e.size.div_ceil(4096) * 4).sum();
                io.sink.out(format!("total {blocks}\n"));
            }
            show(&entries, io.sink);
        }
        status
    }

    pub(super) fn mkdir(&mut self, shell: &Shell, args: &[String], sink: &mut Sink) -> i32 {
        let parents = args.iter().any(|a| a == "-p");
        let mut status = 0;
        for path in args.iter().filter(|a| !a.starts_with('-')) {
            if let Err(err) = self.fs().mkdir(&absolute_path(&shell.cwd, path), parents) {
                let cannot = self.cannot();
                sink.err_line(format!(
                    "mkdir: {cannot} create directory '{path}': {}",
                    err.text()
                ));
                status = 1;
            }
        }
        status
    }

    pub(super) fn rm(&mut self, shell: &Shell, args: &[String], sink: &mut Sink) -> i32 {
        let flags: String = args
            .iter()
            .filter(|a| a.starts_with('-'))
            .map(|a| a.trim_start_matches('-'))
            .collect();
        let recursive = flags.contains('r') || flags.contains('R');
        let force = flags.contains('f');
        let mut status = 0;
        let busybox = self.busybox();
        for path in args.iter().filter(|a| !a.starts_with('-')) {
            match self.fs().remove(
                &absolute_path(&shell.cwd, path),
                recursive,
                flags.contains('d'),
            ) {
                Ok(()) => {}
                Err(Errno::NotFound) if force => {}
                Err(Errno::IsDir) if busybox => {
                    sink.err_line(format!("rm: '{path}' is a directory"));
                    status = 1;
                }
                Err(err) => {
                    let cannot = self.cannot();
                    sink.err_line(format!("rm: {cannot} remove '{path}': {}", err.text()));
                    status = 1;
                }
            }
        }
        status
    }

    pub(super) fn chmod(
        &mut self,
        shell: &Shell,
        name: &str,
        args: &[String],
        sink: &mut Sink,
    ) -> i32 {
        let operands: Vec<&String> = args
            .iter()
            .filter(|a| !a.starts_with('-'))
            .skip(1)
            .collect();
        if operands.is_empty() {
            sink.err_line(format!("{name}: missing operand"));
            return 1;
        }
        let mut status = 0;
        for path in operands {
            if !self.fs().exists(&absolute_path(&shell.cwd, path)) {
                sink.err_line(format!(
                    "{name}: cannot access '{path}': No such file or directory"
                ));
                status = 1;
            }
        }
        status
    }
}

/// One `ls -l` line, GNU or busybox style.
fn long_line(entry: &Entry, busybox: bool, width: usize) -> String {
    let mode = if entry.dir {
        "drwxr-xr-x"
    } else {
        "-rw-r--r--"
    };
    let links = if entry.dir { 2 } else { 1 };
    let when = timestamp(entry.modified).strftime("%b %e %H:%M");
    if busybox {
        format!(
            "{mode} {links:>4} root     root     {:>10} {when} {}\n",
            entry.size, entry.name
        )
    } else {
        format!(
            "{mode} {links} root root {:>width$} {when} {}\n",
            entry.size, entry.name
        )
    }
}
