#!/usr/bin/env python3
"""`semdoc lint` on a generated monorepo: wall time, peak RSS, and the planted-configuration check.

This script owns the lint benchmark (issue #20 item 4: "a 100 000-file tree in under 5 s on 2
cores"). It generates, in a temporary directory outside the repository (under /tmp unless --work
says otherwise; deleted at the end unless --keep), a deterministic (seeded) monorepo of N files:
Spring Boot, plain Java, Kotlin, Python, Node, Rust and C services with their build files, Java
and Kotlin classes (a small share configuring KafkaProducer/KafkaConsumer with ProducerConfig /
ConsumerConfig constants), Python modules (some with confluent-kafka config dicts),
application.yml / application.properties (some with spring.kafka.*), librdkafka .conf files,
plain .properties without Kafka keys, README/Markdown, JSON, node_modules/, target/, build/ and
venv/ directories listed in .gitignore (a sizeable share of the files, with Kafka-looking decoys
inside that must NOT be found), a few files larger than 1 MiB and a few symbolic links.

Then it runs `target/release/semdoc lint TREE --format json`: once cold (the first run, with an
empty verdict cache in its own SEMDOC_CACHE_DIR; the tree's files are in the page cache since they
were just written), then warm (median of --runs runs, the verdict cache filled by the cold run),
and, with the files warm, a median of --runs runs with the verdict cache off (what a CI runner
without a cache pays). Each run reports wall time, user+sys CPU and peak RSS (from
`/usr/bin/time -v` when present, else getrusage(RUSAGE_CHILDREN).ru_maxrss). In the same run, as
peers for ratios: `find TREE -type f | wc -l`, and `rg --files` and `git ls-files` when installed
(reported "not installed" otherwise; nothing is ever downloaded).

It checks that semdoc's findings are exactly the Kafka configurations it planted (outside the
ignored directories), printing both counts and any missed or unexpected paths, and exits non-zero
on a mismatch, so the benchmark also catches misses.

usage: scripts/bench-lint.py [--files 100000] [--seed 20] [--runs 5] [--work DIR] [--keep]
                             [--semdoc target/release/semdoc] [--no-git]
"""
import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None

WORDS = ("order payment invoice ledger customer account billing shipment inventory catalog price "
         "refund audit notify email report search session token user profile cart checkout stock "
         "warehouse route fleet driver rating review coupon loyalty fraud risk quote claim policy "
         "tenant partner supplier contract booking ticket event schedule slot menu kitchen").split()
TOPICS = ("orders payments invoices shipments audit-log notifications clicks inventory-updates "
          "price-changes user-events").split()


class Tree:
    """Writes files under `root` until `budget` files exist; remembers what it planted."""

    def __init__(self, root, budget, rng):
        self.root, self.left, self.rng = root, budget, rng
        self.planted = set()     # Kafka configurations semdoc must find (relative paths)
        self.decoys = 0          # Kafka configurations inside ignored directories
        self.visible = 0         # files (and links) the walker should visit
        self.ignored = 0         # files inside .gitignore'd directories
        self.hidden = 0          # dot files (skipped as hidden)
        self.large = 0
        self.links = 0
        self.bytes = 0
        self.dirs = set()

    def mkdir(self, path):
        d = os.path.dirname(path)
        if d not in self.dirs:
            os.makedirs(d, exist_ok=True)
            self.dirs.add(d)

    def full(self):
        return self.left <= 0

    def put(self, rel, text, kafka=False, ignored=False, hidden=False):
        if self.left <= 0:
            return False
        path = os.path.join(self.root, rel)
        self.mkdir(path)
        data = text.encode() if isinstance(text, str) else text
        with open(path, "wb") as f:
            f.write(data)
        self.left -= 1
        self.bytes += len(data)
        if ignored:
            self.ignored += 1
            self.decoys += kafka
        elif hidden:
            self.hidden += 1
        else:
            self.visible += 1
            if kafka:
                self.planted.add(rel)
        return True

    def link(self, rel, target):
        if self.left <= 0:
            return False
        path = os.path.join(self.root, rel)
        self.mkdir(path)
        os.symlink(target, path)
        self.left -= 1
        self.links += 1
        self.visible += 1
        return True


# ---------------------------------------------------------------- contents

def camel(*ws):
    return "".join(w.capitalize() for w in ws)


def java_class(rng, pkg, name, extra=""):
    """A plausible Spring/Java class: imports, fields, a few methods with bodies."""
    deps = [camel(rng.choice(WORDS), s) for s in rng.sample(["Repository", "Service", "Client", "Mapper", "Validator"], 2)]
    lines = [f"package {pkg};", "", "import java.util.List;", "import java.util.Optional;",
             "import java.time.Instant;", "import org.slf4j.Logger;", "import org.slf4j.LoggerFactory;",
             "import org.springframework.stereotype.Service;", ""]
    lines += [f"/** {name}: handles {rng.choice(WORDS)} {rng.choice(WORDS)} requests. */", "@Service",
              f"public class {name} {{", f"    private static final Logger log = LoggerFactory.getLogger({name}.class);"]
    for d in deps:
        lines.append(f"    private final {d} {d[0].lower() + d[1:]};")
    lines.append("")
    lines.append(f"    public {name}({', '.join(f'{d} {d[0].lower() + d[1:]}' for d in deps)}) {{")
    for d in deps:
        v = d[0].lower() + d[1:]
        lines.append(f"        this.{v} = {v};")
    lines.append("    }")
    for _ in range(rng.randint(2, 9)):
        m = rng.choice(WORDS) + camel(rng.choice(WORDS))
        lines += ["", f"    public Optional<String> {m}(String id, int limit) {{",
                  f"        log.debug(\"{m} {{}} {{}}\", id, limit);",
                  "        if (id == null || id.isBlank()) {", "            return Optional.empty();", "        }",
                  f"        List<String> items = List.of(id, \"{rng.choice(WORDS)}\", Instant.now().toString());",
                  "        for (String item : items) {",
                  f"            if (item.length() > limit) {{ log.info(\"{rng.choice(WORDS)} too long: {{}}\", item); }}",
                  "        }", "        return items.stream().findFirst();", "    }"]
    lines.append(extra)
    lines.append("}")
    return "\n".join(lines) + "\n"


