#!/usr/bin/env python3
"""librdkafka_fixture.py: measures what the real librdkafka accepts and rejects.

Runs a few hundred configurations through confluent-kafka's `Producer(conf)` / `Consumer(conf)`
(which bundle librdkafka; construction validates the configuration with no broker) and writes:

* tests/fixtures/clients/librdkafka.json: one row per configuration (role, conf, accepted, the
  error as librdkafka words it, the stage it came from, the librdkafka version). semdoc's test
  `semantics::resolve::tests::rdk_fixture_agrees` holds semdoc's verdicts to it; `cargo test`
  needs no Python.
* src/semantics/resolve/librdkafka_properties.tsv: librdkafka's own property table
  (`rd_kafka_conf_properties_show()`, the text of CONFIGURATION.md) reduced to name, scope
  (global/topic), client (*, P, C), type, range or enum values, default and alias target; semdoc
  validates librdkafka configurations with it.

Usage: pip install confluent-kafka && python3 scripts/librdkafka_fixture.py
Only a loopback address that nothing listens on is used as bootstrap server.
"""

import ctypes
import glob
import json
import logging
import os
import re
import sys

import confluent_kafka as ck

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURE = os.path.join(ROOT, "tests", "fixtures", "clients", "librdkafka.json")
TABLE = os.path.join(ROOT, "src", "semantics", "resolve", "librdkafka_properties.tsv")
BOOTSTRAP = "127.0.0.1:1"


def librdkafka():
    d = os.path.join(os.path.dirname(os.path.dirname(ck.__file__)), "confluent_kafka.libs")
    so = glob.glob(os.path.join(d, "librdkafka*.so*"))
    return ctypes.CDLL(so[0]) if so else ctypes.CDLL("librdkafka.so.1")


def property_table():
    """The library's own CONFIGURATION.md table, parsed."""
    lib, libc = librdkafka(), ctypes.CDLL("libc.so.6")
    libc.fopen.restype = ctypes.c_void_p
    libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    libc.fclose.argtypes = [ctypes.c_void_p]
    lib.rd_kafka_conf_properties_show.argtypes = [ctypes.c_void_p]
    path = "/tmp/librdkafka-properties-%d.md" % os.getpid()
    f = libc.fopen(path.encode(), b"w")
    lib.rd_kafka_conf_properties_show(f)
    libc.fclose(f)
    text = open(path).read()
    os.unlink(path)
    props, scope = [], None
    for line in text.splitlines():
        if line.startswith("## Global"):
            scope = "global"
        elif line.startswith("## Topic"):
            scope = "topic"
        cells = [c.strip() for c in line.split("|")]
        if len(cells) < 6 or cells[0] in ("Property", "") or cells[0].startswith("-"):
            continue
        name, cp, rng, default = cells[0], cells[1], cells[2], cells[3]
        desc = "|".join(cells[5:])
        m = re.search(r"\*Type: ([^*]+)\*", desc)
        ty = m.group(1) if m else "string"
        a = re.match(r"Alias for `([^`]+)`", desc)
        alias = a.group(1) if a else ""
        flags = ",".join(f for f in ("DEPRECATED", "EXPERIMENTAL") if f"**{f}**" in desc)
        props.append(dict(name=name, scope=scope, cp=cp, type=ty, range=rng, default=default, alias=alias, flags=flags))
    return props


class Logs(logging.Handler):
    def __init__(self):
        super().__init__()
        self.msgs = []

    def emit(self, record):
        self.msgs.append(record.getMessage())


def kerr(e):
    a = e.args[0] if e.args else e
    return a.str() if hasattr(a, "str") else str(a)


