//! Tests of the snippet readers through `parse` and each reader.

use super::*;

fn kv(c: &RawConfig) -> Vec<(String, String, usize)> {
    c.entries.iter().map(|e| (e.key.clone(), e.value.clone(), e.line)).collect()
}

#[test]
fn properties() {
    let (c, d) = parse_properties(
        "# comment\nacks = all\nretries:0\n! bang\nlinger.ms 5\nbootstrap.servers=a:1,\\\n  b:2\nbad\n",
    );
    assert_eq!(
        kv(&c),
        vec![
            ("acks".into(), "all".into(), 2),
            ("retries".into(), "0".into(), 3),
            ("linger.ms".into(), "5".into(), 5),
            ("bootstrap.servers".into(), "a:1,b:2".into(), 6)
        ]
    );
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].line, 8);
}

#[test]
fn yaml_plain_and_spring() {
    let src = "spring:\n  kafka:\n    bootstrap-servers: localhost:9092 # here\n    producer:\n      acks: all\n      transaction-id-prefix: tx-\n      properties:\n        \"[enable.idempotence]\": true\n    consumer:\n      enable-auto-commit: false\n      isolation-level: read_committed\n";
    let (c, d) = parse_yaml(src);
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(
        kv(&c),
        vec![
            ("bootstrap.servers".into(), "localhost:9092".into(), 3),
            ("producer.acks".into(), "all".into(), 5),
            ("producer.transactional.id".into(), "tx-".into(), 6),
            ("consumer.enable.auto.commit".into(), "false".into(), 10),
            ("consumer.isolation.level".into(), "read_committed".into(), 11),
            // `producer.properties.*` outranks the typed fields (KafkaProperties precedence).
            ("producer.enable.idempotence".into(), "true".into(), 8),
        ]
    );
    let (c, _) = parse_yaml("producer:\n  acks: 'all'\n");
    assert_eq!(kv(&c), vec![("producer.acks".into(), "all".into(), 2)]);
    let (_, d) = parse_yaml("acks all\n");
    assert_eq!(d[0].line, 1);
}

#[test]
fn java_kotlin_and_the_commit_position() {
    let java = r#"Properties props = new Properties();
props.put("bootstrap.servers", "localhost:9092");
props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
props.setProperty(ProducerConfig.RETRIES_CONFIG, Integer.toString(3));
props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION_CONFIG, 1);
props.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
while (true) {
ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
for (ConsumerRecord<String, String> record : records) {
    process(record);
}
consumer.commitSync();
}"#;
    let (c, _) = parse_jvm(java);
    let k = kv(&c);
    assert_eq!(k[1], ("enable.auto.commit".into(), "false".into(), 3));
    assert_eq!(k[3], ("max.in.flight.requests.per.connection".into(), "1".into(), 5));
    assert_eq!(k[4], ("retries".into(), "2147483647".into(), 6));
    assert_eq!(c.code.commit, Some("after-processing"));
    let before = java
        .replace("    consumer.commitSync();\n}", "}")
        .replace("for (Consumer", "consumer.commitSync();\n    for (Consumer");
    assert_eq!(parse_jvm(&before).0.code.commit, Some("before-processing"));
    let kt = "val props = mapOf(\"acks\" to \"all\", ProducerConfig.LINGER_MS_CONFIG to 5)\nprops[ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG] = \"true\"\n";
    let (c, _) = parse_jvm(kt);
    assert_eq!(
        kv(&c),
        vec![
            ("acks".into(), "all".into(), 1),
            ("linger.ms".into(), "5".into(), 1),
            ("enable.idempotence".into(), "true".into(), 2)
        ]
    );
    let eos = "producer.beginTransaction();\nproducer.send(r);\nproducer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());\nproducer.commitTransaction();\n} catch (KafkaException e) {\nproducer.abortTransaction();\nresetToLastCommittedPositions(consumer);\n";
    let f = parse_jvm(eos).0.code;
    assert_eq!((f.commit, f.aborts, f.rewinds), (Some("transactional"), true, true));
}