def java_template_sender(rng, pkg, name):
    """Spring's KafkaTemplate: names Kafka but configures no client (not a finding)."""
    return (f"package {pkg};\n\nimport org.springframework.kafka.core.KafkaTemplate;\n"
            f"import org.springframework.stereotype.Component;\n\n@Component\npublic class {name} {{\n"
            f"    private final KafkaTemplate<String, String> template;\n\n"
            f"    public {name}(KafkaTemplate<String, String> template) {{ this.template = template; }}\n\n"
            f"    public void publish(String key, String json) {{\n"
            f"        template.send(\"{rng.choice(TOPICS)}\", key, json);\n    }}\n}}\n")


def java_producer(rng, pkg, name):
    acks = rng.choice(['"all"', '"1"', '"0"', '"-1"', '"all"'])
    idem = rng.choice(['"true"', '"false"', None, None])
    lines = [f"package {pkg};", "", "import java.util.Properties;",
             "import org.apache.kafka.clients.producer.KafkaProducer;",
             "import org.apache.kafka.clients.producer.ProducerConfig;",
             "import org.apache.kafka.clients.producer.ProducerRecord;",
             "import org.apache.kafka.common.serialization.StringSerializer;", "",
             f"public class {name} {{", "    public static KafkaProducer<String, String> create(String servers) {",
             "        Properties props = new Properties();",
             "        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);",
             f"        props.put(ProducerConfig.ACKS_CONFIG, {acks});"]
    if idem:
        lines.append(f"        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, {idem});")
    if rng.random() < 0.3:
        lines.append(f"        props.put(ProducerConfig.RETRIES_CONFIG, {rng.choice(['0', '3', 'Integer.MAX_VALUE'])});")
    if rng.random() < 0.2:
        lines.append(f"        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, {rng.choice(['1', '5'])});")
    lines += ["        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());",
              "        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());",
              "        return new KafkaProducer<>(props);", "    }", "",
              "    public static void send(KafkaProducer<String, String> p, String key, String value) {",
              f"        p.send(new ProducerRecord<>(\"{rng.choice(TOPICS)}\", key, value));", "    }", "}"]
    return "\n".join(lines) + "\n"


def java_consumer(rng, pkg, name):
    auto = rng.choice(['"false"', '"true"', None])
    commit = rng.choice(["sync-after", "async-after", "none", "sync-before"])
    lines = [f"package {pkg};", "", "import java.time.Duration;", "import java.util.List;", "import java.util.Properties;",
             "import org.apache.kafka.clients.consumer.ConsumerConfig;",
             "import org.apache.kafka.clients.consumer.ConsumerRecord;",
             "import org.apache.kafka.clients.consumer.KafkaConsumer;", "",
             f"public class {name} {{", "    public void run(String servers) {",
             "        Properties props = new Properties();",
             "        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);",
             f"        props.put(ConsumerConfig.GROUP_ID_CONFIG, \"{rng.choice(WORDS)}-group\");"]
    if auto:
        lines.append(f"        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, {auto});")
    if rng.random() < 0.3:
        lines.append('        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");')
    lines += ['        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, "org.apache.kafka.common.serialization.StringDeserializer");',
              '        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, "org.apache.kafka.common.serialization.StringDeserializer");',
              "        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {",
              f"            consumer.subscribe(List.of(\"{rng.choice(TOPICS)}\"));", "            while (true) {",
              "                var records = consumer.poll(Duration.ofMillis(100));"]
    if commit == "sync-before":
        lines.append("                consumer.commitSync();")
    lines += ["                for (ConsumerRecord<String, String> r : records) {", "                    handle(r);", "                }"]
    if commit == "sync-after":
        lines.append("                consumer.commitSync();")
    elif commit == "async-after":
        lines.append("                consumer.commitAsync();")
    lines += ["            }", "        }", "    }", "",
              "    void handle(ConsumerRecord<String, String> r) {", "        System.out.println(r.value());", "    }", "}"]
    return "\n".join(lines) + "\n"


def kotlin_class(rng, pkg, name):
    body = "\n".join(f"    fun {rng.choice(WORDS)}{camel(rng.choice(WORDS))}(id: String): String? =\n"
                     f"        repo.find(id)?.takeIf {{ it.{rng.choice(WORDS)} > {rng.randint(0, 99)} }}?.name"
                     for _ in range(rng.randint(2, 8)))
    return (f"package {pkg}\n\nimport org.springframework.stereotype.Service\n\n"
            f"data class {name}Dto(val id: String, val name: String, val {rng.choice(WORDS)}: Int)\n\n"
            f"@Service\nclass {name}(private val repo: {camel(rng.choice(WORDS))}Repository) {{\n{body}\n}}\n")