def run(role, conf):
    """Create the client; for a producer also produce once, which creates the topic handle and
    runs the topic-level checks that `rd_kafka_new` defers when no topic property was set
    (src/rdkafka_topic.c: "Incompatible configuration settings for topic")."""
    logs = Logs()
    logger = logging.getLogger("rdk-fixture-%d" % id(logs))
    logger.addHandler(logs)
    logger.setLevel(logging.DEBUG)
    c = {"bootstrap.servers": BOOTSTRAP, **conf, "logger": logger}
    cls = ck.Producer if role == "producer" else ck.Consumer
    # `pairs` keeps the order the properties were set in (JSON readers may sort `conf`).
    row = {"role": role, "conf": conf, "pairs": [[k, v] for k, v in conf.items()]}
    try:
        client = cls(c)
    except (ck.KafkaException, ValueError, TypeError) as e:
        msg = kerr(e)
        stage = "conf_set"
        for p in ("Failed to create producer: ", "Failed to create consumer: "):
            if msg.startswith(p):
                msg, stage = msg[len(p):], "new"
        row.update(accepted=False, stage=stage, error=msg, raw_error=kerr(e))
        return row
    if role == "producer":
        try:
            client.produce("t", b"x")
        except (ck.KafkaException, BufferError) as e:
            row["produce_error"] = kerr(e)
        client.poll(0)
        client.purge()
    else:
        client.close()
    topic = [m for m in logs.msgs if "Incompatible configuration settings for topic" in m]
    if topic:
        msg = topic[0].split('": ', 1)[1]
        row.update(accepted=False, stage="topic", error=msg, raw_error=topic[0])
        return row
    if role == "producer" and conf.get("transactional.id") and "produce.offset.report" not in conf and "probe" not in row:
        # A transactional producer cannot produce before init_transactions(), so the deferred
        # topic checks never run above; set a topic property that does nothing
        # (`produce.offset.report`, "No longer used") so that rd_kafka_new runs them itself.
        probe = run(role, {**conf, "produce.offset.report": "true"})
        if not probe["accepted"]:
            row.update(accepted=False, stage="topic", error=probe["error"], raw_error=probe["raw_error"],
                       probe="produce.offset.report=true")
            return row
    row["accepted"] = True
    warns = [m.split("]: ", 1)[-1] for m in logs.msgs if m.startswith("CONFWARN")]
    if warns:
        row["warnings"] = warns
    return row


def semdoc_keys():
    """The keys semdoc knows (src/semantics/facts.rs key lists)."""
    src = open(os.path.join(ROOT, "src", "semantics", "facts.rs")).read()
    keys = []
    for name in ("PRODUCER_KEYS", "CONSUMER_KEYS", "COMMON_KEYS", "RDK_KEYS"):
        m = re.search(r"pub const %s: &\[&str\] =\s*&\[(.*?)\];" % name, src, re.S)
        if m:
            keys += re.findall(r'"([^"]+)"', m.group(1))
    return list(dict.fromkeys(keys))


def values_for(p):
    ty, rng = p["type"], p["range"]
    if ty == "integer":
        lo, hi = (int(x) for x in rng.split(".."))
        vs = [str(lo), str(hi), str(lo - 1), str(hi + 1), "abc", "", "7x" if lo <= 7 <= hi else str(lo) + "x"]
        if lo <= 16 <= hi:
            vs.append("0x10")
        return vs
    if ty == "float":
        lo, hi = (float(x) for x in rng.split(".."))
        return ["%g" % lo, "%g" % hi, "%g" % (hi + 1), "-1", "0.5", "abc"]
    if ty == "boolean":
        return ["true", "false", "TRUE", "False", "t", "F", "1", "0", "yes", "on", ""]
    if ty == "enum value":
        vals = [v.strip() for v in rng.split(",")]
        return vals + [vals[-1].upper(), "bogus"]
    if ty == "CSV flags":
        vals = [v.strip() for v in rng.split(",")]
        return [vals[0], vals[0].upper() + "," + vals[1], "bogus"]
    return ["x"]


