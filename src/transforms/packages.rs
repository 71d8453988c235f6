//! Package knowledge read from the tables of `transforms/package-managers.toml`
//! over the model's calls: which language a manager's packages are for
//! (`ecosystem`), and whether a call installs a project's own dependencies
//! from its manifest (`[<manager>.project]`). DS103 (`distroless_final`),
//! DS201 (`multi_stage::node`) and DS202 (`deps_first`) read it, so the three
//! agree on what `npm ci`, `yarn`, `pnpm install` and `pip install -r` are.

use crate::data::{Data, PackageManager};
use crate::model::calls::PmCall;
use crate::model::Model;
use crate::shell::Script;

/// One call of a manager that has an `ecosystem`.
#[derive(Debug, Clone)]
pub struct EcosystemCall<'a> {
    /// The manager's table name (`npm`).
    pub manager: &'a str,
    pub table: &'a PackageManager,
    pub call: PmCall,
}

impl EcosystemCall<'_> {
    /// The manager's `ecosystem` (`node`).
    pub fn ecosystem(&self) -> &str {
        self.table.ecosystem.as_deref().unwrap_or_default()
    }
}

/// The calls in the RUN at instruction `i` of every manager whose
/// `ecosystem` is `ecosystem` (`None`: any manager with one), in text
/// order.
pub fn ecosystem_calls<'a>(
    model: &Model,
    data: &'a Data,
    i: usize,
    ecosystem: Option<&str>,
) -> Vec<EcosystemCall<'a>> {
    let mut out = Vec::new();
    for (name, pm) in &data.package_managers {
        let Some(eco) = pm.ecosystem.as_deref() else {
            continue;
        };
        if ecosystem.is_some_and(|e| e != eco) {
            continue;
        }
        for call in model.calls(i, name, pm).iter() {
            out.push(EcosystemCall {
                manager: name,
                table: pm,
                call: call.clone(),
            });
        }
    }
    out.sort_by_key(|c| c.call.command);
    out
}

/// Whether `call` installs a project's dependencies from its manifest: a
/// `project.install` subcommand (or the bare command, for a manager with
/// `bare-install`) followed by literal options only, none of them one that
/// takes a value (`npm ci --prefix app` reads another folder's manifest).
/// A manager with `project.file-options` (`pip install -r FILE`) needs one
/// of them instead; [`file_words`] gives the words to read it from.
pub fn installs_project(script: &Script, call: &PmCall, pm: &PackageManager) -> bool {
    let Some(project) = &pm.project else {
        return false;
    };
    let words = &script.commands[call.command].words;
    let after = match (&call.sub, call.sub_word) {
        (Some(sub), Some(w)) if project.install.iter().any(|s| s == sub) => &words[w + 1..],
        (None, _) if pm.bare_install => &words[call.name + 1..],
        _ => return false,
    };
    if !project.file_options.is_empty() {
        return file_words(script, call).is_some_and(|w| {
            w.iter().any(|w| {
                project.file_options.iter().any(|o| {
                    *w == o
                        || w.strip_prefix(o.as_str()).is_some_and(|r| {
                            r.starts_with('=') || (!o.starts_with("--") && !r.is_empty())
                        })
                })
            })
        });
    }
    after.iter().all(|w| {
        w.literal
            .as_deref()
            .is_some_and(|l| l.starts_with('-') && !pm.value_options.iter().any(|o| o == l))
    })
}

/// The literal words after the call's subcommand; `None` when one is not
/// literal.
pub fn file_words<'s>(script: &'s Script, call: &PmCall) -> Option<Vec<&'s str>> {
    let words = &script.commands[call.command].words;
    let from = call.sub_word.map_or(call.name + 1, |w| w + 1);
    words[from..].iter().map(|w| w.literal.as_deref()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Document;

    /// The calls of one RUN that install a project, by manager.
    fn project_installs(run: &str) -> Vec<String> {
        let doc = Document::parse(&format!("FROM node\nRUN {run}\n")).unwrap();
        let model = Model::new(&doc);
        let data = crate::data::builtin();
        let script = model.script(1).unwrap();
        ecosystem_calls(&model, data, 1, None)
            .into_iter()
            .filter(|c| installs_project(script, &c.call, c.table))
            .map(|c| c.manager.to_string())
            .collect()
    }

    #[test]
    fn project_installs_come_from_the_tables() {
        for (run, want) in [
            ("npm ci", "npm"),
            ("npm install --omit=dev", "npm"),
            ("sudo npm i", "npm"),
            ("NODE_ENV=production npm ci", "npm"),
            ("npm --loglevel warn ci", "npm"),
            ("yarn", "yarn"),
            ("yarn --frozen-lockfile", "yarn"),
            ("yarn install", "yarn"),
            ("pnpm install --frozen-lockfile", "pnpm"),
            ("pip install -r requirements.txt", "pip"),
            ("python3 -m pip install --requirement=req.txt", "pip"),
            ("pip3.11 install -rreq.txt", "pip"),
        ] {
            assert_eq!(project_installs(run), [want], "{run}");
        }
        for run in [
            "npm install express",
            "npm ci --prefix app",
            "npm run build",
            "yarn add left-pad",
            "yarn --cwd app",
            "pnpm add x",
            "pip install flask",
            "pip install .",
            "uv pip install -r req.txt",
            "npm ci $FLAGS",
            "apt-get install -y nodejs",
        ] {
            assert!(project_installs(run).is_empty(), "{run}");
        }
    }

    #[test]
    fn ecosystems_come_from_the_tables() {
        let doc = Document::parse(
            "FROM node\nRUN npm ci && pip install x && uv sync && apt-get install -y y\n",
        )
        .unwrap();
        let model = Model::new(&doc);
        let data = crate::data::builtin();
        let names = |eco| -> Vec<&str> {
            ecosystem_calls(&model, data, 1, eco)
                .iter()
                .map(|c| c.manager)
                .collect()
        };
        assert_eq!(names(Some("node")), ["npm"]);
        assert_eq!(names(Some("python")), ["pip", "uv"]);
        assert_eq!(names(None), ["npm", "pip", "uv"]);
        // An ONBUILD RUN's calls too; asked twice, the same (memoised) calls.
        let doc = Document::parse("FROM node\nONBUILD RUN yarn install\nCMD x\n").unwrap();
        let model = Model::new(&doc);
        let first = ecosystem_calls(&model, data, 1, Some("node"));
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].manager, "yarn");
        assert_eq!(first[0].call.sub.as_deref(), Some("install"));
        let again = ecosystem_calls(&model, data, 1, Some("node"));
        assert_eq!(again[0].call.command, first[0].call.command);
        assert!(ecosystem_calls(&model, data, 2, None).is_empty());
    }
}