def kotlin_producer(rng, pkg, name):
    acks = rng.choice(["all", "1", "0"])
    return (f"package {pkg}\n\nimport java.util.Properties\nimport org.apache.kafka.clients.producer.KafkaProducer\n"
            "import org.apache.kafka.clients.producer.ProducerConfig\n"
            "import org.apache.kafka.common.serialization.StringSerializer\n\n"
            f"object {name} {{\n    fun create(servers: String): KafkaProducer<String, String> {{\n"
            "        val props = Properties()\n        props[ProducerConfig.BOOTSTRAP_SERVERS_CONFIG] = servers\n"
            f"        props[ProducerConfig.ACKS_CONFIG] = \"{acks}\"\n"
            + (f"        props[ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG] = \"{rng.choice(['true', 'false'])}\"\n" if rng.random() < 0.5 else "")
            + "        props[ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG] = StringSerializer::class.java\n"
            "        props[ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG] = StringSerializer::class.java\n"
            "        return KafkaProducer(props)\n    }\n}\n")


def spring_yml(rng, svc, kafka):
    s = (f"server:\n  port: {rng.choice([8080, 8081, 8443, 9000])}\nspring:\n  application:\n    name: {svc}\n"
         f"  datasource:\n    url: jdbc:postgresql://db:5432/{svc.replace('-', '_')}\n    username: {svc}\n"
         "  jpa:\n    open-in-view: false\n")
    if kafka:
        s += "  kafka:\n    bootstrap-servers: kafka-1:9092,kafka-2:9092\n"
        if rng.random() < 0.6:
            s += f"    producer:\n      acks: {rng.choice(['all', '1', '0', 'all'])}\n"
            if rng.random() < 0.4:
                s += f"      transaction-id-prefix: {svc}-tx-\n"
            if rng.random() < 0.3:
                s += f"      retries: {rng.choice([0, 3, 10])}\n"
        else:
            s += (f"    consumer:\n      group-id: {svc}\n      enable-auto-commit: {rng.choice(['true', 'false'])}\n"
                  f"      auto-offset-reset: {rng.choice(['earliest', 'latest'])}\n")
            if rng.random() < 0.5:
                s += f"    listener:\n      ack-mode: {rng.choice(['record', 'batch', 'manual'])}\n"
    s += "management:\n  endpoints:\n    web:\n      exposure:\n        include: health,info,prometheus\n"
    s += f"logging:\n  level:\n    com.acme: {rng.choice(['INFO', 'DEBUG'])}\n"
    return s


def spring_properties(rng, svc, kafka):
    s = (f"server.port={rng.choice([8080, 8081, 9000])}\nspring.application.name={svc}\n"
         f"spring.datasource.url=jdbc:postgresql://db:5432/{svc.replace('-', '_')}\n"
         "spring.jpa.hibernate.ddl-auto=validate\nmanagement.endpoints.web.exposure.include=health,info\n"
         "logging.level.root=INFO\n")
    if kafka:
        s += "spring.kafka.bootstrap-servers=kafka-1:9092\n"
        if rng.random() < 0.6:
            s += f"spring.kafka.producer.acks={rng.choice(['all', '1', '0'])}\n"
            if rng.random() < 0.4:
                s += "spring.kafka.producer.properties.enable.idempotence=true\n"
        else:
            s += (f"spring.kafka.consumer.group-id={svc}\n"
                  f"spring.kafka.consumer.enable-auto-commit={rng.choice(['true', 'false'])}\n")
    return s


def plain_properties(rng, kind):
    """.properties files with no Kafka key: i18n messages, log4j, gradle, git info."""
    if kind == "messages":
        return "".join(f"{rng.choice(WORDS)}.{rng.choice(WORDS)}.{rng.choice(['title', 'label', 'error'])}="
                       f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)}\n" for _ in range(rng.randint(10, 60)))
    if kind == "log4j":
        return ("log4j.rootLogger=INFO, stdout\nlog4j.appender.stdout=org.apache.log4j.ConsoleAppender\n"
                "log4j.appender.stdout.layout=org.apache.log4j.PatternLayout\n"
                "log4j.appender.stdout.layout.ConversionPattern=%d %-5p %c - %m%n\n")
    if kind == "gradle":
        return "org.gradle.jvmargs=-Xmx2g\norg.gradle.parallel=true\norg.gradle.caching=true\nkotlin.code.style=official\n"
    return f"git.branch=main\ngit.commit.id.abbrev={rng.getrandbits(28):07x}\ngit.build.version=1.{rng.randint(0, 40)}.0\n"


