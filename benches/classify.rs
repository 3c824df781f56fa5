//! Benchmark: time and states explored per check for each anomaly row of docs/model.md §8, plus the
//! seed article's configurations through the whole classifier (parse, resolve, check).
//! Run with `cargo bench --bench classify`; states are printed once per row before timing.

use criterion::{Criterion, criterion_group, criterion_main};
use semdoc::semantics::check::check;
use semdoc::semantics::params::*;
use semdoc::semantics::{Classifier, Input, Lang};
use std::hint::black_box;

/// The allocator the `semdoc` binary uses (src/main.rs), so the figures are the product's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn safe() -> ProducerParams {
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

fn consumer(commit: CommitStrategy, sync: bool) -> ModelParams {
    ModelParams::Consumer(ConsumerParams {
        commit,
        sync_processing: sync,
        read_committed: false,
        reset_earliest: false,
        membership: Membership::Subscribe,
    })
}

fn pipeline(f: impl FnOnce(&mut PipelineParams)) -> ModelParams {
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
    ModelParams::Pipeline(p)
}

fn rows() -> Vec<(&'static str, ModelParams, FaultModel)> {
    use FaultModel::*;
    let p = |f: fn(&mut ProducerParams)| {
        let mut x = safe();
        f(&mut x);
        ModelParams::Producer(x)
    };
    vec![
        ("safe producer", p(|_| {}), KafkaPromise),
        ("1 acks=1", p(|x| x.acks = Acks::One), KafkaPromise),
        (
            "2 acks=0",
            p(|x| {
                x.acks = Acks::Zero;
                x.retries = false;
                x.idempotent = false
            }),
            KafkaPromise,
        ),
        ("3 minISR=1 power-loss", p(|x| x.min_insync_replicas = 1), PowerLoss),
        ("4 last replica standing", p(|_| {}), PowerLoss),
        ("4b ELR", p(|x| x.elr = true), PowerLoss),
        ("5 unclean", p(|x| x.unclean_leader_election = true), KafkaPromise),
        ("6/7 no idempotence", p(|x| x.idempotent = false), KafkaPromise),
        (
            "8 retries=0",
            p(|x| {
                x.retries = false;
                x.idempotent = false
            }),
            KafkaPromise,
        ),
        ("10 commit before", consumer(CommitStrategy::BeforeProcessing, true), KafkaPromise),
        ("11 commit after", consumer(CommitStrategy::AfterProcessing, true), KafkaPromise),
        ("12a java auto sync", consumer(CommitStrategy::JavaAutoCommit, true), KafkaPromise),
        ("12b java auto async", consumer(CommitStrategy::JavaAutoCommit, false), KafkaPromise),
        ("12c rdk auto", consumer(CommitStrategy::RdkAutoCommit, true), KafkaPromise),
        ("13 EOS", pipeline(|_| {}), KafkaPromise),
        ("13a read_uncommitted", pipeline(|p| p.downstream_read_committed = false), KafkaPromise),
        ("13b no fencing", pipeline(|p| p.fenced = false), KafkaPromise),
        ("13c no rewind", pipeline(|p| p.rewind_on_abort = false), KafkaPromise),
        (
            "13d / 9 non-transactional",
            pipeline(|p| {
                p.producer.transactional = false;
                p.consumer.commit = CommitStrategy::AfterProcessing
            }),
            KafkaPromise,
        ),
    ]
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("check");
    g.sample_size(10);
    for (name, params, faults) in rows() {
        let o = check(&params, faults, Bounds::default());
        println!("{name}: {} states, no_loss={} no_duplicate={}", o.states, o.no_loss, o.no_duplicate);
        g.bench_function(name, |b| b.iter(|| check(black_box(&params), faults, Bounds::default())));
    }
    g.finish();
    // The memo: the second classification of the same configuration costs a hash lookup.
    let cl = Classifier::new();
    let input = Input::new("acks=all\nenable.idempotence=true\n", Lang::Properties);
    cl.classify(&input);
    c.bench_function("classify, memoised", |b| b.iter(|| cl.classify(black_box(&input))));
}

criterion_group!(benches, bench);
criterion_main!(benches);
