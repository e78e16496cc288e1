//! `cargo xtask hub`: a class on one server. JupyterHub over the workshop's environment, a
//! Unix user per participant, and one warm build of the crate that every participant shares.
//!
//! The system work (accounts, links, the hub's files) is `dlintro_hub.py`'s, run with the
//! workshop's Python; this module finds what set-up made, writes the kernel's files for the
//! shared prefix (the same prelude, launcher and interrupts as the laptop kernel) and the
//! hub's settings. `jupyterhub_config.py` is the hub's configuration. Linux only, as root.

mod options;

use std::path::{Path, PathBuf};
use std::process::Command;

use dlintro_notebooks::KERNEL_NAME;
use serde_json::json;

use crate::base::failure::Failure;
use crate::base::process::capture;
use crate::setup::kernel::{self, write_if_changed};
use crate::setup::steps::{self, Setup};

pub use options::Options;

const SCRIPT: &str = include_str!("dlintro_hub.py");
const HUB_CONFIG: &str = include_str!("jupyterhub_config.py");
/// What the hub adds to the workshop's environment, pinned: the versions the tests ran.
const HUB_PACKAGES: [&str; 2] = ["jupyterhub==6.1.1", "jupyterhub-idle-culler==1.4.0"];
const PROXY_PACKAGE: &str = "configurable-http-proxy@5.3.0";
/// Where a participant's kernels build, under their home (the launcher expands `~`).
const PARTICIPANT_BUILD: &str = "~/.local/share/dlintro/build";

pub const USAGE: &str = "\
usage: cargo xtask hub <command> [options]   (Linux, as root)

  start [options]        set up the shared environment if needed, create the accounts and
                         start JupyterHub (in the foreground; --detach: in the background)
  add NAME…              accounts for latecomers (the hub keeps running)
  stop [--remove-accounts]
                         stop the hub and every participant's server; with
                         --remove-accounts also delete the accounts and their homes
  install [--container]  only the shared environment; --container: for an image of Zero to
                         JupyterHub on Kubernetes (xtask/src/hub/container/), one participant
                         per container, whose kernels build in the prefix itself

options of start:
  --participants N       accounts participant01 … participantNN (default 0)
  --names a,b,c          accounts with these names
  --instructor NAME      the hub's admin, with the instructor's notebooks (default instructor)
  --prefix DIR           the shared environment (default /opt/dlintro)
  --ip ADDRESS           where the hub listens (default 127.0.0.1)
  --port N               its port (default 8000)
  --ssl-cert FILE --ssl-key FILE
                         serve HTTPS with this certificate
  --insecure-http        serve plain HTTP on a non-loopback address (only behind a proxy
                         that terminates HTTPS)
  --memory SIZE          each participant's memory limit (default 2G)
  --idle-minutes N       stop servers idle for N minutes (default 60)
  --detach               start in the background; the log goes to PREFIX/hub/jupyterhub.log
";

/// `cargo xtask hub …`.
pub fn run(args: &[String]) -> Result<(), Failure> {
    if !cfg!(target_os = "linux") {
        return Err(Failure::new(
            "the hub runs on a Linux server (it makes a Unix user per participant)".into(),
        ));
    }
    let command = args.first().map(String::as_str);
    if matches!(command, None | Some("-h" | "--help" | "help")) {
        print!("{USAGE}");
        return Ok(());
    }
    let options = Options::parse(&args[1..])?;
    let setup = steps::setup()?;
    let hub = Hub::new(&setup, &options)?;
    match command {
        Some("install") => hub.install(options.container),
        Some("start") => {
            hub.install(false)?;
            hub.write_settings(&options)?;
            hub.script(&["accounts"], &options.accounts())?;
            hub.start(&options)
        }
        Some("add") => hub.script(&["accounts"], &options.names),
        Some("stop") => {
            let flag = options
                .remove_accounts
                .then_some("--remove-accounts".to_string());
            hub.script(&["stop"], &flag.into_iter().collect::<Vec<_>>())
        }
        Some(other) => Err(Failure::new(format!(
            "unknown hub command `{other}`\n\n{USAGE}"
        ))),
        None => unreachable!("handled above"),
    }
}

/// The shared prefix and the workshop environment it is made from.
struct Hub<'a> {
    setup: &'a Setup,
    prefix: PathBuf,
    script: PathBuf,
}

impl<'a> Hub<'a> {
    fn new(setup: &'a Setup, options: &Options) -> Result<Self, Failure> {
        let prefix = options.prefix.clone();
        let script = setup.root.join("target").join("hub").join("dlintro_hub.py");
        write_if_changed(&script, SCRIPT)?;
        Ok(Hub {
            setup,
            prefix,
            script,
        })
    }

