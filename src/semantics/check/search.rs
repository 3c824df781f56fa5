//! The search: explicit-state, by least cost where a path's cost is (injected faults, steps) in
//! that order, so every state is settled at its fewest faults (the most fault budget left for
//! what follows it) and the first counterexample found has the fewest faults and, among those,
//! the fewest steps. `explore_plain` is the reference it is tested against.
//!
//! Hand-written rather than taken from stateright (the crate whose `Model` shape `init`,
//! `actions`, `step` this follows): stateright's checkers bound depth, not a fault budget, and
//! cannot order by fault count first. "At rest" properties are checked where no healing action is
//! enabled. The visited set holds exact packed keys (no fingerprints), symmetry-reduced by
//! `Model::key`.
//!
//! Why least-cost and not a plain layered BFS: a state first generated through a fault must stay
//! open to a cheaper path found later (healing steps to the same state within the same layer);
//! marking it visited on generation explored it with less budget than it has and missed
//! counterexamples that needed the full budget from there (`a_state_first_reached_through_a_fault_keeps_its_full_budget`).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
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
    /// traces stay concrete while the space shrinks. Sound only if the model is symmetric: the
    /// image of an enabled action under the symmetry is enabled in the image state, and the
    /// properties, `unavailable` and `delivered` do not change under it (the differential test
    /// against `explore_plain` checks this on generated models).
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
    /// The goal of the system was reached in this state: every message was delivered (and read,
    /// where the model has a reader). A fault-free run to such a state at rest shows that the
    /// properties are not satisfied vacuously (a configuration that can never deliver also never
    /// loses an acknowledged write).
    fn delivered(&self, s: &Self::State) -> bool;
}

/// A path from the initial state: `(None, init)`, then `(Some(action), state after)` pairs.
pub type Path<S, A> = Vec<(Option<A>, S)>;

/// Result of exploring one model.
pub struct Explored<S, A> {
    /// For each property index, the path (initial state, then (action, state) pairs) to the first
    /// violating state found, if any.
    pub violations: [Option<Path<S, A>>; 3],
    /// A shortest fault-free path to a state at rest in which everything was delivered, if the
    /// search saw one (it always looks at the whole fault-free space before any fault).
    pub delivery: Option<Path<S, A>>,
    /// (faults, steps) of each violation's path.
    pub costs: [Option<(u8, u32)>; 3],
    pub states: u64,
    pub unavailable: bool,
}

/// The cost of a path: injected faults first, then steps.
type Cost = (u8, u32);

/// Explore every state reachable with at most `max_faults` faults, each at its least cost. Stops
/// early once every property in `wanted` has a counterexample and the fault-free space has been
/// searched for a delivery (a proof needs the whole space).
pub fn explore<M: Model>(m: &M, max_faults: u8, wanted: [bool; 3]) -> Explored<M::State, M::Action> {
    let cap = m.capacity_hint();
    let mut g = Graph::with_capacity(cap);
    // The cheapest known path to each key: the index of its node. A node replaced by a cheaper
    // one before it was expanded is `stale` and skipped when its bucket comes up.
    let mut best: HashMap<M::Key, u32> = HashMap::with_capacity_and_hasher(cap, Default::default());
    let mut stale: Vec<bool> = Vec::with_capacity(cap);
    // buckets[faults][steps]: nodes waiting to be expanded, popped in (faults, steps) order.
    let mut buckets: Vec<Vec<Vec<u32>>> = vec![Vec::new(); usize::from(max_faults) + 1];
    let init = m.init();
    best.insert(m.key(&init), 0);
    g.push(init, None, (0, 0));
    stale.push(false);
    buckets[0].push(vec![0]);
    let mut found: [Option<usize>; 3] = [None, None, None];
    let mut delivery = None;
    let mut unavailable = false;
    let mut acts = Vec::new();
    for k in 0..=max_faults {
        let mut d = 0;
        while d < buckets[usize::from(k)].len() {
            let bucket = std::mem::take(&mut buckets[usize::from(k)][d]);
            for i in bucket {
                let i = i as usize;
                if stale[i] {
                    continue;
                }
                let s = g.states[i].clone();
                acts.clear();
                m.actions(&s, &mut acts);
                g.observe(m, i, &s, &acts, &mut found, &mut unavailable);
                if k == 0 && delivery.is_none() && m.delivered(&s) {
                    delivery = Some(i);
                }
                let settled = (0..3).all(|p| !wanted[p] || found[p].is_some());
                if settled && (k > 0 || delivery.is_some()) {
                    return g.finish(found, delivery, unavailable);
                }
                for (a, fault) in acts.drain(..) {
                    if fault && k == max_faults {
                        continue;
                    }
                    let Some(t) = m.step(&s, &a) else { continue };
                    let cost = (k + u8::from(fault), d as u32 + 1);
                    let key = m.key(&t);
                    let j = g.states.len() as u32;
                    match best.get_mut(&key) {
                        Some(old) if g.cost[*old as usize] <= cost => continue,
                        Some(old) => {
                            // Only a node not yet expanded can be undercut: nodes are expanded
                            // in cost order and a successor costs more than its predecessor.
                            stale[*old as usize] = true;
                            *old = j;
                        }
                        None => {
                            best.insert(key, j);
                        }
                    }
                    g.push(t, Some((i as u32, a)), cost);
                    stale.push(false);
                    let layer = &mut buckets[usize::from(cost.0)];
                    if layer.len() <= d + 1 {
                        layer.resize_with(d + 2, Vec::new);
                    }
                    layer[d + 1].push(j);
                }
            }
            d += 1;
        }
    }
    g.finish(found, delivery, unavailable)
}

