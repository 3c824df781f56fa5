//! Segment C, consume-transform-produce (docs/model.md §6.3): application instances read an input topic,
//! produce a result per record to an output topic and record progress; a downstream reader sees
//! the output with its isolation level. Faults: instance crash (a new instance resumes from the
//! committed input offsets), stall (the old instance becomes a zombie that resumes later) and an
//! application abort. Transaction-log replication and the commit are atomic, as in Vanlightly's
//! transactions spec.
//!
//! Sources: KIP-98 (transactions, zombie fencing by transactional.id epoch), KIP-447 (fencing by
//! group metadata, `sendOffsetsToTransaction(offsets, consumer.groupMetadata())`), the 4.0 design
//! docs "the application must rewind the consumer position after an abort", `ISOLATION_LEVEL_DOC`
//! (read_uncommitted returns aborted records), KIP-98 "a restart gets a new producer id" for the
//! idempotent-but-not-transactional producer (docs/model.md §8 row 9).

use super::search::Model;
use super::small::Small;
use super::trace::Snap;
use crate::semantics::params::{CommitStrategy, PipelineParams};

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Out {
    /// A result of input record `src`, written in transaction `tx` (0: not transactional).
    Data {
        src: u8,
        tx: u8,
    },
    Marker {
        tx: u8,
        commit: bool,
    },
}

impl Default for Out {
    fn default() -> Self {
        Out::Data { src: 0, tx: 0 }
    }
}

impl Out {
    /// 16 bits: a marker sets bit 15 (commit in bit 14), a result has its record in bits 8–14;
    /// the transaction id is the low byte. Exact for records < 128 (the bound is 2).
    fn bits(self) -> u64 {
        match self {
            Out::Data { src, tx } => {
                debug_assert!(src < 0x80);
                u64::from(src) << 8 | u64::from(tx)
            }
            Out::Marker { tx, commit } => 1 << 15 | u64::from(commit) << 14 | u64::from(tx),
        }
    }
    fn from_bits(v: u64) -> Out {
        let tx = (v & 0xFF) as u8;
        if v >> 15 & 1 == 1 {
            Out::Marker { tx, commit: v >> 14 & 1 == 1 }
        } else {
            Out::Data { src: (v >> 8 & 0x7F) as u8, tx }
        }
    }
}

/// The output topic's log, packed as the visited set's key wants it: entry `i` is 16 bits at
/// word `i / 4`, bit `16 * (i % 4)` (see `Out::bits`), unused bits zero. Copying a state copies
/// four words, and the key is those words.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct OutLog {
    words: [u64; 4],
    len: u8,
}

