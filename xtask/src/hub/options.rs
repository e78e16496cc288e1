//! The options of `cargo xtask hub`, checked before anything is set up.

use std::path::PathBuf;

use crate::base::failure::Failure;

#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub participants: usize,
    pub names: Vec<String>,
    pub instructor: String,
    pub prefix: PathBuf,
    pub ip: String,
    pub port: u16,
    pub ssl_cert: Option<PathBuf>,
    pub ssl_key: Option<PathBuf>,
    pub insecure_http: bool,
    /// Bytes.
    pub memory: u64,
    pub idle_minutes: u64,
    pub detach: bool,
    pub remove_accounts: bool,
    /// `install --container`: one participant per container (Zero to JupyterHub), whose
    /// kernels build in the prefix's warm build itself.
    pub container: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            participants: 0,
            names: Vec::new(),
            instructor: "instructor".into(),
            prefix: PathBuf::from("/opt/dlintro"),
            ip: "127.0.0.1".into(),
            port: 8000,
            ssl_cert: None,
            ssl_key: None,
            insecure_http: false,
            memory: 2 << 30,
            idle_minutes: 60,
            detach: false,
            remove_accounts: false,
            container: false,
        }
    }
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Options, Failure> {
        let mut options = Options::default();
        let mut rest = args.iter();
        while let Some(arg) = rest.next() {
            let mut value = |what: &str| {
                rest.next()
                    .cloned()
                    .ok_or_else(|| Failure::new(format!("{arg} needs {what}")))
            };
            match arg.as_str() {
                "--participants" => {
                    options.participants = number(arg, &value("a number")?)?;
                }
                "--names" => {
                    options.names = value("names, separated by commas")?
                        .split(',')
                        .map(|n| n.trim().to_string())
                        .filter(|n| !n.is_empty())
                        .collect();
                }
                "--instructor" => options.instructor = value("a name")?,
                "--prefix" => options.prefix = PathBuf::from(value("a folder")?),
                "--ip" => options.ip = value("an address")?,
                "--port" => options.port = number(arg, &value("a port")?)?,
                "--ssl-cert" => options.ssl_cert = Some(PathBuf::from(value("a file")?)),
                "--ssl-key" => options.ssl_key = Some(PathBuf::from(value("a file")?)),
                "--insecure-http" => options.insecure_http = true,
                "--memory" => options.memory = memory(&value("a size such as 2G")?)?,
                "--idle-minutes" => options.idle_minutes = number(arg, &value("minutes")?)?,
                "--detach" => options.detach = true,
                "--remove-accounts" => options.remove_accounts = true,
                "--container" => options.container = true,
                name if !name.starts_with('-') => options.names.push(name.to_string()),
                other => {
                    return Err(Failure::new(format!(
                        "unknown option `{other}` (see `cargo xtask hub --help`)"
                    )))
                }
            }
        }
        options.check()?;
        Ok(options)
    }

    fn check(&self) -> Result<(), Failure> {
        for name in self.accounts().iter().chain([&self.instructor]) {
            let valid = name.len() <= 32
                && name.starts_with(|c: char| c.is_ascii_lowercase())
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !valid {
                return Err(Failure::new(format!(
                    "`{name}` cannot be an account: expected lowercase letters, digits and \
                     `-`, starting with a letter, at most 32 characters"
                )));
            }
        }
        if self.ssl_cert.is_some() != self.ssl_key.is_some() {
            return Err(Failure::new(
                "HTTPS needs both --ssl-cert and --ssl-key".into(),
            ));
        }
        let loopback = self.ip == "localhost" || self.ip.starts_with("127.") || self.ip == "::1";
        if !loopback && self.ssl_cert.is_none() && !self.insecure_http {
            return Err(Failure::new(format!(
                "the hub would send passwords in clear over {}: give it a certificate \
                 (--ssl-cert FILE --ssl-key FILE), or, behind a reverse proxy that serves \
                 HTTPS, say --insecure-http (README, \"Teaching with a hub\")",
                self.ip
            )));
        }
        Ok(())
    }

    /// The hub's address: HTTPS with a certificate, else HTTP.
    pub fn url(&self) -> String {
        let scheme = if self.ssl_cert.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}:{}", self.ip, self.port)
    }

    /// The participants' account names: --names, or participant01 … for --participants.
    pub fn accounts(&self) -> Vec<String> {
        let width = self.participants.to_string().len().max(2);
        let numbered = (1..=self.participants).map(|i| format!("participant{i:0width$}"));
        self.names.iter().cloned().chain(numbered).collect()
    }
}

fn number<T: std::str::FromStr>(option: &str, text: &str) -> Result<T, Failure> {
    text.parse()
        .map_err(|_| Failure::new(format!("{option} expects a whole number, got `{text}`")))
}

/// "2G", "1536M", "2147483648": bytes.
fn memory(text: &str) -> Result<u64, Failure> {
    let (digits, unit) = match text.trim().char_indices().find(|(_, c)| c.is_alphabetic()) {
        Some((at, _)) => text.trim().split_at(at),
        None => (text.trim(), ""),
    };
    let scale: u64 = match unit.to_ascii_uppercase().as_str() {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        _ => 0,
    };
    let amount: u64 = digits.parse().unwrap_or(0);
    if scale == 0 || amount * scale < (256 << 20) {
        return Err(Failure::new(format!(
            "--memory expects a size of at least 256M such as 2G or 1536M, got `{text}`"
        )));
    }
    Ok(amount * scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, Failure> {
        Options::parse(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn numbered_accounts_and_names() {
        let options = parse(&["--participants", "3", "--names", "ada,grace"]).unwrap();
        assert_eq!(
            options.accounts(),
            [
                "ada",
                "grace",
                "participant01",
                "participant02",
                "participant03"
            ]
        );
    }

    #[test]
    fn plain_http_only_on_loopback_unless_said() {
        assert!(parse(&[]).is_ok());
        let refused = parse(&["--ip", "0.0.0.0"]).unwrap_err().to_string();
        assert!(refused.contains("--ssl-cert"), "{refused}");
        assert!(parse(&["--ip", "0.0.0.0", "--insecure-http"]).is_ok());
        assert!(parse(&["--ip", "0.0.0.0", "--ssl-cert", "c", "--ssl-key", "k"]).is_ok());
        assert!(parse(&["--ssl-cert", "c"]).is_err());
    }

    #[test]
    fn memory_sizes() {
        assert_eq!(parse(&["--memory", "2G"]).unwrap().memory, 2 << 30);
        assert_eq!(parse(&["--memory", "1536M"]).unwrap().memory, 1536 << 20);
        let small = parse(&["--memory", "10M"]).unwrap_err().to_string();
        assert!(small.contains("at least 256M"), "{small}");
        assert!(parse(&["--memory", "2X"]).is_err());
    }

    #[test]
    fn account_names_a_system_accepts() {
        assert!(parse(&["--names", "Root;rm"]).is_err());
        assert!(parse(&["--names", "9lives"]).is_err());
        assert!(parse(&["--instructor", "Ada"]).is_err());
        assert!(parse(&["--names", "ada-l"]).is_ok());
    }
}
