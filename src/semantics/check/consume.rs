//! Segment B, the consume path (docs/model.md §6.2): a consumer reading a committed log of `n` records,
//! processing them and committing offsets by one of the commit strategies. Faults: the consumer
//! crashes (a successor resumes from the committed offset), or it loses its partition in a
//! rebalance while it still holds polled records and a pending commit: a new owner resumes from the
//! committed offset and the old member, now stale, finishes what it holds. Its commit is rejected
//! under `subscribe()` and accepted under `assign()`.
//!
//! Sources: commit ordering (`design.html#semantics`: save position then process = at most once,
//! process then save = at least once); Java auto-commit commits the positions returned by the
//! previous poll from inside `poll()` (`ConsumerCoordinator.maybeAutoCommitOffsetsAsync`,
//! `KafkaConsumer` javadoc "you must consume all data returned from each call to poll");
//! librdkafka commits the stored offset from a background timer, and the offset is stored when a
//! message is handed to the application (librdkafka INTRODUCTION.md "Auto offset commit").
//! Rebalance: a member that does not call `poll()` within `max.poll.interval.ms` is removed from
//! the group (KIP-62) while its process keeps running. Its commit then fails: the client fails it
//! itself once it knows it is out of the group, and otherwise the coordinator answers
//! ILLEGAL_GENERATION or UNKNOWN_MEMBER_ID, which the Java client raises as a
//! `CommitFailedException` from `commitSync` and hands to the `commitAsync` callback
//! (clients/src/main/java/org/apache/kafka/clients/consumer/internals/ConsumerCoordinator.java at
//! tag 3.9.0: `sendOffsetCommitRequest` and `OffsetCommitResponseHandler.handle`). A consumer with
//! manual `assign()` has no generation: the same `sendOffsetCommitRequest` sends
//! `Generation.NO_GENERATION` when the partitions are not auto-assigned, which the coordinator
//! accepts from any process, so the last commit wins.

use super::search::Model;
use super::trace::Snap;
use crate::semantics::params::{CommitStrategy, ConsumerParams, Membership};

/// One consumer process's view of the partition.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Member {
    /// Next offset `poll()` returns.
    pub pos: u8,
    /// Offsets polled but not yet processed.
    pub batch: Vec<u8>,
    /// librdkafka's stored offset (or Java's position at the last poll).
    pub stored: u8,
    /// A manual commit is due before processing (commit-before) or after (commit-after).
    pub commit_due: bool,
    /// Its lifeline in traces (bookkeeping: not part of the search key).
    pub id: u8,
}

impl Member {
    fn fresh(pos: u8, id: u8) -> Member {
        Member { pos, batch: vec![], stored: pos, commit_due: false, id }
    }
}

/// A member that lost the partition in a rebalance and still runs: it finishes the records it had
/// polled and the commits of that iteration of its loop, and polls nothing more (a model bound:
/// under `subscribe()` it owns nothing to poll; an `assign()` process that keeps polling the
/// partition it lost is not modelled).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Stale {
    pub m: Member,
    /// The last offset its auto-commit (Java's next `poll()`, librdkafka's timer) sent, so that each
    /// stored offset is sent once.
    pub sent: Option<u8>,
}

#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct State {
    /// The member that owns the partition.
    pub owner: Member,
    /// At most one stale member at a time (a model bound: a rebalance needs none pending).
    pub stale: Option<Stale>,
    /// Group offset (None: nothing committed yet).
    pub committed: Option<u8>,
    pub processed: Vec<u8>,
    /// With `Membership::Unknown`: the membership the first rebalance chose, kept for the rest of
    /// the run (both are explored). Otherwise `None`: the parameters say.
    pub chosen: Option<Membership>,
    pub faults: u8,
    /// Lifelines handed out so far (bookkeeping).
    pub members: u8,
}