impl OutLog {
    pub fn len(&self) -> usize {
        self.len as usize
    }
    /// Append; false (and nothing changes) when full, like `Small::push`.
    fn push(&mut self, o: Out) -> bool {
        let i = self.len();
        if i == OUT_CAP {
            return false;
        }
        self.words[i / 4] |= o.bits() << (16 * (i % 4));
        self.len += 1;
        true
    }
    pub fn get(&self, i: usize) -> Out {
        debug_assert!(i < self.len());
        Out::from_bits(self.words[i / 4] >> (16 * (i % 4)) & 0xFFFF)
    }
    pub fn iter(&self) -> impl Iterator<Item = Out> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
    fn contains(&self, o: Out) -> bool {
        self.iter().any(|x| x == o)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub enum Life {
    #[default]
    Active,
    Stalled,
    Dead,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct Inst {
    pub life: Life,
    pub epoch: u8,
    pub pos: u8,
    pub cur: Option<u8>,
    pub produced: bool,
    /// Offsets sent to the transaction (transactional) or committed (plain).
    pub offsets_done: bool,
    pub tx: u8,
}

/// Inline capacities: states are copied on every step, so they hold no heap allocations. A step
/// that would overflow `out` is not taken (a bound, like the fault budget); with at most two
/// records, two faults and two instances the log stays far below it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct State {
    pub out: OutLog,
    /// Copies of each input record's result a downstream reader sees; a function of `out`, kept
    /// up to date by `emit` because the properties ask for it in every state.
    pub vis: [u8; MAX_RECORDS],
    pub committed: u8,
    pub next_tx: u8,
    pub coord_epoch: u8,
    pub insts: Small<Inst, MAX_INSTANCES>,
    pub faults: u8,
}

const OUT_CAP: usize = 16;
const _: () = assert!(OUT_CAP == 16 && MAX_INSTANCES <= 2, "the key has room for 16 outputs and 2 instances");

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Poll(u8),
    Produce(u8),
    Offsets(u8),
    Commit(u8),
    Resume(u8),
    Crash(u8),
    Stall(u8),
    Abort(u8),
}

pub struct Pipeline {
    pub p: PipelineParams,
    pub records: u8,
}

const MAX_INSTANCES: usize = 2;
/// Input records per check (`check` clamps the bound to 1..=2).
pub(super) const MAX_RECORDS: usize = 2;

impl Pipeline {
    fn txn(&self) -> bool {
        self.p.producer.transactional && self.p.consumer.commit == CommitStrategy::Transactional
    }
    /// Plain (non-transactional) pipelines: may the offset commit come before the produce?
    fn commit_first(&self) -> Option<bool> {
        match self.p.consumer.commit {
            CommitStrategy::BeforeProcessing => Some(true),
            CommitStrategy::RdkAutoCommit => None,
            CommitStrategy::JavaAutoCommit if !self.p.consumer.sync_processing => None,
            _ => Some(false),
        }
    }
    fn visible(&self, s: &State, src: u8) -> usize {
        s.vis.get(src as usize).map_or(0, |n| *n as usize)
    }
    /// Append to the output log, keeping `vis` up to date: a result counts at once unless the
    /// reader is read_committed and its transaction has not committed; a commit marker makes its
    /// transaction's results count (recounted from the log, which is short). `None` when full.
    fn emit(&self, t: &mut State, o: Out) -> Option<()> {
        t.out.push(o).then_some(())?;
        let filtered = self.p.downstream_read_committed;
        match o {
            Out::Data { src, tx } => {
                let seen = tx == 0 || !filtered || t.out.contains(Out::Marker { tx, commit: true });
                if seen && let Some(c) = t.vis.get_mut(usize::from(src)) {
                    *c += 1;
                }
            }
            Out::Marker { commit: true, .. } if filtered => t.vis = self.count_visible(&t.out),
            Out::Marker { .. } => {}
        }
        Some(())
    }
    /// `vis` from scratch: non-transactional results always count; transactional ones once their
    /// transaction committed, unless the reader reads uncommitted.
    fn count_visible(&self, out: &OutLog) -> [u8; MAX_RECORDS] {
        let filtered = self.p.downstream_read_committed;
        let mut n = [0u8; MAX_RECORDS];
        for o in out.iter() {
            if let Out::Data { src, tx } = o
                && (tx == 0 || !filtered || out.contains(Out::Marker { tx, commit: true }))
                && let Some(c) = n.get_mut(usize::from(src))
            {
                *c += 1;
            }
        }
        n
    }
    /// Start a replacement instance: `initTransactions` with a stable transactional.id bumps the
    /// epoch and aborts the predecessor's open transaction (KIP-98).
    fn replace(&self, t: &mut State) -> Option<()> {
        if t.insts.len() >= MAX_INSTANCES {
            return Some(());
        }
        if self.txn() && self.p.fenced {
            t.coord_epoch += 1;
            for i in 0..t.insts.len() {
                if t.insts[i].tx != 0 {
                    let tx = t.insts[i].tx;
                    self.emit(t, Out::Marker { tx, commit: false })?;
                    t.insts[i].tx = 0;
                }
            }
        }
        t.insts.push(Inst {
            life: Life::Active,
            epoch: t.coord_epoch,
            pos: t.committed,
            cur: None,
            produced: false,
            offsets_done: false,
            tx: 0,
        });
        Some(())
    }
    fn fenced_out(&self, t: &State, i: usize) -> bool {
        self.txn() && self.p.fenced && t.insts[i].epoch < t.coord_epoch
    }
}

impl Model for Pipeline {
    type State = State;
    type Action = Action;

    /// The fault count is trace bookkeeping: a configuration reached again with more faults can
    /// only do less than its first visit (the least-cost search expands it once, at its fewest).
    type Key = [u64; 7];

    /// Up to ~22 000 states (row 13b).
    fn capacity_hint(&self) -> usize {
        1 << 14
    }
    /// The state packed into words (hashing the derived way fed every field and enum tag to the
    /// hasher separately, a third of the search's time). Every field gets its full width, so
    /// the packing is exact; the fault count is left out as trace bookkeeping.
    fn key(&self, s: &State) -> [u64; 7] {
        let mut k = [0u64; 7];
        // The log is already packed; `vis` is a function of it and needs no room.
        k[..4].copy_from_slice(&s.out.words);
        for (i, inst) in s.insts.iter().enumerate() {
            let cur = inst.cur.map_or(0, |c| 0x100 | u64::from(c));
            k[4 + i] = inst.life as u64
                | u64::from(inst.epoch) << 8
                | u64::from(inst.pos) << 16
                | cur << 24
                | u64::from(inst.produced) << 40
                | u64::from(inst.offsets_done) << 41
                | u64::from(inst.tx) << 48;
        }
        k[6] = u64::from(s.committed)
            | u64::from(s.next_tx) << 8
            | u64::from(s.coord_epoch) << 16
            | (s.out.len() as u64) << 24
            | (s.insts.len() as u64) << 32;
        k
    }