/// The reference search the optimised one is tested against: breadth-first over (exact state,
/// faults used) pairs, no symmetry, no early exit, no pruning beyond exact equality; each
/// property's counterexample is the violating pair of least (faults, steps).
pub fn explore_plain<M: Model>(m: &M, max_faults: u8) -> Explored<M::State, M::Action>
where
    M::State: Eq + Hash,
{
    let mut g = Graph::with_capacity(1024);
    let mut seen: HashSet<(M::State, u8)> = HashSet::default();
    let init = m.init();
    seen.insert((init.clone(), 0));
    g.push(init, None, (0, 0));
    let mut violations: [Option<usize>; 3] = [None, None, None];
    let mut delivery = None;
    let mut unavailable = false;
    let mut acts = Vec::new();
    let mut i = 0;
    while i < g.states.len() {
        let s = g.states[i].clone();
        let (k, d) = g.cost[i];
        acts.clear();
        m.actions(&s, &mut acts);
        let mut here = [None; 3];
        g.observe(m, i, &s, &acts, &mut here, &mut unavailable);
        for p in 0..3 {
            if here[p].is_some() && violations[p].is_none_or(|v| g.cost[v] > g.cost[i]) {
                violations[p] = Some(i);
            }
        }
        if k == 0 && delivery.is_none() && m.delivered(&s) {
            delivery = Some(i);
        }
        for (a, fault) in acts.drain(..) {
            if fault && k == max_faults {
                continue;
            }
            let Some(t) = m.step(&s, &a) else { continue };
            let nk = k + u8::from(fault);
            if !seen.insert((t.clone(), nk)) {
                continue;
            }
            g.push(t, Some((i as u32, a)), (nk, d + 1));
        }
        i += 1;
    }
    g.finish(violations, delivery, unavailable)
}

/// The explored graph: every node's state, how it was reached and at what cost.
struct Graph<S, A> {
    states: Vec<S>,
    parent: Vec<Option<(u32, A)>>,
    cost: Vec<Cost>,
}

impl<S: Clone, A: Clone> Graph<S, A> {
    fn with_capacity(cap: usize) -> Self {
        Graph { states: Vec::with_capacity(cap), parent: Vec::with_capacity(cap), cost: Vec::with_capacity(cap) }
    }

    fn push(&mut self, s: S, parent: Option<(u32, A)>, cost: Cost) {
        self.states.push(s);
        self.parent.push(parent);
        self.cost.push(cost);
    }

    /// Record node `i`'s violations (first one per property wins) and unavailability.
    fn observe<M: Model<State = S, Action = A>>(
        &self,
        m: &M,
        i: usize,
        s: &S,
        acts: &[(A, bool)],
        found: &mut [Option<usize>; 3],
        unavailable: &mut bool,
    ) {
        let always = m.always(s);
        let rest = if acts.iter().any(|(_, f)| !f) { [true; 3] } else { m.at_rest(s) };
        for p in 0..3 {
            if (!always[p] || !rest[p]) && found[p].is_none() {
                found[p] = Some(i);
            }
        }
        *unavailable = *unavailable || m.unavailable(s);
    }

