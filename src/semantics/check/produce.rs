//! Segment A, the produce path (docs/model.md §6.1): one producer session writing to one partition with
//! a leader, followers, ISR, high watermark, clean/unclean election and ELR, idempotent sequence
//! de-duplication, in-flight requests and request timeouts.
//!
//! Sources for the modelled behaviour:
//! - acks=1 acknowledges before followers copy (`ProducerConfig.ACKS_DOC`; Vanlightly v3.5 §7.1).
//! - acks=0: the client never learns of failures; retries have no effect (`ACKS_DOC`).
//! - acks=all completes when every ISR member has the record, failing with
//!   `NotEnoughReplicas(AfterAppend)` when |ISR| < min.insync.replicas (Vanlightly v3.5 §2.6).
//! - The HW is the minimum log end over the ISR and may advance with an ISR of only the leader,
//!   whatever min.insync.replicas says — unless ELR's strict min ISR applies (KIP-966).
//! - Clean election from the ISR; a crashed last ISR member stays in the ISR; unclean election of
//!   any live replica when `unclean.leader.election.enable=true` (KIP-106 docs).
//! - Idempotence: the broker de-duplicates by producer id + sequence and rejects gaps
//!   (`OutOfOrderSequence`, retriable), within one producer session (design.html#semantics).
//! - A request timeout leaves the write's fate unknown (design.html#semantics: "it cannot be sure
//!   if this error happened before or after the message was committed").

use super::search::Model;
use super::small::Small;
use super::trace::Snap;
use crate::semantics::params::{Acks, FaultModel, ProducerParams};

const NB: usize = 3;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct Entry {
    pub msg: u8,
    pub epoch: u8,
}

/// A replica's log packed into one word, as the visited set's key wants it: the length in bits
/// 28–30, entry `i` in bits `24 - 4i ..= 27 - 4i` (message id in its top bit, the leader epoch
/// that wrote it in the low three), unused bits zero — so equal logs are equal words, a common
/// prefix is a count of equal leading nibbles, and copying a state copies three words. Exact for
/// what the search reaches: message ids < 2, epochs < 8, at most 6 entries (the bounds argued at
/// `Produce::key`; asserted in debug builds, which the tests run).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct Log(u32);

impl Log {
    const CAP: usize = 6;
    const ENTRIES: u32 = 0x0FFF_FFF0;

    pub fn len(self) -> usize {
        (self.0 >> 28) as usize
    }
    fn nibble(e: Entry) -> u32 {
        debug_assert!(e.msg < 2 && e.epoch < 8, "{e:?} does not fit a log nibble");
        u32::from(e.msg) << 3 | u32::from(e.epoch)
    }
    pub fn get(self, i: usize) -> Entry {
        debug_assert!(i < self.len());
        let v = (self.0 >> (24 - 4 * i)) & 0xF;
        Entry { msg: (v >> 3) as u8, epoch: (v & 7) as u8 }
    }
    /// Append; false (and nothing changes) when full, like `Small::push`.
    pub fn push(&mut self, e: Entry) -> bool {
        let n = self.len();
        if n == Self::CAP {
            return false;
        }
        self.0 = (self.0 | Self::nibble(e) << (24 - 4 * n)) + (1 << 28);
        true
    }
    /// Keep the first `n` entries.
    pub fn truncate(&mut self, n: usize) {
        let n = n.min(self.len());
        let keep = if n == 0 { 0 } else { (((1u32 << (4 * n)) - 1) << (28 - 4 * n)) & Self::ENTRIES };
        self.0 = (self.0 & keep) | (n as u32) << 28;
    }
    pub fn clear(&mut self) {
        self.0 = 0;
    }
    /// How many leading entries the two logs share.
    pub fn common_prefix(self, other: Log) -> usize {
        let diff = (self.0 ^ other.0) & Self::ENTRIES;
        let same = if diff == 0 { Self::CAP } else { ((diff << 4).leading_zeros() / 4) as usize };
        same.min(self.len()).min(other.len())
    }
    pub fn position(self, msg: u8) -> Option<usize> {
        (0..self.len()).find(|&i| self.get(i).msg == msg)
    }
    pub fn contains(self, msg: u8) -> bool {
        self.position(msg).is_some()
    }
    pub fn iter(self) -> impl Iterator<Item = Entry> {
        (0..self.len()).map(move |i| self.get(i))
    }
    /// The word itself: length and entries (see the type's layout).
    fn bits(self) -> u32 {
        self.0
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub enum Msg {
    #[default]
    Unsent,
    InFlight,
    Acked,
    Failed,
}

/// Capacities: a log holds the messages plus one duplicate per fault at most (2 + 3 < 6).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct State {
    pub logs: [Log; NB],
    pub alive: [bool; NB],
    pub leader: Option<u8>,
    pub epoch: u8,
    pub isr: u8,
    pub elr: u8,
    pub hw: u8,
    /// Requests on the wire, FIFO (one connection).
    pub net: Small<u8, 4>,
    /// Appended by the leader, waiting for the HW (acks=all): (msg, offset).
    pub pending: Small<(u8, u8), 4>,
    /// Responses on the wire: (msg, ok).
    pub resp: Small<(u8, bool), 8>,
    pub msgs: Small<Msg, 2>,
    pub faults: u8,
    pub lossy_used: bool,
}

/// Which rule let the controller pick the new leader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Election {
    Clean,
    Elr,
    Unclean,
}