    /// Runs `dlintro_hub.py COMMAND PREFIX ARGS…` with the workshop's Python.
    fn script(&self, command: &[&str], args: &[String]) -> Result<(), Failure> {
        let status = Command::new(&self.setup.py.python)
            .arg(&self.script)
            .args(command)
            .arg(&self.prefix)
            .args(args)
            .status()
            .map_err(|e| Failure::new(format!("could not run {}: {e}", self.script.display())))?;
        if status.success() {
            Ok(())
        } else {
            Err(Failure::new(format!(
                "`cargo xtask hub {}` failed (see above)",
                command.join(" ")
            )))
        }
    }

    /// The shared environment: skipped when what it is made from has not changed.
    fn install(&self, container: bool) -> Result<(), Failure> {
        let sysroot = capture(Command::new("rustc").args(["--print", "sysroot"]))
            .map_err(|e| Failure::new(format!("could not ask rustc for its sysroot: {e}")))?;
        let crate_manifest =
            std::fs::read_to_string(self.setup.root.join("crate").join("Cargo.toml"))
                .unwrap_or_default();
        let settings = json!({
            "env_python": self.setup.py.python,
            "sysroot": sysroot.trim(),
            "evcxr": self.setup.evcxr,
            "crate": self.setup.root.join("crate"),
            "learner": self.setup.root.join("learner"),
            "container": container,
            "lockfile": self.setup.root.join("Cargo.lock"),
            "build_cargo_config": kernel::BUILD_CARGO_CONFIG,
            "hub_packages": HUB_PACKAGES,
            "proxy_package": PROXY_PACKAGE,
        });
        let key = format!(
            "{settings}\n{crate_manifest}\n{}",
            crate_digest(&self.setup.root)?
        );
        let stamp = self.prefix.join("hub").join("installed.txt");
        if std::fs::read_to_string(&stamp).ok().as_deref() == Some(key.as_str()) {
            println!("==> hub: {} is up to date", self.prefix.display());
            return Ok(());
        }
        println!(
            "==> hub: the shared environment in {}",
            self.prefix.display()
        );
        let settings_file = self
            .setup
            .root
            .join("target")
            .join("hub")
            .join("install.json");
        write_if_changed(&settings_file, &settings.to_string())?;
        self.script(&["install"], &[settings_file.display().to_string()])?;
        self.write_kernel(container)?;
        self.script(&["warm"], &[])?;
        write_if_changed(&stamp, &key)?;
        Ok(())
    }

    /// The kernel of the hub: the laptop kernel's evcxr configuration and launcher under the
    /// prefix, and a kernelspec whose build folders are in the participant's home.
    fn write_kernel(&self, container: bool) -> Result<(), Failure> {
        let p = &self.prefix;
        let config_dir = p.join("evcxr");
        write_if_changed(&config_dir.join("init.evcxr"), kernel::INIT_EVCXR)?;
        write_if_changed(&config_dir.join("prelude.rs"), kernel::PRELUDE_RS)?;
        write_if_changed(&config_dir.join("launch_kernel.py"), kernel::LAUNCHER)?;
        let torch_lib = self
            .setup
            .torch_lib
            .strip_prefix(&self.setup.py.prefix)
            .map(|relative| p.join("venv").join(relative))
            .map_err(|_| {
                Failure::new(format!(
                    "torch's libraries ({}) are not inside the environment ({})",
                    self.setup.torch_lib.display(),
                    self.setup.py.prefix.display()
                ))
            })?;
        let version = capture(Command::new("rustc").arg("-vV"))
            .map_err(|e| Failure::new(format!("could not ask rustc for its host: {e}")))?;
        let host = version
            .lines()
            .find_map(|line| line.strip_prefix("host: "))
            .unwrap_or("x86_64-unknown-linux-gnu");
        let build = if container {
            Build::Prefix
        } else {
            Build::Home
        };
        let text = hub_kernelspec(p, &torch_lib, host, self.setup.ccache.as_deref(), build);
        let spec = p
            .join("venv")
            .join("share")
            .join("jupyter")
            .join("kernels")
            .join(KERNEL_NAME)
            .join("kernel.json");
        write_if_changed(&spec, &text)?;
        Ok(())
    }

