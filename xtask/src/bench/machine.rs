//! The machine `cargo xtask bench` ran on, and how busy it was while the training runs took
//! turns: the load average and, on Linux, the CPU time other processes used (/proc/stat).

use std::process::Command;
use std::time::Instant;

use crate::base::process::capture;
use crate::setup::steps::Setup;

/// The machine's load while the training runs took turns.
#[derive(Debug, Clone, Default)]
pub struct Load {
    pub average_before: Option<f64>,
    pub average_after: Option<f64>,
    /// CPU cores that other processes kept busy, on average (Linux: /proc/stat).
    pub others_cores: Option<f64>,
    pub seconds: f64,
}

/// CPU time of the whole machine, from /proc/stat (Linux), to tell our load from others'.
pub struct CpuMeter {
    busy_ticks: Option<u64>,
    average: Option<f64>,
    started: Instant,
}

fn machine_busy_ticks() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let fields: Vec<u64> = stat
        .lines()
        .next()?
        .split_whitespace()
        .skip(1)
        .filter_map(|f| f.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal …: busy is all but idle and iowait.
    let total: u64 = fields.iter().take(8).sum();
    Some(total - fields.get(3)? - fields.get(4)?)
}

fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// The CPU time (user + system, in 1/100 s) a process has used, from /proc (Linux).
pub fn process_cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 of `rest`.
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

impl CpuMeter {
    pub fn start() -> CpuMeter {
        CpuMeter {
            busy_ticks: machine_busy_ticks(),
            average: load_average(),
            started: Instant::now(),
        }
    }

    /// The load since `start`, given the CPU ticks our own runners used meanwhile.
    pub fn finish(self, our_ticks: u64) -> Load {
        let seconds = self.started.elapsed().as_secs_f64();
        let others_cores = match (self.busy_ticks, machine_busy_ticks()) {
            (Some(a), Some(b)) if seconds > 0.0 => {
                Some((b.saturating_sub(a).saturating_sub(our_ticks)) as f64 / 100.0 / seconds)
            }
            _ => None,
        };
        Load {
            average_before: self.average,
            average_after: load_average(),
            others_cores,
            seconds,
        }
    }
}

/// A description of the machine, one item per line.
pub fn describe(setup: &Setup) -> Vec<String> {
    let mut lines = Vec::new();
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        });
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    lines.push(format!(
        "CPU: {}, {cores} cores available to this process",
        cpu.unwrap_or_else(|| std::env::consts::ARCH.to_string())
    ));
    if let Some(kib) = std::fs::read_to_string("/proc/meminfo").ok().and_then(|m| {
        m.lines()
            .find(|l| l.starts_with("MemTotal"))
            .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
    }) {
        lines.push(format!("memory: {:.1} GiB", kib / 1024.0 / 1024.0));
    }
    let os = capture(Command::new("uname").args(["-sr"]))
        .unwrap_or_else(|_| std::env::consts::OS.to_string());
    lines.push(format!("system: {os}"));
    let versions = [
        capture(Command::new("rustc").arg("--version")).ok(),
        setup
            .py
            .eval("import torch; print('torch', torch.__version__)")
            .ok(),
        capture(Command::new("cargo").args(["install", "--list"]))
            .ok()
            .and_then(|l| {
                l.lines()
                    .find(|l| l.starts_with("evcxr_jupyter"))
                    .map(|l| l.trim_end_matches(':').to_string())
            }),
    ];
    let versions: Vec<String> = versions.into_iter().flatten().collect();
    lines.push(format!("software: {}", versions.join(", ")));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn process_cpu_time_is_read_past_the_command_name() {
        if cfg!(target_os = "linux") {
            assert!(process_cpu_ticks(std::process::id()).is_some());
        }
    }
}