impl Election {
    fn name(self) -> &'static str {
        match self {
            Election::Clean => "clean",
            Election::Elr => "ELR",
            Election::Unclean => "unclean",
        }
    }
}

/// Actions are small and `Copy`: the search keeps one per explored state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Send(u8),
    Deliver,
    Respond,
    Fetch(u8),
    Expand(u8),
    Elect(u8, Election),
    Restart(u8),
    Crash(u8, bool),
    Shrink(u8),
    Timeout(u8),
}

pub struct Produce {
    pub p: ProducerParams,
    pub faults: FaultModel,
    pub messages: u8,
    /// Which fault kinds this sub-check injects (docs/model.md §6.1: sub-checks keep spaces small).
    pub broker_faults: bool,
    pub client_faults: bool,
}

fn bit(b: u8) -> u8 {
    1 << b
}

impl Produce {
    fn rf(&self) -> usize {
        (self.p.replication_factor as usize).clamp(1, NB)
    }
    fn min_isr(&self) -> u32 {
        self.p.min_insync_replicas.max(1) as u32
    }
    fn isr_count(s: &State) -> u32 {
        s.isr.count_ones()
    }
    fn in_flight(s: &State) -> usize {
        s.msgs.iter().filter(|m| **m == Msg::InFlight).count()
    }
    fn retries(&self) -> bool {
        self.p.retries && self.p.acks != Acks::Zero
    }
    fn fail_or_retry(&self, s: &mut State, m: u8) {
        s.msgs[m as usize] = if self.retries() { Msg::Unsent } else { Msg::Failed };
    }

    /// Recompute the HW from the ISR and complete waiting acks=all requests.
    fn advance_hw(&self, s: &mut State) {
        let Some(l) = s.leader else { return };
        let strict = self.p.elr && Self::isr_count(s) < self.min_isr();
        // A follower counts only up to where its log matches the leader's: the leader learns a
        // follower's offset from fetches made after the follower truncated a divergent suffix
        // (KIP-101, KIP-279), so a same-length but different log does not advance the HW.
        let ll = s.logs[l as usize];
        let matched = |r: u8| s.logs[r as usize].common_prefix(ll);
        let min_leo = (0..self.rf() as u8).filter(|r| s.isr & bit(*r) != 0).map(matched).min();
        let leo = ll.len();
        if let Some(min_leo) = min_leo
            && !strict
        {
            let hw = min_leo.min(leo) as u8;
            if hw > s.hw {
                s.hw = hw;
            }
        }
        let mut still = Small::default();
        for &(m, off) in std::mem::take(&mut s.pending).iter() {
            if off < s.hw {
                let ok = Self::isr_count(s) >= self.min_isr();
                s.resp.push((m, ok));
            } else {
                still.push((m, off));
            }
        }
        s.pending = still;
    }

    /// The leader's log up to the high watermark (empty without a leader).
    fn committed(s: &State) -> Log {
        match s.leader {
            Some(l) => {
                let mut log = s.logs[l as usize];
                log.truncate(s.hw as usize);
                log
            }
            None => Log::default(),
        }
    }
}