    fn write_settings(&self, options: &Options) -> Result<(), Failure> {
        let settings = json!({
            "prefix": self.prefix,
            "bind_url": options.url(),
            "ssl_cert": options.ssl_cert,
            "ssl_key": options.ssl_key,
            "instructor": options.instructor,
            "memory_limit": options.memory,
            "idle_timeout": options.idle_minutes * 60,
            "learner": self.setup.root.join("learner"),
            "notebooks": self.setup.root.join("notebooks"),
        });
        let hub = self.prefix.join("hub");
        write_if_changed(
            &hub.join("settings.json"),
            &serde_json::to_string_pretty(&settings).expect("JSON"),
        )?;
        write_if_changed(&hub.join("jupyterhub_config.py"), HUB_CONFIG)?;
        Ok(())
    }

    fn start(&self, options: &Options) -> Result<(), Failure> {
        let hub = self.prefix.join("hub");
        println!(
            "==> hub: {}/ — the accounts to hand out are in {} (root only)",
            options.url(),
            hub.join("accounts.txt").display()
        );
        if !options.detach {
            return self.script(&["start"], &[]);
        }
        let log = std::fs::File::create(hub.join("jupyterhub.log"))
            .map_err(|e| Failure::new(format!("could not write the hub's log: {e}")))?;
        let err = log
            .try_clone()
            .map_err(|e| Failure::new(format!("could not write the hub's log: {e}")))?;
        Command::new(&self.setup.py.python)
            .arg(&self.script)
            .arg("start")
            .arg(&self.prefix)
            .stdout(log)
            .stderr(err)
            .spawn()
            .map_err(|e| Failure::new(format!("could not start the hub: {e}")))?;
        wait_until_answering(&options.ip, options.port, options.ssl_cert.is_none())?;
        println!(
            "      running in the background; its log: {}; stop it with `cargo xtask hub stop`",
            hub.join("jupyterhub.log").display()
        );
        Ok(())
    }
}

