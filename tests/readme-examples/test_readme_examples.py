"""The README's examples, run as a new user would run them: every ```bash block marked `<!-- readme-test -->` is split
into commands, run in order in ONE bash shell (variables such as $REPORT carry over) from the repository root against
scripts/run-local.sh on its default ports (scripts/readme-examples.sh sets that up), and each command is checked
against what its comment after `→` says:

    # → 200 {status: "injected", line ~ "NVRM: Xid", records[0].sequence, faults[].state: "active", ended_by: null}
    # → 200 prints: fault_api_            (the output contains the text)
    # → 200 saves: gpu-node-001_*.log.gz  (a file matching the pattern was written)

The number is the HTTP status of every curl in the command (a wrapper adds curl's --write-out on stderr, so the output
stays exactly what the user sees). Inside {...}: `path` must exist and not be null, `path: <JSON>` must equal it,
`path ~ "text"` must contain it; a path is dotted, `[n]` picks an element and `[]` means every element (at least one).
A command without `→` must exit 0.
"""
import glob
import json
import os
import pathlib
import re
import subprocess
import tempfile
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
MARKER = "<!-- readme-test -->"
MISSING = object()
STEP_TIMEOUT = 180


class Step:
    def __init__(self, block, number, command, spec):
        self.block = block
        self.number = number
        self.command = command
        self.spec = spec
        words = re.sub(r"\s+", " ", command.split("#")[0]).strip()
        self.id = f"{number:02d}-{re.sub(r'[^A-Za-z0-9/._?=-]+', '_', words)[:70]}"


def scan(text):
    """Where an unquoted comment starts in `text` (or -1), and whether a quote is still open at its end."""
    quote = None
    previous = " "
    for i, c in enumerate(text):
        if quote:
            if c == quote:
                quote = None
            elif c == "\\" and quote == '"':
                pass
        elif c in "'\"":
            quote = c
        elif c == "#" and previous in " \t\n":
            return i, False
        previous = c
    return -1, quote is not None


def examples():
    lines = README.read_text(encoding="utf-8").split("\n")
    steps = []
    block = 0
    i = 0
    while i < len(lines):
        if lines[i].strip() != MARKER:
            i += 1
            continue
        j = i + 1
        while not lines[j].strip():
            j += 1
        assert lines[j].startswith("```bash"), f"README line {j + 1}: {MARKER} must be followed by a ```bash block"
        block += 1
        command = []
        k = j + 1
        while not lines[k].startswith("```"):
            line = lines[k]
            k += 1
            if not command and (not line.strip() or line.lstrip().startswith("#")):
                continue
            command.append(line)
            text = "\n".join(command)
            comment_at, open_quote = scan(text)
            if open_quote or (comment_at < 0 and text.rstrip().endswith("\\")):
                continue
            comment = text[comment_at:] if comment_at >= 0 else ""
            spec = comment.split("→", 1)[1].strip() if "→" in comment else None
            steps.append(Step(block, len(steps) + 1, text, spec))
            command = []
        i = k + 1
    return steps


STEPS = examples()


def split_items(text):
    items, depth, quote, current = [], 0, None, ""
    for c in text:
        if quote:
            current += c
            if c == quote:
                quote = None
            continue
        if c == '"':
            quote = c
        elif c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
        elif c == "," and depth == 0:
            items.append(current.strip())
            current = ""
            continue
        current += c
    if current.strip():
        items.append(current.strip())
    return items


def parse_spec(spec):
    match = re.match(r"^(\d{3})?\s*(.*)$", spec, re.S)
    status = int(match.group(1)) if match.group(1) else None
    rest = match.group(2).strip()
    expected = {"status": status, "fields": [], "prints": None, "saves": None}
    if rest.startswith("{"):
        expected["fields"] = split_items(rest[1:rest.rindex("}")])
    elif rest.startswith("prints:"):
        expected["prints"] = rest[len("prints:"):].strip()
    elif rest.startswith("saves:"):
        expected["saves"] = rest[len("saves:"):].strip()
    elif rest:
        raise AssertionError(f"cannot read the expectation '{spec}'")
    return expected


def resolve(document, path):
    values = [document]
    for part in re.findall(r"\[\d*\]|[^.\[\]]+", path):
        found = []
        for value in values:
            if part == "[]":
                if isinstance(value, list):
                    found.extend(value)
                else:
                    found.append(MISSING)
            elif part.startswith("["):
                index = int(part[1:-1])
                found.append(value[index] if isinstance(value, list) and index < len(value) else MISSING)
            else:
                found.append(value.get(part, MISSING) if isinstance(value, dict) else MISSING)
        values = found
    return values