impl Produce {
    fn fault_actions(&self, s: &State, out: &mut Vec<(Action, bool)>) {
        let rf = self.rf() as u8;
        if self.broker_faults {
            for b in 0..rf {
                if s.alive[b as usize] {
                    out.push((Action::Crash(b, false), true));
                    if self.faults == FaultModel::PowerLoss && !s.lossy_used {
                        out.push((Action::Crash(b, true), true));
                    }
                }
            }
            if let Some(l) = s.leader {
                for f in 0..rf {
                    if f != l && s.isr & bit(f) != 0 {
                        out.push((Action::Shrink(f), true));
                    }
                }
            }
        }
        if self.client_faults && self.p.acks != Acks::Zero {
            for (m, st) in s.msgs.iter().enumerate() {
                if *st == Msg::InFlight {
                    out.push((Action::Timeout(m as u8), true));
                }
            }
        }
    }
}

impl Model for Produce {
    type State = State;
    type Action = Action;

    fn init(&self) -> State {
        let all = (0..self.rf() as u8).fold(0, |a, r| a | bit(r));
        State {
            logs: Default::default(),
            alive: [true; NB],
            leader: Some(0),
            epoch: 0,
            isr: all,
            elr: 0,
            hw: 0,
            net: Small::default(),
            pending: Small::default(),
            resp: Small::default(),
            msgs: {
                let mut m = Small::default();
                for _ in 0..self.messages.min(2) {
                    m.push(Msg::Unsent);
                }
                m
            },
            faults: 0,
            lossy_used: false,
        }
    }

    fn actions(&self, s: &State, out: &mut Vec<(Action, bool)>) {
        let rf = self.rf() as u8;
        // Partial-order reduction: a response only changes the producer's own bookkeeping, so it
        // commutes with every broker step; reading it before any other healing step loses no
        // reachable outcome, while faults (a timeout dropping it) still interleave.
        if !s.resp.is_empty() {
            out.push((Action::Respond, false));
            self.fault_actions(s, out);
            return;
        }
        // Healing.
        if let Some(m) = s.msgs.iter().position(|m| *m == Msg::Unsent)
            && Self::in_flight(s) < self.p.max_in_flight.clamp(1, 2) as usize
        {
            out.push((Action::Send(m as u8), false));
        }
        if !s.net.is_empty() && s.leader.is_some() {
            out.push((Action::Deliver, false));
        }
        if !s.resp.is_empty() {
            out.push((Action::Respond, false));
        }
        if let Some(l) = s.leader {
            for f in 0..rf {
                if f != l && s.alive[f as usize] {
                    let (fl, ll) = (s.logs[f as usize], s.logs[l as usize]);
                    // Diverged (a suffix to truncate) or behind: either way a fetch changes it.
                    if fl != ll {
                        out.push((Action::Fetch(f), false));
                    }
                    let caught_up = fl == ll;
                    if s.isr & bit(f) == 0 && caught_up {
                        out.push((Action::Expand(f), false));
                    }
                }
            }
        } else {
            // Any live member may be elected: the controller takes the first live ISR member in
            // the partition's replica assignment, and the assignment order is the cluster's, not
            // the configuration's. Electing only the lowest index would also break the symmetry
            // `key` relies on (sorting brokers merges states whose elections differ).
            let alive_in = |set: u8| (0..rf).filter(move |r| set & bit(*r) != 0 && s.alive[*r as usize]);
            if alive_in(s.isr).next().is_some() {
                out.extend(alive_in(s.isr).map(|c| (Action::Elect(c, Election::Clean), false)));
            } else if self.p.elr && alive_in(s.elr).next().is_some() {
                out.extend(alive_in(s.elr).map(|c| (Action::Elect(c, Election::Elr), false)));
            } else if self.p.unclean_leader_election {
                for c in 0..rf {
                    if s.alive[c as usize] {
                        out.push((Action::Elect(c, Election::Unclean), false));
                    }
                }
            }
        }
        for b in 0..rf {
            if !s.alive[b as usize] {
                out.push((Action::Restart(b), false));
            }
        }
        self.fault_actions(s, out);
    }

