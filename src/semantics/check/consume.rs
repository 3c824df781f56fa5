//! Segment B, the consume path (docs/model.md §6.2): a consumer reading a committed log of `n` records,
//! processing them and committing offsets by one of the commit strategies; faults are consumer
//! crashes (a rebalance looks the same to the records: the member's work is lost and another
//! resumes from the committed offset).
//!
//! Sources: commit ordering (`design.html#semantics`: save position then process = at most once,
//! process then save = at least once); Java auto-commit commits the positions returned by the
//! previous poll from inside `poll()` (`ConsumerCoordinator.maybeAutoCommitOffsetsAsync`,
//! `KafkaConsumer` javadoc "you must consume all data returned from each call to poll");
//! librdkafka commits the stored offset from a background timer, and the offset is stored when a
//! message is handed to the application (librdkafka INTRODUCTION.md "Auto offset commit").

use super::search::Model;
use super::trace::Snap;
use crate::semantics::params::{CommitStrategy, ConsumerParams};

#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct State {
    /// Next offset `poll()` returns.
    pub pos: u8,
    /// Group offset (None: nothing committed yet).
    pub committed: Option<u8>,
    /// Offsets polled but not yet processed.
    pub batch: Vec<u8>,
    /// librdkafka's stored offset (or Java's position at the last poll).
    pub stored: u8,
    /// A manual commit is due before processing (commit-before) or after (commit-after).
    pub commit_due: bool,
    pub processed: Vec<u8>,
    pub faults: u8,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Poll { autocommit: bool },
    Process(u8),
    Commit(u8),
    BgCommit(u8),
    Crash,
}

pub struct Consume {
    pub p: ConsumerParams,
    pub records: u8,
}

impl Consume {
    /// Records are handed to other threads: a poll need not wait for processing.
    fn async_processing(&self) -> bool {
        !self.p.sync_processing
    }
}

impl Model for Consume {
    type State = State;
    type Action = Action;

    /// The fault count is trace bookkeeping: a configuration reached again with more faults can
    /// only do less than its first visit (the least-cost search expands it once, at its fewest).
    type Key = State;
    fn key(&self, s: &State) -> State {
        let mut t = s.clone();
        t.faults = 0;
        t
    }

    fn init(&self) -> State {
        // The group already has a committed offset at the first record (the records were written
        // after it joined), so `auto.offset.reset` plays no part (docs/model.md §6.2).
        State {
            pos: 0,
            committed: Some(0),
            batch: vec![],
            stored: 0,
            commit_due: false,
            processed: vec![0; self.records as usize],
            faults: 0,
        }
    }

    fn actions(&self, s: &State, out: &mut Vec<(Action, bool)>) {
        use CommitStrategy::*;
        let strategy = self.p.commit;
        let can_poll = s.batch.is_empty() || self.async_processing();
        if !s.commit_due && can_poll && s.pos < self.records {
            out.push((Action::Poll { autocommit: false }, false));
            if strategy == JavaAutoCommit && s.committed != Some(s.stored) {
                out.push((Action::Poll { autocommit: true }, false));
            }
        }
        // Java's poll loop keeps polling at the end of the log, and an empty poll still auto-commits.
        if strategy == JavaAutoCommit && s.pos == self.records && can_poll && s.committed != Some(s.stored) {
            out.push((Action::Poll { autocommit: true }, false));
        }
        let process_allowed = !(strategy == BeforeProcessing && s.commit_due);
        if let Some(&o) = s.batch.first()
            && process_allowed
        {
            out.push((Action::Process(o), false));
        }
        if s.commit_due {
            out.push((Action::Commit(s.pos), false));
        }
        if matches!(strategy, RdkAutoCommit | RdkStoreAfterProcessing) && s.committed != Some(s.stored) && s.stored > 0
        {
            out.push((Action::BgCommit(s.stored), false));
        }
        out.push((Action::Crash, true));
    }