#[test]
fn python_and_rust() {
    let py = "conf = {'bootstrap.servers': 'localhost:9092',\n        'enable.auto.commit': False,\n        \"acks\": \"all\"}\nmsg = c.poll(1.0)\nprocess(msg)\nc.commit(asynchronous=False)\n";
    let (c, _) = parse_python(py);
    assert_eq!(kv(&c)[1], ("enable.auto.commit".into(), "false".into(), 2));
    assert_eq!(kv(&c)[2], ("acks".into(), "all".into(), 3));
    assert_eq!(c.code.commit, Some("after-processing"));
    let rs = "let p: FutureProducer = ClientConfig::new()\n    .set(\"bootstrap.servers\", \"localhost:9092\")\n    .set(\"enable.idempotence\", \"true\")\n    .create()?;";
    assert_eq!(kv(&parse_rust(rs).0)[1], ("enable.idempotence".into(), "true".into(), 3));
}

#[test]
fn only_the_separators_java_knows_separate_key_and_value() {
    // java.util.Properties: '=', ':', space, tab, form feed; a no-break space is part of the key.
    let (raw, diags) = parse("acks\u{a0}all\nretries\t0\nlinger.ms\x0c5", Lang::Properties);
    assert_eq!(kv(&raw), vec![("retries".into(), "0".into(), 2), ("linger.ms".into(), "5".into(), 3)]);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].line, 1);
}

#[test]
fn constant_values_in_code_are_evaluated_and_other_expressions_left_out() {
    let java = "props.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);\n\
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);\n\
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Duration.ofMinutes(2).toMillis());\n\
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5L);\n\
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30 * 1000);\n\
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));\n\
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, txId);\n\
        props.put(ProducerConfig.ACKS_CONFIG, config.acks());\n";
    let (raw, diags) = parse(java, Lang::Java);
    assert_eq!(
        kv(&raw),
        vec![
            ("retries".into(), "2147483647".into(), 1),
            ("max.in.flight.requests.per.connection".into(), "1".into(), 2),
            ("delivery.timeout.ms".into(), "120000".into(), 3),
            ("linger.ms".into(), "5".into(), 4),
            ("request.timeout.ms".into(), "30000".into(), 5),
            ("isolation.level".into(), "read_committed".into(), 6),
            ("transactional.id".into(), "txId".into(), 7),
        ]
    );
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!((diags[0].code, diags[0].line), ("code-value", 8));
    assert!(diags[0].message.contains("config.acks()"), "{}", diags[0].message);
}

#[test]
fn spring_boot_typed_properties_are_bound_as_spring_does() {
    let y = "spring:\n  kafka:\n    consumer:\n      isolation-level: read-committed\n      auto-commit-interval: 5s\n";
    let (raw, diags) = parse(y, Lang::Yaml);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(
        kv(&raw),
        vec![
            ("consumer.isolation.level".into(), "read_committed".into(), 4),
            ("consumer.auto.commit.interval.ms".into(), "5000".into(), 5),
        ]
    );
}

#[test]
fn kafka_python_is_named_as_another_client() {
    let (_, diags) = parse("p = KafkaProducer(bootstrap_servers='x', acks='all')", Lang::Python);
    assert_eq!(diags.iter().map(|d| d.code).collect::<Vec<_>>(), ["python-client"]);
    let (_, diags) = parse("p = Producer({'acks': 'all'})", Lang::Python);
    assert!(diags.is_empty());
}

#[test]
fn malformed_input_never_panics() {
    for s in [
        "\"",
        "'",
        "props.put(",
        "put(\"a\"",
        "a:\n  - x\n  b: {",
        "\\",
        "=",
        ":",
        "spring:\n\tkafka: x",
        "for x in",
        "x.set(\"a",
        // Found by the snippet_parsers fuzz target: a multi-byte space as the separator.
        "l\u{a0}x",
        "acks\u{3000}all",
    ] {
        for l in [Lang::Properties, Lang::Yaml, Lang::Java, Lang::Python, Lang::Rust] {
            let _ = parse(s, l);
        }
    }
}

#[test]
fn a_loop_on_one_line_commits_after_processing() {
    let one = "for (ConsumerRecord r : consumer.poll(d)) { process(r); } consumer.commitSync();";
    assert_eq!(parse_jvm(one).0.code.commit, Some("after-processing"));
    let before =
        "ConsumerRecords rs = consumer.poll(d);\nconsumer.commitSync();\nfor (ConsumerRecord r : rs) { process(r); }";
    assert_eq!(parse_jvm(before).0.code.commit, Some("before-processing"));
}

