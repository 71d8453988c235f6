//! Java: Maven/Gradle builds; the jar on a JRE image.

use crate::edit::Applicability;

use super::{Facts, Split};

pub(super) fn java(f: &Facts, data: &crate::data::Stages) -> Option<Result<Split, String>> {
    let text = |s: &str| f.runs().any(|i| i.logical.text.contains(s));
    let jar = if text("mvn") && (text("package") || text("install")) {
        "target/*.jar"
    } else if text("gradle") && (text("build") || text("bootJar") || text("jar")) {
        "build/libs/*.jar"
    } else {
        return None;
    };
    let Some(wd) = f.workdir.clone() else {
        return Some(Err("no WORKDIR: the build folder is unknown".into()));
    };
    Some(Ok(Split {
        lang: "Java",
        runtime_image: data.java.runtime.clone(),
        builder_head: Vec::new(),
        builder_tail: Vec::new(),
        runtime_head: vec![format!("COPY --from={{build}} {wd}/{jar} /app/app.jar")],
        runtime_tail: Vec::new(),
        applicability: Applicability::DisplayOnly,
        note: " (adjust CMD to `java -jar /app/app.jar`)".into(),
    }))
}
