//! Parse and fix throughput on a small and a large Dockerfile, and
//! `check`/`fix`/`fmt` on 1, 2, 4 and 8 MB generated files (issue 11 item
//! 10): one-line RUNs, one long continuation line, many stages. Linear
//! time shows as each size taking about twice the one before
//! (`scaling/*`; criterion's throughput column stays flat). With
//! `DSLIM_CORPUS=DIR`, `corpus/check` checks every file under DIR in one
//! thread (`scripts/bench DIR` measures it with the CLI, files in
//! parallel), and `corpus/slowest` times the file of DIR that takes
//! longest to check the way `dslim check` does (parse, findings, the fix
//! counts of its summary), without the process start (issue 15's
//! "slowest single file ≤ 2 ms").

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use dslim::pipeline::{self, Settings};
use dslim::syntax::Document;

const SMALL: &str = "FROM debian:bookworm\n\
RUN apt-get update\n\
RUN apt-get install -y curl ca-certificates\n\
COPY . /app\n\
WORKDIR /app\n\
CMD [\"./run\"]\n";

fn large() -> String {
    let mut s = String::from("# syntax=docker/dockerfile:1\nARG BASE=debian\n");
    for stage in 0..20 {
        s.push_str(&format!("FROM ${{BASE}} AS s{stage}\n"));
        for i in 0..10 {
            s.push_str(&format!(
                "# step {i}\nRUN set -eux; \\\n    apt-get update; \\\n    apt-get install -y pkg{i} \\\n        other{i}; \\\n    cd /tmp && make -j2 target{i}\n"
            ));
            s.push_str(&format!("RUN echo {i} >> /log\n"));
        }
        s.push_str("COPY --from=s0 /x /y\nENV A=1 B=\"2 3\"\n");
    }
    s
}

/// About `bytes` of one-line RUNs (apt, pip, echo in turn) in one stage.
fn one_line_runs(bytes: usize) -> String {
    let mut s = String::from("FROM debian:bookworm\n");
    let mut i = 0;
    while s.len() < bytes {
        s.push_str(&match i % 3 {
            0 => format!("RUN apt-get install -y pkg{i}\n"),
            1 => format!("RUN pip install p{i}\n"),
            _ => format!("RUN echo {i} > /f{i}\n"),
        });
        i += 1;
    }
    s
}

/// One RUN of about `bytes`: a package list continued over many lines.
fn long_continuation(bytes: usize) -> String {
    let mut s = String::from("FROM debian:bookworm\nRUN apt-get update && apt-get install -y \\\n");
    let mut i = 0;
    while s.len() < bytes {
        s.push_str(&format!("    pkg{i} \\\n"));
        i += 1;
    }
    s.push_str("    last\n");
    s
}

/// About `bytes` of small stages, each copying from the one before.
fn many_stages(bytes: usize) -> String {
    let mut s = String::from("FROM debian:bookworm AS s0\nRUN make\n");
    let mut i = 1;
    while s.len() < bytes {
        s.push_str(&format!(
            "FROM debian:bookworm AS s{i}\nRUN make -C /src{i}\nCOPY --from=s{} /out /in{i}\n",
            i - 1
        ));
        i += 1;
    }
    s
}

/// `check`, `fix` and `fmt` on 1 MB and 8 MB of each shape.
fn scaling(c: &mut Criterion) {
    let settings = Settings::default();
    let fmt = dslim::config::FormatOptions::default();
    let mut g = c.benchmark_group("scaling");
    g.sample_size(10);
    type Shape = fn(usize) -> String;
    let shapes: [(&str, Shape); 3] = [
        ("runs", one_line_runs),
        ("continuation", long_continuation),
        ("stages", many_stages),
    ];
    for (shape, make) in shapes {
        for mb in [1, 2, 4, 8] {
            let src = make(mb * 1_000_000);
            g.throughput(Throughput::Bytes(src.len() as u64));
            g.bench_function(format!("{shape}/{mb}MB/check"), |b| {
                b.iter_batched(
                    || Document::parse(&src).unwrap(),
                    |d| pipeline::check(&d, &settings).unwrap(),
                    BatchSize::LargeInput,
                )
            });
            // What `dslim fix` runs: the fix and its `--unsafe` count.
            g.bench_function(format!("{shape}/{mb}MB/fix"), |b| {
                b.iter(|| pipeline::fix_and_counts(src.as_str().into(), &settings).unwrap())
            });
            g.bench_function(format!("{shape}/{mb}MB/fmt"), |b| {
                b.iter(|| dslim::format::format(&src, &fmt).unwrap())
            });
        }
    }
    g.finish();
}

fn bench(c: &mut Criterion) {
    let big = large();
    let settings = Settings::default();
    for (name, src) in [("small", SMALL.to_string()), ("large", big)] {
        let mut g = c.benchmark_group(name);
        g.throughput(Throughput::Bytes(src.len() as u64));
        g.bench_function("parse", |b| b.iter(|| Document::parse(&src).unwrap()));
        g.bench_function("check", |b| {
            b.iter_batched(
                || Document::parse(&src).unwrap(),
                |d| pipeline::check(&d, &settings).unwrap(),
                BatchSize::SmallInput,
            )
        });
        g.bench_function("fix", |b| {
            b.iter(|| pipeline::fix(&src, &settings).unwrap())
        });
        g.finish();
    }
}

/// `check` over every file of `$DSLIM_CORPUS`, when it is set.
fn corpus(c: &mut Criterion) {
    let Some(dir) = std::env::var_os("DSLIM_CORPUS") else {
        return;
    };
    let mut stack = vec![std::path::PathBuf::from(dir)];
    let mut docs = Vec::new();
    let mut srcs = Vec::new();
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(src) = std::fs::read_to_string(&p) {
                if let Ok(doc) = pipeline::parse(&src) {
                    docs.push(doc);
                    srcs.push(src);
                }
            }
        }
    }
    let settings = Settings::default();
    // The slowest file, by the best of three timed runs of each (one run
    // picked whichever file a scheduler hiccup happened to hit).
    let slowest = srcs
        .iter()
        .max_by_key(|src| {
            (0..3)
                .map(|_| {
                    let t = std::time::Instant::now();
                    check_like_cli(src, &settings);
                    t.elapsed()
                })
                .min()
        })
        .cloned();
    let mut g = c.benchmark_group("corpus");
    g.sample_size(10);
    if let Some(src) = slowest {
        g.bench_function(format!("slowest/{}bytes", src.len()), |b| {
            b.iter(|| check_like_cli(&src, &settings))
        });
    }
    g.bench_function(format!("check/{}files", docs.len()), |b| {
        b.iter(|| {
            for d in &docs {
                let _ = pipeline::check(d, &settings);
            }
        })
    });
    g.finish();
}

/// What `dslim check` does for one file: parse, findings, and the fix
/// counts of the summary when a finding has a fix.
fn check_like_cli(src: &str, settings: &Settings) {
    let memo = dslim::model::ScriptMemo::new();
    let Ok(doc) = pipeline::parse(src) else {
        return;
    };
    let Ok(report) = pipeline::check_report_with(&doc, None, settings, memo.clone()) else {
        return;
    };
    if report
        .findings
        .iter()
        .any(|f| f.fix.as_ref().is_some_and(|x| !x.is_empty()))
    {
        let _ = pipeline::fix_counts_after(
            pipeline::Source::new(src, None),
            settings,
            &report.findings,
            memo,
        );
    }
}

criterion_group!(benches, bench, scaling, corpus);
criterion_main!(benches);
