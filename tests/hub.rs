//! A class on one server: `cargo xtask hub start` with K participants, then
//! `tests/hub_load.py` (all of them at once through the hub: notebooks 00 and 01 over kernel
//! websockets, the security cases, a runaway cell) and `tests/hub_browser.py` (a participant
//! logs in with Chromium and runs notebook 00 to every ✓). The hub is stopped and its test
//! accounts removed at the end.
//!
//! Runs on Linux as root with npm (the hub makes Unix users; its proxy comes from npm);
//! elsewhere every test is ignored with a line that says why. K is DLINTRO_HUB_PARTICIPANTS
//! (default 4), the shared environment DLINTRO_HUB_PREFIX (default /opt/dlintro-test).
//! The figures go to target/hub/load.json and into BENCHMARKS.md's hub section.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{jupyter_python, root, run_driver};
use dlintro_notebooks::benchmarks;
use dlintro_notebooks::browser::find_chromium;
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::Value;

/// Each participant's memory limit in the test's hub, and the runaway cell's size above it.
const MEMORY_LIMIT: &str = "3G";
const RUNAWAY_GIB: &str = "4";
const INSTRUCTOR: &str = "hubtest-instructor";

struct Hub {
    prefix: PathBuf,
    port: u16,
    names: Vec<String>,
}

impl Hub {
    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn sheet(&self) -> PathBuf {
        self.prefix.join("hub").join("accounts.txt")
    }