/// How a stale member's commit is made, which decides what a rejection does to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    /// `commitSync`: a rejection throws `CommitFailedException` out of the loop, so the member
    /// processes nothing more.
    Manual,
    /// The auto-commit inside Java's next `poll()`, or librdkafka's background timer: a rejection
    /// is logged, and records already handed to the application are still processed.
    Auto,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Poll {
        autocommit: bool,
    },
    Process(u8),
    Commit(u8),
    BgCommit(u8),
    Crash,
    /// The owner loses the partition with work in hand; a new member resumes from the committed
    /// offset. Carries the membership in force (chosen here when the snippet did not say).
    Rebalance(Membership),
    /// The stale member processes a record it had polled.
    StaleProcess(u8),
    /// The stale member commits `offset`; `accepted` under `assign()`, rejected under `subscribe()`.
    StaleCommit {
        offset: u8,
        via: Via,
        accepted: bool,
    },
    /// Transactional: the stale member processes `record` and commits `record + 1` in one transaction,
    /// which commits under `assign()` and is rejected (so aborted) under `subscribe()` (KIP-447's
    /// group metadata carries the generation).
    StaleTxn {
        record: u8,
        accepted: bool,
    },
}

pub struct Consume {
    pub p: ConsumerParams,
    pub records: u8,
    /// Offer the rebalance fault (`false`: the earlier model, in which a crash was the only fault;
    /// kept to show what the rebalance adds).
    pub rebalances: bool,
}

impl Consume {
    /// Records are handed to other threads: a poll need not wait for processing.
    fn async_processing(&self) -> bool {
        !self.p.sync_processing
    }

    fn auto_commits(&self) -> bool {
        use CommitStrategy::*;
        matches!(self.p.commit, JavaAutoCommit | RdkAutoCommit | RdkStoreAfterProcessing)
    }

    /// The membership in force in `s`, if decided.
    fn mode(&self, s: &State) -> Option<Membership> {
        match self.p.membership {
            Membership::Unknown => s.chosen,
            m => Some(m),
        }
    }

    /// What a member `m` would still do if it lost the partition now; without anything, a
    /// rebalance is indistinguishable from a crash and is not offered separately.
    fn has_work(&self, m: &Member, committed: Option<u8>) -> bool {
        !m.batch.is_empty() || m.commit_due || (self.auto_commits() && m.stored > 0 && committed != Some(m.stored))
    }

    /// The stale member's enabled actions (all healing: it runs on its own).
    fn stale_actions(&self, s: &State, z: &Stale, out: &mut Vec<(Action, bool)>) {
        use CommitStrategy::*;
        let accepted = self.mode(s) == Some(Membership::Assign);
        let strategy = self.p.commit;
        if let Some(&o) = z.m.batch.first()
            && !(strategy == BeforeProcessing && z.m.commit_due)
        {
            out.push((
                if strategy == Transactional {
                    Action::StaleTxn { record: o, accepted }
                } else {
                    Action::StaleProcess(o)
                },
                false,
            ));
        }
        if z.m.commit_due {
            out.push((Action::StaleCommit { offset: z.m.pos, via: Via::Manual, accepted }, false));
        }
        let auto_due = match strategy {
            // Java commits inside the next poll(), which a synchronous loop calls after the batch.
            JavaAutoCommit => z.m.batch.is_empty() || self.async_processing(),
            RdkAutoCommit | RdkStoreAfterProcessing => z.m.stored > 0,
            _ => false,
        };
        if auto_due && z.sent != Some(z.m.stored) {
            out.push((Action::StaleCommit { offset: z.m.stored, via: Via::Auto, accepted }, false));
        }
    }

    /// Drop a stale member that has nothing left to do.
    fn settle(&self, t: &mut State) {
        if let Some(z) = &t.stale {
            let mut acts = Vec::new();
            self.stale_actions(t, z, &mut acts);
            if acts.is_empty() {
                t.stale = None;
            }
        }
    }

    /// Where a new member starts: the committed offset, else `auto.offset.reset`.
    fn restart(&self, committed: Option<u8>) -> u8 {
        match committed {
            Some(c) => c,
            None if self.p.reset_earliest => 0,
            None => self.records, // auto.offset.reset=latest: skip to the end
        }
    }
}

/// A lifeline name: the first member is "Consumer", members that took over are numbered.
pub fn lifeline(id: u8) -> String {
    if id == 0 { "Consumer".to_string() } else { format!("Consumer {}", id + 1) }
}

