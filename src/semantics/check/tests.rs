//! The anomaly table of docs/model.md §8 (rows 1–14e) as tests: each configuration gets the expected
//! properties, and each counterexample the expected fault count and shape. Every "yes" row explores
//! the whole bounded space and finds nothing.

use super::check;
use crate::semantics::params::*;

pub(super) fn safe() -> ProducerParams {
    ProducerParams {
        acks: Acks::All,
        retries: true,
        idempotent: true,
        max_in_flight: 2,
        replication_factor: 3,
        min_insync_replicas: 2,
        unclean_leader_election: false,
        elr: false,
        transactional: false,
    }
}

fn run(p: ProducerParams, f: FaultModel) -> CheckOutcome {
    check(&ModelParams::Producer(p), f, Bounds::default())
}

fn cx(o: &CheckOutcome, p: Property) -> &Counterexample {
    o.counterexamples.iter().find(|c| c.property == p).unwrap_or_else(|| panic!("no {p:?} counterexample: {o:#?}"))
}

/// The actions of the fault steps, in order.
fn fault_actions(c: &Counterexample) -> Vec<String> {
    c.steps.iter().filter(|s| s.fault).map(|s| format!("{}: {}", s.actor, s.action)).collect()
}

fn actions(c: &Counterexample) -> Vec<&str> {
    c.steps.iter().map(|s| s.action.as_str()).collect()
}

#[test]
fn safe_producer_is_exactly_once_over_the_whole_space() {
    let o = run(safe(), FaultModel::KafkaPromise);
    assert!(o.no_loss && o.no_duplicate && o.no_reorder, "{o:#?}");
    assert!(o.counterexamples.is_empty());
    assert!(o.states > 1000, "explored the full bounded space: {}", o.states);
}

#[test]
fn row1_acks_1_loses_an_acknowledged_write() {
    let o = run(ProducerParams { acks: Acks::One, ..safe() }, FaultModel::KafkaPromise);
    let c = cx(&o, Property::NoLoss);
    assert_eq!(c.faults, 1);
    assert_eq!(fault_actions(c), ["Broker 0: crash"]);
    let a = actions(c);
    let ack = a.iter().position(|x| *x == "response").expect("ack before the crash");
    let crash = a.iter().position(|x| *x == "crash").unwrap();
    assert!(ack < crash);
    assert!(a[crash..].iter().any(|x| x.contains("(clean)")), "clean election of a follower without m0: {a:?}");
    assert!(c.violation.contains("acknowledged"), "{}", c.violation);
}

#[test]
fn row2_acks_0_fire_and_forget_loss() {
    let o =
        run(ProducerParams { acks: Acks::Zero, retries: false, idempotent: false, ..safe() }, FaultModel::KafkaPromise);
    assert!(!o.no_loss && o.no_duplicate, "acks=0 is at most once");
    let c = cx(&o, Property::NoLoss);
    assert_eq!(c.faults, 1);
    assert_eq!(fault_actions(c), ["Broker 0: crash"]);
}

#[test]
fn row3_min_isr_1_power_loss_loses_acknowledged_writes_but_process_crashes_do_not() {
    let p = ProducerParams { min_insync_replicas: 1, ..safe() };
    let o = run(p.clone(), FaultModel::PowerLoss);
    let c = cx(&o, Property::NoLoss);
    assert_eq!(c.faults, 3);
    let f = fault_actions(c);
    assert_eq!(f.iter().filter(|x| x.contains("ISR -=")).count(), 2, "{f:?}");
    assert!(f.last().unwrap().contains("crash (power loss)"), "{f:?}");
    let o = run(p, FaultModel::KafkaPromise);
    assert!(o.no_loss, "process crashes only: no loss within 3 faults");
    assert!(o.unavailable, "only unavailability");
}

#[test]
fn row4_last_replica_standing_without_elr() {
    let o = run(safe(), FaultModel::PowerLoss);
    let c = cx(&o, Property::NoLoss);
    assert_eq!(c.faults, 3);
    let f = fault_actions(c);
    assert_eq!(f.iter().filter(|x| x.contains("ISR -=")).count(), 2, "{f:?}");
    assert!(f.last().unwrap().contains("crash (power loss)"));
}