    fn init(&self) -> State {
        let mut s = State {
            out: OutLog::default(),
            vis: [0; MAX_RECORDS],
            committed: 0,
            next_tx: 1,
            coord_epoch: 0,
            insts: Small::default(),
            faults: 0,
        };
        self.replace(&mut s).expect("an empty state has room for the first instance");
        s
    }

    fn actions(&self, s: &State, out: &mut Vec<(Action, bool)>) {
        for (i, inst) in s.insts.iter().enumerate() {
            let i = i as u8;
            match inst.life {
                Life::Stalled => out.push((Action::Resume(i), false)),
                Life::Dead => {}
                Life::Active => {
                    match inst.cur {
                        None if inst.pos < self.records => out.push((Action::Poll(i), false)),
                        None => {}
                        Some(_) => {
                            let first = self.commit_first();
                            if !inst.produced && (self.txn() || first != Some(true) || inst.offsets_done) {
                                out.push((Action::Produce(i), false));
                            }
                            if !inst.offsets_done && (inst.produced || (!self.txn() && first != Some(false))) {
                                out.push((Action::Offsets(i), false));
                            }
                            if self.txn() && inst.produced && inst.offsets_done {
                                out.push((Action::Commit(i), false));
                            }
                        }
                    }
                    if s.insts.len() < MAX_INSTANCES {
                        out.push((Action::Crash(i), true));
                        out.push((Action::Stall(i), true));
                    }
                    if self.txn() && inst.tx != 0 {
                        out.push((Action::Abort(i), true));
                    }
                }
            }
        }
    }

    fn step(&self, s: &State, a: &Action) -> Option<State> {
        let mut t = *s;
        match *a {
            Action::Poll(i) => {
                let inst = &mut t.insts[i as usize];
                inst.cur = Some(inst.pos);
                inst.pos += 1;
                if self.txn() {
                    inst.tx = t.next_tx;
                    t.next_tx += 1;
                }
            }
            Action::Produce(i) => {
                if self.fenced_out(&t, i as usize) {
                    t.insts[i as usize].life = Life::Dead; // ProducerFencedException
                    return Some(t);
                }
                let inst = &mut t.insts[i as usize];
                inst.produced = true;
                let o = Out::Data { src: inst.cur?, tx: inst.tx };
                self.emit(&mut t, o)?;
                let inst = &mut t.insts[i as usize];
                if !self.txn() && inst.offsets_done {
                    inst.cur = None;
                    inst.produced = false;
                    inst.offsets_done = false;
                }
            }
            Action::Offsets(i) => {
                let inst = &mut t.insts[i as usize];
                inst.offsets_done = true;
                if !self.txn() {
                    t.committed = inst.cur? + 1;
                    if inst.produced {
                        inst.cur = None;
                        inst.produced = false;
                        inst.offsets_done = false;
                    }
                }
            }
            Action::Commit(i) => {
                if self.fenced_out(&t, i as usize) {
                    t.insts[i as usize].life = Life::Dead;
                    return Some(t);
                }
                let o = Out::Marker { tx: t.insts[i as usize].tx, commit: true };
                self.emit(&mut t, o)?;
                let inst = &mut t.insts[i as usize];
                t.committed = inst.cur? + 1;
                inst.cur = None;
                inst.produced = false;
                inst.offsets_done = false;
                inst.tx = 0;
            }
            Action::Resume(i) => t.insts[i as usize].life = Life::Active,
            Action::Crash(i) | Action::Stall(i) => {
                t.faults += 1;
                let crash = matches!(a, Action::Crash(_));
                t.insts[i as usize].life = if crash { Life::Dead } else { Life::Stalled };
                if crash && self.txn() && !self.p.fenced {
                    // Without a stable id nobody aborts the dead instance's transaction until the
                    // coordinator's transaction.timeout.ms does.
                    let tx = t.insts[i as usize].tx;
                    if tx != 0 {
                        self.emit(&mut t, Out::Marker { tx, commit: false })?;
                        t.insts[i as usize].tx = 0;
                    }
                }
                self.replace(&mut t)?;
            }
            Action::Abort(i) => {
                t.faults += 1;
                let committed = t.committed;
                let o = Out::Marker { tx: t.insts[i as usize].tx, commit: false };
                self.emit(&mut t, o)?;
                let inst = &mut t.insts[i as usize];
                inst.tx = 0;
                inst.cur = None;
                inst.produced = false;
                inst.offsets_done = false;
                if self.p.rewind_on_abort {
                    inst.pos = committed;
                }
            }
        }
        Some(t)
    }

    fn always(&self, s: &State) -> [bool; 3] {
        debug_assert_eq!(s.vis, self.count_visible(&s.out), "`vis` follows the log in {s:?}");
        [true, s.vis.iter().take(self.records.into()).all(|c| *c <= 1), true]
    }