impl Model for Consume {
    type State = State;
    type Action = Action;

    /// The fault count and lifeline numbers are trace bookkeeping: a configuration reached again
    /// with more faults can only do less than its first visit (the least-cost search expands it
    /// once, at its fewest). No symmetry: the owner and the stale member are not interchangeable.
    type Key = State;
    fn key(&self, s: &State) -> State {
        let mut t = s.clone();
        t.faults = 0;
        t.members = 0;
        t.owner.id = 0;
        if let Some(z) = &mut t.stale {
            z.m.id = 0;
        }
        t
    }

    fn init(&self) -> State {
        // The group already has a committed offset at the first record (the records were written
        // after it joined), so `auto.offset.reset` plays no part (docs/model.md §6.2).
        State {
            owner: Member::fresh(0, 0),
            stale: None,
            committed: Some(0),
            processed: vec![0; self.records as usize],
            chosen: None,
            faults: 0,
            members: 1,
        }
    }

    fn actions(&self, s: &State, out: &mut Vec<(Action, bool)>) {
        use CommitStrategy::*;
        let strategy = self.p.commit;
        let m = &s.owner;
        let can_poll = m.batch.is_empty() || self.async_processing();
        if !m.commit_due && can_poll && m.pos < self.records {
            out.push((Action::Poll { autocommit: false }, false));
            if strategy == JavaAutoCommit && s.committed != Some(m.stored) {
                out.push((Action::Poll { autocommit: true }, false));
            }
        }
        // Java's poll loop keeps polling at the end of the log, and an empty poll still auto-commits.
        if strategy == JavaAutoCommit && m.pos == self.records && can_poll && s.committed != Some(m.stored) {
            out.push((Action::Poll { autocommit: true }, false));
        }
        let process_allowed = !(strategy == BeforeProcessing && m.commit_due);
        if let Some(&o) = m.batch.first()
            && process_allowed
        {
            out.push((Action::Process(o), false));
        }
        if m.commit_due {
            out.push((Action::Commit(m.pos), false));
        }
        if matches!(strategy, RdkAutoCommit | RdkStoreAfterProcessing) && s.committed != Some(m.stored) && m.stored > 0
        {
            out.push((Action::BgCommit(m.stored), false));
        }
        if let Some(z) = &s.stale {
            self.stale_actions(s, z, out);
        }
        out.push((Action::Crash, true));
        if self.rebalances && s.stale.is_none() && self.has_work(m, s.committed) {
            match self.mode(s) {
                Some(mode) => out.push((Action::Rebalance(mode), true)),
                None => {
                    out.push((Action::Rebalance(Membership::Subscribe), true));
                    out.push((Action::Rebalance(Membership::Assign), true));
                }
            }
        }
    }