/// Waits until the hub answers its API (plain HTTP) or accepts connections (HTTPS).
fn wait_until_answering(ip: &str, port: u16, plain: bool) -> Result<(), Failure> {
    use std::io::{Read, Write};
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while std::time::Instant::now() < deadline {
        if let Ok(mut stream) = std::net::TcpStream::connect((ip, port)) {
            if !plain {
                return Ok(());
            }
            let mut answer = String::new();
            let asked = stream
                .write_all(b"GET /hub/api/ HTTP/1.0\r\nHost: localhost\r\n\r\n")
                .and_then(|()| stream.read_to_string(&mut answer));
            if asked.is_ok() && answer.starts_with("HTTP/1.1 200") {
                return Ok(());
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    Err(Failure::new(format!(
        "the hub did not answer on {ip}:{port} within 120 s: see its log, jupyterhub.log"
    )))
}

/// Where the hub's kernels build.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Build {
    /// In the participant's home, which starts as links to the prefix's warm build.
    Home,
    /// In the prefix's warm build itself: a container has one participant, who owns it.
    Prefix,
}

/// The hub's kernelspec: evcxr through the launcher, everything from the prefix.
///
/// The cells' libraries find Rust's `libstd` through LD_LIBRARY_PATH: the relative rpath that
/// cargo gives them is one folder off once cargo moves them up from `deps/`, which only works
/// when it climbs past `/` anyway (a deep build folder), as under a participant's home but not
/// in the hub's warm build.
fn hub_kernelspec(
    prefix: &Path,
    torch_lib: &Path,
    host: &str,
    ccache: Option<&Path>,
    build: Build,
) -> String {
    let show = |p: PathBuf| p.display().to_string();
    let mut env = serde_json::Map::new();
    let path = format!(
        "{}:{}:/usr/local/bin:/usr/bin:/bin",
        show(prefix.join("venv").join("bin")),
        show(prefix.join("rust").join("bin"))
    );
    env.insert("PATH".into(), path.into());
    env.insert("LIBTORCH_USE_PYTORCH".into(), "1".into());
    let std_lib = prefix
        .join("rust")
        .join("lib")
        .join("rustlib")
        .join(host)
        .join("lib");
    let libraries = format!("{}:{}", show(torch_lib.to_path_buf()), show(std_lib));
    env.insert("LD_LIBRARY_PATH".into(), libraries.into());
    env.insert("EVCXR_CONFIG_DIR".into(), show(prefix.join("evcxr")).into());
    if build == Build::Home {
        env.insert(
            "DLINTRO_BUILD_SEED".into(),
            show(prefix.join("build")).into(),
        );
    }
    let build_root = match build {
        Build::Home => PARTICIPANT_BUILD.to_string(),
        Build::Prefix => show(prefix.join("build")),
    };
    env.insert("DLINTRO_KERNEL".into(), KERNEL_NAME.into());
    for (key, value) in kernel::compiler_env(ccache) {
        env.insert(key, value.into());
    }
    let spec = json!({
        "argv": [
            show(prefix.join("venv").join("bin").join("python")),
            show(prefix.join("evcxr").join("launch_kernel.py")),
            build_root,
            show(prefix.join("bin").join("evcxr_jupyter")),
            "--control_file",
            "{connection_file}",
        ],
        "display_name": kernel::KERNEL_DISPLAY_NAME,
        "language": "rust",
        "interrupt_mode": kernel::interrupt_mode(),
        "env": env,
        "metadata": { "debugger": false },
    });
    serde_json::to_string_pretty(&spec).expect("a JSON value always serialises") + "\n"
}

/// The crate's sources, summed up: a changed crate means a new copy and a new warm build.
fn crate_digest(root: &Path) -> Result<String, Failure> {
    let mut files = Vec::new();
    let mut stack = vec![root.join("crate")];
    while let Some(folder) = stack.pop() {
        let entries = std::fs::read_dir(&folder)
            .map_err(|e| Failure::new(format!("could not read {}: {e}", folder.display())))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "target") {
                    stack.push(path);
                }
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut sum: u64 = 0xcbf2_9ce4_8422_2325;
    for file in files {
        let bytes = std::fs::read(&file).unwrap_or_default();
        for byte in file.to_string_lossy().bytes().chain(bytes) {
            sum = (sum ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    Ok(format!("{sum:016x}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kernelspec of a hub in /opt/dlintro whose kernels build as `build` says.
    fn spec(build: Build) -> serde_json::Value {
        serde_json::from_str(&hub_kernelspec(
            Path::new("/opt/dlintro"),
            Path::new("/opt/dlintro/venv/lib/python3.11/site-packages/torch/lib"),
            "x86_64-unknown-linux-gnu",
            None,
            build,
        ))
        .unwrap()
    }

    #[test]
    fn the_hubs_kernel_builds_in_the_participants_home_from_the_prefix() {
        let spec = spec(Build::Home);
        assert_eq!(spec["argv"][0], "/opt/dlintro/venv/bin/python");
        assert_eq!(spec["argv"][2], "~/.local/share/dlintro/build");
        assert_eq!(spec["argv"][3], "/opt/dlintro/bin/evcxr_jupyter");
        assert_eq!(spec["env"]["DLINTRO_BUILD_SEED"], "/opt/dlintro/build");
        assert_eq!(spec["interrupt_mode"], kernel::interrupt_mode());
        let path = spec["env"]["PATH"].as_str().unwrap();
        assert!(path.starts_with("/opt/dlintro/venv/bin:/opt/dlintro/rust/bin:"));
        assert!(!path.contains("/root"), "{path}");
        assert_eq!(
            spec["env"]["LD_LIBRARY_PATH"],
            "/opt/dlintro/venv/lib/python3.11/site-packages/torch/lib:\
             /opt/dlintro/rust/lib/rustlib/x86_64-unknown-linux-gnu/lib"
        );
    }

    #[test]
    fn in_a_container_the_kernel_builds_in_the_prefix() {
        let spec = spec(Build::Prefix);
        assert_eq!(spec["argv"][2], "/opt/dlintro/build");
        assert!(spec["env"].get("DLINTRO_BUILD_SEED").is_none());
    }

    #[test]
    fn the_container_image_runs_the_install_that_ci_runs() {
        // The hub test installs with `cargo xtask hub start`, which runs `install`; the
        // image runs `install --container`: the same steps but for the kernelspec's folder.
        let dockerfile = include_str!("container/Dockerfile");
        assert!(
            dockerfile.contains("cargo xtask hub install --prefix /opt/dlintro --container"),
            "{dockerfile}"
        );
        assert!(dockerfile.contains("cargo xtask setup"));
    }

    #[test]
    fn the_crate_digest_changes_with_a_source_file() {
        let root = std::env::temp_dir().join(format!("dlintro-digest-{}", std::process::id()));
        std::fs::create_dir_all(root.join("crate").join("src")).unwrap();
        std::fs::write(root.join("crate").join("src").join("lib.rs"), "a").unwrap();
        let before = crate_digest(&root).unwrap();
        std::fs::write(root.join("crate").join("src").join("lib.rs"), "b").unwrap();
        let after = crate_digest(&root).unwrap();
        std::fs::remove_dir_all(&root).unwrap();
        assert_ne!(before, after);
    }
}