    fn step(&self, s: &State, a: &Action) -> Option<State> {
        let mut t = *s;
        match *a {
            Action::Send(m) => {
                if !t.net.push(m) {
                    return None;
                }
                // acks=0: "the producer will not wait for any acknowledgment" (ACKS_DOC).
                t.msgs[m as usize] = if self.p.acks == Acks::Zero { Msg::Acked } else { Msg::InFlight };
            }
            Action::Deliver => {
                let m = t.net.remove(0);
                let l = t.leader? as usize;
                let log = t.logs[l];
                let dup = self.p.idempotent && log.contains(m);
                let gap = self.p.idempotent && m > 0 && !log.contains(m - 1);
                if self.p.acks == Acks::All && Self::isr_count(&t) < self.min_isr() {
                    t.resp.push((m, false)); // NotEnoughReplicas
                } else if dup {
                    // Idempotent retry of a write that already landed: answered OK, not appended.
                    let off = log.position(m).unwrap_or(0) as u8;
                    let pushed = match self.p.acks {
                        Acks::All if off >= t.hw => t.pending.push((m, off)),
                        Acks::Zero => true,
                        _ => t.resp.push((m, true)),
                    };
                    if !pushed {
                        return None;
                    }
                } else if gap {
                    if self.p.acks != Acks::Zero {
                        t.resp.push((m, false)); // OutOfOrderSequence, retriable
                    }
                } else {
                    if !t.logs[l].push(Entry { msg: m, epoch: t.epoch }) {
                        return None;
                    }
                    let off = (t.logs[l].len() - 1) as u8;
                    let pushed = match self.p.acks {
                        Acks::Zero => true,
                        Acks::One => t.resp.push((m, true)),
                        Acks::All => t.pending.push((m, off)),
                    };
                    if !pushed {
                        return None;
                    }
                    self.advance_hw(&mut t);
                }
            }
            Action::Respond => {
                let (m, ok) = t.resp.remove(0);
                if t.msgs[m as usize] == Msg::InFlight {
                    if ok {
                        t.msgs[m as usize] = Msg::Acked;
                    } else {
                        self.fail_or_retry(&mut t, m);
                    }
                }
            }
            Action::Fetch(f) => {
                let l = t.leader? as usize;
                let ll = t.logs[l];
                let fl = &mut t.logs[f as usize];
                let common = fl.common_prefix(ll);
                if common < fl.len() {
                    fl.truncate(common); // diverged: truncate to the common prefix (KIP-101/279)
                } else if fl.len() < ll.len() {
                    fl.push(ll.get(fl.len()));
                } else {
                    return None;
                }
                self.advance_hw(&mut t);
            }
            Action::Expand(f) => {
                t.isr |= bit(f);
                if self.p.elr && Self::isr_count(&t) >= self.min_isr() {
                    t.elr = 0;
                }
                self.advance_hw(&mut t);
            }
            Action::Elect(c, _) => {
                t.leader = Some(c);
                t.epoch += 1;
                t.elr &= !bit(c);
                t.isr |= bit(c);
                let leo = t.logs[c as usize].len() as u8;
                t.hw = t.hw.min(leo);
                self.advance_hw(&mut t);
            }
            Action::Restart(b) => t.alive[b as usize] = true,
            Action::Crash(b, lossy) => {
                t.faults += 1;
                t.alive[b as usize] = false;
                if lossy {
                    t.logs[b as usize].clear();
                    t.lossy_used = true;
                }
                let last = t.isr == bit(b);
                if self.p.elr {
                    t.isr &= !bit(b);
                    if !lossy && Self::isr_count(&t) < self.min_isr() {
                        t.elr |= bit(b);
                    } else {
                        t.elr &= !bit(b);
                    }
                } else if !last {
                    t.isr &= !bit(b);
                }
                if t.leader == Some(b) {
                    t.leader = None;
                    // Requests to the dead leader fail with retriable errors; acks=0 sends vanish.
                    let net = t.net.drain_all();
                    let pending = t.pending.drain_all();
                    let lost: Vec<u8> = net.iter().copied().chain(pending.iter().map(|(m, _)| *m)).collect();
                    if self.p.acks != Acks::Zero {
                        for m in lost {
                            t.resp.push((m, false));
                        }
                    }
                } else {
                    self.advance_hw(&mut t);
                }
            }
            Action::Shrink(f) => {
                t.faults += 1;
                t.isr &= !bit(f);
                if self.p.elr && Self::isr_count(&t) < self.min_isr() {
                    t.elr |= bit(f);
                }
                self.advance_hw(&mut t);
            }
            Action::Timeout(m) => {
                t.faults += 1;
                t.net.retain(|x| *x != m);
                t.resp.retain(|(x, _)| *x != m);
                t.pending.retain(|(x, _)| *x != m);
                self.fail_or_retry(&mut t, m);
            }
        }
        Some(t)
    }

