//! Writing a simple shell-form CMD or ENTRYPOINT in exec form.

use crate::syntax::Instruction;

/// Characters a word of a "simple" shell-form command may hold: nothing
/// the shell would expand, quote, split or redirect.
fn simple_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c)
}

/// Shell keywords and builtins that do not exist as programs (or behave
/// differently as one): a command starting with one stays in shell form.
const SHELL_ONLY: &[&str] = &[
    ".", ":", "alias", "bg", "break", "case", "cd", "command", "continue", "do", "done", "elif",
    "else", "esac", "eval", "exit", "export", "fg", "fi", "for", "function", "getopts", "hash",
    "if", "jobs", "read", "readonly", "return", "select", "set", "shift", "source", "then",
    "times", "trap", "type", "ulimit", "umask", "unalias", "unset", "until", "wait", "while",
];

/// The exec-form words of a simple shell-form command (`./app --port 80`),
/// or why it is not simple. A leading `exec` is dropped.
pub fn exec_words(text: &str) -> Result<Vec<String>, String> {
    let mut words: Vec<&str> = text.split([' ', '\t']).filter(|w| !w.is_empty()).collect();
    if words.first() == Some(&"exec") {
        words.remove(0);
    }
    let Some(first) = words.first() else {
        return Err("it is empty".into());
    };
    if let Some(c) = text
        .chars()
        .find(|c| !simple_char(*c) && *c != ' ' && *c != '\t')
    {
        return Err(format!("it uses shell syntax (`{c}`)"));
    }
    if SHELL_ONLY.contains(first) {
        return Err(format!("`{first}` is a shell builtin"));
    }
    if first.contains('=') {
        return Err("it starts with a variable assignment".into());
    }
    Ok(words.into_iter().map(str::to_string).collect())
}

/// JSON exec form of `words`: `["./app", "--port", "80"]`.
pub fn json_array(words: &[String]) -> String {
    let parts: Vec<String> = words
        .iter()
        .map(|w| serde_json::to_string(w).unwrap_or_default())
        .collect();
    format!("[{}]", parts.join(", "))
}

/// The CMD or ENTRYPOINT words of a shell-form instruction on one line that
/// can be written in exec form; `Err` says why not.
pub fn convertible(ins: &Instruction) -> Result<Vec<String>, String> {
    if !ins.logical.is_contiguous(ins.command.args.clone()) {
        return Err("it spans several lines".into());
    }
    exec_words(ins.args_text())
}