    fn step(&self, s: &State, a: &Action) -> Option<State> {
        use CommitStrategy::*;
        let mut t = s.clone();
        let strategy = self.p.commit;
        match *a {
            Action::Poll { autocommit } => {
                if autocommit {
                    // Commits the positions returned by the previous poll.
                    t.committed = Some(t.stored);
                }
                if t.pos < self.records {
                    t.batch.push(t.pos);
                    t.pos += 1;
                }
                match strategy {
                    BeforeProcessing => t.commit_due = true,
                    RdkAutoCommit | JavaAutoCommit => t.stored = t.pos,
                    _ => {}
                }
                if t == *s {
                    return None;
                }
            }
            Action::Process(o) => {
                t.batch.retain(|x| *x != o);
                t.processed[o as usize] = t.processed[o as usize].saturating_add(1).min(3);
                match strategy {
                    AfterProcessing if t.batch.is_empty() => t.commit_due = true,
                    RdkStoreAfterProcessing => t.stored = o + 1,
                    // Processing and the offset commit are one transaction.
                    Transactional => t.committed = Some(o + 1),
                    _ => {}
                }
            }
            Action::Commit(o) => {
                t.committed = Some(o);
                t.commit_due = false;
            }
            Action::BgCommit(o) => t.committed = Some(o),
            Action::Crash => {
                t.faults += 1;
                t.batch.clear();
                t.commit_due = false;
                let restart = match t.committed {
                    Some(c) => c,
                    None if self.p.reset_earliest => 0,
                    None => self.records, // auto.offset.reset=latest: skip to the end
                };
                t.pos = restart;
                t.stored = restart;
            }
        }
        Some(t)
    }

    fn always(&self, s: &State) -> [bool; 3] {
        [true, s.processed.iter().all(|p| *p <= 1), true]
    }

    fn at_rest(&self, s: &State) -> [bool; 3] {
        [s.processed.iter().all(|p| *p >= 1), true, true]
    }

    fn delivered(&self, s: &State) -> bool {
        s.processed.iter().all(|p| *p >= 1)
    }
}

pub fn describe(s: &State, a: &Action, post: &State) -> Snap {
    let state = vec![
        ("position".to_string(), post.pos.to_string()),
        ("committed offset".to_string(), post.committed.map_or("none".into(), |c| c.to_string())),
        ("processed".to_string(), format!("{:?}", post.processed)),
    ];
    let (actor, target, action, note) = match a {
        Action::Poll { autocommit: false } => {
            ("Consumer".into(), None, "poll".into(), format!("poll() returns offset {}", s.pos))
        }
        Action::Poll { autocommit: true } => (
            "Consumer".to_string(),
            Some("Group coordinator".to_string()),
            format!("poll + auto-commit {}", s.stored),
            format!("poll() first auto-commits offset {} (the previous poll's position)", s.stored),
        ),
        Action::Process(o) => {
            ("Consumer".into(), None, format!("process {o}"), format!("the application processes offset {o}"))
        }
        Action::Commit(o) => (
            "Consumer".into(),
            Some("Group coordinator".into()),
            format!("commit {o}"),
            format!("commitSync: the group offset becomes {o}"),
        ),
        Action::BgCommit(o) => (
            "Consumer".into(),
            Some("Group coordinator".into()),
            format!("background commit {o}"),
            format!("the auto-commit timer commits the stored offset {o}"),
        ),
        Action::Crash => (
            "Consumer".into(),
            None,
            "crash".into(),
            format!("the consumer dies; a new member resumes from {}", post.pos),
        ),
    };
    Snap { actor, target, action, note, lost: false, state }
}

pub fn explain(path: &[(Option<Action>, State)], prop: usize) -> (String, Option<usize>) {
    let n = path.len() - 1;
    let last = &path[n].1;
    if prop == 0 {
        let o = last.processed.iter().position(|p| *p == 0).unwrap_or(0);
        let commit = path.iter().position(|(_, s)| s.committed.is_some_and(|c| c as usize > o));
        let text = match commit {
            Some(i) => format!(
                "offset {o} was committed at step {i} before it was processed; at step {n} it is never processed → record lost"
            ),
            None => format!("at step {n} offset {o} is never processed → record lost"),
        };
        (text, commit)
    } else {
        let o = last.processed.iter().position(|p| *p > 1).unwrap_or(0);
        let first = path.iter().position(|(_, s)| s.processed[o] >= 1);
        (
            format!("offset {o} was processed at step {} and again at step {n} → processed twice", first.unwrap_or(0)),
            first,
        )
    }
}