def cases(props):
    by = {p["name"]: p for p in props}
    known = semdoc_keys()
    out = []

    def add(role, conf):
        out.append((role, conf))

    def base(role):
        # The Python wrapper itself requires group.id for a Consumer ("group.id must be set"),
        # and Consumer({'group.id': ''}) aborts the process (FACTS: Consumer.c assertion), so
        # every consumer row carries one.
        return {"group.id": "g"} if role == "consumer" else {}

    for k in known:
        p = by.get(k)
        if p is None:
            # Java names librdkafka does not know.
            add("producer", {k: "x"})
            continue
        target = by.get(p["alias"], p)
        if target["type"] == "see dedicated API":
            continue
        roles = {"P": ["producer"], "C": ["consumer"]}.get(target["cp"], ["producer", "consumer"])
        for role in roles:
            for v in values_for(target):
                if k == "group.id":
                    continue
                if k == "bootstrap.servers":
                    continue
                if k == "security.protocol" and "sasl" in v.lower():
                    # Depends on the build (GSSAPI needs libsasl2): not a property of the config.
                    continue
                add(role, {**base(role), k: v})
        # acks' named value (s2i) in all cases.
    for v in ["all", "ALL", "All", "-1", "0", "1", "1001", "-2", "one", ""]:
        add("producer", {"acks": v})
        add("producer", {"request.required.acks": v})
    # Unknown names: names are compared exactly (strcmp).
    for k in ["x", "ENABLE.IDEMPOTENCE", "enable_idempotence", "Acks", "buffer.memory", "max.block.ms",
              "key.serializer", "value.deserializer", "fetch.max.wait.ms", "default.api.timeout.ms",
              "exclude.internal.topics", "interceptor.classes", "max.request.size", "partitioner.class"]:
        add("producer", {k: "1"})
        add("consumer", {"group.id": "g", k: "1"})
    # Properties of the other client: accepted with a CONFWARN.
    for k, v in [("group.id", "g"), ("enable.auto.commit", "false"), ("isolation.level", "read_committed"),
                 ("auto.offset.reset", "earliest")]:
        add("producer", {k: v})
    for k, v in [("acks", "1"), ("enable.idempotence", "true"), ("linger.ms", "10"), ("transactional.id", "t"),
                 ("retries", "0")]:
        add("consumer", {"group.id": "g", k: v})
    # Cross-checks in rd_kafka_new / the topic conf finalizer (src/rdkafka_conf.c).
    P = "producer"
    for conf in [
        {"transactional.id": "t"},
        {"transactional.id": "t", "enable.idempotence": "false"},
        {"transactional.id": "t", "enable.idempotence": "true"},
        {"transactional.id": ""},
        {"transactional.id": "t", "socket.timeout.ms": "60101"},
        {"transactional.id": "t", "socket.timeout.ms": "60100"},
        {"transactional.id": "t", "transaction.timeout.ms": "10000", "socket.timeout.ms": "10101"},
        {"enable.idempotence": "true"},
        {"enable.idempotence": "true", "max.in.flight.requests.per.connection": "6"},
        {"enable.idempotence": "true", "max.in.flight": "6"},
        {"enable.idempotence": "true", "max.in.flight.requests.per.connection": "5"},
        {"enable.idempotence": "true", "retries": "0"},
        {"enable.idempotence": "true", "message.send.max.retries": "0"},
        {"enable.idempotence": "true", "retries": "1"},
        {"enable.idempotence": "true", "acks": "1"},
        {"enable.idempotence": "true", "acks": "0"},
        {"enable.idempotence": "true", "acks": "all"},
        {"enable.idempotence": "true", "acks": "-1"},
        {"enable.idempotence": "true", "request.required.acks": "1"},
        {"enable.idempotence": "true", "queuing.strategy": "lifo"},
        {"enable.idempotence": "true", "queuing.strategy": "FIFO"},
        {"enable.idempotence": "true", "queue.buffering.backpressure.threshold": "2"},
        {"enable.idempotence": "true", "queue.buffering.backpressure.threshold": "1"},
        {"enable.gapless.guarantee": "true"},
        {"enable.gapless.guarantee": "true", "enable.idempotence": "true"},
        {"transactional.id": "t", "acks": "1"},
        {"transactional.id": "t", "retries": "0"},
        {"transactional.id": "t", "max.in.flight": "6"},
        {"transactional.id": "t", "message.timeout.ms": "60001"},
        {"transactional.id": "t", "message.timeout.ms": "60000"},
        {"transactional.id": "t", "delivery.timeout.ms": "120000"},
        {"transactional.id": "t", "delivery.timeout.ms": "120000", "transaction.timeout.ms": "120000"},
        {"transactional.id": "t", "linger.ms": "60000"},
        {"linger.ms": "300000"},
        {"linger.ms": "300000", "acks": "all"},
        {"linger.ms": "1000", "message.timeout.ms": "1000"},
        {"linger.ms": "1000", "delivery.timeout.ms": "1001"},
        {"linger.ms": "1000", "message.timeout.ms": "0"},
        {"message.timeout.ms": "3"},
        {"queue.buffering.max.ms": "1000", "message.timeout.ms": "500", "acks": "1"},
        {"acks": "1", "max.in.flight": "6", "retries": "0"},
        {"acks": "0", "enable.idempotence": "false"},
        {"acks": "1", "retries": "-1"},
        {"retries": "-1", "acks": "bad"},
        {"acks": "bad", "retries": "-1"},
    ]:
        add(P, conf)
    C = "consumer"
    for conf in [
        {"max.poll.interval.ms": "1000"},
        {"max.poll.interval.ms": "45000"},
        {"max.poll.interval.ms": "1000", "session.timeout.ms": "1000"},
        {"group.protocol": "consumer", "session.timeout.ms": "10000"},
        {"group.protocol": "consumer", "heartbeat.interval.ms": "1000"},
        {"group.protocol": "consumer", "partition.assignment.strategy": "range"},
        {"group.protocol": "consumer", "max.poll.interval.ms": "1000"},
        {"group.protocol": "CONSUMER"},
        {"enable.auto.commit": "false", "enable.auto.offset.store": "false"},
        {"auto.offset.reset": "none"},
        {"auto.offset.reset": "error"},
        {"auto.offset.reset": "EARLIEST"},
        {"isolation.level": "READ_COMMITTED"},
        {"isolation.level": "readcommitted"},
        {"auto.commit.interval.ms": "-5"},
        {"auto.commit.interval.ms": "0"},
    ]:
        add(C, {"group.id": "g", **conf})
    seen, uniq = set(), []
    for role, conf in out:
        key = (role, json.dumps(conf))
        if key not in seen:
            seen.add(key)
            uniq.append((role, conf))
    return uniq


