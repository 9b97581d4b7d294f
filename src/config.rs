//! Configuration: `.peerlint.toml`, the level of each rule.
//!
//! ```toml
//! [rules]
//! cross-region = "off"        # off | note | warning | error
//! classic-gateway-transit = "warning"
//! ```
//!
//! Found in the current folder or the nearest parent folder that has one, or given with
//! `--config`. Unknown keys and unknown rule ids are errors, so that a typo never
//! silently leaves a rule on.

use crate::rules::{self, Level};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The name of the configuration file.
pub const FILE_NAME: &str = ".peerlint.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    rules: BTreeMap<String, String>,
}

/// Rule levels: the defaults, overridden by the configuration file.
#[derive(Debug, Clone, Default)]
pub struct Config {
    levels: HashMap<&'static str, Level>,
    /// The file this came from, if any.
    pub path: Option<PathBuf>,
}

/// A configuration file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ConfigError {
    pub path: String,
    pub message: String,
}

impl Config {
    /// Parses the text of a configuration file.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let err = |message: String| ConfigError {
            path: path.display().to_string(),
            message,
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| err(e.message().to_string()))?;
        let mut levels = HashMap::new();
        for (id, level) in raw.rules {
            let Some(meta) = rules::find(&id) else {
                let known: Vec<&str> = rules::all().map(|m| m.id).collect();
                return Err(err(format!(
                    "unknown rule \"{id}\" under [rules] (known rules: {})",
                    known.join(", ")
                )));
            };
            let level: Level = level
                .parse()
                .map_err(|e| err(format!("rule \"{id}\": {e}")))?;
            levels.insert(meta.id, level);
        }
        Ok(Config {
            levels,
            path: Some(path.to_path_buf()),
        })
    }

    /// Reads a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Config::parse(&text, path)
    }

    /// The configuration for a run from `dir`: the nearest `.peerlint.toml` in `dir` or
    /// its parents, or the defaults.
    pub fn discover(dir: &Path) -> Result<Config, ConfigError> {
        for d in dir.ancestors() {
            let candidate = d.join(FILE_NAME);
            if candidate.is_file() {
                return Config::load(&candidate);
            }
        }
        Ok(Config::default())
    }

    /// The level a rule runs at.
    pub fn level(&self, id: &str) -> Level {
        match self.levels.get(id) {
            Some(level) => *level,
            None => rules::find(id).map_or(Level::Error, |m| m.default_level),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_override_defaults() {
        let c = Config::parse("[rules]\ncross-region = \"off\"\n", Path::new("x.toml")).unwrap();
        assert_eq!(c.level("cross-region"), Level::Off);
        assert_eq!(c.level("address-overlap"), Level::Error);
    }

    #[test]
    fn typos_are_errors() {
        let e =
            Config::parse("[rules]\ncross-regoin = \"off\"\n", Path::new("x.toml")).unwrap_err();
        assert!(e.message.contains("unknown rule \"cross-regoin\""), "{e}");
        let e = Config::parse("[rules]\ncross-region = \"of\"\n", Path::new("x.toml")).unwrap_err();
        assert!(e.message.contains("unknown level"), "{e}");
        let e = Config::parse("[rule]\n", Path::new("x.toml")).unwrap_err();
        assert!(e.message.contains("unknown field"), "{e}");
    }
}