def pom(rng, svc, boot):
    kafka_pin = rng.random() < 0.25
    dep = ("    <dependency>\n      <groupId>org.apache.kafka</groupId>\n      <artifactId>kafka-clients</artifactId>\n"
           f"      <version>{rng.choice(['3.6.2', '3.7.1', '3.8.0', '3.9.1'])}</version>\n    </dependency>\n") if kafka_pin else ""
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"
            "  <modelVersion>4.0.0</modelVersion>\n  <parent>\n    <groupId>org.springframework.boot</groupId>\n"
            f"    <artifactId>spring-boot-starter-parent</artifactId>\n    <version>{boot}</version>\n  </parent>\n"
            f"  <groupId>com.acme</groupId>\n  <artifactId>{svc}</artifactId>\n  <dependencies>\n"
            "    <dependency>\n      <groupId>org.springframework.boot</groupId>\n"
            "      <artifactId>spring-boot-starter-web</artifactId>\n    </dependency>\n"
            f"{dep}  </dependencies>\n</project>\n")


def gradle(rng, kts):
    v = rng.choice(["3.5.2", "3.6.2", "3.7.0", "3.8.1", "3.9.0"])
    if kts:
        return (f"plugins {{\n    kotlin(\"jvm\") version \"2.0.21\"\n}}\n\ndependencies {{\n"
                f"    implementation(\"org.apache.kafka:kafka-clients:{v}\")\n}}\n")
    return f"plugins {{\n    id 'java'\n}}\n\ndependencies {{\n    implementation 'org.apache.kafka:kafka-clients:{v}'\n}}\n"


def python_module(rng):
    fns = "\n\n".join(f"def {rng.choice(WORDS)}_{rng.choice(WORDS)}(request, limit={rng.randint(1, 100)}):\n"
                      f"    \"\"\"Return the {rng.choice(WORDS)}s of the request.\"\"\"\n"
                      f"    items = [x for x in request.get(\"{rng.choice(WORDS)}\", []) if x]\n"
                      "    if len(items) > limit:\n        log.warning(\"too many: %d\", len(items))\n"
                      "    return {\"items\": items[:limit], \"count\": len(items)}"
                      for _ in range(rng.randint(2, 8)))
    return f"import logging\nimport json\nfrom datetime import datetime\n\nlog = logging.getLogger(__name__)\n\n\n{fns}\n"


def python_confluent(rng, role):
    if role == "producer":
        acks = rng.choice(['"all"', '"1"', '"0"', "-1"])
        extra = f'    "enable.idempotence": {rng.choice(["True", "False"])},\n' if rng.random() < 0.5 else ""
        return ("\"\"\"Events producer.\"\"\"\nimport json\nfrom confluent_kafka import Producer\n\nconf = {\n"
                f"    \"bootstrap.servers\": \"kafka:9092\",\n    \"acks\": {acks},\n{extra}}}\n"
                f"producer = Producer(conf)\n\n\ndef send(event):\n"
                f"    producer.produce(\"{rng.choice(TOPICS)}\", json.dumps(event).encode())\n    producer.flush()\n")
    return ("\"\"\"Events consumer.\"\"\"\nfrom confluent_kafka import Consumer\n\nconf = {\n"
            f"    \"bootstrap.servers\": \"kafka:9092\",\n    \"group.id\": \"{rng.choice(WORDS)}\",\n"
            f"    \"enable.auto.commit\": {rng.choice(['True', 'False'])},\n}}\nconsumer = Consumer(conf)\n"
            f"consumer.subscribe([\"{rng.choice(TOPICS)}\"])\n\n\ndef run(handle):\n    while True:\n"
            "        msg = consumer.poll(1.0)\n        if msg is None:\n            continue\n"
            "        handle(msg)\n        consumer.commit(msg)\n")


def librdkafka_conf(rng):
    return ("# librdkafka configuration (rdkafka_performance -X file)\nbootstrap.servers=kafka-1:9092\n"
            f"acks={rng.choice(['all', '1', '0'])}\n"
            + (f"enable.idempotence={rng.choice(['true', 'false'])}\n" if rng.random() < 0.6 else "")
            + f"queue.buffering.max.ms={rng.choice([0, 5, 50])}\n")


def rust_main(rng, kafka):
    if not kafka:
        return (f"use std::collections::HashMap;\n\nfn main() {{\n    let mut m: HashMap<&str, u32> = HashMap::new();\n"
                f"    m.insert(\"{rng.choice(WORDS)}\", {rng.randint(0, 9)});\n    println!(\"{{m:?}}\");\n}}\n")
    return ("use rdkafka::config::ClientConfig;\nuse rdkafka::producer::FutureProducer;\n\nfn main() {\n"
            "    let producer: FutureProducer = ClientConfig::new()\n        .set(\"bootstrap.servers\", \"kafka-1:9092\")\n"
            f"        .set(\"acks\", \"{rng.choice(['all', '1', '0'])}\")\n        .create()\n        .expect(\"producer\");\n"
            "    let _ = producer;\n}\n")


def js_module(rng):
    return "".join(f"export function {rng.choice(WORDS)}{camel(rng.choice(WORDS))}(a, b) {{\n"
                   f"  return (a || []).filter((x) => x.{rng.choice(WORDS)} > b).map((x) => x.id);\n}}\n\n"
                   for _ in range(rng.randint(1, 6)))


