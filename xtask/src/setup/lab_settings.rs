//! JupyterLab settings for a workshop, written into the environment by the set-up: defaults
//! (`share/jupyter/lab/settings/overrides.json`) that every participant's JupyterLab starts
//! with, and that anyone can still change under Settings.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::base::failure::Failure;
use crate::setup::env::PyEnv;

/// The settings, by plugin: no "get notified about official Jupyter news?" pop-up over the
/// first notebook and no check for JupyterLab updates (both would reach out to the internet,
/// often from a room whose network is busy); slides that scroll when a figure makes them
/// taller than the screen, instead of cutting it off (RISE).
pub fn workshop_settings() -> Value {
    json!({
        "@jupyterlab/apputils-extension:notification": {
            "fetchNews": "false",
            "checkForUpdates": false
        },
        "jupyterlab-rise:plugin": {
            "scroll": true
        }
    })
}

/// Where JupyterLab reads default settings in this environment.
pub fn overrides_path(py: &PyEnv) -> PathBuf {
    py.prefix
        .join("share")
        .join("jupyter")
        .join("lab")
        .join("settings")
        .join("overrides.json")
}

/// `existing` with the workshop's settings put in: every other plugin and key kept.
fn merged(existing: Option<Value>) -> Value {
    let mut all = match existing {
        Some(Value::Object(map)) => Value::Object(map),
        _ => json!({}),
    };
    if let Value::Object(wanted) = workshop_settings() {
        for (plugin, settings) in wanted {
            let entry = &mut all[plugin.as_str()];
            if !entry.is_object() {
                *entry = json!({});
            }
            for (key, value) in settings.as_object().into_iter().flatten() {
                entry[key.as_str()] = value.clone();
            }
        }
    }
    all
}

/// Writes the workshop's settings into `overrides.json`, keeping what else it holds.
/// Returns whether the file changed.
pub fn write(path: &Path) -> Result<bool, Failure> {
    let text = std::fs::read_to_string(path).ok();
    let existing = match &text {
        Some(t) => Some(serde_json::from_str(t).map_err(|e| {
            Failure::new(format!(
                "{} is not valid JSON ({e}); fix or delete it and run the command again",
                path.display()
            ))
        })?),
        None => None,
    };
    let wanted = merged(existing.clone());
    if existing.as_ref() == Some(&wanted) {
        return Ok(false);
    }
    let out = serde_json::to_string_pretty(&wanted).expect("a JSON value always serialises");
    let parent = path.parent().expect("overrides.json lives in a folder");
    std::fs::create_dir_all(parent)
        .and_then(|()| std::fs::write(path, out + "\n"))
        .map_err(|e| Failure::new(format!("could not write {}: {e}", path.display())))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_news_pop_up_is_off_and_other_settings_stay() {
        let existing = json!({
            "@jupyterlab/apputils-extension:notification": { "doNotDisturbMode": true },
            "@jupyterlab/apputils-extension:themes": { "theme": "JupyterLab Dark" }
        });
        let all = merged(Some(existing));
        let notification = &all["@jupyterlab/apputils-extension:notification"];
        // "none" asks with the pop-up; "false" never fetches and never asks.
        assert_eq!(notification["fetchNews"], "false");
        assert_eq!(notification["checkForUpdates"], false);
        assert_eq!(notification["doNotDisturbMode"], true);
        assert_eq!(
            all["@jupyterlab/apputils-extension:themes"]["theme"],
            "JupyterLab Dark"
        );
        assert_eq!(merged(None), workshop_settings());
    }

    #[test]
    fn the_file_is_written_once() {
        let dir = std::env::temp_dir().join(format!("dlintro-lab-settings-{}", std::process::id()));
        let path = dir.join("settings").join("overrides.json");
        assert!(write(&path).unwrap());
        assert!(!write(&path).unwrap());
        let written: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(written, workshop_settings());
        std::fs::write(&path, "{ not json").unwrap();
        let e = write(&path).unwrap_err().to_string();
        assert!(e.contains("is not valid JSON"), "{e}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
