//! The optimised search against the plain reference (`search::explore_plain`: no symmetry, no
//! early exit, exact state equality) on generated models: every property's verdict, the fault
//! count and length of each shortest counterexample, unavailability and the fault-free delivery
//! must agree. A disagreement prints the model's parameters.

use super::search::{Explored, Model, explore, explore_plain};
use super::{consume, pipeline, produce};
use crate::semantics::params::*;
use std::fmt::Debug;
use std::hash::Hash;

/// A small deterministic generator (SplitMix64), so a failure names a reproducible case.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn flip(&mut self) -> bool {
        self.next() & 1 == 1
    }
    fn producer(&mut self) -> ProducerParams {
        let rf = 1 + self.below(3) as u8;
        ProducerParams {
            acks: [Acks::Zero, Acks::One, Acks::All][self.below(3) as usize],
            retries: self.flip(),
            idempotent: self.flip(),
            max_in_flight: 1 + self.below(2) as u32,
            replication_factor: rf,
            // Up to one more than the replication factor: the case that can never deliver.
            min_insync_replicas: 1 + self.below(u64::from(rf) + 1) as u8,
            unclean_leader_election: self.flip(),
            elr: self.flip(),
            transactional: self.flip(),
        }
    }
    fn consumer(&mut self) -> ConsumerParams {
        use CommitStrategy::*;
        let all = [
            BeforeProcessing,
            AfterProcessing,
            JavaAutoCommit,
            RdkAutoCommit,
            RdkStoreAfterProcessing,
            Never,
            Transactional,
        ];
        ConsumerParams {
            commit: all[self.below(all.len() as u64) as usize],
            sync_processing: self.flip(),
            read_committed: self.flip(),
            reset_earliest: self.flip(),
            membership: Membership::ALL[self.below(3) as usize],
        }
    }
}

/// What two explorations of one model must agree on.
#[derive(Debug, PartialEq, Eq)]
struct Summary {
    costs: [Option<(u8, u32)>; 3],
    unavailable: bool,
    delivery: Option<usize>,
}

fn summary<S, A>(e: &Explored<S, A>) -> Summary {
    Summary { costs: e.costs, unavailable: e.unavailable, delivery: e.delivery.as_ref().map(Vec::len) }
}

/// Compare on one model; returns (states optimised, states plain).
fn agree<M: Model>(m: &M, max_faults: u8, what: &dyn Debug) -> (u64, u64)
where
    M::State: Eq + Hash,
{
    // Every property wanted, so the optimised search stops only when all three are found.
    let fast = explore(m, max_faults, [true; 3]);
    let plain = explore_plain(m, max_faults);
    let (f, p) = (summary(&fast), summary(&plain));
    // With every property found the optimised search stops early and may not have seen every
    // state: unavailability is then a lower bound. Everything else is exact.
    let explored_all = fast.costs.iter().any(Option::is_none);
    let f = Summary { unavailable: if explored_all { f.unavailable } else { p.unavailable }, ..f };
    assert_eq!(f, p, "optimised and plain search disagree on {what:?} with ≤{max_faults} faults");
    if !explored_all {
        assert!(!fast.unavailable || plain.unavailable, "{what:?}");
    }
    (fast.states, plain.states)
}

/// How many generated models each run compares (the acceptance floor is 10 000).
const CASES: u32 = 10_500;

#[test]
fn optimised_and_plain_search_agree_on_generated_models() {
    let mut g = Gen(0x005E_ED0F_5E4C);
    let (mut fast, mut plain) = (0u64, 0u64);
    let mut kinds = [0u32; 3];
    let mut memberships = [0u32; 3];
    for case in 0..CASES {
        let (a, b) = match case % 8 {
            // Producers dominate: the symmetry reduction lives there.
            0..=4 => {
                kinds[0] += 1;
                let m = produce::Produce {
                    p: g.producer(),
                    faults: if g.flip() { FaultModel::PowerLoss } else { FaultModel::KafkaPromise },
                    messages: 1 + g.below(2) as u8,
                    broker_faults: g.below(4) != 0,
                    client_faults: g.below(4) != 0,
                };
                let max = if m.messages == 2 { g.below(3) as u8 } else { g.below(4) as u8 };
                let what = (case, &m.p, m.faults, m.messages, m.broker_faults, m.client_faults);
                agree(&m, max, &what)
            }
            5 | 6 => {
                kinds[1] += 1;
                let m =
                    consume::Consume { p: g.consumer(), records: 1 + g.below(3) as u8, rebalances: g.below(4) != 0 };
                let max = g.below(4) as u8;
                memberships[m.p.membership as usize] += 1;
                agree(&m, max, &(case, &m.p, m.records, m.rebalances))
            }
            _ => {
                kinds[2] += 1;
                let m = pipeline::Pipeline {
                    p: PipelineParams {
                        producer: g.producer(),
                        consumer: g.consumer(),
                        fenced: g.flip(),
                        rewind_on_abort: g.flip(),
                        downstream_read_committed: g.flip(),
                    },
                    records: 1 + g.below(2) as u8,
                };
                let max = g.below(3) as u8;
                agree(&m, max, &(case, &m.p, m.records))
            }
        };
        fast += a;
        plain += b;
    }
    eprintln!(
        "differential search: {CASES} models ({} producer, {} consumer, {} pipeline); states optimised {fast}, plain {plain}",
        kinds[0], kinds[1], kinds[2]
    );
    assert!(fast < plain, "the reductions explore fewer states than the plain search");
    assert!(memberships.iter().all(|n| *n > 100), "consumers of every membership: {memberships:?}");
}

/// Without the election fix the sorted key merged states whose possible elections differed; the
/// plain search (no symmetry) would then find counterexamples the optimised one missed. This
/// pins one such model: three replicas, unclean election, power loss.
#[test]
fn symmetry_reduction_is_sound_for_every_election_rule() {
    let base = super::tests::safe();
    for (unclean, elr) in [(false, false), (true, false), (false, true), (true, true)] {
        for min_isr in 1..=3 {
            for faults in [FaultModel::KafkaPromise, FaultModel::PowerLoss] {
                let p = ProducerParams {
                    unclean_leader_election: unclean,
                    elr,
                    min_insync_replicas: min_isr,
                    ..base.clone()
                };
                let m = produce::Produce { p, faults, messages: 1, broker_faults: true, client_faults: false };
                agree(&m, 3, &(unclean, elr, min_isr, faults));
            }
        }
    }
}