def markdown(rng, title):
    paras = "\n\n".join(" ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 80))) for _ in range(rng.randint(2, 8)))
    return f"# {title}\n\n{paras}\n\n## Running\n\n```sh\n./mvnw spring-boot:run\n```\n"


def blob(rng, n):
    return rng.randbytes(n)


# ---------------------------------------------------------------- services

def node_modules(t, rng, base, n):
    """A node_modules tree (ignored): packages with package.json, JS, typings, docs."""
    made = 0
    while made < n and not t.full():
        pkg = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}{rng.randint(0, 99)}"
        files = [("package.json", json.dumps({"name": pkg, "version": f"{rng.randint(0, 9)}.{rng.randint(0, 20)}.0"})),
                 ("README.md", markdown(rng, pkg)), ("index.d.ts", "export declare function f(a: string): number;\n")]
        files += [(f"lib/{rng.choice(WORDS)}{i}.js", js_module(rng)) for i in range(rng.randint(2, 15))]
        if rng.random() < 0.1:
            files.append((".travis.yml", "language: node_js\n"))
            files.append(("test/fixtures/config.yml", "kafka:\n  brokers: [localhost:9092]\n"))
        for rel, text in files:
            t.put(f"{base}/node_modules/{pkg}/{rel}", text, ignored=True)
            made += 1