#[test]
fn commit_shapes_in_java() {
    let c = |s: &str| parse_jvm(s).0.code.commit;
    let w = "while (true) {\n  ConsumerRecords<K, V> rs = consumer.poll(d);\n  try {\n    for (ConsumerRecord<K, V> r : rs) handle(r);\n  } finally {\n    consumer.commitSync();\n  }\n}";
    assert_eq!(c(w), Some("after-processing"));
    let (_, d) = parse_jvm(w);
    assert!(d.iter().any(|d| d.code == "commit-in-finally" && d.line == 6), "{d:?}");
    let asy = "var rs = consumer.poll(d);\nrs.forEach(r -> process(r));\nconsumer.commitAsync((offsets, e) -> { if (e != null) log.warn(\"x\"); });";
    assert_eq!(c(asy), Some("after-processing"));
    let per = "for (ConsumerRecord r : consumer.poll(d)) {\n  process(r);\n  consumer.commitSync(Map.of(tp(r), new OffsetAndMetadata(r.offset() + 1)));\n}";
    assert_eq!(c(per), Some("after-processing"));
    let per_before = "for (ConsumerRecord r : consumer.poll(d)) {\n  consumer.commitSync(Map.of(tp(r), new OffsetAndMetadata(r.offset() + 1)));\n  process(r);\n}";
    assert_eq!(c(per_before), Some("before-processing"));
}

#[test]
fn spring_listeners_commit_by_ack_mode_and_acknowledge() {
    let manual = "factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.MANUAL_IMMEDIATE);\n@KafkaListener(topics = \"in\")\npublic void listen(String v, Acknowledgment ack) {\n  process(v);\n  ack.acknowledge();\n}";
    let (raw, _) = parse_jvm(manual);
    assert_eq!((raw.code.commit, raw.code.commit_line), (Some("after-processing"), Some(5)));
    assert!(raw.entries.iter().any(|e| e.key == "semdoc.spring.ack-mode" && e.value == "manual_immediate"));
    assert!(raw.entries.iter().any(|e| e.key == "enable.auto.commit" && e.value == "false"));
    let early = manual.replace("  process(v);\n  ack.acknowledge();", "  ack.acknowledge();\n  process(v);");
    assert_eq!(parse_jvm(&early).0.code.commit, Some("before-processing"));
    let none = manual.replace("  ack.acknowledge();\n", "");
    assert_eq!(parse_jvm(&none).0.code.commit, Some("never"));
}

#[test]
fn unclosed_calls_are_parse_errors_at_their_position() {
    let (raw, d) = parse("props.put(\"acks\", \"all\");\n  props.put(ProducerConfig.RETRIES_CONFIG, 0\n", Lang::Java);
    assert_eq!(raw.entries.len(), 1);
    assert_eq!(d.iter().map(|d| (d.code, d.line, d.col)).collect::<Vec<_>>(), [("parse", 2, 9)]);
    // A call spread over lines is read.
    let (raw, d) = parse("props.put(\n    ProducerConfig.ACKS_CONFIG,\n    \"0\");\n", Lang::Java);
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(kv(&raw), [("acks".into(), "0".into(), 1)]);
}

#[test]
fn a_fence_of_the_wrong_language_is_an_error_naming_the_right_one() {
    let (raw, d) = parse("acks=0\nretries=0\n", Lang::Java);
    assert!(raw.entries.is_empty());
    assert_eq!(d[0].code, "lang-mismatch", "{d:?}");
    assert!(d[0].hint.as_deref().unwrap().contains("properties"), "{d:?}");
    let (_, d) = parse("props.put(\"acks\", \"all\");\n", Lang::Properties);
    assert!(d.iter().any(|d| d.code == "lang-mismatch" && d.hint.as_deref().unwrap().contains("java")), "{d:?}");
    let (_, d) = parse("spring:\n  kafka:\n    producer:\n      acks: 0\n", Lang::Properties);
    assert!(d.iter().any(|d| d.code == "lang-mismatch" && d.hint.as_deref().unwrap().contains("yaml")), "{d:?}");
    let (_, d) = parse("KafkaProducer<String, String> p = new KafkaProducer<>(props);\n", Lang::Java);
    assert_eq!(d.iter().map(|d| d.code).collect::<Vec<_>>(), ["nothing-read"]);
}

