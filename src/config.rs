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
    rules: BTreeMap<String, RawRule>,
}

/// A rule's entry: its level, or a table with its level and options
/// (`peering-limit = { level = "warning", max = 800 }`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawRule {
    Level(String),
    Table(toml::Table),
}

/// Rule levels and options: the defaults, overridden by the configuration file.
#[derive(Debug, Clone, Default)]
pub struct Config {
    levels: HashMap<&'static str, Level>,
    /// The rules' options.
    pub options: rules::Options,
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
        let mut options = rules::Options::default();
        for (id, entry) in raw.rules {
            let Some(meta) = rules::find(&id) else {
                let known: Vec<&str> = rules::all().map(|m| m.id).collect();
                return Err(err(format!(
                    "unknown rule \"{id}\" under [rules] (known rules: {})",
                    known.join(", ")
                )));
            };
            let level = match entry {
                RawRule::Level(level) => Some(level),
                RawRule::Table(table) => {
                    let mut level = None;
                    for (key, value) in table {
                        match (meta.id, key.as_str()) {
                            (_, "level") => match value {
                                toml::Value::String(l) => level = Some(l),
                                other => {
                                    return Err(err(format!(
                                        "rule \"{id}\": `level` is a string, not {}",
                                        other.type_str()
                                    )));
                                }
                            },
                            ("peering-limit", "max") => match value {
                                toml::Value::Integer(n) if n >= 1 => {
                                    options.peering_limit_max = n as usize
                                }
                                other => {
                                    return Err(err(format!(
                                        "rule \"{id}\": `max` is a positive integer, not {other}"
                                    )));
                                }
                            },
                            _ => {
                                return Err(err(format!("rule \"{id}\" has no option \"{key}\"")));
                            }
                        }
                    }
                    level
                }
            };
            if let Some(level) = level {
                let level: Level = level
                    .parse()
                    .map_err(|e| err(format!("rule \"{id}\": {e}")))?;
                levels.insert(meta.id, level);
            }
        }
        Ok(Config {
            levels,
            options,
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
    fn options_go_with_the_level() {
        let c = Config::parse(
            "[rules]\npeering-limit = { level = \"warning\", max = 800 }\n",
            Path::new("x.toml"),
        )
        .unwrap();
        assert_eq!(c.level("peering-limit"), Level::Warning);
        assert_eq!(c.options.peering_limit_max, 800);
        let c = Config::parse(
            "[rules]\npeering-limit = { max = 100 }\n",
            Path::new("x.toml"),
        )
        .unwrap();
        assert_eq!(c.level("peering-limit"), Level::Error);
        assert_eq!(c.options.peering_limit_max, 100);
        let e = Config::parse("[rules]\ncross-region = { max = 1 }\n", Path::new("x.toml"))
            .unwrap_err();
        assert!(e.message.contains("has no option \"max\""), "{e}");
        let e = Config::parse(
            "[rules]\npeering-limit = { max = 0 }\n",
            Path::new("x.toml"),
        )
        .unwrap_err();
        assert!(e.message.contains("positive integer"), "{e}");
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