    fn always(&self, s: &State) -> [bool; 3] {
        let c = Self::committed(s);
        let no_dup = (0..self.messages).all(|m| c.iter().filter(|e| e.msg == m).count() <= 1);
        // First occurrences in send order: no message's first copy follows a later message's.
        let mut seen_max: Option<u8> = None;
        let mut in_order = true;
        for (i, e) in c.iter().enumerate() {
            if c.iter().take(i).any(|x| x.msg == e.msg) {
                continue;
            }
            if seen_max.is_some_and(|mx| e.msg < mx) {
                in_order = false;
            }
            seen_max = seen_max.max(Some(e.msg));
        }
        [true, no_dup, in_order]
    }

    fn at_rest(&self, s: &State) -> [bool; 3] {
        if s.leader.is_none() {
            return [true; 3]; // offline, not lost: reported as unavailability
        }
        let c = Self::committed(s);
        [(0..self.messages).all(|m| c.iter().any(|e| e.msg == m)), true, true]
    }

    type Key = [u64; 3];

    /// The benchmark's rows visit up to ~7 000 states with one message and ~16 000 with two.
    fn capacity_hint(&self) -> usize {
        if self.messages > 1 { 1 << 14 } else { 1 << 13 }
    }

    /// Brokers are interchangeable: each broker's whole state (leader or not, log, liveness, ISR,
    /// ELR) packs into one `u32`, and the key holds those sorted, so states differing only by
    /// which follower is which share one key; the rest of the state packs into 58 bits. A small
    /// key keeps the visited set in cache (a 64-byte key made it twice as slow). The packing is
    /// exact within what the search can reach (asserted in debug builds, which the tests run):
    /// message ids < 2 (`check_producer` clamps messages to 1..=2), epochs < 8 (only a leader
    /// crash, a fault, leads to an election, and the budget is at most 3), log ≤ 6 entries,
    /// ≤ 4 requests, ≤ 4 pending, ≤ 8 responses (the `Small` capacities). The fault count is trace
    /// bookkeeping, not state: the least-cost search expands a configuration once, at its fewest
    /// faults, and the same configuration reached later with more faults can only do less (a
    /// smaller remaining budget), so it is a duplicate.
    fn key(&self, s: &State) -> [u64; 3] {
        debug_assert!(self.messages <= 2 && s.epoch < 8);
        let mut b = [0u32; NB];
        for (r, slot) in b.iter_mut().enumerate() {
            // The log word has bit 31 and the low four bits free (see `Log`).
            let mut w = u32::from(s.leader != Some(r as u8)) << 31 | s.logs[r].bits();
            let bit = bit(r as u8);
            w |= u32::from(!s.alive[r]) << 2 | u32::from(s.isr & bit == 0) << 1 | u32::from(s.elr & bit == 0);
            *slot = w;
        }
        // Sorting network for the (at most three) replicas; brokers past the replication factor
        // never change and stay where they are.
        let rf = self.rf();
        if rf >= 2 && b[0] > b[1] {
            b.swap(0, 1);
        }
        if rf == 3 {
            if b[1] > b[2] {
                b.swap(1, 2);
            }
            if b[0] > b[1] {
                b.swap(0, 1);
            }
        }
        let mut r = u64::from(s.epoch) | u64::from(s.hw) << 3 | u64::from(s.lossy_used) << 6;
        let mut at = 7;
        let mut put = |v: u64, bits: u32| {
            debug_assert!(v < 1 << bits);
            r |= v << at;
            at += bits;
        };
        put(s.net.len() as u64, 3);
        for m in s.net.iter() {
            put(u64::from(*m), 1);
        }
        put(s.pending.len() as u64, 3);
        for (m, o) in s.pending.iter() {
            put(u64::from(*m), 1);
            put(u64::from(*o), 3);
        }
        put(s.resp.len() as u64, 4);
        for (m, ok) in s.resp.iter() {
            put(u64::from(*m), 1);
            put(u64::from(*ok), 1);
        }
        for m in s.msgs.iter() {
            put(*m as u64, 2);
        }
        debug_assert!(at <= 64);
        [u64::from(b[0]) << 32 | u64::from(b[1]), u64::from(b[2]), r]
    }