#[test]
fn sniff_spring_properties_and_flow_yaml() {
    let props = "# Kafka: the producer\nspring.application.name=orders\nserver.port=8080\nspring.kafka.bootstrap-servers=localhost:9092\nspring.kafka.producer.acks=0\nspring.kafka.producer.properties.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";\nlogging.pattern.console=%d{HH:mm:ss} %msg: %n\n";
    assert_eq!(Lang::sniff(props), Lang::Properties);
    assert_eq!(Lang::sniff("spring: {kafka: {producer: {acks: '0'}}}\n"), Lang::Yaml);
    assert_eq!(Lang::sniff("spring: {'kafka': {'producer': {'acks': '0'}}}\n"), Lang::Yaml);
    assert_eq!(Lang::sniff("spring:\n  kafka:\n    producer:\n      acks: all\n"), Lang::Yaml);
    assert_eq!(Lang::sniff("props.put(\"acks\", \"0\");"), Lang::Java);
}

/// Spring Boot's multi-document `application.yml`: a document for another profile is not read
/// (and said so at its profile line), the chosen profiles or the file's own
/// `spring.profiles.active` select documents, `!name` and lists work, and an expression semdoc
/// does not evaluate is read as active with a warning.
#[test]
fn yaml_profiles_select_documents_as_spring_does() {
    let base = "spring:\n  kafka:\n    producer:\n      acks: all\n";
    let local =
        "---\nspring:\n  config:\n    activate:\n      on-profile: local\n  kafka:\n    producer:\n      acks: 0\n";
    let src = format!("{base}{local}");
    let acks = |c: &RawConfig| {
        c.entries.iter().filter(|e| e.key == "producer.acks").map(|e| e.value.clone()).collect::<Vec<_>>()
    };
    let (c, d) = parse_yaml_for(&src, None);
    assert_eq!(acks(&c), ["all"]);
    assert_eq!((d.len(), d[0].code, d[0].line, d[0].col), (1, "yaml-profile", 9, 19), "{d:?}");
    assert!(d[0].message.contains("no profile is active"), "{d:?}");
    let (c, d) = parse_yaml_for(&src, Some(&["local".to_string()]));
    assert_eq!(acks(&c), ["all", "0"], "later documents override earlier ones: {d:?}");
    assert!(d.iter().all(|d| d.code != "yaml-profile"), "{d:?}");
    // The file activates the profile itself.
    let own = format!("spring:\n  profiles:\n    active: dev, local\n{}{local}", &base[8..]);
    let (c, _) = parse_yaml_for(&own, None);
    assert_eq!(acks(&c), ["all", "0"]);
    // The older `spring.profiles` key, negation and lists.
    let old = format!("{base}---\nspring.profiles: '!local'\nspring.kafka.producer.acks: 1\n");
    assert_eq!(acks(&parse_yaml_for(&old, None).0), ["all", "1"]);
    assert_eq!(acks(&parse_yaml_for(&old, Some(&["local".to_string()])).0), ["all"]);
    let list = format!("{base}---\nspring.config.activate.on-profile: prod, cloud\nspring.kafka.producer.acks: 1\n");
    assert_eq!(acks(&parse_yaml_for(&list, Some(&["cloud".to_string()])).0), ["all", "1"]);
    let expr = format!("{base}---\nspring.config.activate.on-profile: prod & cloud\nspring.kafka.producer.acks: 1\n");
    let (c, d) = parse_yaml_for(&expr, None);
    assert_eq!(acks(&c), ["all", "1"]);
    assert!(d.iter().any(|d| d.code == "yaml-profile" && d.message.contains("not evaluated")), "{d:?}");
}

/// Spring binds an environment variable in its canonical form (dashes removed) and in the legacy
/// form (dashes as underscores): both reach `enable.auto.commit`.
#[test]
fn spring_environment_variables_in_both_forms() {
    for key in ["SPRING_KAFKA_CONSUMER_ENABLEAUTOCOMMIT", "SPRING_KAFKA_CONSUMER_ENABLE_AUTO_COMMIT"] {
        let (c, d) = parse_properties(&format!("{key}=false\n"));
        assert_eq!(kv(&c), vec![("consumer.enable.auto.commit".into(), "false".into(), 1)], "{key}: {d:?}");
    }
    let (c, _) = parse_properties("SPRING_KAFKA_CONSUMER_ENABLE_AUTO_COMIT=false\n");
    assert!(c.entries.iter().all(|e| e.key != "consumer.enable.auto.commit"), "a misspelt variable binds nothing");
}

