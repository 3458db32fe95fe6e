//! The mutation loop: seeds, mutations, panic capture, time per input, and the summary.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::Once;
use std::time::{Duration, Instant};

/// The shared corpora beside the project.
pub fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

/// Text files under `dir` whose names end with one of `extensions`, at most `limit` bytes each.
pub fn files(dir: &Path, extensions: &[&str], limit: usize) -> Vec<String> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file() && extensions.iter().any(|e| name.ends_with(e)) {
            if let Ok(text) = std::fs::read_to_string(entry.path()) {
                if text.len() <= limit {
                    found.push(text);
                }
            }
        }
    }
    found
}

thread_local! {
    /// Where the last panic of this thread happened and what it said.
    static LAST_PANIC: RefCell<Option<(String, String)>> = const { RefCell::new(None) };
}

/// Record panics instead of printing them (thousands of inputs may panic the same way).
fn quiet_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let location = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            LAST_PANIC.with(|p| *p.borrow_mut() = Some((location, message)));
        }));
    });
}

/// Panics that another change fixes; counted and shown, not failed on.
pub struct Known {
    /// The source file the panic is in.
    pub file: &'static str,
    /// Why it is left here.
    pub why: &'static str,
}

/// What one target's run found.
pub struct Outcome {
    pub executions: u64,
    pub crashes: Vec<(String, String, PathBuf)>,
    pub known: u64,
    pub slow: Vec<(Duration, PathBuf)>,
}

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Fuzz `target` from `seeds` with `dictionary` tokens spliced in; fail on a new crash or slow input.
pub fn fuzz(
    name: &str,
    seeds: Vec<String>,
    dictionary: &[&str],
    known: &[Known],
    target: impl Fn(&str),
) {
    // `FUZZ_REPLAY=NAME:FILE` runs one saved input through target NAME, panics and all.
    if let Ok(replay) = std::env::var("FUZZ_REPLAY") {
        if let Some(file) = replay.strip_prefix(&format!("{name}:")) {
            let input = std::fs::read_to_string(file).expect("the input to replay");
            let started = Instant::now();
            target(&input);
            eprintln!("replayed {file} through {name} in {:?}", started.elapsed());
        }
        return;
    }
    quiet_panics();
    let seconds = setting("FUZZ_SECONDS", 3);
    // Time allowed for one input: FUZZ_SLOW_MS (default 1000) plus as much again per 256 KiB, and
    // twenty times that in a debug build. A linear parser stays far below it.
    let slow_base = setting("FUZZ_SLOW_MS", 1000) * if cfg!(debug_assertions) { 20 } else { 1 };
    let slow_limit =
        |len: usize| Duration::from_millis(slow_base * (1 + len as u64 / (256 * 1024)));
    let seed = setting(
        "FUZZ_SEED",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64),
    );
    let mut seeds = seeds;
    seeds.extend(dictionary.iter().map(|t| t.to_string()));
    seeds.push(String::new());
    let mut rng = fastrand::Rng::with_seed(seed);
    let out_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-findings");
    let save = |input: &str, kind: &str| {
        let _ = std::fs::create_dir_all(&out_dir);
        let hash = input.bytes().fold(0xcbf29ce484222325u64, |h, b| {
            (h ^ b as u64).wrapping_mul(0x100000001b3)
        });
        let path = out_dir.join(format!("{name}-{kind}-{hash:016x}.txt"));
        let _ = std::fs::write(&path, input);
        path
    };
    let mut outcome = Outcome {
        executions: 0,
        crashes: Vec::new(),
        known: 0,
        slow: Vec::new(),
    };
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let watch = Watchdog::start(name, out_dir.clone());
    // Every seed once as it is, then mutations until the deadline.
    let mut next_seed = 0;
    while Instant::now() < deadline {
        let input = if next_seed < seeds.len() {
            next_seed += 1;
            seeds[next_seed - 1].clone()
        } else {
            mutate(&mut rng, &seeds, dictionary)
        };
        let started = Instant::now();
        watch.arm(&input, slow_limit(input.len()) * 3);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| target(&input)));
        watch.disarm();
        let took = started.elapsed();
        outcome.executions += 1;
        if result.is_err() {
            let (location, message) = LAST_PANIC
                .with(|p| p.borrow_mut().take())
                .unwrap_or_default();
            if known.iter().any(|k| location.contains(k.file)) {
                outcome.known += 1;
                continue;
            }
            if outcome.crashes.iter().all(|(l, _, _)| *l != location) {
                let path = save(&input, "crash");
                outcome.crashes.push((location, message, path));
            }
        } else if took > slow_limit(input.len()) && outcome.slow.len() < 5 {
            outcome.slow.push((took, save(&input, "slow")));
        }
    }
    eprintln!(
        "fuzz {name}: {} executions in {seconds} s (seed {seed}), {} seeds, {} new crash sites, {} known, {} slow",
        outcome.executions,
        seeds.len(),
        outcome.crashes.len(),
        outcome.known,
        outcome.slow.len()
    );
    for k in known {
        if outcome.known > 0 {
            eprintln!("  known panics in {}: {}", k.file, k.why);
        }
    }
    let mut problems = String::new();
    for (location, message, path) in &outcome.crashes {
        problems.push_str(&format!(
            "  panic at {location}: {message}\n    input: {}\n",
            path.display()
        ));
    }
    for (took, path) in &outcome.slow {
        problems.push_str(&format!("  took {took:?}: {}\n", path.display()));
    }
    assert!(
        problems.is_empty(),
        "fuzz {name} (seed {seed}):\n{problems}"
    );
}

