//! The native transcript runner: `stsplay run SCRIPT [--seed N]` feeds a
//! script of terminal lines through the same engine and kubectl as the
//! browser and prints each line as `$ <line>` followed by its output.

use std::process::ExitCode;

use stsplay::playground::{Mode, Playground};

const USAGE: &str = "usage: stsplay run SCRIPT [--seed N] [--file NAME=PATH]...";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(transcript) => {
            print!("{transcript}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("stsplay: {err}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<String, String> {
    let (command, rest) = args.split_first().ok_or("missing command")?;
    if command != "run" {
        return Err(format!("unknown command {command:?}"));
    }
    let mut script_path = None;
    let mut seed = 1;
    let mut files = Vec::new();
    let mut rest = rest.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--seed" => {
                let value = rest.next().ok_or("--seed needs a number")?;
                seed = value
                    .parse()
                    .map_err(|_| format!("--seed: {value:?} is not a number"))?;
            }
            "--file" => {
                let value = rest.next().ok_or("--file needs NAME=PATH")?;
                let (name, path) = value.split_once('=').ok_or("--file needs NAME=PATH")?;
                let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
                files.push((name.to_string(), text));
            }
            path if script_path.is_none() => script_path = Some(path.to_string()),
            other => return Err(format!("unexpected argument {other:?}")),
        }
    }
    let path = script_path.ok_or("missing SCRIPT")?;
    let script = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let mut playground = Playground::new(seed, 1, Mode::Script);
    playground.files.extend(files);
    Ok(playground.run_script(&script))
}