#[test]
fn row4b_elr_turns_the_loss_into_unavailability() {
    let o = run(ProducerParams { elr: true, ..safe() }, FaultModel::PowerLoss);
    assert!(o.no_loss, "{:#?}", o.counterexamples);
    assert!(o.no_duplicate);
    assert!(o.unavailable);
}

#[test]
fn row5_unclean_election_loses_acknowledged_writes() {
    let o = run(ProducerParams { unclean_leader_election: true, ..safe() }, FaultModel::KafkaPromise);
    let c = cx(&o, Property::NoLoss);
    assert_eq!(c.faults, 3);
    assert!(actions(c).iter().any(|a| a.contains("(unclean)")), "{:?}", actions(c));
    let o = run(
        ProducerParams { unclean_leader_election: true, replication_factor: 2, min_insync_replicas: 1, ..safe() },
        FaultModel::KafkaPromise,
    );
    assert_eq!(cx(&o, Property::NoLoss).faults, 2, "RF=2");
}

#[test]
fn row6_retry_without_idempotence_duplicates() {
    let o = run(ProducerParams { acks: Acks::All, idempotent: false, ..safe() }, FaultModel::KafkaPromise);
    assert!(o.no_loss && !o.no_duplicate, "at least once");
    let c = cx(&o, Property::NoDuplicate);
    assert_eq!(c.faults, 1);
    let f = fault_actions(c);
    assert!(f[0].contains("request timeout") || f[0].contains("crash"), "{f:?}");
}

#[test]
fn row6b_failover_retry_duplicates() {
    // The timeout fault is not needed: a leader crash after replication, before the ack, also duplicates.
    let p = ProducerParams { idempotent: false, ..safe() };
    let m = super::produce::Produce {
        p,
        faults: FaultModel::KafkaPromise,
        messages: 1,
        broker_faults: true,
        client_faults: false,
    };
    let e = super::search::explore(&m, 1, [false, true, false]);
    let path = e.violations[1].as_ref().expect("duplicate with a broker fault only");
    let acts: Vec<String> = path.iter().filter_map(|(a, _)| a.as_ref().map(|a| format!("{a:?}"))).collect();
    assert!(acts.iter().any(|a| a.starts_with("Crash(0")), "{acts:?}");
    assert!(acts.iter().any(|a| a.starts_with("Elect(")), "{acts:?}");
}

#[test]
fn row7_reorder_with_two_in_flight_and_no_idempotence() {
    let o = run(ProducerParams { idempotent: false, ..safe() }, FaultModel::KafkaPromise);
    let c = cx(&o, Property::NoReorder);
    assert_eq!(c.faults, 1);
    assert!(fault_actions(c)[0].contains("request timeout m0"), "{:?}", fault_actions(c));
    let o = run(ProducerParams { idempotent: false, max_in_flight: 1, ..safe() }, FaultModel::KafkaPromise);
    assert!(o.no_reorder, "one request in flight keeps order");
    assert!(run(safe(), FaultModel::KafkaPromise).no_reorder, "idempotence keeps order with 5 in flight");
}

#[test]
fn row8_giving_up_loses() {
    let o = run(ProducerParams { retries: false, idempotent: false, ..safe() }, FaultModel::KafkaPromise);
    assert!(!o.no_loss && o.no_duplicate, "acks=all retries=0 is at most once");
    let c = cx(&o, Property::NoLoss);
    assert_eq!(c.faults, 1);
}

#[test]
fn seed_no_guarantee_defaults_of_2_8() {
    let o = run(ProducerParams { acks: Acks::One, idempotent: false, ..safe() }, FaultModel::KafkaPromise);
    assert!(!o.no_loss && !o.no_duplicate);
}

fn consumer_params(commit: CommitStrategy, sync: bool, membership: Membership) -> ConsumerParams {
    ConsumerParams { commit, sync_processing: sync, read_committed: false, reset_earliest: false, membership }
}

/// Rows 10–12 are group-managed consumers (`subscribe()`), as in the examples they cite.
fn consumer(commit: CommitStrategy, sync: bool) -> CheckOutcome {
    member(commit, sync, Membership::Subscribe)
}