    /// Every message is in the committed log (below the high watermark), where consumers read it.
    fn delivered(&self, s: &State) -> bool {
        let c = Self::committed(s);
        (0..self.messages).all(|m| c.iter().any(|e| e.msg == m))
    }

    /// Offline partition: no leader and no live replica the controller may elect.
    fn unavailable(&self, s: &State) -> bool {
        let rf = self.rf() as u8;
        let live_in = |set: u8| (0..rf).any(|r| set & bit(r) != 0 && s.alive[r as usize]);
        let electable = live_in(s.isr)
            || (self.p.elr && live_in(s.elr))
            || (self.p.unclean_leader_election && s.alive.iter().take(rf as usize).any(|a| *a));
        s.leader.is_none() && !electable
    }
}

/// One step of a trace: who acts (named from the state before), and the state after.
pub fn describe(p: &Produce, s: &State, a: &Action, post: &State) -> Snap {
    let bn = |b: u8| format!("Broker {b}");
    let leader = s.leader.map(bn).unwrap_or_else(|| "Controller".into());
    let st = snapshot(p, post);
    let (actor, target, action, note, lost): (String, Option<String>, String, String, bool) = match a {
        Action::Send(m) => {
            ("Producer".into(), Some(leader), format!("produce m{m}"), format!("the producer sends m{m}"), false)
        }
        Action::Deliver => {
            let l = s.leader.map(bn).unwrap_or_default();
            (l, None, "append".into(), "the leader handles the produce request".into(), false)
        }
        Action::Respond => {
            ("Producer".into(), None, "response".into(), "the producer reads a produce response".into(), false)
        }
        Action::Fetch(f) => {
            (bn(*f), Some(leader), "fetch".into(), format!("broker {f} replicates from the leader"), false)
        }
        Action::Expand(f) => {
            (leader, None, format!("ISR += {f}"), format!("broker {f} caught up and rejoins the ISR"), false)
        }
        Action::Elect(c, kind) => (
            "Controller".into(),
            Some(bn(*c)),
            format!("elect {c} ({})", kind.name()),
            format!("the controller makes broker {c} leader ({} election)", kind.name()),
            false,
        ),
        Action::Restart(b) => {
            (bn(*b), None, "restart".into(), format!("broker {b} comes back with the log it has"), false)
        }
        Action::Crash(b, lossy) => (
            bn(*b),
            None,
            if *lossy { "crash (power loss)".into() } else { "crash".into() },
            if *lossy {
                format!("broker {b} loses power: its unflushed log is gone")
            } else {
                format!("broker {b} crashes (keeps its log on disk)")
            },
            false,
        ),
        Action::Shrink(f) => {
            (leader, None, format!("ISR -= {f}"), format!("follower {f} falls behind and leaves the ISR"), false)
        }
        Action::Timeout(m) => (
            "Producer".into(),
            None,
            format!("request timeout m{m}"),
            format!("the request or its response for m{m} is lost; the write may or may not have happened"),
            true,
        ),
    };
    Snap { actor, target, action, note, lost, rejected: false, state: st }
}

