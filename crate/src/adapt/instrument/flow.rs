//! What a thread's watch word says as a body runs, followed instruction by instruction,
//! so that a mark is written only where the word would otherwise say the wrong thing.
//!
//! The word must say [`watch::CALLING`] when a call may exhaust the stack (the callee
//! never runs) and something else when a memory access may trap: only those two are
//! told apart once the program is gone (`watch.rs`). Marking both at every call and
//! function entry cost half as long again on a recursive Fibonacci; most marks repeat
//! what the word says already. So a call is marked only when the word may not say
//! CALLING (a call right at the entry of a function that only calls reach does not
//! need one), and an access only when it may: after a call returns, the callee may
//! have left either. Loop headers are always marked (a program running for minutes
//! in a loop must write the word), as are WASI calls and waits (`WAITING` around).
//!
//! A path that writes nothing goes down calls or up returns only, each at most as deep
//! as the stack, so a running program still writes within microseconds.
//!
//! [`watch::CALLING`]: super::watch::CALLING

use super::super::trap_sites::Site;

/// What the word holds as far as the code can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    /// Code no path reaches (after `br`, `return`, …).
    Unreached,
    Calling,
    Running,
    Unknown,
}

impl Word {
    /// What the word holds where two paths meet.
    fn join(self, other: Word) -> Word {
        match (self, other) {
            (Word::Unreached, w) | (w, Word::Unreached) => w,
            (a, b) if a == b => a,
            _ => Word::Unknown,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Function,
    Block,
    If,
    Loop,
}

struct Frame {
    kind: Kind,
    /// At the `if` (where its `else` begins).
    entry: Word,
    /// Of the branches to its end so far.
    branches: Word,
    has_else: bool,
}

/// The word through one body.
pub struct Flow {
    word: Word,
    frames: Vec<Frame>,
}

/// A point of control flow, in the order the body has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Control {
    Block,
    If,
    Loop,
    Else,
    End,
    Br(u32),
    BrIf(u32),
    /// To labels not followed one by one, and never on (`br_table`).
    BrAny,
    /// To labels not followed one by one, or on (`br_on_*`).
    BrAnyOrOn,
    Stop,
    /// A legacy `try`: its catches begin from anywhere in it.
    Try,
    Catch,
    /// Catches go to labels around it from anywhere in it.
    TryTable,
}

impl Flow {
    pub fn new(entry: Word) -> Self {
        let function = Frame {
            kind: Kind::Function,
            entry,
            branches: Word::Unreached,
            has_else: false,
        };
        let mut frames = Vec::with_capacity(8);
        frames.push(function);
        Flow {
            word: entry,
            frames,
        }
    }

    /// Follows `site` (`imports`: how many functions are imported, WASI's). Whether the
    /// pass writes around it (`None`: nothing to write), and then whether the word needs
    /// a mark before it: CALLING before a call, RUNNING before an access.
    #[inline]
    pub fn note(&mut self, site: Site, imports: u32) -> Option<bool> {
        // The most common site by far, and most often with nothing to do: first.
        if site == Site::Access && self.word == Word::Running {
            return None;
        }
        let control = match site {
            Site::Access => return self.need(Word::Running).then_some(true),
            Site::TableChange { .. } => return Some(self.need(Word::Running)),
            // The pass writes WAITING and RUNNING around a WASI call.
            Site::Call { function, tail } if function < imports => {
                self.set(Word::Running);
                if tail {
                    self.control(Control::Stop);
                }
                return Some(false);
            }
            Site::Call { tail, .. } | Site::CallRef { tail } => {
                // A tail call is marked even where the word says CALLING already: it
                // takes no stack, so it may loop for ever, and a running program must
                // write the word.
                let mark = tail || self.need(Word::Calling);
                // The callee may leave the word saying either.
                self.set(Word::Unknown);
                if tail {
                    self.control(Control::Stop);
                }
                return Some(mark);
            }
            Site::CallIndirect { .. } => {
                self.set(Word::Unknown);
                return Some(false);
            }
            Site::AtomicWait { .. } => {
                self.set(Word::Running);
                return Some(false);
            }
            // After its header's mark.
            Site::Loop => {
                self.control(Control::Loop);
                return Some(false);
            }
            Site::RefFunc { .. } | Site::Checked(_) => return Some(false),
            Site::Unreachable | Site::Stop => Control::Stop,
            Site::Block => Control::Block,
            Site::If => Control::If,
            Site::Else => Control::Else,
            Site::End => Control::End,
            Site::Br { depth } => Control::Br(depth),
            Site::BrIf { depth } => Control::BrIf(depth),
            Site::BrTable => Control::BrAny,
            Site::BrOn => Control::BrAnyOrOn,
            Site::Try => Control::Try,
            Site::Catch => Control::Catch,
            Site::TryTable => Control::TryTable,
        };
        self.control(control);
        // `unreachable` is written by the adapter's pass (`traps.rs`), not this one.
        None
    }

    /// Before an instruction that needs the word to say `want` (`Calling` before a
    /// call, `Running` before a memory access): whether to mark it.
    #[inline]
    fn need(&mut self, want: Word) -> bool {
        if self.word == Word::Unreached || self.word == want {
            return false;
        }
        self.word = want;
        true
    }