fn member(commit: CommitStrategy, sync: bool, membership: Membership) -> CheckOutcome {
    let c = consumer_params(commit, sync, membership);
    check(&ModelParams::Consumer(c), FaultModel::KafkaPromise, Bounds::default())
}

#[test]
fn row10_commit_before_processing_loses() {
    let o = consumer(CommitStrategy::BeforeProcessing, true);
    assert!(!o.no_loss && o.no_duplicate);
    let c = cx(&o, Property::NoLoss);
    assert_eq!(c.faults, 1);
    let a = actions(c);
    let commit = a.iter().position(|x| x.starts_with("commit")).unwrap();
    let crash = a.iter().position(|x| *x == "crash").unwrap();
    assert!(commit < crash, "{a:?}");
}

#[test]
fn row11_commit_after_processing_duplicates() {
    let o = consumer(CommitStrategy::AfterProcessing, true);
    assert!(o.no_loss && !o.no_duplicate);
    let c = cx(&o, Property::NoDuplicate);
    assert_eq!(c.faults, 1);
    assert_eq!(actions(c), ["poll", "process 0", "crash", "poll", "process 0"]);
}

#[test]
fn row12a_java_auto_commit_sync_is_at_least_once() {
    let o = consumer(CommitStrategy::JavaAutoCommit, true);
    assert!(o.no_loss && !o.no_duplicate, "{:#?}", o.counterexamples);
}

#[test]
fn row12b_java_auto_commit_async_loses_and_duplicates() {
    let o = consumer(CommitStrategy::JavaAutoCommit, false);
    assert!(!o.no_loss && !o.no_duplicate);
    let c = cx(&o, Property::NoLoss);
    assert_eq!(c.faults, 1);
    assert!(actions(c).iter().any(|a| a.starts_with("poll + auto-commit")), "{:?}", actions(c));
}

#[test]
fn row12c_librdkafka_auto_commit_loses_and_the_store_fix_is_at_least_once() {
    let o = consumer(CommitStrategy::RdkAutoCommit, true);
    assert!(!o.no_loss && !o.no_duplicate);
    let c = cx(&o, Property::NoLoss);
    assert_eq!(c.faults, 1);
    assert!(actions(c).iter().any(|a| a.starts_with("background commit")));
    let o = consumer(CommitStrategy::RdkStoreAfterProcessing, true);
    assert!(o.no_loss && !o.no_duplicate);
}

fn pipeline(f: impl FnOnce(&mut PipelineParams)) -> CheckOutcome {
    let mut p = PipelineParams {
        producer: ProducerParams { transactional: true, ..safe() },
        consumer: ConsumerParams {
            commit: CommitStrategy::Transactional,
            sync_processing: true,
            read_committed: true,
            reset_earliest: false,
            membership: Membership::Subscribe,
        },
        fenced: true,
        rewind_on_abort: true,
        downstream_read_committed: true,
    };
    f(&mut p);
    check(&ModelParams::Pipeline(p), FaultModel::KafkaPromise, Bounds::default())
}

#[test]
fn row13_the_full_transactional_recipe_is_exactly_once() {
    let o = pipeline(|_| {});
    assert!(o.no_loss && o.no_duplicate, "{:#?}", o.counterexamples);
    assert!(o.states > 100);
}

#[test]
fn row13a_read_uncommitted_downstream_sees_aborted_copies() {
    let o = pipeline(|p| p.downstream_read_committed = false);
    assert!(o.no_loss && !o.no_duplicate);
    let c = cx(&o, Property::NoDuplicate);
    assert_eq!(c.faults, 1);
    assert!(
        fault_actions(c)[0].contains("abortTransaction")
            || fault_actions(c)[0].contains("crash")
            || fault_actions(c)[0].contains("stall")
    );
}

#[test]
fn row13b_zombie_without_fencing_duplicates() {
    let o = pipeline(|p| p.fenced = false);
    let c = cx(&o, Property::NoDuplicate);
    assert_eq!(c.faults, 1);
    assert!(fault_actions(c)[0].contains("stall"), "{:?}", fault_actions(c));
    assert!(actions(c).contains(&"resume (zombie)"));
}