def java_service(t, rng, svc, kotlin=False):
    base = f"services/{svc}"
    pkg = f"com.acme.{svc.replace('-', '')}"
    pdir = pkg.replace(".", "/")
    lang, ext = ("kotlin", "kt") if kotlin else ("java", "java")
    boot = rng.choice(["2.7.18", "3.0.13", "3.1.12", "3.2.9", "3.3.4", "3.4.1", "3.5.0"])
    if kotlin:
        t.put(f"{base}/build.gradle.kts", gradle(rng, True))
    elif rng.random() < 0.7:
        t.put(f"{base}/pom.xml", pom(rng, svc, boot))
    else:
        t.put(f"{base}/build.gradle", gradle(rng, False))
    t.put(f"{base}/.gitignore", "*.iml\n.idea/\n", hidden=True)
    t.put(f"{base}/README.md", markdown(rng, svc))
    n_main = rng.randint(30, 160)
    classes = []
    for i in range(n_main):
        sub = rng.choice(["api", "service", "domain", "repository", "config", "util", "mapper"])
        name = camel(rng.choice(WORDS), rng.choice(WORDS), rng.choice(["Service", "Controller", "Handler", "Dto", "Mapper"])) + str(i)
        classes.append((sub, name))
        code = kotlin_class(rng, f"{pkg}.{sub}", name) if kotlin else java_class(rng, f"{pkg}.{sub}", name)
        t.put(f"{base}/src/main/{lang}/{pdir}/{sub}/{name}.{ext}", code)
    for i in range(n_main // 3):
        name = f"{camel(rng.choice(WORDS), rng.choice(WORDS))}Test{i}"
        code = kotlin_class(rng, f"{pkg}", name) if kotlin else java_class(rng, pkg, name)
        t.put(f"{base}/src/test/{lang}/{pdir}/{name}.{ext}", code)
    # Kafka client code: a small fraction of the classes.
    if rng.random() < 0.35:
        if kotlin:
            t.put(f"{base}/src/main/kotlin/{pdir}/messaging/EventProducer.kt", kotlin_producer(rng, f"{pkg}.messaging", "EventProducer"), kafka=True)
        else:
            if rng.random() < 0.6:
                t.put(f"{base}/src/main/java/{pdir}/messaging/EventProducer.java", java_producer(rng, f"{pkg}.messaging", "EventProducer"), kafka=True)
            if rng.random() < 0.5:
                t.put(f"{base}/src/main/java/{pdir}/messaging/EventConsumer.java", java_consumer(rng, f"{pkg}.messaging", "EventConsumer"), kafka=True)
    if not kotlin and rng.random() < 0.3:
        t.put(f"{base}/src/main/java/{pdir}/messaging/EventSender.java", java_template_sender(rng, f"{pkg}.messaging", "EventSender"))
    res = f"{base}/src/main/resources"
    kafka_cfg = rng.random() < 0.45
    if rng.random() < 0.6:
        app_name, app = "application.yml", spring_yml(rng, svc, kafka_cfg)
    else:
        app_name, app = "application.properties", spring_properties(rng, svc, kafka_cfg)
    t.put(f"{res}/{app_name}", app, kafka=kafka_cfg)
    if rng.random() < 0.3:
        prof = rng.random() < 0.5
        t.put(f"{res}/application-prod.yml", spring_yml(rng, svc, prof), kafka=prof)
    t.put(f"{res}/messages.properties", plain_properties(rng, "messages"))
    if rng.random() < 0.3:
        t.put(f"{res}/log4j.properties", plain_properties(rng, "log4j"))
    t.put(f"{res}/logback.xml", "<configuration>\n  <root level=\"INFO\"/>\n</configuration>\n")
    for i in range(rng.randint(0, 8)):
        t.put(f"{res}/db/migration/V{i + 1}__{rng.choice(WORDS)}.sql",
              f"CREATE TABLE {rng.choice(WORDS)}_{i} (id BIGINT PRIMARY KEY, name TEXT NOT NULL);\n")
    if rng.random() < 0.4:
        t.put(f"{res}/static/openapi.json", json.dumps({"openapi": "3.0.0", "info": {"title": svc}, "paths": {}}))
    if rng.random() < 0.3:
        t.put(f"{base}/docker-compose.yml",
              "services:\n  kafka:\n    image: apache/kafka:3.9.0\n    ports: ['9092:9092']\n  db:\n    image: postgres:16\n")
    if rng.random() < 0.2:
        t.put(f"{base}/gradle.properties", plain_properties(rng, "gradle"))
    # Build output (ignored by the root .gitignore): compiled classes, copied resources (a copy of
    # a Kafka config here is a decoy semdoc must not report), reports.
    if rng.random() < 0.75:
        out = f"{base}/build" if kotlin else f"{base}/target"
        for sub, name in classes:
            t.put(f"{out}/classes/{pdir}/{sub}/{name}.class", b"\xca\xfe\xba\xbe" + blob(rng, rng.randint(200, 2000)), ignored=True)
        t.put(f"{out}/classes/{app_name}", app, kafka=kafka_cfg, ignored=True)
        for i in range(rng.randint(2, 20)):
            t.put(f"{out}/surefire-reports/TEST-{pkg}.T{i}.txt", "Tests run: 3, Failures: 0, Errors: 0\n", ignored=True)
        for i in range(rng.randint(0, 10)):
            t.put(f"{out}/generated-sources/annotations/{pdir}/Gen{i}.java", java_class(rng, pkg, f"Gen{i}"), ignored=True)
    if rng.random() < 0.2:
        web = f"{base}/src/main/frontend"
        t.put(f"{web}/package.json", json.dumps({"name": svc + "-ui", "private": True}))
        for i in range(rng.randint(5, 30)):
            t.put(f"{web}/src/{rng.choice(WORDS)}{i}.ts", js_module(rng))
        node_modules(t, rng, web, rng.randint(100, 400))


def python_service(t, rng, svc):
    base = f"services/{svc}"
    kafka = rng.random() < 0.5
    reqs = ["requests==2.32.3", "flask==3.0.3", "sqlalchemy==2.0.36"] + (["confluent-kafka==2.5.0"] if kafka else [])
    t.put(f"{base}/requirements.txt", "\n".join(reqs) + "\n")
    t.put(f"{base}/README.md", markdown(rng, svc))
    for i in range(rng.randint(10, 60)):
        t.put(f"{base}/app/{rng.choice(WORDS)}_{i}.py", python_module(rng))
    for i in range(rng.randint(3, 20)):
        t.put(f"{base}/tests/test_{rng.choice(WORDS)}_{i}.py", python_module(rng))
    if kafka:
        for role in rng.sample(["producer", "consumer"], rng.randint(1, 2)):
            t.put(f"{base}/app/events_{role}.py", python_confluent(rng, role), kafka=True)
    t.put(f"{base}/config/settings.yaml", f"database:\n  url: postgresql://db/{svc}\nworkers: {rng.randint(1, 8)}\n")
    if rng.random() < 0.35:
        # A virtualenv (ignored): site-packages, including confluent_kafka's own sources (decoys).
        sp = f"{base}/venv/lib/python3.11/site-packages"
        for i in range(rng.randint(100, 500)):
            t.put(f"{sp}/{rng.choice(WORDS)}{i % 40}/{rng.choice(WORDS)}_{i}.py", python_module(rng), ignored=True)
        if kafka:
            t.put(f"{sp}/confluent_kafka/examples/producer.py", python_confluent(rng, "producer"), kafka=True, ignored=True)
    for i in range(rng.randint(0, 15)):
        t.put(f"{base}/app/__pycache__/m{i}.cpython-311.pyc", blob(rng, rng.randint(100, 900)), ignored=True)


def node_service(t, rng, svc):
    base = f"services/{svc}"
    t.put(f"{base}/package.json", json.dumps({"name": svc, "version": "1.0.0", "dependencies": {"express": "^4.19.0"}}, indent=2))
    t.put(f"{base}/README.md", markdown(rng, svc))
    for i in range(rng.randint(20, 80)):
        t.put(f"{base}/src/{rng.choice(['routes', 'lib', 'models'])}/{rng.choice(WORDS)}{i}.js", js_module(rng))
    for i in range(rng.randint(5, 40)):
        t.put(f"{base}/dist/bundle{i}.js", js_module(rng), ignored=True)
    node_modules(t, rng, base, rng.randint(200, 700))


def rust_service(t, rng, svc):
    base = f"services/{svc}"
    kafka = rng.random() < 0.7
    t.put(f"{base}/Cargo.toml", f"[package]\nname = \"{svc}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n"
          + ("rdkafka = \"0.36\"\n" if kafka else "serde = \"1\"\n"))
    t.put(f"{base}/src/main.rs", rust_main(rng, kafka), kafka=kafka)
    for i in range(rng.randint(3, 20)):
        t.put(f"{base}/src/{rng.choice(WORDS)}{i}.rs", rust_main(rng, False))
    for i in range(rng.randint(50, 300)):
        t.put(f"{base}/target/debug/deps/lib{rng.choice(WORDS)}-{i:04x}.rlib", blob(rng, rng.randint(200, 1500)), ignored=True)


def c_service(t, rng, svc):
    base = f"services/{svc}"
    t.put(f"{base}/README.md", markdown(rng, svc))
    for i in range(rng.randint(5, 25)):
        t.put(f"{base}/src/{rng.choice(WORDS)}{i}.c", f"#include <librdkafka/rdkafka.h>\nint f{i}(void) {{ return {i}; }}\n")
    t.put(f"{base}/etc/producer.conf", librdkafka_conf(rng), kafka=True)
    t.put(f"{base}/etc/logrotate.conf", "daily\nrotate 7\ncompress\nmissingok\n")


def generate(root, n, seed):
    rng = random.Random(seed)
    t = Tree(root, n, rng)
    t.put(".gitignore", "node_modules/\ntarget/\nbuild/\ndist/\nvenv/\n__pycache__/\n*.log\n", hidden=True)
    t.put("README.md", markdown(rng, "acme monorepo"))
    t.put(".github/workflows/ci.yml", "on: push\njobs:\n  lint:\n    runs-on: ubuntu-latest\n", hidden=True)
    for i in range(60):
        t.put(f"docs/{rng.choice(WORDS)}-{i}.md", markdown(rng, f"doc {i}"))
    for i in range(20):
        t.put(f"shared/config/{rng.choice(WORDS)}-{i}.properties", plain_properties(rng, rng.choice(["messages", "log4j", "git"])))
    # A few files over 1 MiB: two of them with names semdoc reads (listed as skipped, too large).
    big = [("data/geo/cities.json", "json"), ("data/exports/catalog.yml", "yml"),
           ("libs/schema/src/main/java/com/acme/schema/Generated.java", "java"), ("docs/assets/diagram.png", "bin")]
    for rel, kind in big:
        size = (1 << 20) + rng.randint(1, 1 << 20)
        if kind == "json":
            data = json.dumps([{"id": i, "name": rng.choice(WORDS)} for i in range(size // 28)]).encode()
        elif kind == "yml":
            data = "".join(f"item{i}:\n  name: {rng.choice(WORDS)}\n" for i in range(size // 24)).encode()
        elif kind == "java":
            data = ("class Generated {\n" + "".join(f"  static final int C{i} = {i};\n" for i in range(size // 28)) + "}\n").encode()
        else:
            data = blob(rng, size)
        t.put(rel, data)
        t.large += 1
    kinds = ["spring"] * 50 + ["kotlin"] * 10 + ["python"] * 18 + ["node"] * 5 + ["rust"] * 4 + ["c"] * 4
    i = 0
    services = []
    while not t.full():
        kind = rng.choice(kinds)
        svc = f"{rng.choice(WORDS)}-{kind if kind != 'spring' else 'service'}-{i}"
        services.append(svc)
        {"spring": lambda: java_service(t, rng, svc), "kotlin": lambda: java_service(t, rng, svc, kotlin=True),
         "python": lambda: python_service(t, rng, svc), "node": lambda: node_service(t, rng, svc),
         "rust": lambda: rust_service(t, rng, svc), "c": lambda: c_service(t, rng, svc)}[kind]()
        # A few symbolic links (listed by semdoc, not followed): to shared config, to a file.
        if i % 97 == 5:
            t.link(f"services/{svc}/shared-config", "../../shared/config")
        if i % 131 == 7:
            t.link(f"services/{svc}/current.properties", "../../shared/config")
        i += 1
    t.services = len(services)
    return t


# ---------------------------------------------------------------- measuring

def run_timed(cmd, cwd=None, env=None, shell=False, semdoc=False):
    """Run cmd; return (wall s, cpu s, peak RSS KiB, stdout bytes, returncode)."""
    env = dict(os.environ, **(env or {}))
    fd, tfile = tempfile.mkstemp(prefix="bench-lint-time-")
    os.close(fd)
    if TIME:
        full = [TIME, "-v", "-o", tfile] + (["sh", "-c", cmd] if shell else cmd)
    else:
        full = ["sh", "-c", cmd] if shell else cmd
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(full, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    rss = after.ru_maxrss  # the largest child so far: only an upper bound without /usr/bin/time
    if TIME:
        for line in open(tfile):
            line = line.strip()
            if line.startswith("Maximum resident set size (kbytes):"):
                rss = int(line.split(":")[1])
            elif line.startswith("User time (seconds):"):
                user = float(line.split(":")[1])
            elif line.startswith("System time (seconds):"):
                cpu = user + float(line.split(":")[1])
    os.unlink(tfile)
    # `semdoc lint` exits 1 when a configuration fails (no guarantee is not a benchmark error).
    if p.returncode not in ((0, 1) if semdoc else (0,)):
        sys.exit(f"{cmd} failed ({p.returncode}):\n{p.stderr.decode(errors='replace')[-3000:]}")
    return wall, cpu, rss, p.stdout, p.stderr


def fmt_run(r):
    return f"{r[0]:6.2f} s wall, {r[1]:6.2f} s CPU, {r[2] / 1024:7.1f} MiB peak RSS"


def median_runs(rs):
    return (statistics.median(r[0] for r in rs), statistics.median(r[1] for r in rs), max(r[2] for r in rs))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--files", type=int, default=100_000, help="files in the generated tree (default 100000)")
    ap.add_argument("--seed", type=int, default=20)
    ap.add_argument("--runs", type=int, default=5, help="warm runs per tool (median)")
    ap.add_argument("--work", help="directory to generate into (default: a new one under /tmp)")
    ap.add_argument("--keep", action="store_true", help="keep the generated tree")
    ap.add_argument("--semdoc", default=os.path.join(ROOT, "target", "release", "semdoc"))
    ap.add_argument("--no-git", action="store_true", help="do not build a git index for `git ls-files`")
    a = ap.parse_args()
    semdoc = os.path.abspath(a.semdoc)
    if not os.access(semdoc, os.X_OK):
        sys.exit(f"{semdoc} not found: run `cargo build --release` first")
    work = os.path.abspath(a.work) if a.work else tempfile.mkdtemp(prefix="semdoc-bench-lint-", dir="/tmp")
    if os.path.commonpath([work, ROOT]) == ROOT:
        sys.exit(f"--work {work} is inside the repository; use a directory outside it")
    tree = os.path.join(work, "tree")
    if os.path.exists(tree):
        sys.exit(f"{tree} exists; pass a fresh --work")
    try:
        bench(a, semdoc, work, tree)
    finally:
        if a.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def bench(a, semdoc, work, tree):
    t0 = time.perf_counter()
    t = generate(tree, a.files, a.seed)
    print(f"generated {a.files} files ({t.bytes / 2**20:.0f} MiB, {t.services} services, seed {a.seed}) in "
          f"{time.perf_counter() - t0:.1f} s: {t.visible} to visit (incl. {t.links} symlinks, {t.large} over 1 MiB), "
          f"{t.ignored} in .gitignore'd dirs ({100 * t.ignored / a.files:.0f} %), {t.hidden} hidden; "
          f"{len(t.planted)} Kafka configs planted, {t.decoys} decoys in ignored dirs")
    gitdir = os.path.join(work, "tree.git")
    git = shutil.which("git")
    if git and not a.no_git:
        t1 = time.perf_counter()
        genv = dict(os.environ, GIT_DIR=gitdir, GIT_WORK_TREE=tree)
        subprocess.run([git, "init", "-q"], env=genv, check=True)
        subprocess.run([git, "add", "-A"], env=genv, check=True, cwd=tree)
        print(f"git index (outside the tree, {gitdir}) built in {time.perf_counter() - t1:.1f} s (not timed below)")
    print(f"uptime: {subprocess.run(['uptime'], stdout=subprocess.PIPE, text=True).stdout.strip()}")
    print()

    cache = os.path.join(work, "cache")
    lint = [semdoc, "lint", tree, "--format", "json"]
    cold = run_timed(lint, env={"SEMDOC_CACHE_DIR": cache}, semdoc=True)
    peers = {"find -type f": f"find '{tree}' -type f | wc -l"}
    rg = shutil.which("rg")
    if rg:
        peers["rg --files"] = f"'{rg}' --files '{tree}' | wc -l"
    if git and not a.no_git:
        peers["git ls-files"] = f"GIT_DIR='{gitdir}' GIT_WORK_TREE='{tree}' '{git}' ls-files | wc -l"
    warm, nocache, peer_runs = [], [], {k: [] for k in peers}
    for _ in range(a.runs):
        warm.append(run_timed(lint, env={"SEMDOC_CACHE_DIR": cache}, semdoc=True))
        nocache.append(run_timed(lint, env={"SEMDOC_CACHE_DIR": "off"}, semdoc=True))
        for k, c in peers.items():
            peer_runs[k].append(run_timed(c, shell=True))

    report = json.loads(cold[3])
    summary = cold[4].decode(errors="replace").strip().splitlines()
    w, nc = median_runs(warm), median_runs(nocache)
    print(f"semdoc lint cold (first run, empty verdict cache): {fmt_run(cold)}")
    print(f"semdoc lint warm (median of {a.runs}, verdict cache): {fmt_run(w)}")
    print(f"semdoc lint warm files, no verdict cache (median of {a.runs}): {fmt_run(nc)}")
    print(f"  {summary[-1] if summary else ''}")
    print(f"  visited {report['visited']} (expected {t.visible}), read {report['read']}, "
          f"findings {len(report['findings'])}, skipped {len(report['skipped'])}")
    for k, rs in peer_runs.items():
        m = median_runs(rs)
        out = rs[0][3].decode().strip()
        print(f"{k:>14} (median of {a.runs}): {fmt_run(m)}; {out} files; semdoc warm is {w[0] / m[0]:.1f}x its time")
    if not rg:
        print(f"{'rg --files':>14}: not installed")
    if not git or a.no_git:
        print(f"{'git ls-files':>14}: {'not installed' if not git else 'skipped (--no-git)'}")
    print(f"peak RSS: /usr/bin/time -v" if TIME else "peak RSS: getrusage(RUSAGE_CHILDREN).ru_maxrss (upper bound)")
    print()

    prefix = tree.rstrip("/") + "/"
    found = {f["path"][len(prefix):] if f["path"].startswith(prefix) else f["path"] for f in report["findings"]}
    missed, extra = sorted(t.planted - found), sorted(found - t.planted)
    print(f"planted Kafka configurations: {len(t.planted)}; semdoc findings: {len(report['findings'])}")
    for p in missed[:10]:
        print(f"  MISSED {p}")
    for p in extra[:10]:
        print(f"  UNEXPECTED {p}")
    ok = not missed and not extra and len(report["findings"]) == len(t.planted)
    if report["visited"] != t.visible:
        print(f"visited {report['visited']} != {t.visible} files outside ignored dirs")
        ok = False
    slow = max(cold[0], w[0], nc[0])
    print(f"target: under 5 s on 2 cores: {'met' if slow < 5 else 'NOT met'} (slowest median {slow:.2f} s)")
    if not ok:
        sys.exit("MISMATCH: semdoc's findings are not the planted configurations")


if __name__ == "__main__":
    main()