    fn xtask(&self, args: &[&str]) -> Result<(), Failed> {
        let mut all = vec!["xtask", "hub"];
        all.extend_from_slice(args);
        let prefix = self.prefix.display().to_string();
        all.extend(["--prefix", &prefix]);
        let out = Command::new("cargo")
            .args(&all)
            .current_dir(root())
            .output()
            .map_err(|e| Failed::from(format!("could not run cargo: {e}")))?;
        if !out.status.success() {
            return Err(format!(
                "`cargo {}` failed:\n{}{}",
                all.join(" "),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        Ok(())
    }

    fn password(&self, name: &str) -> Result<String, Failed> {
        let sheet = std::fs::read_to_string(self.sheet())
            .map_err(|e| Failed::from(format!("no sheet of accounts: {e}")))?;
        sheet
            .lines()
            .find_map(|line| line.strip_prefix(&format!("{name}\t")))
            .map(str::to_string)
            .ok_or_else(|| Failed::from(format!("{name} is not on the sheet")))
    }
}

/// Why the hub cannot be tried here, if it cannot.
fn unavailable() -> Option<String> {
    if !cfg!(target_os = "linux") {
        return Some("the hub runs on Linux".into());
    }
    let uid = Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Some("the hub makes a Unix user per participant: run as root".into());
    }
    if Command::new("npm").arg("--version").output().is_err() {
        return Some("npm is missing (the hub's proxy comes from npm)".into());
    }
    None
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(8765)
}

/// The load test's report, run once for the trials that judge it.
fn load(hub: &Hub) -> Result<Value, String> {
    static REPORT: OnceLock<Result<Value, String>> = OnceLock::new();
    REPORT
        .get_or_init(|| {
            let python = jupyter_python().map_err(|e| format!("{e:?}"))?;
            let learner = root().join("learner");
            let out = Command::new(python)
                .arg(root().join("tests").join("hub_load.py"))
                .arg(hub.url())
                .arg(hub.sheet())
                .arg(learner.join("00-setup-testing.ipynb"))
                .arg(learner.join("01-neuron.ipynb"))
                .env("DLINTRO_HUB_RUNAWAY_GIB", RUNAWAY_GIB)
                .output()
                .map_err(|e| format!("could not run hub_load.py: {e}"))?;
            let text = String::from_utf8_lossy(&out.stdout);
            let report: Value = serde_json::from_str(&text).map_err(|e| {
                format!(
                    "hub_load.py wrote no report ({e}):\n{text}{}",
                    String::from_utf8_lossy(&out.stderr)
                )
            })?;
            let target = root().join("target").join("hub");
            let _ = std::fs::create_dir_all(&target);
            let _ = std::fs::write(target.join("load.json"), text.as_bytes());
            write_benchmarks(&report);
            Ok(report)
        })
        .clone()
}

fn mib(bytes: &Value) -> String {
    bytes.as_u64().map_or("–".into(), |b| {
        format!("{:.0}", b as f64 / f64::from(1 << 20))
    })
}

fn secs(value: &Value) -> String {
    value.as_f64().map_or("–".into(), |s| format!("{s:.1}"))
}

/// The machine, in one line: cores, memory, CPU.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory_kib: f64 = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0);
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map_or("unknown CPU", |v| v.trim_start_matches([' ', '\t', ':']));
    format!(
        "{cpu}, {cores} cores, {:.1} GiB of memory",
        memory_kib / 1048576.0
    )
}

/// BENCHMARKS.md's hub section, from the load test's report.
fn write_benchmarks(report: &Value) {
    let participants = report["participants"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let date = Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let mut text = format!(
        "{}\n## A class on one hub\n\nWritten by the hub test (`tests/hub.rs`, part of \
         `cargo xtask test`) on {date}: {} participants logged in to one `cargo xtask hub` \
         at the same moment and ran the learner edition's notebooks 00 and 01 through the \
         hub's proxy, over kernel websockets as JupyterLab does. Machine: {}. Memory is PSS \
         (pages shared between processes, such as libtorch and evcxr's code, counted in \
         part), sampled twice a second; a participant's limit was {MEMORY_LIMIT}.\n\n\
         | participant | server start (s) | 00: `:dep` (s) | 00: first cell after `use` (s) \
         | 00: median cell (s) | 01: `:dep` (s) | 01: median cell (s) | slowest cell (s) \
         | errors | memory at peak (MiB) | home of its own (MiB) |\n\
         |---|---|---|---|---|---|---|---|---|---|---|\n",
        benchmarks::HUB_START,
        participants.len(),
        machine()
    );
    let mut kinds: Vec<(String, u64)> = Vec::new();
    let mut total_peak = 0;
    for p in &participants {
        let (a, b) = (
            &p["notebooks"]["00-setup-testing.ipynb"],
            &p["notebooks"]["01-neuron.ipynb"],
        );
        let slowest = a["slowest_s"]
            .as_f64()
            .unwrap_or(0.0)
            .max(b["slowest_s"].as_f64().unwrap_or(0.0));
        text.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {slowest:.1} | {} | {} | {} |\n",
            p["name"].as_str().unwrap_or("?"),
            secs(&p["server_start_s"]),
            secs(&a["dep_s"]),
            secs(&a["first_after_use_s"]),
            secs(&a["median_s"]),
            secs(&b["dep_s"]),
            secs(&b["median_s"]),
            p["errors"].as_array().map_or(0, Vec::len),
            mib(&p["pss_peak_bytes"]),
            mib(&p["home_bytes"]["own"]),
        ));
        total_peak += p["pss_peak_bytes"].as_u64().unwrap_or(0);
        for (kind, bytes) in p["pss_at_peak"].as_object().cloned().unwrap_or_default() {
            let bytes = bytes.as_u64().unwrap_or(0);
            match kinds.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, sum)) => *sum += bytes,
                None => kinds.push((kind, bytes)),
            }
        }
    }
    let n = participants.len().max(1) as u64;
    let shared = participants
        .first()
        .map_or(Value::Null, |p| p["home_bytes"]["shared"].clone());
    text.push_str(&format!(
        "\nWhere a participant's memory goes at its peak (mean over the participants): {}. \
         The kernel's own process is the floor: evcxr keeps rust-analyzer in it, which infers \
         the type of every variable a cell defines (that is what lets variables live from cell \
         to cell). The hub itself (JupyterHub, its proxy, the idle culler) held {} MiB; the \
         participants' peaks add up to {} MiB. Each home holds {} MiB of its own (two build \
         folders' small files and the notebooks) and {} MiB of hard links to the hub's warm \
         build, shared by all. The whole run took {} s.\n{}",
        kinds
            .iter()
            .map(|(k, b)| format!("{k} {} MiB", (b / n) >> 20))
            .collect::<Vec<_>>()
            .join(", "),
        mib(&report["hub_memory_bytes"]),
        total_peak >> 20,
        mib(&participants
            .first()
            .map_or(Value::Null, |p| p["home_bytes"]["own"].clone())),
        mib(&shared),
        secs(&report["wall_s"]),
        benchmarks::HUB_END
    ));
    let path = root().join("BENCHMARKS.md");
    if let Ok(old) = std::fs::read_to_string(&path) {
        let _ = std::fs::write(&path, benchmarks::with_hub_section(&old, &text));
    }
}

