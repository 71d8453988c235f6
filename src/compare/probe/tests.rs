use super::*;

#[test]
#[cfg(unix)]
fn one_http_probe_per_port_at_a_time() {
    let d = tempfile::tempdir().unwrap();
    let first = PortLock::take(d.path(), 8080, Duration::ZERO).unwrap();
    // Another compare (here: another open of the same lock file).
    let busy = PortLock::take(d.path(), 8080, Duration::ZERO);
    assert!(
        busy.as_ref()
            .is_err_and(|m| m.contains("another dslim compare") && m.contains(":8080")),
        "{:?}",
        busy.err()
    );
    // Another port is free; the first port is once its lock is dropped.
    assert!(PortLock::take(d.path(), 8081, Duration::ZERO).is_ok());
    drop(first);
    assert!(PortLock::take(d.path(), 8080, Duration::ZERO).is_ok());
}

#[test]
fn words() {
    assert_eq!(split_words("--version").unwrap(), ["--version"]);
    assert_eq!(
        split_words(r#"  -c 'print(1)'  "a \"b\"" c\ d "" "#).unwrap(),
        ["-c", "print(1)", "a \"b\"", "c d", ""]
    );
    assert!(split_words("'open").is_err());
    assert!(split_words("x\\").is_err());
    assert!(Probe::args("  ").is_err());
}

#[test]
fn http_specs() {
    assert_eq!(
        Probe::http("8080").unwrap(),
        Probe::Http {
            port: 8080,
            path: "/".into()
        }
    );
    assert_eq!(
        Probe::http("80/health?x=1").unwrap(),
        Probe::Http {
            port: 80,
            path: "/health?x=1".into()
        }
    );
    for bad in ["", "0", "70000", "x/y", "80/a b"] {
        assert!(Probe::http(bad).is_err(), "{bad}");
    }
}

#[test]
fn probe_commands() {
    let ep = ImageCommand {
        entrypoint: vec!["/app".into()],
        cmd: vec!["serve".into()],
    };
    let v = vec!["--version".to_string()];
    assert_eq!(ep.with_args(&v), ["/app", "--version"]);
    assert_eq!(ep.start(), ["/app", "serve"]);
    let cmd = ImageCommand {
        entrypoint: vec![],
        cmd: vec!["/app".into(), "serve".into()],
    };
    assert_eq!(cmd.with_args(&v), ["/app", "--version"]);
    let sh = ImageCommand {
        entrypoint: vec![],
        cmd: vec!["/bin/sh".into(), "-c".into(), "exec /app".into()],
    };
    assert_eq!(
        sh.with_args(&v),
        ["/bin/sh", "-c", "exec /app \"$@\"", "/bin/sh", "--version"]
    );
    let none = ImageCommand::default();
    assert_eq!(none.with_args(&v), ["--version"]);
    assert!(none.start().is_empty());
}

#[test]
fn image_command_from_inspect() {
    let j = r#"{"OCIv1":{"config":{"Entrypoint":["/a"],"Cmd":["b"]}},"Docker":{"config":{"Cmd":["x"]}}}"#;
    let c = ImageCommand::from_inspect(j).unwrap();
    assert_eq!((c.entrypoint, c.cmd), (vec!["/a".into()], vec!["b".into()]));
    let j = r#"{"OCIv1":{"config":{}}}"#;
    assert_eq!(
        ImageCommand::from_inspect(j).unwrap(),
        ImageCommand::default()
    );
}

#[test]
fn outcomes() {
    let run = |s| Outcome::Running { seconds: s };
    assert!(run(2.0).same(&run(2.5)));
    let ex = |st, out: &str| Outcome::Exited {
        status: st,
        stdout: out.into(),
        stderr: String::new(),
    };
    assert!(ex(0, "v1\n").same(&ex(0, "v1\n")));
    assert!(!ex(0, "v1\n").same(&ex(0, "v2\n")));
    assert!(!ex(0, "").same(&ex(127, "")));
    assert!(!ex(0, "").same(&run(2.0)));
    assert_eq!(
        ex(0, "go1.24 linux\n").summary(),
        "exit 0, stdout \"go1.24 linux\""
    );
}

#[test]
fn responses() {
    let (s, b) = parse_response(b"HTTP/1.1 200 OK\r\nDate: x\r\n\r\nhello").unwrap();
    assert_eq!((s, b.as_str()), (200, "hello"));
    assert_eq!(
        parse_response(b"HTTP/1.0 404 Not Found\n\n").unwrap().0,
        404
    );
    assert!(parse_response(b"garbage").is_err());
    assert!(parse_response(b"SSH-2.0 x\r\n\r\n").is_err());
}

#[test]
fn http_get_reads_a_local_server() {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let t = std::thread::spawn(move || {
        let (mut c, _) = l.accept().unwrap();
        // The whole request, so closing does not reset the connection.
        let mut req = Vec::new();
        let mut byte = [0u8; 1];
        while !req.ends_with(b"\r\n\r\n") && c.read(&mut byte).unwrap() == 1 {
            req.push(byte[0]);
        }
        c.write_all(b"HTTP/1.0 201 Created\r\nX: y\r\n\r\nbody!")
            .unwrap();
        c.shutdown(std::net::Shutdown::Write).unwrap();
        String::from_utf8_lossy(&req).into_owned()
    });
    assert_eq!(http_get(port, "/h?q").unwrap(), (201, "body!".to_string()));
    assert!(t.join().unwrap().starts_with("GET /h?q HTTP/1.0\r\n"));
}