#[test]
fn row13c_abort_without_rewind_loses() {
    let o = pipeline(|p| p.rewind_on_abort = false);
    let c = cx(&o, Property::NoLoss);
    assert_eq!(c.faults, 1);
    assert!(fault_actions(c)[0].contains("abortTransaction"));
}

#[test]
fn row13d_and_row9_non_transactional_read_process_write_duplicates() {
    let o = pipeline(|p| {
        p.producer.transactional = false;
        p.consumer.commit = CommitStrategy::AfterProcessing;
    });
    assert!(o.no_loss && !o.no_duplicate);
    let c = cx(&o, Property::NoDuplicate);
    assert_eq!(c.faults, 1);
    let a = actions(c);
    let produce = a.iter().position(|x| x.starts_with("produce")).unwrap();
    let crash = a.iter().position(|x| *x == "crash").unwrap();
    assert!(produce < crash, "{a:?}");
}

#[test]
fn read_committed_with_commit_after_processing_is_still_at_least_once() {
    let o = pipeline(|p| {
        p.producer.transactional = false;
        p.consumer.commit = CommitStrategy::AfterProcessing;
        p.consumer.read_committed = true;
    });
    assert!(o.no_loss && !o.no_duplicate);
}

#[test]
fn min_isr_above_the_replication_factor_cannot_deliver_and_claims_nothing() {
    // Every acks=all write fails with NotEnoughReplicas: the producer retries forever, never rests,
    // so no acknowledged write is ever lost — a vacuous "exactly-once" without the delivery check.
    let o = run(ProducerParams { replication_factor: 2, min_insync_replicas: 3, ..safe() }, FaultModel::KafkaPromise);
    assert!(!o.delivers, "{o:#?}");
    assert!(run(safe(), FaultModel::KafkaPromise).delivers);
    // acks=1 does not wait for the ISR: the same topic delivers.
    let o = run(
        ProducerParams { acks: Acks::One, replication_factor: 2, min_insync_replicas: 3, ..safe() },
        FaultModel::KafkaPromise,
    );
    assert!(o.delivers);
    use crate::semantics::{Classifier, Input, Lang, exit_code};
    let v = Classifier::new().classify(&Input::new(
        "acks=all\nenable.idempotence=true\nsemdoc.kafka=3.9\ntopic.replication.factor=2\ntopic.min.insync.replicas=3\n",
        Lang::Properties,
    ));
    assert_eq!(v.verdict, "cannot-deliver", "{v:#?}");
    assert!(!v.no_loss && !v.no_duplicate, "no property is claimed");
    assert_eq!(exit_code(&v), 1);
    let d = v.diagnostics.iter().find(|d| d.code == "cannot-deliver").expect("the reason is a diagnostic");
    assert!(d.message.contains("NotEnoughReplicas") && d.message.contains("min.insync.replicas=3"), "{}", d.message);
    assert_eq!(d.line, 5, "points at the min.insync.replicas line");
}

#[test]
fn every_verdict_of_the_anomaly_table_has_a_fault_free_delivery() {
    for c in [
        CommitStrategy::BeforeProcessing,
        CommitStrategy::AfterProcessing,
        CommitStrategy::JavaAutoCommit,
        CommitStrategy::RdkAutoCommit,
        CommitStrategy::Never,
    ] {
        assert!(consumer(c, true).delivers, "{c:?}");
    }
    assert!(pipeline(|_| {}).delivers);
}

/// Segment B with or without the rebalance fault, explored directly (for the probes below).
fn consume_model(commit: CommitStrategy, membership: Membership, rebalances: bool) -> super::consume::Consume {
    let d = Bounds::default();
    super::consume::Consume { p: consumer_params(commit, true, membership), records: d.messages, rebalances }
}

/// A probe around segment B: property 2 ("reorder", unused by the consumer) fails at rest once a
/// stale member's commit has been rejected, so the least-cost search returns the shortest whole
/// run that shows a rejection. Everything else is the model's own.
struct RejectionProbe(super::consume::Consume);