def check_field(document, item):
    if "~" in item and not re.match(r'^[^"]*:', item):
        path, text = item.split("~", 1)
        path, text = path.strip(), json.loads(text.strip())
        values = resolve(document, path)
        assert values, f"{path}: no elements"
        for value in values:
            assert isinstance(value, str) and text in value, f"{path} = {value!r} does not contain {text!r}"
        return
    if ":" in item:
        path, literal = item.split(":", 1)
        path, literal = path.strip(), json.loads(literal.strip())
        values = resolve(document, path)
        assert values, f"{path}: no elements"
        for value in values:
            assert value is not MISSING and value == literal, f"{path} = {'(missing)' if value is MISSING else repr(value)}, the README says {literal!r}"
        return
    values = resolve(document, item.strip())
    assert values, f"{item}: no elements"
    for value in values:
        assert value is not MISSING and value is not None, f"{item} is {'missing' if value is MISSING else 'null'}"


class Shell:
    """One bash shell, as a user's terminal: each step's output, errors and exit code go to files."""

    def __init__(self):
        self.directory = tempfile.mkdtemp(prefix="readme-examples-")
        self.process = subprocess.Popen(["bash", "--noprofile", "--norc"], stdin=subprocess.PIPE, cwd=ROOT, text=True)
        self.runs = 0
        self.send("curl() { command curl --write-out '%{stderr}README-STATUS %{http_code}\\n' \"$@\"; }\n")

    def send(self, text):
        self.process.stdin.write(text)
        self.process.stdin.flush()

    def run(self, command):
        self.runs += 1
        base = os.path.join(self.directory, str(self.runs))
        self.send(f"{{\n{command}\n}} > {base}.out 2> {base}.err; echo $? > {base}.rc.tmp; mv {base}.rc.tmp {base}.rc\n")
        deadline = time.monotonic() + STEP_TIMEOUT
        while not os.path.exists(base + ".rc"):
            assert self.process.poll() is None, "the shell exited"
            assert time.monotonic() < deadline, f"no answer within {STEP_TIMEOUT} s"
            time.sleep(0.05)
        read = lambda suffix: pathlib.Path(base + suffix).read_text(encoding="utf-8", errors="replace")
        return int(read(".rc").strip()), read(".out"), read(".err")

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def shell():
    session = Shell()
    yield session
    session.close()
    for archive in glob.glob(str(ROOT / "gpu-node-*_nvidia-bug-report.log.gz")):
        os.remove(archive)


def verify(step, rc, out, err):
    statuses = [int(s) for s in re.findall(r"^README-STATUS (\d{3})$", err, re.M)]
    if step.spec is None:
        assert rc == 0, f"exit code {rc}: {err[-500:]}"
        return
    expected = parse_spec(step.spec)
    if expected["status"] is not None:
        assert statuses, f"no HTTP status (not a curl command?): {err[-300:]}"
        assert all(s == expected["status"] for s in statuses), f"HTTP {statuses}, the README says {expected['status']}: {out[:600]}"
    assert rc == 0, f"exit code {rc}: {err[-500:]}"
    if expected["fields"]:
        try:
            document = json.loads(out)
        except json.JSONDecodeError as error:
            raise AssertionError(f"not JSON ({error}): {out[:600]}") from error
        for item in expected["fields"]:
            try:
                check_field(document, item)
            except AssertionError as error:
                raise AssertionError(f"{error}\n{json.dumps(document)[:1500]}") from error
    if expected["prints"] is not None:
        assert expected["prints"] in out, f"the output does not contain {expected['prints']!r}: {out[-800:]}"
    if expected["saves"] is not None:
        assert glob.glob(str(ROOT / expected["saves"])), f"no file {expected['saves']} was written"


def test_readme_has_its_examples_marked():
    assert len({s.block for s in STEPS}) >= 8
    assert len(STEPS) >= 45
    assert all(s.spec is None or parse_spec(s.spec) for s in STEPS)


@pytest.mark.parametrize("step", STEPS, ids=[s.id for s in STEPS])
def test_readme_example(shell, step):
    # A command that only reads (dmesg, journalctl, zcat) may look before journald or the archive caught up: a few tries.
    tries = 1 if "curl" in step.command else 5
    for attempt in range(tries):
        rc, out, err = shell.run(step.command)
        try:
            verify(step, rc, out, err)
            return
        except AssertionError:
            if attempt == tries - 1:
                raise
            time.sleep(1)
