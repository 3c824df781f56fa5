//! The interface between version knowledge and the model checker: resolved model parameters,
//! bounds, and the checker's outcome (properties, counterexample traces).
//!
//! `config`/`facts` turn a user's snippet plus a Kafka version and client into these parameters;
//! `check` explores the model they describe. Nothing here knows about versions or syntax.

use serde::{Deserialize, Serialize};

/// Which faults may be injected (docs/model.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FaultModel {
    /// Brokers crash and come back with their logs ("a committed message will not be lost as long
    /// as one in-sync replica remains alive").
    KafkaPromise,
    /// Additionally, at most one broker crash loses the unflushed tail of its log.
    PowerLoss,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Acks {
    Zero,
    One,
    All,
}

/// Everything segment A (produce path) needs, after defaults and validation were applied.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ProducerParams {
    pub acks: Acks,
    /// `retries > 0` (and `delivery.timeout.ms` long enough to retry at least once).
    pub retries: bool,
    /// Effective idempotence, after the version's silent enable/disable rules.
    pub idempotent: bool,
    /// `max.in.flight.requests.per.connection`; the model caps it at 2 ("more than one").
    pub max_in_flight: u32,
    pub replication_factor: u8,
    pub min_insync_replicas: u8,
    pub unclean_leader_election: bool,
    /// Eligible leader replicas (KIP-966) enabled on the cluster.
    pub elr: bool,
    /// A `transactional.id` is set (the producer writes inside transactions).
    pub transactional: bool,
}

/// How a consumer records its progress (segment B).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CommitStrategy {
    /// Manual commit of the polled position before the records are processed.
    BeforeProcessing,
    /// Manual commit after every polled record was processed.
    AfterProcessing,
    /// Java auto-commit: inside `poll()`, commits the positions returned by the previous poll.
    JavaAutoCommit,
    /// librdkafka auto-commit with `enable.auto.offset.store=true`: a background timer commits the
    /// offset of the last message handed to the application, at any time.
    RdkAutoCommit,
    /// librdkafka auto-commit with `enable.auto.offset.store=false` and the offset stored after processing.
    RdkStoreAfterProcessing,
    /// Auto-commit off and no commit at all: every restart re-reads from `auto.offset.reset`.
    Never,
    /// Offsets committed with `sendOffsetsToTransaction` inside the producer's transaction.
    Transactional,
}

impl CommitStrategy {
    pub const ALL: [CommitStrategy; 7] = [
        CommitStrategy::BeforeProcessing,
        CommitStrategy::AfterProcessing,
        CommitStrategy::JavaAutoCommit,
        CommitStrategy::RdkAutoCommit,
        CommitStrategy::RdkStoreAfterProcessing,
        CommitStrategy::Never,
        CommitStrategy::Transactional,
    ];
}

/// How the consumer gets its partitions (docs/model.md §6.2), which decides what happens to a
/// commit from a member that lost its partitions in a rebalance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Membership {
    /// Group-managed (`subscribe()`, Spring `@KafkaListener`): every commit carries the member's
    /// generation, and the coordinator rejects one from a stale generation.
    Subscribe,
    /// Manual `assign()`: commits carry no generation, so the coordinator accepts a stale
    /// owner's commit too.
    Assign,
    /// The snippet does not show which: the model covers both (the weaker verdict).
    Unknown,
}

impl Membership {
    pub const ALL: [Membership; 3] = [Membership::Subscribe, Membership::Assign, Membership::Unknown];

    /// The name used in effective configurations and `semdoc.membership`.
    pub fn as_str(self) -> &'static str {
        match self {
            Membership::Subscribe => "subscribe",
            Membership::Assign => "assign",
            Membership::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<Membership> {
        Membership::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ConsumerParams {
    pub commit: CommitStrategy,
    /// Records are processed synchronously inside the poll loop (false: handed to other threads).
    pub sync_processing: bool,
    /// `isolation.level=read_committed` (matters only when the input has transactional writers).
    pub read_committed: bool,
    /// `auto.offset.reset=earliest`: with nothing committed, a restart re-reads from the start
    /// (duplicates) instead of skipping to the end (loss).
    pub reset_earliest: bool,
    /// `subscribe()` or `assign()`: whether a stale member's commit is rejected.
    pub membership: Membership,
}

/// Consume-transform-produce application plus a downstream reader (segment C, and A for the output).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PipelineParams {
    pub producer: ProducerParams,
    pub consumer: ConsumerParams,
    /// A stable `transactional.id` (epoch bump on restart) or KIP-447 group-metadata fencing stops zombies.
    pub fenced: bool,
    /// The application seeks back to the committed offsets after `abortTransaction`.
    pub rewind_on_abort: bool,
    /// The downstream reader of the output topic uses `read_committed`.
    pub downstream_read_committed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "kebab-case")]
pub enum ModelParams {
    Producer(ProducerParams),
    Consumer(ConsumerParams),
    Pipeline(PipelineParams),
}

/// Search bounds. docs/model.md §3: default 3 faults, 2 messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Bounds {
    pub faults: u8,
    pub messages: u8,
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds { faults: 3, messages: 2 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Property {
    /// At rest, every message the application handed over is delivered.
    NoLoss,
    /// No message is ever in the committed log / processed / visible twice.
    NoDuplicate,
    /// First occurrences are in send order (reported, not part of the verdict).
    NoReorder,
}

/// One step of a counterexample, drawn later as one row of a sequence diagram.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Lifeline that acts: "Producer", "Broker 0", "Broker 1", "Broker 2", "Controller",
    /// "Consumer", "Group coordinator", "Txn coordinator", "Instance 1", "Instance 2", "Downstream".
    pub actor: String,
    /// Lifeline that receives a message, if the step is a message between two actors.
    pub target: Option<String>,
    /// Short action label: "produce m0", "ack m0", "crash", "elect (clean)", "poll", "commit offset 1".
    pub action: String,
    /// Longer explanation of the step for readers.
    pub note: String,
    /// This step is an injected fault (drawn in red, counted against the fault budget).
    pub fault: bool,
    /// The message in transit was lost (request or response dropped), drawn with a cross.
    pub lost: bool,
    /// The receiver refused the request (a commit from a stale generation), drawn with a bar.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rejected: bool,
    /// State after the step: ("Broker 0 log", "[m0]"), ("HW", "1"), ("ISR", "{0,1}"), ("committed offset", "1").
    pub state: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counterexample {
    pub property: Property,
    /// Number of injected faults in `steps` (the search minimises this first, then steps).
    pub faults: u8,
    pub steps: Vec<Step>,
    /// The violation spelled out against an earlier step, e.g.
    /// "m0 was acknowledged at step 3; at step 5 the new leader's log is [] → acknowledged write lost".
    pub violation: String,
    /// 1-based index of the step that set up the violation (e.g. the ack), if any.
    pub cause_step: Option<usize>,
    /// 1-based index of the step at which the violation is observed.
    pub violation_step: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckOutcome {
    pub no_loss: bool,
    pub no_duplicate: bool,
    pub no_reorder: bool,
    /// Some reachable state at rest has no leader / no progress (reported, not a loss).
    pub unavailable: bool,
    /// A fault-free run delivers every message (and, with a reader, has it read). Without one,
    /// "no loss" and "no duplicate" hold only vacuously, and no guarantee may be claimed.
    pub delivers: bool,
    /// Distinct states explored over all sub-checks.
    pub states: u64,
    pub bounds: Bounds,
    /// One shortest counterexample per violated property (NoLoss, NoDuplicate, NoReorder order).
    pub counterexamples: Vec<Counterexample>,
}