impl super::search::Model for RejectionProbe {
    type State = (super::consume::State, bool);
    type Action = super::consume::Action;
    type Key = (super::consume::State, bool);
    fn key(&self, s: &Self::State) -> Self::Key {
        (self.0.key(&s.0), s.1)
    }
    fn init(&self) -> Self::State {
        (self.0.init(), false)
    }
    fn actions(&self, s: &Self::State, out: &mut Vec<(Self::Action, bool)>) {
        self.0.actions(&s.0, out)
    }
    fn step(&self, s: &Self::State, a: &Self::Action) -> Option<Self::State> {
        use super::consume::Action::*;
        let rejected = matches!(a, StaleCommit { accepted: false, .. } | StaleTxn { accepted: false, .. });
        Some((self.0.step(&s.0, a)?, s.1 || rejected))
    }
    fn always(&self, s: &Self::State) -> [bool; 3] {
        self.0.always(&s.0)
    }
    fn at_rest(&self, s: &Self::State) -> [bool; 3] {
        let [a, b, _] = self.0.at_rest(&s.0);
        [a, b, !s.1]
    }
    fn delivered(&self, s: &Self::State) -> bool {
        self.0.delivered(&s.0)
    }
}

/// The steps of a segment-B path as the site draws them.
fn consume_steps(path: &[(Option<super::consume::Action>, super::consume::State)]) -> Vec<Step> {
    let explained = super::consume::explain(path, 1);
    super::trace::counterexample(
        Property::NoDuplicate,
        path,
        super::consume::describe,
        |s, t| s.faults != t.faults,
        explained,
    )
    .steps
}

#[test]
fn row14a_subscribe_commit_after_processing_stays_at_least_once_and_the_stale_commit_is_rejected() {
    let o = member(CommitStrategy::AfterProcessing, true, Membership::Subscribe);
    assert!(o.no_loss && !o.no_duplicate, "at least once with rebalances: {:#?}", o.counterexamples);
    let m = consume_model(CommitStrategy::AfterProcessing, Membership::Subscribe, true);
    let without = super::search::explore(
        &consume_model(CommitStrategy::AfterProcessing, Membership::Subscribe, false),
        3,
        [true, true, false],
    );
    let with = super::search::explore(&m, 3, [true, true, false]);
    assert!(with.states > without.states, "the rebalance adds states: {} vs {}", with.states, without.states);
    // The rejection is reachable, and a trace shows it as its own step.
    let e = super::search::explore(&RejectionProbe(m), 3, [false, false, true]);
    let path = e.violations[2].as_ref().expect("a stale member's commit is rejected in some run");
    let plain: Vec<_> = path.iter().map(|(a, (s, _))| (a.clone(), s.clone())).collect();
    let steps = consume_steps(&plain);
    let acts: Vec<_> = steps.iter().map(|s| format!("{}: {}", s.actor, s.action)).collect();
    let r = steps.iter().position(|s| s.rejected).unwrap_or_else(|| panic!("a rejected step: {acts:?}"));
    eprintln!("row 14a, a run with a rejected commit: {acts:?}");
    let rb = steps.iter().position(|s| s.action.starts_with("rebalance")).expect("a rebalance");
    assert!(steps[rb].fault && rb < r, "{acts:?}");
    assert_eq!(steps[r].actor, "Consumer", "the old member commits: {acts:?}");
    assert_eq!(steps[r].target.as_deref(), Some("Group coordinator"));
    assert!(steps[r].note.contains("CommitFailedException"), "{}", steps[r].note);
    let committed = |st: &Step| st.state.iter().find(|(k, _)| k == "committed offset").map(|(_, v)| v.clone());
    assert_eq!(committed(&steps[r]), committed(&steps[r - 1]), "a rejected commit leaves the group offset");
    assert!(acts[rb..].iter().any(|a| a.starts_with("Consumer 2: process")), "the new owner processes: {acts:?}");
}

