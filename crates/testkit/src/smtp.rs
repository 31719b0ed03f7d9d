//! An SMTP sink on loopback: a real mail server for the reminder tests, which keeps what
//! it receives and can fail the first deliveries.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// An SMTP sink: accepts every message, except that it answers the first
/// `fail_first` DATA commands with a temporary failure.
pub struct Sink {
    pub port: u16,
    received: Arc<Mutex<Vec<String>>>,
}

fn session(
    stream: TcpStream,
    received: &Mutex<Vec<String>>,
    fails: &AtomicUsize,
) -> std::io::Result<()> {
    let mut w = stream.try_clone()?;
    let mut r = BufReader::new(stream);
    w.write_all(b"220 sink ESMTP\r\n")?;
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end().to_ascii_uppercase();
        if cmd.starts_with("EHLO") || cmd.starts_with("HELO") {
            w.write_all(b"250-sink\r\n250 8BITMIME\r\n")?;
        } else if cmd.starts_with("DATA") {
            w.write_all(b"354 go on\r\n")?;
            let mut data = String::new();
            loop {
                line.clear();
                if r.read_line(&mut line)? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" {
                    break;
                }
                data.push_str(&line);
            }
            if fails.load(Ordering::SeqCst) > 0 {
                fails.fetch_sub(1, Ordering::SeqCst);
                w.write_all(b"451 try again later\r\n")?;
            } else {
                received
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(data);
                w.write_all(b"250 queued\r\n")?;
            }
        } else if cmd.starts_with("QUIT") {
            w.write_all(b"221 bye\r\n")?;
            return Ok(());
        } else {
            w.write_all(b"250 ok\r\n")?;
        }
    }
}

impl Sink {
    /// Listens on a free loopback port.
    pub fn start(fail_first: usize) -> std::io::Result<Sink> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let fails = Arc::new(AtomicUsize::new(fail_first));
        let r = received.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (r, f) = (r.clone(), fails.clone());
                std::thread::spawn(move || {
                    let _ = session(stream, &r, &f);
                });
            }
        });
        Ok(Sink { port, received })
    }
    /// The messages accepted so far (headers and body as sent).
    pub fn messages(&self) -> Vec<String> {
        self.received
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}
