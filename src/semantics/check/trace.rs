//! Turning a search path into the structured counterexample steps that the site draws.

use crate::semantics::params::{Counterexample, Property, Step};

/// What one step looks like to a reader (the fault flag is added from the action's cost).
pub struct Snap {
    pub actor: String,
    pub target: Option<String>,
    pub action: String,
    pub note: String,
    pub lost: bool,
    /// The receiver refused the request (a stale generation's commit).
    pub rejected: bool,
    pub state: Vec<(String, String)>,
}

/// Build a counterexample from a path of (action, state after) pairs. `describe` names a step
/// from the state before, the action and the state after; `is_fault` says whether the action
/// spent fault budget; `explain` spells out the violation and the step that set it up.
pub fn counterexample<S, A>(
    property: Property,
    path: &[(Option<A>, S)],
    describe: impl Fn(&S, &A, &S) -> Snap,
    is_fault: impl Fn(&S, &S) -> bool,
    explanation: (String, Option<usize>),
) -> Counterexample {
    let mut steps = Vec::new();
    let mut faults = 0u8;
    for w in path.windows(2) {
        let (pre, (a, post)) = (&w[0].1, (&w[1].0, &w[1].1));
        let Some(a) = a else { continue };
        let snap = describe(pre, a, post);
        let fault = is_fault(pre, post);
        faults += u8::from(fault);
        steps.push(Step {
            actor: snap.actor,
            target: snap.target,
            action: snap.action,
            note: snap.note,
            fault,
            lost: snap.lost,
            rejected: snap.rejected,
            state: snap.state,
        });
    }
    let (violation, cause) = explanation;
    let violation_step = steps.len();
    Counterexample { property, faults, steps, violation, cause_step: cause.filter(|c| *c > 0), violation_step }
}
