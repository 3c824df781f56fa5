//! The anomaly table of docs/model.md §8 (rows 1–13d) as tests: each configuration gets the expected
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

fn consumer(commit: CommitStrategy, sync: bool) -> CheckOutcome {
    let c = ConsumerParams { commit, sync_processing: sync, read_committed: false, reset_earliest: false };
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