    /// The word is now `word` (after a mark, or a call that may have left anything).
    fn set(&mut self, word: Word) {
        if self.word != Word::Unreached {
            self.word = word;
        }
    }

    /// Follows control: `Loop` after its header's mark.
    fn control(&mut self, control: Control) {
        let word = self.word;
        match control {
            Control::Block => self.push(Kind::Block, Word::Unreached),
            Control::If => self.push(Kind::If, Word::Unreached),
            Control::Loop => {
                self.push(Kind::Loop, Word::Unreached);
                self.word = Word::Running;
            }
            Control::Try => self.push(Kind::Block, Word::Unknown),
            Control::TryTable => {
                self.branch_all(Word::Unknown);
                self.push(Kind::Block, Word::Unreached);
            }
            Control::Else => {
                if let Some(frame) = self.frames.last_mut() {
                    frame.branches = frame.branches.join(word);
                    frame.has_else = true;
                    self.word = frame.entry;
                }
            }
            Control::Catch => {
                if let Some(frame) = self.frames.last_mut() {
                    frame.branches = frame.branches.join(word);
                }
                self.word = Word::Unknown;
            }
            Control::End => {
                let Some(frame) = self.frames.pop() else {
                    return;
                };
                self.word = match frame.kind {
                    Kind::Function => Word::Unreached,
                    Kind::Loop => word,
                    Kind::Block => word.join(frame.branches),
                    Kind::If if frame.has_else => word.join(frame.branches),
                    Kind::If => word.join(frame.branches).join(frame.entry),
                };
            }
            Control::Br(depth) => {
                self.branch(depth, word);
                self.word = Word::Unreached;
            }
            Control::BrIf(depth) => self.branch(depth, word),
            Control::BrAny => {
                self.branch_all(word);
                self.word = Word::Unreached;
            }
            Control::BrAnyOrOn => self.branch_all(word),
            Control::Stop => self.word = Word::Unreached,
        }
    }

    fn push(&mut self, kind: Kind, branches: Word) {
        self.frames.push(Frame {
            kind,
            entry: self.word,
            branches,
            has_else: false,
        });
    }

    /// A branch to the label `depth` out, with the word `word`.
    fn branch(&mut self, depth: u32, word: Word) {
        let at = (self.frames.len() as u64).checked_sub(1 + u64::from(depth));
        if let Some(frame) = at.and_then(|at| self.frames.get_mut(at as usize)) {
            frame.branches = frame.branches.join(word);
        }
    }

    fn branch_all(&mut self, word: Word) {
        for frame in &mut self.frames {
            frame.branches = frame.branches.join(word);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_right_at_entry_needs_no_mark_but_the_next_does() {
        let mut flow = Flow::new(Word::Calling);
        assert!(!flow.need(Word::Calling));
        flow.set(Word::Unknown);
        assert!(flow.need(Word::Calling));
        assert!(flow.need(Word::Running));
        assert!(!flow.need(Word::Running));
    }

    #[test]
    fn paths_that_meet_keep_only_what_they_agree_on() {
        // (block (br_if 0) <access>) <access>: the branch skips the first access.
        let mut flow = Flow::new(Word::Calling);
        flow.control(Control::Block);
        flow.control(Control::BrIf(0));
        assert!(flow.need(Word::Running));
        flow.control(Control::End);
        assert!(flow.need(Word::Running), "the branch came with Calling");
        // (if <access> else <access> end) <access>: both arms leave Running.
        let mut flow = Flow::new(Word::Unknown);
        flow.control(Control::If);
        assert!(flow.need(Word::Running));
        flow.control(Control::Else);
        assert!(flow.need(Word::Running), "the else begins from the if");
        flow.control(Control::End);
        assert!(!flow.need(Word::Running));
        // An if without else: its end is also reached from the if itself.
        let mut flow = Flow::new(Word::Calling);
        flow.control(Control::If);
        assert!(flow.need(Word::Running));
        flow.control(Control::End);
        assert!(flow.need(Word::Running));
    }

    #[test]
    fn a_loop_header_is_marked_and_branches_back_to_it_change_nothing_after() {
        let mut flow = Flow::new(Word::Unknown);
        flow.control(Control::Loop);
        assert!(!flow.need(Word::Running));
        flow.control(Control::BrIf(0));
        flow.control(Control::End);
        assert!(!flow.need(Word::Running));
    }

    #[test]
    fn catches_and_tables_of_labels_meet_every_label() {
        let mut flow = Flow::new(Word::Running);
        flow.control(Control::Block);
        flow.control(Control::TryTable);
        flow.control(Control::End);
        flow.control(Control::End);
        assert!(flow.need(Word::Running), "a catch may land from a callee");
        let mut flow = Flow::new(Word::Running);
        flow.control(Control::Block);
        flow.control(Control::Block);
        assert!(flow.need(Word::Calling));
        flow.control(Control::BrAny);
        assert!(!flow.need(Word::Running), "nothing after br_table runs");
        flow.control(Control::End);
        assert!(flow.need(Word::Running), "br_table came with Calling");
    }
}