#[test]
fn the_code_shows_subscribe_or_assign() {
    use crate::semantics::params::Membership::{Assign, Subscribe};
    let loop_ =
        "while (true) {\n  for (ConsumerRecord r : consumer.poll(d)) { process(r); }\n  consumer.commitSync();\n}\n";
    let java = |head: &str| parse_jvm(&format!("{head}\n{loop_}")).0.code.membership;
    assert_eq!(java("consumer.subscribe(List.of(\"t\"));"), Some((Subscribe, 1)));
    assert_eq!(java("consumer.assign(List.of(new TopicPartition(\"t\", 0)));"), Some((Assign, 1)));
    assert_eq!(java(""), None, "nothing shown: the classifier models both");
    assert_eq!(parse_jvm(&format!("props.put(\"acks\", \"all\");\n{loop_}")).0.code.membership, None);
    // A Spring listener is group-managed, unless it names its partitions.
    let spring = "@KafkaListener(topics = \"t\")\npublic void on(String v) { process(v); }\n";
    assert_eq!(parse_jvm(spring).0.code.membership, Some((Subscribe, 1)));
    let pinned = "@KafkaListener(topicPartitions = @TopicPartition(topic = \"t\", partitions = \"0\"))\npublic void on(String v) { process(v); }\n";
    assert_eq!(parse_jvm(pinned).0.code.membership, Some((Assign, 1)));
    // confluent-kafka: an on_assign callback's assign() is still inside a subscription.
    let py = "def on_assign(c, parts):\n    c.assign(parts)\nc = Consumer({'group.id': 'g', 'enable.auto.commit': False})\nc.subscribe(['t'], on_assign=on_assign)\nmsg = c.poll(1.0)\nprocess(msg)\nc.commit(asynchronous=False)\n";
    assert_eq!(parse_python(py).0.code.membership, Some((Subscribe, 4)));
    let py = "c = Consumer({'group.id': 'g'})\nc.assign([TopicPartition('t', 0)])\nmsg = c.poll(1.0)\n";
    assert_eq!(parse_python(py).0.code.membership, Some((Assign, 2)));
    let rs = "let c: BaseConsumer = ClientConfig::new()\n    .set(\"group.id\", \"g\")\n    .create()?;\nc.assign(&tpl)?;\nlet m = c.poll(None);\n";
    assert_eq!(parse_rust(rs).0.code.membership, Some((Assign, 4)));
    let rs = rs.replace("c.assign(&tpl)?;", "c.subscribe(&[\"t\"])?;");
    assert_eq!(parse_rust(&rs).0.code.membership, Some((Subscribe, 4)));
}

#[test]
fn a_python_commit_in_finally_is_after_processing_and_warned() {
    let py = "c = Consumer({'group.id': 'g', 'enable.auto.commit': False})\nwhile True:\n    msg = c.poll(1.0)\n    try:\n        process(msg)\n    finally:\n        c.commit(asynchronous=False)\n";
    let (cfg, d) = parse_python(py);
    assert_eq!(cfg.code.commit, Some("after-processing"));
    assert!(d.iter().any(|d| d.code == "commit-in-finally" && d.line == 7), "{d:?}");
    let one_line = py.replace("    finally:\n        c.commit(asynchronous=False)\n", "    finally: c.commit()\n");
    assert!(parse_python(&one_line).1.iter().any(|d| d.code == "commit-in-finally" && d.line == 6));
    // Out of the `finally:` block (dedented): no warning.
    let after = py.replace(
        "    finally:\n        c.commit(asynchronous=False)\n",
        "    finally:\n        log(msg)\n    c.commit()\n",
    );
    assert_eq!(parse_python(&after).0.code.commit, Some("after-processing"));
    assert!(parse_python(&after).1.iter().all(|d| d.code != "commit-in-finally"), "{:?}", parse_python(&after).1);
}
