//! `dslim rules`.

use super::args::{Format, RulesArgs};
use super::{ExitStatus, Term};
use crate::output::{json, text};
use crate::transforms;

pub fn run(a: &RulesArgs, term: &mut Term) -> ExitStatus {
    match a.format {
        Format::Text => term.out(&text::rules_table(transforms::ALL)),
        Format::Json => term.out_raw(json::rules(transforms::ALL).as_bytes()),
    }
    ExitStatus::Success
}