fn participants_ran_every_cell(hub: &Hub) -> Result<(), Failed> {
    let report = load(hub)?;
    let participants = report["participants"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if participants.len() != hub.names.len() {
        return Err(format!(
            "{} participants reported, expected {}",
            participants.len(),
            hub.names.len()
        )
        .into());
    }
    for p in &participants {
        let name = p["name"].as_str().unwrap_or("?");
        let errors = p["errors"].as_array().cloned().unwrap_or_default();
        if !errors.is_empty() {
            return Err(format!("{name}: {errors:?}").into());
        }
        for notebook in ["00-setup-testing.ipynb", "01-neuron.ipynb"] {
            let run = &p["notebooks"][notebook];
            let (ok, cells) = (run["ok"].as_u64(), run["cells"].as_u64());
            if ok.is_none() || ok != cells || cells < Some(5) {
                return Err(
                    format!("{name}: {notebook}: {ok:?} of {cells:?} cells ran cleanly").into(),
                );
            }
        }
    }
    println!(
        "    {} participants at once: every cell of 00 and 01 ran, no errors, {:.0} s in all",
        participants.len(),
        report["wall_s"].as_f64().unwrap_or(0.0)
    );
    Ok(())
}

fn security_cases(hub: &Hub) -> Result<(), Failed> {
    let report = load(hub)?;
    let s = &report["security"];
    if s["wrong_password_status"] != 403 || s["wrong_password_logged_in"] != false {
        return Err(format!("a wrong password was not refused: {s}").into());
    }
    if s["participant_token_admin_api"] != 403 {
        return Err(format!("a participant's token reached the admin API: {s}").into());
    }
    let reads = &s["kernel_reads"];
    let lines: Vec<&str> = reads["lines"]
        .as_array()
        .map(|l| l.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if reads["status"] != "ok" || lines != ["false", "false", "false"] {
        return Err(format!(
            "a participant's kernel could read another's home or the instructor's notebooks \
             (expected false false false): {reads}"
        )
        .into());
    }
    println!("    wrong password 403; admin API 403 for a participant; another's home and the instructor's notebooks: denied");
    Ok(())
}

fn runaway_cell_stays_in_its_limit(hub: &Hub) -> Result<(), Failed> {
    let report = load(hub)?;
    let s = &report["security"];
    let ended =
        s["runaway"]["status"] == "error" && s["runaway"]["errors"].to_string().contains("SIGKILL");
    if !ended || s["runaway_other_participant_status"] != 200 || s["runaway_hub_status"] != 200 {
        return Err(format!(
            "a {RUNAWAY_GIB} GiB cell under a {MEMORY_LIMIT} limit: expected its process \
             killed and the hub and the other participant answering: {s}"
        )
        .into());
    }
    for p in report["participants"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        let own = p["home_bytes"]["own"].as_u64().unwrap_or(u64::MAX);
        if own > 50 << 20 {
            return Err(format!(
                "{}: a participant's home holds {} MB of its own, expected under 50",
                p["name"],
                own >> 20
            )
            .into());
        }
    }
    println!("    a {RUNAWAY_GIB} GiB cell: its process ended by the {MEMORY_LIMIT} limit, the hub and the others carry on; every home under 50 MB of its own");
    Ok(())
}

fn participant_in_the_browser(hub: &Hub, chromium: &Path) -> Result<(), Failed> {
    let name = &hub.names[0];
    let out = root().join("target").join("hub");
    let measured = out.join("hub-browser.json");
    let (url, password) = (hub.url(), hub.password(name)?);
    let seen = run_driver(
        "hub_browser.py",
        &[
            url.as_ref(),
            name.as_ref(),
            password.as_ref(),
            out.as_os_str(),
        ],
        &[("DLINTRO_CHROMIUM", chromium.as_os_str())],
        &measured,
        "the hub could not be used in the browser",
    )?;
    if let Some(error) = seen["error"].as_str() {
        return Err(format!(
            "the participant's page failed: {error}\nit showed: {}\n(see {})",
            seen["page_text"],
            out.join("hub-browser.png").display()
        )
        .into());
    }
    if seen["run"]["ok"] != true || seen["kernel"] != "rust-dlintro" {
        return Err(format!(
            "notebook 00 did not run in the hub's JupyterLab: {}",
            seen["run"]
        )
        .into());
    }
    let cells = seen["cells"].as_array().cloned().unwrap_or_default();
    let text: String = cells.iter().filter_map(|c| c["text"].as_str()).collect();
    let errors: usize = cells
        .iter()
        .map(|c| c["errors"].as_array().map_or(0, Vec::len))
        .sum();
    let ticks = text.matches('✓').count();
    let unrun = cells
        .iter()
        .filter(|c| c["empty"] == false && c["execution_count"].is_null())
        .count();
    if errors > 0 || unrun > 0 || ticks < 3 || text.contains('✗') {
        return Err(format!("notebook 00 through the hub: {ticks} ✓, {errors} errors, {unrun} cells not run (see {})", measured.display()).into());
    }
    println!(
        "    {name} logged in with Chromium, JupyterLab ready in {:.1} s, notebook 00: {ticks} ✓, no errors",
        seen["lab_ready_s"].as_f64().unwrap_or(0.0)
    );
    Ok(())
}

fn main() {
    let mut args = Arguments::from_args();
    args.test_threads = Some(1);
    let why_not = unavailable();
    if let Some(why) = &why_not {
        println!("hub tests skipped: {why}");
    }
    let k: usize = std::env::var("DLINTRO_HUB_PARTICIPANTS")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(4);
    let hub = std::sync::Arc::new(Hub {
        prefix: std::env::var_os("DLINTRO_HUB_PREFIX")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/opt/dlintro-test")),
        port: free_port(),
        names: (1..=k).map(|i| format!("hubtest-{i}")).collect(),
    });
    let started = if why_not.is_none() {
        // Accounts a failed run left behind go first.
        let _ = hub.xtask(&["stop", "--remove-accounts"]);
        let port = hub.port.to_string();
        let names = hub.names.join(",");
        hub.xtask(&[
            "start",
            "--names",
            &names,
            "--instructor",
            INSTRUCTOR,
            "--port",
            &port,
            "--memory",
            MEMORY_LIMIT,
            "--detach",
        ])
        .map_err(|e| format!("{e:?}"))
    } else {
        Ok(())
    };
    let ignored = why_not.is_some();
    let chromium = find_chromium();
    type Judge = fn(&Hub) -> Result<(), Failed>;
    let judged: [(&str, Judge); 3] = [
        ("participants", participants_ran_every_cell),
        ("security", security_cases),
        ("limits", runaway_cell_stays_in_its_limit),
    ];
    let mut trials: Vec<Trial> = judged
        .into_iter()
        .map(|(name, judge)| {
            let (hub, started) = (hub.clone(), started.clone());
            Trial::test(name, move || {
                started.map_err(Failed::from)?;
                judge(&hub)
            })
            .with_ignored_flag(ignored)
        })
        .collect();
    let (for_browser, started_b) = (hub.clone(), started.clone());
    trials.push(
        Trial::test("browser", move || {
            started_b.map_err(Failed::from)?;
            match &chromium {
                Some(chromium) => participant_in_the_browser(&for_browser, chromium),
                None => Err("Chromium is missing (see tests/browser.rs)".into()),
            }
        })
        .with_ignored_flag(ignored || find_chromium().is_none()),
    );
    let conclusion = libtest_mimic::run(&args, trials);
    if why_not.is_none() {
        if let Err(e) = hub.xtask(&["stop", "--remove-accounts"]) {
            eprintln!("could not stop the test hub: {e:?}");
        }
    }
    conclusion.exit();
}
