//! `cp`, `mv` and `touch`, over whatever files the host has (the editor's
//! tabs, or a container's filesystem).

use super::{absolute_path, Host, Shell, Sink};

/// The names of the tools, for hosts that have them.
pub const NAMES: [&str; 3] = ["cp", "mv", "touch"];

/// Runs `name` if it is one of the file tools.
pub fn run(
    name: &str,
    shell: &Shell,
    host: &mut dyn Host,
    args: &[String],
    sink: &mut Sink,
) -> Option<i32> {
    let operands: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let status = match name {
        "touch" => {
            let mut status = 0;
            for path in operands {
                // Appending nothing creates the file and leaves an existing one as it is.
                if let Err(err) = host.write_file(shell, path, "", true) {
                    sink.err_line(format!("touch: cannot touch '{path}': {err}"));
                    status = 1;
                }
            }
            status
        }
        "cp" | "mv" => {
            let [source, dest] = operands.as_slice() else {
                sink.err_line(match operands.first() {
                    Some(after) => {
                        format!("{name}: missing destination file operand after '{after}'")
                    }
                    None => format!("{name}: missing file operand"),
                });
                return Some(1);
            };
            let dest_dir = absolute_path(&shell.cwd, dest);
            let dest = if host.list_dir(shell, &dest_dir).is_some() {
                format!(
                    "{}/{}",
                    dest_dir.trim_end_matches('/'),
                    source.rsplit('/').next().unwrap_or(source)
                )
            } else {
                dest.to_string()
            };
            let copied = host
                .read_file(shell, source)
                .map_err(|err| format!("cannot stat '{source}': {err}"))
                .and_then(|text| {
                    host.write_file(shell, &dest, &text, false)
                        .map_err(|err| format!("cannot create regular file '{dest}': {err}"))
                })
                .and_then(|()| {
                    if name == "mv" {
                        host.remove_file(shell, source)
                            .map_err(|err| format!("cannot remove '{source}': {err}"))
                    } else {
                        Ok(())
                    }
                });
            match copied {
                Ok(()) => 0,
                Err(message) => {
                    sink.err_line(format!("{name}: {message}"));
                    1
                }
            }
        }
        _ => return None,
    };
    Some(status)
}
