//! The search: explicit-state, breadth-first in layers by number of injected faults, so the first
//! counterexample found for a property has the fewest faults and, among those, the fewest steps.
//!
//! MODEL.md §4.5 and §6: a hand-written BFS behind a `Model` trait shaped like stateright's
//! (`init`, `actions`, `step`), with "at rest" properties checked where no healing action is
//! enabled. The visited set holds whole states (exact, no fingerprints).

use rustc_hash::FxHashSet as HashSet;
use std::hash::Hash;

/// A transition system with faults. Healing actions are unbounded; fault actions cost one unit of
/// the fault budget each.
pub trait Model {
    type State: Clone;
    type Action: Clone;
    /// What the visited set holds for a state: equal keys for states the search may treat as one.
    type Key: Eq + Hash;

    fn init(&self) -> Self::State;
    /// Enabled actions in a deterministic order; each with whether it is a fault.
    fn actions(&self, s: &Self::State, out: &mut Vec<(Self::Action, bool)>);
    /// The successor, or `None` if the action turns out to change nothing.
    fn step(&self, s: &Self::State, a: &Self::Action) -> Option<Self::State>;
    /// Properties that must hold in every state: index → holds?
    fn always(&self, s: &Self::State) -> [bool; 3];
    /// Properties that must hold at rest (no healing action enabled).
    fn at_rest(&self, s: &Self::State) -> [bool; 3];
    /// The state's symmetry class (e.g. the two followers swapped) as an exact, compact value:
    /// two states get equal keys only if one is the other up to that symmetry (and up to trace
    /// bookkeeping such as the fault count). The search explores one concrete state per class, so
    /// traces stay concrete while the space shrinks.
    fn key(&self, s: &Self::State) -> Self::Key;
    /// Roughly how many states a full exploration visits, to size the tables once instead of
    /// growing them (only a hint: exploration is the same whatever it says).
    fn capacity_hint(&self) -> usize {
        4096
    }
    /// A state in which the system cannot make progress until a specific failed node returns.
    fn unavailable(&self, _s: &Self::State) -> bool {
        false
    }
}

/// A path from the initial state: `(None, init)`, then `(Some(action), state after)` pairs.
pub type Path<S, A> = Vec<(Option<A>, S)>;

/// Result of exploring one model.
pub struct Explored<S, A> {
    /// For each property index, the path (initial state, then (action, state) pairs) to the first
    /// violating state found, if any.
    pub violations: [Option<Path<S, A>>; 3],
    pub states: u64,
    pub unavailable: bool,
}

/// Explore every state reachable with at most `max_faults` faults. Stops early once every property
/// in `wanted` has a counterexample (a proof needs the whole space).
pub fn explore<M: Model>(m: &M, max_faults: u8, wanted: [bool; 3]) -> Explored<M::State, M::Action> {
    let init = m.init();
    let cap = m.capacity_hint();
    let mut states: Vec<M::State> = Vec::with_capacity(cap);
    states.push(init.clone());
    let mut parent: Vec<Option<(u32, M::Action)>> = Vec::with_capacity(cap);
    parent.push(None);
    let mut seen: HashSet<M::Key> = HashSet::with_capacity_and_hasher(cap, Default::default());
    seen.insert(m.key(&init));
    let mut found: [Option<usize>; 3] = [None, None, None];
    let mut unavailable = false;
    let mut layer = vec![0usize];
    let mut acts = Vec::new();
    for k in 0..=max_faults {
        let mut next_layer = Vec::new();
        let mut queue = std::collections::VecDeque::from(std::mem::take(&mut layer));
        while let Some(i) = queue.pop_front() {
            let s = states[i].clone();
            let always = m.always(&s);
            for p in 0..3 {
                if !always[p] && found[p].is_none() {
                    found[p] = Some(i);
                }
            }
            acts.clear();
            m.actions(&s, &mut acts);
            let healing = acts.iter().any(|(_, f)| !f);
            if !healing {
                let rest = m.at_rest(&s);
                for p in 0..3 {
                    if !rest[p] && found[p].is_none() {
                        found[p] = Some(i);
                    }
                }
            }
            unavailable = unavailable || m.unavailable(&s);
            if (0..3).all(|p| !wanted[p] || found[p].is_some()) {
                return finish(states, parent, found, unavailable);
            }
            for (a, fault) in acts.drain(..) {
                if fault && k == max_faults {
                    continue;
                }
                let Some(t) = m.step(&s, &a) else { continue };
                if !seen.insert(m.key(&t)) {
                    continue;
                }
                let j = states.len();
                states.push(t);
                parent.push(Some((i as u32, a)));
                if fault {
                    next_layer.push(j);
                } else {
                    queue.push_back(j);
                }
            }
        }
        layer = next_layer;
        if layer.is_empty() {
            break;
        }
    }
    finish(states, parent, found, unavailable)
}

fn finish<S: Clone, A: Clone>(
    states: Vec<S>,
    parent: Vec<Option<(u32, A)>>,
    found: [Option<usize>; 3],
    unavailable: bool,
) -> Explored<S, A> {
    let path = |mut i: usize| {
        let mut p = vec![];
        loop {
            match &parent[i] {
                Some((j, a)) => {
                    p.push((Some(a.clone()), states[i].clone()));
                    i = *j as usize;
                }
                None => {
                    p.push((None, states[i].clone()));
                    break;
                }
            }
        }
        p.reverse();
        p
    };
    Explored { violations: found.map(|f| f.map(path)), states: states.len() as u64, unavailable }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A counter that may be bumped by 1 (healing, up to 3) or knocked to 10 (a fault). Property 0
    /// fails at 10; property 1 fails at rest unless the value is 3.
    struct Toy;
    impl Model for Toy {
        type State = (u8, u8);
        type Action = u8;
        type Key = (u8, u8);
        fn key(&self, s: &(u8, u8)) -> (u8, u8) {
            *s
        }
        fn init(&self) -> (u8, u8) {
            (0, 0)
        }
        fn actions(&self, s: &(u8, u8), out: &mut Vec<(u8, bool)>) {
            if s.0 < 3 {
                out.push((1, false));
            }
            if s.0 != 10 {
                out.push((10, true));
            }
        }
        fn step(&self, s: &(u8, u8), a: &u8) -> Option<(u8, u8)> {
            Some(if *a == 10 { (10, s.1 + 1) } else { (s.0 + 1, s.1) })
        }
        fn always(&self, s: &(u8, u8)) -> [bool; 3] {
            [s.0 != 10, true, true]
        }
        fn at_rest(&self, s: &(u8, u8)) -> [bool; 3] {
            [true, s.0 == 3 || s.0 == 10, true]
        }
    }

    #[test]
    fn fewest_faults_then_fewest_steps() {
        let e = explore(&Toy, 1, [true, true, true]);
        let p = e.violations[0].as_ref().unwrap();
        assert_eq!(p.len(), 2, "the fault straight from the start is the shortest path");
        assert!(e.violations[1].is_none());
        let none = explore(&Toy, 0, [true, true, true]);
        assert!(none.violations[0].is_none());
        assert_eq!(none.states, 4);
    }
}