    fn path(&self, mut i: usize) -> Path<S, A> {
        let mut p = vec![];
        loop {
            match &self.parent[i] {
                Some((j, a)) => {
                    p.push((Some(a.clone()), self.states[i].clone()));
                    i = *j as usize;
                }
                None => {
                    p.push((None, self.states[i].clone()));
                    break;
                }
            }
        }
        p.reverse();
        p
    }

    fn finish(self, found: [Option<usize>; 3], delivery: Option<usize>, unavailable: bool) -> Explored<S, A> {
        Explored {
            violations: found.map(|f| f.map(|i| self.path(i))),
            delivery: delivery.map(|i| self.path(i)),
            costs: found.map(|f| f.map(|i| self.cost[i])),
            states: self.states.len() as u64,
            unavailable,
        }
    }
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
        fn delivered(&self, s: &(u8, u8)) -> bool {
            s.0 == 3
        }
    }

    /// From `Start`, a fault leads straight to `Mid`, and two healing steps lead there too. From
    /// `Mid` a second fault violates property 0. With a budget of two faults the violation is
    /// reachable (healing to `Mid`, then one fault), but a search that marks `Mid` visited when
    /// the fault first generates it expands `Mid` with one fault spent and misses it.
    #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
    enum Node {
        Start,
        Detour,
        Mid,
        Bad,
    }
    struct Budget;
    impl Model for Budget {
        type State = (Node, u8);
        type Action = (Node, bool);
        type Key = Node;
        fn key(&self, s: &(Node, u8)) -> Node {
            s.0
        }
        fn init(&self) -> (Node, u8) {
            (Node::Start, 0)
        }
        fn actions(&self, s: &(Node, u8), out: &mut Vec<((Node, bool), bool)>) {
            match s.0 {
                // The fault comes first, so a generation-time visited mark sees it first.
                Node::Start => out.extend([((Node::Mid, true), true), ((Node::Detour, false), false)]),
                Node::Detour => out.push(((Node::Mid, false), false)),
                Node::Mid => out.push(((Node::Bad, true), true)),
                Node::Bad => {}
            }
        }
        fn step(&self, s: &(Node, u8), a: &(Node, bool)) -> Option<(Node, u8)> {
            Some((a.0, s.1 + u8::from(a.1)))
        }
        fn always(&self, s: &(Node, u8)) -> [bool; 3] {
            [s.0 != Node::Bad, true, true]
        }
        fn at_rest(&self, _: &(Node, u8)) -> [bool; 3] {
            [true; 3]
        }
        fn delivered(&self, s: &(Node, u8)) -> bool {
            s.0 == Node::Mid
        }
    }

    #[test]
    fn a_state_first_reached_through_a_fault_keeps_its_full_budget() {
        let e = explore(&Budget, 1, [true; 3]);
        let p = e.violations[0].as_ref().expect("Start → Detour → Mid → (fault) Bad is within one fault");
        assert_eq!(e.costs[0], Some((1, 3)));
        assert_eq!(p.iter().map(|(_, s)| s.0).collect::<Vec<_>>(), [Node::Start, Node::Detour, Node::Mid, Node::Bad]);
        let plain = explore_plain(&Budget, 1);
        assert_eq!(plain.costs, e.costs);
        assert!(explore(&Budget, 0, [true; 3]).violations[0].is_none());
        assert_eq!(e.delivery.map(|p| p.len()), Some(3), "the fault-free run reaches Mid in two steps");
    }

    #[test]
    fn a_model_that_never_delivers_has_no_delivery_path() {
        struct Stuck;
        impl Model for Stuck {
            type State = u8;
            type Action = ();
            type Key = u8;
            fn key(&self, s: &u8) -> u8 {
                *s
            }
            fn init(&self) -> u8 {
                0
            }
            // Retries forever: one healing action that changes nothing visible.
            fn actions(&self, _: &u8, out: &mut Vec<((), bool)>) {
                out.push(((), false));
            }
            fn step(&self, s: &u8, _: &()) -> Option<u8> {
                Some((s + 1) % 2)
            }
            fn always(&self, _: &u8) -> [bool; 3] {
                [true; 3]
            }
            fn at_rest(&self, _: &u8) -> [bool; 3] {
                [false; 3]
            }
            fn delivered(&self, _: &u8) -> bool {
                false
            }
        }
        let e = explore(&Stuck, 2, [true; 3]);
        assert!(e.violations.iter().all(Option::is_none), "never at rest, so nothing is violated");
        assert!(e.delivery.is_none(), "and nothing is ever delivered: the \"yes\" would be vacuous");
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
        assert_eq!(explore_plain(&Toy, 1).costs, e.costs);
    }
}
