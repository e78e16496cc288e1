//! Running processes: capturing their output, tagging their lines while two run side by side,
//! and running a check whose failure stops a command.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, ExitStatus, Stdio};
use std::time::Instant;

use crate::base::failure::Failure;

/// Runs a command and returns its trimmed stdout, or its stderr as the error.
pub fn capture(command: &mut Command) -> Result<String, String> {
    let out = command.output().map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

/// Runs a command whose output would otherwise mix with that of a step running at the same
/// time: every line it prints is shown with `tag` in front, on the stream it came from.
pub fn run_tagged(command: &mut Command, tag: &str) -> std::io::Result<ExitStatus> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let stderr = child.stderr.take().expect("stderr is piped");
    std::thread::scope(|s| {
        s.spawn(|| forward_lines(stdout, |line| println!("{tag}{line}")));
        s.spawn(|| forward_lines(stderr, |line| eprintln!("{tag}{line}")));
    });
    child.wait()
}

/// Calls `show` with each non-blank line of `stream`; of a line that a progress bar redrew with
/// carriage returns, only the last state.
fn forward_lines(stream: impl Read, mut show: impl FnMut(&str)) {
    for line in BufReader::new(stream).split(b'\n').map_while(Result::ok) {
        let line = String::from_utf8_lossy(&line);
        let last = line
            .trim_end()
            .rsplit('\r')
            .next()
            .unwrap_or_default()
            .trim_end();
        if !last.trim().is_empty() {
            show(last);
        }
    }
}

/// How the output of pip and of `cargo install` is tagged while both run.
pub const PIP_TAG: &str = "        pip | ";
pub const CARGO_TAG: &str = "      cargo | ";

/// Runs one check of a command (`==> what`, then its time); its failure stops the command.
pub fn run_checked(what: &str, mut command: Command) -> Result<(), Failure> {
    println!("==> {what}");
    let start = Instant::now();
    let status = command
        .status()
        .map_err(|e| Failure::new(format!("could not start {what}: {e}")))?;
    if !status.success() {
        return Err(Failure::new(format!("{what} failed (its output is above)")));
    }
    println!("==> {what}: ok ({:.1} s)\n", start.elapsed().as_secs_f64());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_lines_keep_the_last_state_of_a_progress_bar() {
        let text = "Collecting torch\n 10%\r 50%\r100% done\r\n\n   Compiling a\n";
        let mut lines = Vec::new();
        forward_lines(text.as_bytes(), |line| lines.push(line.to_string()));
        assert_eq!(lines, ["Collecting torch", "100% done", "   Compiling a"]);
    }

    #[cfg(unix)]
    #[test]
    fn tagged_commands_report_their_status() {
        let ok = run_tagged(
            Command::new("sh").args(["-c", "echo out; echo err >&2"]),
            "t | ",
        );
        assert!(ok.unwrap().success());
        let failed = run_tagged(Command::new("sh").args(["-c", "exit 3"]), "t | ");
        assert_eq!(failed.unwrap().code(), Some(3));
    }
}
