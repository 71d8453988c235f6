use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: rgrep NEEDLE TEXT...");
        return ExitCode::from(2);
    }
    let needle = args[0].as_bytes();
    let mut found = 0;
    for (i, text) in args[1..].iter().enumerate() {
        let hits = memchr::memmem::find_iter(text.as_bytes(), needle).count();
        if hits > 0 {
            println!("{}: {} ({} hits)", i + 1, text, hits);
            found += 1;
        }
    }
    if found > 0 { ExitCode::SUCCESS } else { ExitCode::from(1) }
}