fn snapshot(p: &Produce, s: &State) -> Vec<(String, String)> {
    let mut st = Vec::new();
    for b in 0..p.rf() as u8 {
        let log: Vec<String> = s.logs[b as usize].iter().map(|e| format!("m{}", e.msg)).collect();
        let mark = if s.leader == Some(b) {
            " (leader)"
        } else if !s.alive[b as usize] {
            " (down)"
        } else {
            ""
        };
        st.push((format!("Broker {b} log{mark}"), format!("[{}]", log.join(" "))));
    }
    let set = |m: u8| {
        let v: Vec<String> = (0..p.rf() as u8).filter(|r| m & bit(*r) != 0).map(|r| r.to_string()).collect();
        format!("{{{}}}", v.join(","))
    };
    st.push(("HW".into(), s.hw.to_string()));
    st.push(("ISR".into(), set(s.isr)));
    if p.p.elr {
        st.push(("ELR".into(), set(s.elr)));
    }
    st
}

/// Which message the violating state lost or duplicated, and where it was acknowledged.
pub fn explain(p: &Produce, path: &[(Option<Action>, State)], prop: usize) -> (String, Option<usize>) {
    let last = &path.last().expect("non-empty path").1;
    let c = Produce::committed(last);
    let show = |s: &State| {
        let v: Vec<String> = Produce::committed(s).iter().map(|e| format!("m{}", e.msg)).collect();
        format!("[{}]", v.join(" "))
    };
    let n = path.len() - 1;
    match prop {
        0 => {
            let m = (0..p.messages).find(|m| !c.iter().any(|e| e.msg == *m)).unwrap_or(0);
            let acked = path.iter().position(|(_, s)| s.msgs[m as usize] == Msg::Acked);
            let failed = last.msgs[m as usize] == Msg::Failed;
            let text = match (acked, failed) {
                (Some(i), _) => format!(
                    "m{m} was acknowledged at step {i}; at step {n} the committed log is {} → acknowledged message lost",
                    show(last)
                ),
                (None, true) => format!(
                    "m{m} failed and is not retried; at step {n} the committed log is {} → message lost",
                    show(last)
                ),
                _ => format!("at step {n} the committed log is {} → m{m} lost", show(last)),
            };
            (text, acked)
        }
        1 => {
            let m = (0..p.messages).find(|m| c.iter().filter(|e| e.msg == *m).count() > 1).unwrap_or(0);
            let first = path.iter().position(|(_, s)| Produce::committed(s).iter().any(|e| e.msg == m));
            (format!("at step {n} the committed log is {} → m{m} written twice", show(last)), first)
        }
        _ => (format!("at step {n} the committed log is {} → messages out of send order", show(last)), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(msg: u8, epoch: u8) -> Entry {
        Entry { msg, epoch }
    }

    /// The packed log against a plain vector of entries: every operation the model uses, on
    /// every log of up to 6 entries over two messages and a few epochs.
    #[test]
    fn packed_log_behaves_like_a_vector() {
        let entries = [e(0, 0), e(1, 0), e(0, 1), e(1, 7), e(0, 7)];
        let mut logs: Vec<Vec<Entry>> = vec![vec![]];
        for _ in 0..6 {
            let longer: Vec<Vec<Entry>> = logs
                .iter()
                .filter(|l| l.len() < 3 || l.iter().all(|x| *x == l[0]))
                .flat_map(|l| entries.iter().map(move |x| [l.clone(), vec![*x]].concat()))
                .filter(|l| !logs.contains(l))
                .collect();
            logs.extend(longer);
        }
        let pack = |v: &[Entry]| {
            let mut l = Log::default();
            for x in v {
                assert!(l.push(*x));
            }
            l
        };
        for a in &logs {
            let la = pack(a);
            assert_eq!(la.len(), a.len());
            assert_eq!(la.iter().collect::<Vec<_>>(), *a);
            assert_eq!(la.contains(1), a.iter().any(|x| x.msg == 1));
            assert_eq!(la.position(0), a.iter().position(|x| x.msg == 0));
            for n in 0..=a.len() {
                let mut t = la;
                t.truncate(n);
                assert_eq!(t, pack(&a[..n]), "truncating {a:?} to {n}");
            }
            let mut full = la;
            if a.len() == Log::CAP {
                assert!(!full.push(e(0, 0)) && full == la, "a full log refuses and stays");
            }
            for b in logs.iter().step_by(7) {
                let lb = pack(b);
                let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
                assert_eq!(la.common_prefix(lb), common, "{a:?} / {b:?}");
                assert_eq!(la == lb, a == b);
            }
        }
        assert!(logs.iter().any(|l| l.len() == Log::CAP));
    }
}
