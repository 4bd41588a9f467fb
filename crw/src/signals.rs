//! Ctrl-C, SIGTERM and SIGHUP as a shell expects of a program. The first stops the
//! program (an interrupt frame; its exit frame comes back as usual), and then crw dies by
//! that very signal: a shell only knows a command was interrupted when it died by SIGINT,
//! and only then ends a `while` loop around it and prints its newline after `^C`. A second
//! signal gives up waiting for the program and dies at once.
//!
//! On Windows a console's Ctrl-C (or Ctrl-Break) does the same, and crw then exits with
//! STATUS_CONTROL_C_EXIT (0xC000013A), as a process the console's Ctrl-C killed does.

use std::sync::{Mutex, PoisonError};

pub use imp::{die_if_stopped, watch};

/// The first signal's action once a run is under way: asks the extension to stop the
/// program; an error means the connection is gone.
pub type Interrupt = Box<dyn FnMut() -> std::io::Result<()> + Send>;

static INTERRUPT: Mutex<Option<Interrupt>> = Mutex::new(None);

/// From now on the first signal calls `interrupt` and waits for the program's end.
pub fn on_first(interrupt: Interrupt) {
    *INTERRUPT.lock().unwrap_or_else(PoisonError::into_inner) = Some(interrupt);
}

/// Whether the first signal is stopping a program; if not (none runs yet, or its
/// connection is gone), crw dies at once.
fn interrupted() -> bool {
    let mut interrupt = INTERRUPT.lock().unwrap_or_else(PoisonError::into_inner);
    interrupt
        .as_mut()
        .is_some_and(|interrupt| interrupt().is_ok())
}

#[cfg(unix)]
mod imp {
    use std::sync::OnceLock;

    use nix::sys::signal::{raise, SigSet, Signal};

    /// The signal that stopped the program, once one has.
    static STOPPED_BY: OnceLock<Signal> = OnceLock::new();

    /// SIGINT, SIGTERM and SIGHUP, but for those crw was started ignoring (`nohup`, a
    /// script's background job): a signal held is taken even if ignored, and those must
    /// stay ignored, as whoever started crw meant.
    fn stopping() -> SigSet {
        static STOPPING: OnceLock<SigSet> = OnceLock::new();
        *STOPPING.get_or_init(|| {
            let ignored = ignored_at_start();
            let mut set = SigSet::empty();
            for signal in [Signal::SIGINT, Signal::SIGTERM, Signal::SIGHUP] {
                if ignored & (1 << (signal as u32 - 1)) == 0 {
                    set.add(signal);
                }
            }
            set
        })
    }

    /// The signals ignored when crw started, as Linux tells (`SigIgn`, a mask of signal
    /// N at bit N-1); elsewhere none is known, and all three are taken.
    fn ignored_at_start() -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        status
            .lines()
            .find_map(|line| line.strip_prefix("SigIgn:"))
            .and_then(|mask| u64::from_str_radix(mask.trim(), 16).ok())
            .unwrap_or(0)
    }

    /// Holds these signals, untouched in their disposition (so dying by one needs nothing
    /// restored), for one thread to take with sigwait. Called first in main: threads
    /// inherit the mask, and a signal must reach no other thread.
    pub fn watch() {
        // Cannot fail for a valid set; unheld, a signal would just kill crw at once.
        let _ = stopping().thread_block();
        std::thread::spawn(|| loop {
            let Ok(signal) = stopping().wait() else {
                return;
            };
            if STOPPED_BY.set(signal).is_err() || !super::interrupted() {
                die(signal);
            }
        });
    }

    /// Dies by the signal that stopped the program, if one did; otherwise lets crw exit
    /// with its code.
    pub fn die_if_stopped() {
        if let Some(&signal) = STOPPED_BY.get() {
            die(signal);
        }
        let _ = stopping().thread_unblock();
    }

    /// Raised while held, the signal is delivered the moment it is let through, with its
    /// default action: the process ends as killed by it. (Only if it was ignored when crw
    /// started does it come back here, and crw exits with the code a shell would show.)
    fn die(signal: Signal) -> ! {
        let _ = raise(signal);
        let _ = SigSet::from(signal).thread_unblock();
        std::process::exit(128 + signal as i32)
    }
}

#[cfg(windows)]
mod imp {
    use std::sync::atomic::{AtomicBool, Ordering};

    /// What a console process killed by Ctrl-C or Ctrl-Break exits with; cmd.exe and
    /// PowerShell take it for an interrupted command.
    const STATUS_CONTROL_C_EXIT: u32 = 0xC000_013A;

    static STOPPED: AtomicBool = AtomicBool::new(false);

    /// The console calls the handler on a thread of its own.
    pub fn watch() {
        let installed = ctrlc::set_handler(|| {
            if STOPPED.swap(true, Ordering::SeqCst) || !super::interrupted() {
                die();
            }
        });
        // Without a handler Ctrl-C kills crw, which closes the socket: the extension then
        // stops the program all the same.
        drop(installed);
    }

    pub fn die_if_stopped() {
        if STOPPED.load(Ordering::SeqCst) {
            die();
        }
    }

    fn die() -> ! {
        std::process::exit(STATUS_CONTROL_C_EXIT as i32)
    }
}