def main():
    props = property_table()
    os.makedirs(os.path.dirname(FIXTURE), exist_ok=True)
    version = ck.libversion()[0]
    with open(TABLE, "w") as f:
        f.write("# librdkafka %s property table (rd_kafka_conf_properties_show(), i.e. CONFIGURATION.md),\n" % version)
        f.write("# written by scripts/librdkafka_fixture.py: name, scope, client (* P C), type, range, default, alias, flags\n")
        for p in props:
            f.write("\t".join(p[k] for k in ("name", "scope", "cp", "type", "range", "default", "alias", "flags")) + "\n")
    rows = []
    for role, conf in cases(props):
        row = run(role, conf)
        row["librdkafka"] = version
        rows.append(row)
    doc = {
        "source": "scripts/librdkafka_fixture.py: confluent_kafka.Producer/Consumer(conf) with bootstrap.servers=%s" % BOOTSTRAP,
        "librdkafka": version,
        "confluent_kafka": ck.version()[0],
        "rows": rows,
    }
    with open(FIXTURE, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=False)
        f.write("\n")
    rej = sum(1 for r in rows if not r["accepted"])
    print("%d rows (%d rejected) on librdkafka %s -> %s" % (len(rows), rej, version, FIXTURE), file=sys.stderr)


if __name__ == "__main__":
    main()