/// One input made from the seeds: a few byte-level and token-level changes, or a splice of two seeds.
fn mutate(rng: &mut fastrand::Rng, seeds: &[String], dictionary: &[&str]) -> String {
    let mut bytes = seeds[rng.usize(..seeds.len())].clone().into_bytes();
    for _ in 0..rng.usize(1..=8) {
        let at = rng.usize(..=bytes.len());
        match rng.u8(..8) {
            0 if !bytes.is_empty() => {
                let i = rng.usize(..bytes.len());
                bytes[i] ^= 1 << rng.u8(..8);
            }
            1 => bytes.insert(at, rng.u8(..)),
            2 if !bytes.is_empty() => {
                let end = (at + rng.usize(..64)).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            3 if !bytes.is_empty() => {
                // Repeat a slice: deep nesting, long lines, many findings.
                let start = rng.usize(..bytes.len());
                let end = (start + rng.usize(1..32)).min(bytes.len());
                let piece = bytes[start..end].to_vec();
                for _ in 0..rng.usize(1..200) {
                    bytes.splice(at..at, piece.iter().copied());
                }
            }
            4 => {
                let other = seeds[rng.usize(..seeds.len())].as_bytes();
                let from = rng.usize(..=other.len());
                let to = (from + rng.usize(..512)).min(other.len());
                bytes.splice(at..at, other[from..to].iter().copied());
            }
            5 => bytes.truncate(at),
            _ if !dictionary.is_empty() => {
                let token = dictionary[rng.usize(..dictionary.len())].as_bytes();
                bytes.splice(at..at, token.iter().copied());
            }
            _ => bytes.insert(at, b"\n\t \"'\\{}[]<>`$#:-*&|!%@()"[rng.usize(..26)]),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Ends the whole test process when one input runs far past its time (a hang cannot be unwound):
/// the input is saved first and named in the message.
struct Watchdog {
    current: std::sync::Arc<std::sync::Mutex<Option<(Instant, Duration, String)>>>,
}

impl Watchdog {
    fn start(name: &str, out_dir: PathBuf) -> Watchdog {
        let current: std::sync::Arc<std::sync::Mutex<Option<(Instant, Duration, String)>>> =
            Default::default();
        let shared = current.clone();
        let name = name.to_string();
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(200));
            let guard = shared.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((started, limit, input)) = guard.as_ref() {
                if started.elapsed() > *limit {
                    let _ = std::fs::create_dir_all(&out_dir);
                    let path = out_dir.join(format!("{name}-hang.txt"));
                    let _ = std::fs::write(&path, input);
                    eprintln!(
                        "fuzz {name}: one input ran over {limit:?}; saved as {}",
                        path.display()
                    );
                    std::process::exit(1);
                }
            }
            if std::sync::Arc::strong_count(&shared) == 1 {
                return;
            }
        });
        Watchdog { current }
    }

    fn arm(&self, input: &str, limit: Duration) {
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((Instant::now(), limit, input.to_string()));
    }

    fn disarm(&self) {
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}
