use super::super::{tests::image, Difference, LayerRow};
use super::*;

fn report() -> Report {
    let mut before = image(909_000_000, Some(300_000_000), 3, 41.25);
    before.history = vec![
        LayerRow {
            instruction: String::new(),
            created_by: String::new(),
            size_bytes: 121_400_000,
            empty_layer: false,
        },
        LayerRow {
            instruction: "CMD [\"bash\"]".into(),
            created_by: "/bin/sh -c #(nop) CMD [\"bash\"]".into(),
            size_bytes: 0,
            empty_layer: true,
        },
        LayerRow {
            instruction: format!("RUN apt-get update && {}", "x".repeat(80)),
            created_by: String::new(),
            size_bytes: 787_600_000,
            empty_layer: false,
        },
    ];
    let mut after = image(118_000_000, Some(45_000_000), 2, 30.0);
    after.tag = "localhost/t:after".into();
    let difference = Difference::of(&before, &after);
    Report {
        dockerfile: "Dockerfile".into(),
        context: ".".into(),
        builder: "buildah",
        changed: true,
        applied: vec!["DS001", "DS001"],
        before,
        after,
        difference,
        behaviour: None,
        files: None,
        not_checked: None,
        differs: false,
    }
}

#[test]
fn byte_units() {
    assert_eq!(bytes(0), "0 B");
    assert_eq!(bytes(999), "999 B");
    assert_eq!(bytes(1000), "1.0 kB");
    assert_eq!(bytes(11_776), "11.8 kB");
    assert_eq!(bytes(909_000_000), "909.0 MB");
    assert_eq!(bytes(999_990_000), "1.0 GB");
    assert_eq!(bytes(1_234_000_000), "1.2 GB");
    assert_eq!(signed_bytes(-791_000_000), "-791.0 MB");
    assert_eq!(signed_bytes(50), "+50 B");
    assert_eq!(signed_bytes(0), "0 B");
}

#[test]
fn applied_counts_and_names() {
    assert_eq!(applied(&["DS001", "DS001"]), "DS001 merge-runs ×2");
    assert_eq!(applied(&["DS001", "DS999"]), "DS001 merge-runs, DS999");
}

#[test]
fn summary_table_layout() {
    let s = summary_table(&report());
    let expected = "
              before     after              change
size        909.0 MB  118.0 MB  -791.0 MB (-87.0%)
compressed  300.0 MB   45.0 MB  -255.0 MB (-85.0%)
layers             3         2                  -1
build time    41.2 s    30.0 s             -11.2 s
";
    assert_eq!(strip(&s), &expected[1..]);
}

#[test]
fn summary_without_compressed_sizes() {
    let mut r = report();
    r.after.compressed_bytes = None;
    r.difference = Difference::of(&r.before, &r.after);
    assert!(!strip(&summary_table(&r)).contains("compressed"));
}

#[test]
fn history_table_layout() {
    let s = strip(&history_table("before", &report().before));
    let lines: Vec<&str> = s.lines().collect();
    assert_eq!(lines[0], "before localhost/t:before (removed)");
    assert_eq!(lines[1], "      SIZE  INSTRUCTION");
    assert_eq!(lines[2], "  121.4 MB  (no history: imported layer)");
    assert_eq!(lines[3], "       0 B  CMD [\"bash\"]");
    assert!(lines[4].starts_with("  787.6 MB  RUN apt-get update && xxx"));
    assert!(lines[4].ends_with('…'));
    assert_eq!(lines[4].chars().count(), 2 + 8 + 2 + INSTRUCTION_WIDTH);
}

#[test]
fn text_report_ends_with_the_saving() {
    let s = strip(&text(&report()));
    assert!(s.starts_with(
        "Dockerfile (context ., built with buildah; fixes applied: DS001 merge-runs ×2)\n"
    ));
    assert!(s.ends_with("Saved 791.0 MB (87.0% of 909.0 MB).\n"), "{s}");
}

#[test]
fn json_report_has_everything() {
    let v: serde_json::Value = serde_json::from_str(&json(&report())).unwrap();
    assert_eq!(v["builder"], "buildah");
    assert_eq!(v["applied"], serde_json::json!(["DS001", "DS001"]));
    assert_eq!(v["before"]["size_bytes"], 909_000_000);
    assert_eq!(v["before"]["history"][1]["empty_layer"], true);
    assert_eq!(v["after"]["compressed_bytes"], 45_000_000);
    assert_eq!(v["difference"]["saved_bytes"], 791_000_000);
    assert_eq!(v["difference"]["saved_percent"], 87.02);
    assert_eq!(v["difference"]["layer_count"], -1);
}

#[test]
fn fixed_build_failure_names_the_transforms() {
    let e = Error::FixedFailed {
        builder: "buildah",
        applied: vec!["DS001"],
        message: "buildah build failed (exit status 1)".into(),
        log_tail: "step 3\nerror: boom\n".into(),
        log: Some("/tmp/x.log".into()),
    };
    let s = strip(&error("app/Dockerfile", &e));
    assert!(s.starts_with("app/Dockerfile: error: BUG: the original builds but the FIXED"));
    assert!(s.contains("fixes applied: DS001 merge-runs."), "{s}");
    assert!(s.contains("  | error: boom\n"), "{s}");
    assert!(s.ends_with("  full log: /tmp/x.log\n"), "{s}");
}

/// Text without ANSI styles.
fn strip(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\u{1b}' {
            for d in it.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
