//! Parse and fix throughput on a small and a large Dockerfile.
//! Whole-corpus throughput: `scripts/bench DIR`.

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

criterion_group!(benches, bench);
criterion_main!(benches);
