//! The model checker: explicit-state bounded search over Kafka's produce, consume and transactional
//! paths with injected faults (docs/model.md §6), returning the properties that hold within the bounds
//! and, for each one that does not, the shortest counterexample (fewest faults, then fewest steps).
//!
//! Segments are checked separately and combined (docs/model.md §6): a producer runs segment A in
//! sub-checks that keep each state space small; a consumer runs segment B; a pipeline runs segment
//! C plus segment A for its output producer.

mod consume;
mod pipeline;
mod produce;
pub mod search;
mod small;
mod trace;

use super::params::{Bounds, CheckOutcome, Counterexample, FaultModel, ModelParams, ProducerParams, Property};
use search::{Explored, Model};
use std::hash::Hash;

const PROPS: [Property; 3] = [Property::NoLoss, Property::NoDuplicate, Property::NoReorder];

/// Which search explores the models: the optimised one (least cost, symmetry-reduced, early
/// exit) or the plain reference it is tested against (`search::explore_plain`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Search {
    Optimised,
    Plain,
}

impl Search {
    fn run<M: Model>(self, m: &M, max_faults: u8, wanted: [bool; 3]) -> Explored<M::State, M::Action>
    where
        M::State: Eq + Hash,
    {
        match self {
            Search::Optimised => search::explore(m, max_faults, wanted),
            Search::Plain => search::explore_plain(m, max_faults),
        }
    }
}

/// Explore the model for `params` under `faults` within `bounds`.
pub fn check(params: &ModelParams, faults: FaultModel, bounds: Bounds) -> CheckOutcome {
    check_with(params, faults, bounds, Search::Optimised)
}

/// `check` with a choice of search (the plain one only for tests and benchmarks).
pub fn check_with(params: &ModelParams, faults: FaultModel, bounds: Bounds, search: Search) -> CheckOutcome {
    let mut acc = Acc::new(bounds);
    match params {
        ModelParams::Producer(p) => check_producer(&mut acc, p, faults, bounds, search),
        ModelParams::Consumer(c) => {
            let m = consume::Consume { p: c.clone(), records: bounds.messages.clamp(1, 3), rebalances: true };
            let e = search.run(&m, bounds.faults, [true, true, false]);
            acc.add(&m, e, consume::describe, |s, t| s.faults != t.faults, consume::explain);
        }
        ModelParams::Pipeline(pp) => {
            let m =
                pipeline::Pipeline { p: pp.clone(), records: bounds.messages.clamp(1, pipeline::MAX_RECORDS as u8) };
            let e = search.run(&m, bounds.faults.min(2), [true, true, false]);
            acc.add(
                &m,
                e,
                |s, a, t| pipeline::describe(&m, s, a, t),
                |s, t| s.faults != t.faults,
                |path, p| pipeline::explain(&m, path, p),
            );
            check_producer(&mut acc, &pp.producer, faults, bounds, search);
        }
    }
    acc.finish()
}

/// Segment A in sub-checks (docs/model.md §6.1): durability (1 message, broker faults up to the bound)
/// and client+mixed (all messages, any fault kind, one fewer fault), so that each space stays small.
fn check_producer(acc: &mut Acc, p: &ProducerParams, faults: FaultModel, bounds: Bounds, search: Search) {
    let subs = [(1u8, true, true, bounds.faults), (bounds.messages.clamp(1, 2), true, true, bounds.faults.min(2))];
    for (messages, broker, client, max) in subs {
        let m = produce::Produce { p: p.clone(), faults, messages, broker_faults: broker, client_faults: client };
        let wanted = [acc.found[0].is_none(), acc.found[1].is_none(), acc.found[2].is_none() && messages > 1];
        let e = search.run(&m, max, wanted);
        acc.add(
            &m,
            e,
            |s, a, t| produce::describe(&m, s, a, t),
            |s, t| s.faults != t.faults,
            |path, p| produce::explain(&m, path, p),
        );
    }
}

struct Acc {
    found: [Option<Counterexample>; 3],
    states: u64,
    unavailable: bool,
    /// Every model explored so far has a fault-free run that delivers everything.
    delivers: bool,
    bounds: Bounds,
}

impl Acc {
    fn new(bounds: Bounds) -> Self {
        Acc { found: [None, None, None], states: 0, unavailable: false, delivers: true, bounds }
    }

    fn add<M: Model>(
        &mut self,
        _m: &M,
        e: Explored<M::State, M::Action>,
        describe: impl Fn(&M::State, &M::Action, &M::State) -> trace::Snap,
        is_fault: impl Fn(&M::State, &M::State) -> bool,
        explain: impl Fn(&[(Option<M::Action>, M::State)], usize) -> (String, Option<usize>),
    ) {
        self.states += e.states;
        self.unavailable |= e.unavailable;
        self.delivers &= e.delivery.is_some();
        for (i, v) in e.violations.iter().enumerate() {
            let Some(path) = v else { continue };
            let cx = trace::counterexample(PROPS[i], path, &describe, &is_fault, explain(path, i));
            // Keep the shorter witness: fewest faults, then fewest steps.
            let better = match &self.found[i] {
                None => true,
                Some(old) => (cx.faults, cx.steps.len()) < (old.faults, old.steps.len()),
            };
            if better {
                self.found[i] = Some(cx);
            }
        }
    }

    fn finish(self) -> CheckOutcome {
        let [loss, dup, reorder] = self.found;
        CheckOutcome {
            no_loss: loss.is_none(),
            no_duplicate: dup.is_none(),
            no_reorder: reorder.is_none(),
            unavailable: self.unavailable,
            delivers: self.delivers,
            states: self.states,
            bounds: self.bounds,
            counterexamples: [loss, dup, reorder].into_iter().flatten().collect(),
        }
    }
}

#[cfg(test)]
mod differential;
#[cfg(test)]
mod tests;