    fn at_rest(&self, s: &State) -> [bool; 3] {
        [s.vis.iter().take(self.records.into()).all(|c| *c >= 1), true, true]
    }

    /// The downstream reader sees every record's output.
    fn delivered(&self, s: &State) -> bool {
        s.vis.iter().take(self.records.into()).all(|c| *c >= 1)
    }
}

pub fn describe(p: &Pipeline, s: &State, a: &Action, post: &State) -> Snap {
    let name = |i: u8| format!("Instance {}", i + 1);
    let out: Vec<String> = post
        .out
        .iter()
        .map(|o| match o {
            Out::Data { src, tx: 0 } => format!("r{src}"),
            Out::Data { src, tx } => format!("r{src}@t{tx}"),
            Out::Marker { tx, commit: true } => format!("COMMIT(t{tx})"),
            Out::Marker { tx, commit: false } => format!("ABORT(t{tx})"),
        })
        .collect();
    let visible: Vec<String> =
        (0..p.records).flat_map(|r| std::iter::repeat_n(format!("r{r}"), p.visible(post, r))).collect();
    let state = vec![
        ("output log".to_string(), format!("[{}]", out.join(" "))),
        ("downstream sees".to_string(), format!("[{}]", visible.join(" "))),
        ("committed input offset".to_string(), post.committed.to_string()),
    ];
    let cur = |i: u8| s.insts[i as usize].cur.map_or("?".into(), |c| c.to_string());
    let (actor, target, action, note) = match a {
        Action::Poll(i) => {
            (name(*i), None, format!("poll r{}", s.insts[*i as usize].pos), "reads the next input record".to_string())
        }
        Action::Produce(i) => (
            name(*i),
            Some("Output topic".to_string()),
            format!("produce result of r{}", cur(*i)),
            "writes the result to the output topic".to_string(),
        ),
        Action::Offsets(i) if p.txn() => (
            name(*i),
            Some("Txn coordinator".to_string()),
            "sendOffsetsToTransaction".to_string(),
            "adds the input offset to the transaction".to_string(),
        ),
        Action::Offsets(i) => (
            name(*i),
            Some("Group coordinator".to_string()),
            format!("commit offset {}", s.insts[*i as usize].cur.map_or(0, |c| c + 1)),
            "commits the input offset".to_string(),
        ),
        Action::Commit(i) => (
            name(*i),
            Some("Txn coordinator".to_string()),
            "commitTransaction".to_string(),
            "commits the output and the input offset atomically".to_string(),
        ),
        Action::Resume(i) => {
            (name(*i), None, "resume (zombie)".to_string(), "the stalled instance wakes up and carries on".to_string())
        }
        Action::Crash(i) => (
            name(*i),
            None,
            "crash".to_string(),
            "the instance dies; a new one resumes from the committed offset".to_string(),
        ),
        Action::Stall(i) => (
            name(*i),
            None,
            "stall".to_string(),
            "the instance pauses (GC, network); the group replaces it".to_string(),
        ),
        Action::Abort(i) => (
            name(*i),
            Some("Txn coordinator".to_string()),
            "abortTransaction".to_string(),
            "the application aborts its transaction".to_string(),
        ),
    };
    Snap { actor, target, action, note, lost: false, rejected: false, state }
}

pub fn explain(p: &Pipeline, path: &[(Option<Action>, State)], prop: usize) -> (String, Option<usize>) {
    let n = path.len() - 1;
    let last = &path[n].1;
    if prop == 0 {
        let r = (0..p.records).find(|r| p.visible(last, *r) == 0).unwrap_or(0);
        let skipped = path.iter().position(|(_, s)| s.committed > r);
        (format!("at step {n} the downstream reader never sees the result of r{r} → result lost"), skipped)
    } else {
        let r = (0..p.records).find(|r| p.visible(last, *r) > 1).unwrap_or(0);
        let first = path.iter().position(|(_, s)| p.visible(s, r) >= 1);
        (
            format!(
                "the result of r{r} became visible at step {} and again at step {n} → the downstream reader sees it twice",
                first.unwrap_or(0)
            ),
            first,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_output_log_round_trips_every_entry() {
        let mut all = vec![];
        for tx in [0u8, 1, 7, 63, 64, 255] {
            for src in 0..2 {
                all.push(Out::Data { src, tx });
            }
            all.push(Out::Marker { tx, commit: true });
            all.push(Out::Marker { tx, commit: false });
        }
        for chunk in all.chunks(OUT_CAP) {
            let mut log = OutLog::default();
            for o in chunk {
                assert!(log.push(*o));
            }
            assert_eq!(log.iter().collect::<Vec<_>>(), chunk, "decoded as written");
            if chunk.len() == OUT_CAP {
                assert!(!log.push(Out::default()), "a full log refuses");
            }
        }
    }
}