#[test]
fn row14b_assign_late_commit_from_the_old_owner_moves_the_group_offset_and_duplicates() {
    // Commit before processing: at most once under subscribe(), where the old member's commit is
    // rejected before it processes anything.
    let sub = member(CommitStrategy::BeforeProcessing, true, Membership::Subscribe);
    assert!(!sub.no_loss && sub.no_duplicate, "{:#?}", sub.counterexamples);
    // Under assign() the same loop's late commit is accepted, the old owner processes what it
    // polled, and the new owner processes it again: weaker (no guarantee).
    let asg = member(CommitStrategy::BeforeProcessing, true, Membership::Assign);
    assert!(!asg.no_loss && !asg.no_duplicate, "{:#?}", asg.counterexamples);
    let c = cx(&asg, Property::NoDuplicate);
    assert_eq!(c.faults, 1);
    assert_eq!(fault_actions(c), ["Consumer: rebalance: loses the partition"]);
    let stale = c
        .steps
        .iter()
        .position(|s| s.actor == "Consumer" && s.action.contains("(stale, accepted)"))
        .unwrap_or_else(|| panic!("the old owner's commit is accepted: {:?}", actions(c)));
    assert!(!c.steps[stale].rejected);
    assert!(c.steps[stale].note.contains("group offset becomes"), "{}", c.steps[stale].note);
    assert!(c.steps.iter().any(|s| s.actor == "Consumer 2" && s.action.starts_with("process")), "{:?}", actions(c));
    assert!(c.violation.contains("moved at step") && c.violation.contains("lost the partition"), "{}", c.violation);
}

#[test]
fn row14c_the_late_commit_is_missed_without_the_rebalance_fault() {
    // The earlier model (a crash is the only fault) calls the assign() loop of row 14b at most once.
    let old = consume_model(CommitStrategy::BeforeProcessing, Membership::Assign, false);
    let e = super::search::explore(&old, Bounds::default().faults, [true, true, false]);
    assert!(e.violations[0].is_some(), "commit before processing still loses");
    assert!(e.violations[1].is_none(), "and no duplicate is found: the row 14b duplicate needs the rebalance");
    let new = consume_model(CommitStrategy::BeforeProcessing, Membership::Assign, true);
    assert!(super::search::explore(&new, Bounds::default().faults, [true, true, false]).violations[1].is_some());
}

#[test]
fn row14d_a_transactional_consumer_is_fenced_by_the_generation_only_under_subscribe() {
    let sub = member(CommitStrategy::Transactional, true, Membership::Subscribe);
    assert!(sub.no_loss && sub.no_duplicate, "{:#?}", sub.counterexamples);
    let asg = member(CommitStrategy::Transactional, true, Membership::Assign);
    assert!(asg.no_loss && !asg.no_duplicate, "{:#?}", asg.counterexamples);
    let c = cx(&asg, Property::NoDuplicate);
    assert!(actions(c).iter().any(|a| a.contains("(stale, accepted)")), "{:?}", actions(c));
}

#[test]
fn row14e_unknown_membership_gets_the_weaker_of_both_verdicts() {
    for commit in CommitStrategy::ALL {
        for sync in [true, false] {
            let [s, a, u] =
                [Membership::Subscribe, Membership::Assign, Membership::Unknown].map(|m| member(commit, sync, m));
            let what = (commit, sync);
            assert_eq!(u.no_loss, s.no_loss && a.no_loss, "{what:?}");
            assert_eq!(u.no_duplicate, s.no_duplicate && a.no_duplicate, "{what:?}");
            assert!(u.delivers && s.delivers && a.delivers, "{what:?}");
            // Both sides' counterexamples cost what the cheaper side's does.
            for p in [Property::NoLoss, Property::NoDuplicate] {
                let cost = |o: &CheckOutcome| {
                    o.counterexamples.iter().find(|c| c.property == p).map(|c| (c.faults, c.steps.len()))
                };
                let best = [cost(&s), cost(&a)].into_iter().flatten().min();
                assert_eq!(cost(&u), best, "{what:?} {p:?}");
            }
        }
    }
}

/// The state counts behind the bench target (docs/model.md §8 consumer rows): printed for the
/// record, and held under a ceiling that keeps a consumer check well below a millisecond.
#[test]
fn consumer_rows_stay_small() {
    for commit in CommitStrategy::ALL {
        for sync in [true, false] {
            let n = [Membership::Subscribe, Membership::Assign, Membership::Unknown]
                .map(|m| member(commit, sync, m).states);
            eprintln!("consumer {commit:?} sync={sync}: states subscribe {} assign {} unknown {}", n[0], n[1], n[2]);
            assert!(n.iter().all(|s| *s < 2_000), "{commit:?} sync={sync}: {n:?}");
        }
    }
}