    fn step(&self, s: &State, a: &Action) -> Option<State> {
        use CommitStrategy::*;
        let mut t = s.clone();
        let strategy = self.p.commit;
        match *a {
            Action::Poll { autocommit } => {
                let m = &mut t.owner;
                if autocommit {
                    // Commits the positions returned by the previous poll.
                    t.committed = Some(m.stored);
                }
                if m.pos < self.records {
                    m.batch.push(m.pos);
                    m.pos += 1;
                }
                match strategy {
                    BeforeProcessing => m.commit_due = true,
                    RdkAutoCommit | JavaAutoCommit => m.stored = m.pos,
                    _ => {}
                }
                if t == *s {
                    return None;
                }
            }
            Action::Process(o) => {
                let m = &mut t.owner;
                m.batch.retain(|x| *x != o);
                t.processed[o as usize] = t.processed[o as usize].saturating_add(1).min(3);
                match strategy {
                    AfterProcessing if m.batch.is_empty() => m.commit_due = true,
                    RdkStoreAfterProcessing => m.stored = o + 1,
                    // Processing and the offset commit are one transaction.
                    Transactional => t.committed = Some(o + 1),
                    _ => {}
                }
            }
            Action::Commit(o) => {
                t.committed = Some(o);
                t.owner.commit_due = false;
            }
            Action::BgCommit(o) => t.committed = Some(o),
            Action::Crash => {
                t.faults += 1;
                let restart = self.restart(t.committed);
                t.owner = Member::fresh(restart, t.owner.id);
            }
            Action::Rebalance(mode) => {
                t.faults += 1;
                if self.p.membership == Membership::Unknown {
                    t.chosen = Some(mode);
                }
                let old = std::mem::replace(&mut t.owner, Member::fresh(self.restart(t.committed), t.members));
                t.members = t.members.saturating_add(1);
                // What it committed last is what it will not send again.
                let sent = (t.committed == Some(old.stored)).then_some(old.stored);
                t.stale = Some(Stale { m: old, sent });
                self.settle(&mut t);
            }
            Action::StaleProcess(o) => {
                let z = t.stale.as_mut()?;
                z.m.batch.retain(|x| *x != o);
                t.processed[o as usize] = t.processed[o as usize].saturating_add(1).min(3);
                match strategy {
                    AfterProcessing if z.m.batch.is_empty() => z.m.commit_due = true,
                    RdkStoreAfterProcessing => z.m.stored = o + 1,
                    _ => {}
                }
                self.settle(&mut t);
            }
            Action::StaleTxn { record, accepted } => {
                if accepted {
                    let z = t.stale.as_mut()?;
                    z.m.batch.retain(|x| *x != record);
                    t.processed[record as usize] = t.processed[record as usize].saturating_add(1).min(3);
                    t.committed = Some(record + 1);
                    self.settle(&mut t);
                } else {
                    // The offsets are refused, the transaction aborts and its output is never visible.
                    t.stale = None;
                }
            }
            Action::StaleCommit { offset, via, accepted } => {
                if accepted {
                    t.committed = Some(offset);
                }
                match via {
                    Via::Manual if !accepted => t.stale = None,
                    Via::Manual => t.stale.as_mut()?.m.commit_due = false,
                    Via::Auto => t.stale.as_mut()?.sent = Some(offset),
                }
                self.settle(&mut t);
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
    let mut state = vec![
        ("position".to_string(), post.owner.pos.to_string()),
        ("committed offset".to_string(), post.committed.map_or("none".into(), |c| c.to_string())),
        ("processed".to_string(), format!("{:?}", post.processed)),
    ];
    if let Some(z) = &post.stale {
        state.push(("stale member".to_string(), format!("{} holds {:?}", lifeline(z.m.id), z.m.batch)));
    }
    let owner = lifeline(s.owner.id);
    let stale = s.stale.as_ref().map_or_else(|| owner.clone(), |z| lifeline(z.m.id));
    let coordinator = Some("Group coordinator".to_string());
    let mut rejected = false;
    let (actor, target, action, note) = match a {
        Action::Poll { autocommit: false } => {
            (owner, None, "poll".into(), format!("poll() returns offset {}", s.owner.pos))
        }
        Action::Poll { autocommit: true } => (
            owner,
            coordinator,
            format!("poll + auto-commit {}", s.owner.stored),
            format!("poll() first auto-commits offset {} (the previous poll's position)", s.owner.stored),
        ),
        Action::Process(o) => (owner, None, format!("process {o}"), format!("the application processes offset {o}")),
        Action::Commit(o) => {
            (owner, coordinator, format!("commit {o}"), format!("commitSync: the group offset becomes {o}"))
        }
        Action::BgCommit(o) => (
            owner,
            coordinator,
            format!("background commit {o}"),
            format!("the auto-commit timer commits the stored offset {o}"),
        ),
        Action::Crash => {
            (owner, None, "crash".into(), format!("the consumer dies; a new member resumes from {}", post.owner.pos))
        }
        Action::Rebalance(mode) => {
            let how = match mode {
                Membership::Subscribe => {
                    "the group removes it (max.poll.interval.ms or session timeout) and the generation moves on"
                }
                _ => "manual assign(): the partition is given to another process while this one still runs",
            };
            let assumed = if post.chosen.is_some() && s.chosen.is_none() {
                format!(" (the snippet does not show subscribe() or assign(): this run assumes {}())", mode.as_str())
            } else {
                String::new()
            };
            (
                owner,
                None,
                "rebalance: loses the partition".into(),
                format!(
                    "{how}{assumed}; it still holds {:?}; {} resumes from {}",
                    s.owner.batch,
                    lifeline(post.owner.id),
                    post.owner.pos
                ),
            )
        }
        Action::StaleProcess(o) => (
            stale,
            None,
            format!("process {o} (stale)"),
            format!("the member that lost the partition still processes offset {o}, which it had polled"),
        ),
        Action::StaleCommit { offset, via, accepted: true } => (
            stale,
            coordinator,
            format!("commit {offset} (stale, accepted)"),
            format!(
                "{}: manual assign() has no generation, so the coordinator accepts the old owner's commit and the group offset becomes {offset}",
                if *via == Via::Manual { "commitSync" } else { "auto-commit" }
            ),
        ),
        Action::StaleCommit { offset, via, accepted: false } => {
            rejected = true;
            (
                stale,
                coordinator,
                format!("commit {offset} rejected"),
                match via {
                    Via::Manual => format!(
                        "commitSync of {offset} from a stale generation: ILLEGAL_GENERATION / UNKNOWN_MEMBER_ID, CommitFailedException; the group offset stays {}",
                        post.committed.map_or("none".into(), |c| c.to_string())
                    ),
                    Via::Auto => format!(
                        "the auto-commit of {offset} from a stale generation fails (ILLEGAL_GENERATION / UNKNOWN_MEMBER_ID); the group offset stays {}",
                        post.committed.map_or("none".into(), |c| c.to_string())
                    ),
                },
            )
        }
        Action::StaleTxn { record, accepted: true } => (
            stale,
            coordinator,
            format!("process {record} + commit {} (stale, accepted)", record + 1),
            format!(
                "the old owner's transaction commits: manual assign() has no generation to fence it, the group offset becomes {}",
                record + 1
            ),
        ),
        Action::StaleTxn { record, accepted: false } => {
            rejected = true;
            (
                stale,
                coordinator,
                format!("process {record} + commit {} rejected", record + 1),
                "the transaction's offsets carry a stale generation (KIP-447 group metadata): ILLEGAL_GENERATION, the transaction aborts and its result is never visible".to_string(),
            )
        }
    };
    Snap { actor, target, action, note, lost: false, rejected, state }
}

/// The 1-based step at which a stale member's commit was accepted, if any.
fn stale_commit_at(path: &[(Option<Action>, State)], up_to: usize) -> Option<usize> {
    path[..=up_to].iter().rposition(|(a, _)| {
        matches!(a, Some(Action::StaleCommit { accepted: true, .. } | Action::StaleTxn { accepted: true, .. }))
    })
}

pub fn explain(path: &[(Option<Action>, State)], prop: usize) -> (String, Option<usize>) {
    let n = path.len() - 1;
    let last = &path[n].1;
    if prop == 0 {
        let o = last.processed.iter().position(|p| *p == 0).unwrap_or(0);
        let commit = path.iter().position(|(_, s)| s.committed.is_some_and(|c| c as usize > o));
        let text = match commit {
            Some(i) if matches!(path[i].0, Some(Action::StaleCommit { .. })) => format!(
                "offset {o} was committed at step {i} by a member that had lost the partition, before anyone processed it; at step {n} it is never processed → record lost"
            ),
            Some(i) => format!(
                "offset {o} was committed at step {i} before it was processed; at step {n} it is never processed → record lost"
            ),
            None => format!("at step {n} offset {o} is never processed → record lost"),
        };
        (text, commit)
    } else {
        let o = last.processed.iter().position(|p| *p > 1).unwrap_or(0);
        let first = path.iter().position(|(_, s)| s.processed[o] >= 1);
        let by_stale = match stale_commit_at(path, n) {
            Some(i) => format!(" (the group offset was moved at step {i} by a member that had lost the partition)"),
            None => String::new(),
        };
        (
            format!(
                "offset {o} was processed at step {} and again at step {n} → processed twice{by_stale}",
                first.unwrap_or(0)
            ),
            first,
        )
    }
}
