//! The client's settings for dslim: `initializationOptions`, then the
//! `dslim` section a client sends with `workspace/didChangeConfiguration`
//! or answers to `workspace/configuration`.
//!
//! | key                | type            | like                       |
//! |--------------------|-----------------|----------------------------|
//! | `select`           | list of rules   | `--select`                 |
//! | `ignore`           | list of rules   | `--ignore`                 |
//! | `unsafe`           | bool            | `--unsafe`                 |
//! | `configPath`       | path            | `--config` (workspace-relative) |
//! | `workspaceContext` | bool            | the workspace folder as `--context` |
//! | `rulesUrl`         | URL             | where `codeDescription` links |
//!
//! A key that is absent or `null` is not set by the client: the layer
//! below decides (`initializationOptions` below the later settings, then
//! `DSLIM_*`, the configuration file and the defaults, as on the command
//! line). A key with a wrong value is reported and left unset; the other
//! keys still apply. Unknown keys are ignored (clients send other tools'
//! settings too).

use std::path::PathBuf;

use lsp_types::Url;
use serde_json::Value;

use crate::resolver::{self, Overrides};

/// What the client set; `None`: not set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClientSettings {
    pub select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    pub unsafe_fixes: Option<bool>,
    pub config_path: Option<PathBuf>,
    pub workspace_context: Option<bool>,
    pub rules_url: Option<Url>,
}

impl ClientSettings {
    /// Reads settings: the object under `dslim` when there is one (the
    /// shape of `{"dslim": {…}}` editor settings), else the object itself
    /// (the shape of `initializationOptions`). Returns what was set and
    /// one message per rejected key. `None` when `v` holds no object (a
    /// client answering `null`: nothing to change).
    pub fn parse(v: &Value) -> Option<(ClientSettings, Vec<String>)> {
        let section = match v.get("dslim") {
            Some(s @ Value::Object(_)) => s,
            _ => v,
        };
        let obj = section.as_object()?;
        let mut s = ClientSettings::default();
        let mut errors = Vec::new();
        let get = |k: &str| obj.get(k).filter(|v| !v.is_null());
        for (key, slot) in [("select", &mut s.select), ("ignore", &mut s.ignore)] {
            let Some(v) = get(key) else { continue };
            let items: Option<Vec<String>> = v
                .as_array()
                .and_then(|a| a.iter().map(|x| x.as_str().map(str::to_string)).collect());
            match items {
                None => errors.push(format!(
                    "dslim.{key}: expected a list of rule selectors, found {v}"
                )),
                Some(items) => match resolver::clean_selectors(&items, &format!("dslim.{key}")) {
                    Ok(items) => *slot = Some(items),
                    Err(e) => errors.push(e),
                },
            }
        }
        for (key, slot) in [
            ("unsafe", &mut s.unsafe_fixes),
            ("workspaceContext", &mut s.workspace_context),
        ] {
            let Some(v) = get(key) else { continue };
            match v.as_bool() {
                Some(b) => *slot = Some(b),
                None => errors.push(format!("dslim.{key}: expected true or false, found {v}")),
            }
        }
        if let Some(v) = get("configPath") {
            match v.as_str() {
                // An empty path: not set (settings UIs cannot send null).
                Some("") => {}
                Some(p) => s.config_path = Some(PathBuf::from(p)),
                None => errors.push(format!("dslim.configPath: expected a path, found {v}")),
            }
        }
        if let Some(v) = get("rulesUrl") {
            match v.as_str() {
                Some("") => {}
                Some(u) => match Url::parse(u) {
                    Ok(u) => s.rules_url = Some(u),
                    Err(e) => errors.push(format!("dslim.rulesUrl: `{u}` is not a URL ({e})")),
                },
                None => errors.push(format!("dslim.rulesUrl: expected a URL, found {v}")),
            }
        }
        Some((s, errors))
    }

    /// `self` over `lower`: what `self` sets wins, key by key.
    pub fn over(self, lower: &ClientSettings) -> ClientSettings {
        ClientSettings {
            select: self.select.or_else(|| lower.select.clone()),
            ignore: self.ignore.or_else(|| lower.ignore.clone()),
            unsafe_fixes: self.unsafe_fixes.or(lower.unsafe_fixes),
            config_path: self.config_path.or_else(|| lower.config_path.clone()),
            workspace_context: self.workspace_context.or(lower.workspace_context),
            rules_url: self.rules_url.or_else(|| lower.rules_url.clone()),
        }
    }

    /// The command-line layer these settings make (above `DSLIM_*`).
    pub fn overrides(&self) -> Overrides {
        Overrides {
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            unsafe_fixes: self.unsafe_fixes,
            ..Overrides::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_or_flat_and_bad_keys_reported_alone() {
        let (s, e) = ClientSettings::parse(&json!({"dslim": {
            "select": ["DS001", "apt-cleanup"], "unsafe": true,
            "configPath": "ci/dslim.toml", "rulesUrl": "file:///opt/dslim/rules.md",
            "other": 1
        }}))
        .unwrap();
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(
            s.select.as_deref(),
            Some(&["DS001".to_string(), "apt-cleanup".to_string()][..])
        );
        assert_eq!(s.unsafe_fixes, Some(true));
        assert_eq!(s.config_path, Some(PathBuf::from("ci/dslim.toml")));
        assert_eq!(s.rules_url.unwrap().as_str(), "file:///opt/dslim/rules.md");
        // Flat, as initializationOptions; a bad key is reported, the
        // others still apply.
        let (s, e) = ClientSettings::parse(&json!({
            "select": ["DS999"], "ignore": "DS001", "unsafe": "yes",
            "workspaceContext": true, "rulesUrl": "not a url", "configPath": ""
        }))
        .unwrap();
        assert_eq!(s.workspace_context, Some(true));
        assert_eq!(
            (
                s.select,
                s.ignore,
                s.unsafe_fixes,
                s.rules_url,
                s.config_path
            ),
            (None, None, None, None, None)
        );
        assert_eq!(e.len(), 4, "{e:?}");
        assert!(
            e[0].contains("DS999") && e[0].contains("dslim.select"),
            "{e:?}"
        );
        assert!(e[1].starts_with("dslim.ignore:"), "{e:?}");
        assert!(e[2].starts_with("dslim.unsafe:"), "{e:?}");
        assert!(e[3].starts_with("dslim.rulesUrl:"), "{e:?}");
        assert!(ClientSettings::parse(&Value::Null).is_none());
    }

    #[test]
    fn later_settings_win_key_by_key() {
        let init = ClientSettings::parse(&json!({"workspaceContext": true, "unsafe": true}))
            .unwrap()
            .0;
        let later = ClientSettings::parse(&json!({"dslim": {"unsafe": false, "select": ["DS0"]}}))
            .unwrap()
            .0;
        let s = later.over(&init);
        assert_eq!(s.workspace_context, Some(true));
        assert_eq!(s.unsafe_fixes, Some(false));
        let o = s.overrides();
        assert_eq!(o.select, Some(vec!["DS0".to_string()]));
        assert_eq!(o.unsafe_fixes, Some(false));
        assert_eq!(o.ignore, None);
    }
}
