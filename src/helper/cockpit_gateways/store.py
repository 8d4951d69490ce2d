# SPDX-License-Identifier: LGPL-2.1-or-later
"""Files: the admin's desired state, volatile state, the lock, and the files others read.

Every path lives under `root` (the --root option), so tests never touch the machine's /etc.
  /etc/cockpit-gateways/config.json        desired state (schema CONFIG_VERSION), confirmed changes only
  /etc/cockpit-gateways/kept.json          one-off fixes kept across reboots (kept.py)
  /etc/cockpit-gateways/layout.json        our priorities and table range, when not the defaults
  /run/cockpit-gateways/lock               flock held across read-plan-apply
  /run/cockpit-gateways/pending.json       a change applied with --confirm-within, not yet confirmed
  /run/cockpit-gateways/dhcp.json          gateways learned from DHCP leases (volatile by design)
  /etc/iproute2/rt_tables.d/cockpit-gateways.conf   table names (gw-eth1)
  /etc/iproute2/rt_tables.d/cockpit-gateways-names.conf   names the admin gives tables (tablenames.py)
  /etc/iproute2/rt_protos.d/cockpit-gateways.conf   our protocol number's name
  /etc/sysconfig/network-scripts/{route,route6,rule,rule6}-IFACE   only where that directory exists
Writes are atomic (temporary file, fsync, rename, fsync of the directory); a file is written only
when its content changes, and symlinks are never followed out of these directories.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import hashlib
import fcntl
import json
import os
import time
from typing import Any, Callable, Iterator

from .model import (PROTO, PROTO_NAME, TABLE_NAME_PREFIX, Family, GatewaysError,
                    InvalidInput, Layout, parse_address, parse_family, parse_interface_name,
                    parse_layout, parse_table_id)

DEFAULT_LAYOUT = Layout()

CONFIG_VERSION = 1
CONFIG_FIELDS = frozenset({"table", "inet", "inet6"})
OUR_MARK = "# Written by cockpit-gateways; changes here are overwritten."


@dataclasses.dataclass(frozen=True)
class Paths:
    root: str = "/"

    def _p(self, *parts: str) -> str:
        return os.path.join(self.root, *parts)

    @property
    def config(self) -> str:
        return self._p("etc/cockpit-gateways/config.json")

    @property
    def layout(self) -> str:
        return self._p("etc/cockpit-gateways/layout.json")

    @property
    def kept(self) -> str:
        return self._p("etc/cockpit-gateways/kept.json")

    @property
    def run_dir(self) -> str:
        return self._p("run/cockpit-gateways")

    @property
    def lock(self) -> str:
        return self._p("run/cockpit-gateways/lock")

    @property
    def pending(self) -> str:
        return self._p("run/cockpit-gateways/pending.json")

    @property
    def dhcp(self) -> str:
        return self._p("run/cockpit-gateways/dhcp.json")

    @property
    def rt_tables(self) -> str:
        return self._p("etc/iproute2/rt_tables.d/cockpit-gateways.conf")

    @property
    def rt_protos(self) -> str:
        return self._p("etc/iproute2/rt_protos.d/cockpit-gateways.conf")

    @property
    def network_scripts(self) -> str:
        return self._p("etc/sysconfig/network-scripts")


# --- the config model --------------------------------------------------------------------------

@dataclasses.dataclass
class StaticGateway:
    address: str
    onlink: bool = False


@dataclasses.dataclass
class InterfaceConfig:
    table: int
    gateways: dict[Family, StaticGateway] = dataclasses.field(default_factory=dict)


Config = dict[str, InterfaceConfig]


def config_from_json(data: Any, where: str, layout: Layout = DEFAULT_LAYOUT) -> Config:
    """Validate a config document; every problem names the file and the field."""
    def bad(field: str, why: str) -> InvalidInput:
        return InvalidInput(f"{where}: {field}: {why}", field)

    if not isinstance(data, dict):
        raise bad("(document)", "not a JSON object")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise bad("version", "missing or not a number")
    if version > CONFIG_VERSION:
        raise bad("version", f"schema {version} is newer than this helper understands ({CONFIG_VERSION}); "
                  "update cockpit-gateways")
    interfaces = data.get("interfaces", {})
    if not isinstance(interfaces, dict):
        raise bad("interfaces", "not an object")
    config: Config = {}
    tables: dict[int, str] = {}
    for name, entry in interfaces.items():
        field = f"interfaces.{name}"
        try:
            parse_interface_name(name, field)
        except InvalidInput as e:
            raise bad(field, str(e).split(": ", 1)[1]) from None
        if not isinstance(entry, dict):
            raise bad(field, "not an object")
        try:
            table = parse_table_id(entry.get("table"), f"{field}.table", layout.table_min, layout.table_max)
        except InvalidInput as e:
            raise InvalidInput(f"{where}: {e}", e.field) from None
        if table in tables:
            raise bad(f"{field}.table", f"{table} is also the table of {tables[table]}")
        tables[table] = name
        unknown = set(entry) - CONFIG_FIELDS
        if unknown:
            raise bad(field, f"unknown field {sorted(unknown)[0]!r}")
        iface = InterfaceConfig(table)
        for family_key in ("inet", "inet6"):
            if family_key not in entry:
                continue
            family = parse_family(family_key)
            gw = entry[family_key]
            gfield = f"{field}.{family_key}"
            if not isinstance(gw, dict) or not isinstance(gw.get("gateway"), str):
                raise bad(gfield, "needs a \"gateway\" address")
            try:
                address = parse_address(gw["gateway"], f"{gfield}.gateway")
            except InvalidInput as e:
                raise InvalidInput(f"{where}: {e}", e.field) from None
            if (address.version == 4) != (family == "inet"):
                raise bad(f"{gfield}.gateway", f"{address} is not an {family} address")
            onlink = gw.get("onlink", False)
            if not isinstance(onlink, bool):
                raise bad(f"{gfield}.onlink", "not true or false")
            iface.gateways[family] = StaticGateway(str(address), onlink)
        config[name] = iface
    return config


def config_to_json(config: Config) -> dict[str, Any]:
    interfaces: dict[str, Any] = {}
    for name in sorted(config):
        iface = config[name]
        entry: dict[str, Any] = {"table": iface.table}
        for family in sorted(iface.gateways):
            gw = iface.gateways[family]
            entry[family] = {"gateway": gw.address, "onlink": gw.onlink}
        interfaces[name] = entry
    return {"version": CONFIG_VERSION, "interfaces": interfaces}


def copy_config(config: Config) -> Config:
    return copy.deepcopy(config)


# --- files -------------------------------------------------------------------------------------

def _check_no_symlinks(path: str, root: str) -> None:
    """Refuse to write through a symlink anywhere below the root: a link planted in one of our
    directories must not redirect a root-owned write elsewhere."""
    rel = os.path.relpath(path, root)
    current = root
    for part in rel.split(os.sep):
        current = os.path.join(current, part)
        if os.path.islink(current):
            raise GatewaysError(f"{current} is a symbolic link; refusing to write through it")


def check_no_symlinks(paths: Paths, files: list[str]) -> None:
    """Before changing anything: every file we are about to write or remove is reachable without
    a symlink, so a refusal never comes halfway through."""
    for path in files:
        _check_no_symlinks(path, paths.root)


def read_text(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as e:
        raise GatewaysError(f"cannot read {path}: {getattr(e, 'strerror', None) or e}") from None


def write_atomic(path: str, text: str, root: str, mode: int = 0o644) -> bool:
    """Write only when the content changes.  Returns True when the file was written."""
    if read_text(path) == text:
        return False
    directory = os.path.dirname(path)
    _check_no_symlinks(directory, root)
    os.makedirs(directory, exist_ok=True)
    _check_no_symlinks(path, root)
    tmp = f"{path}.tmp{os.getpid()}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.rename(tmp, path)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise GatewaysError(f"cannot write {path}: {e.strerror}") from None
    _fsync_dir(directory)
    return True


def remove(path: str, root: str) -> bool:
    _check_no_symlinks(os.path.dirname(path), root)
    try:
        os.unlink(path)
    except FileNotFoundError:
        return False
    except OSError as e:
        raise GatewaysError(f"cannot remove {path}: {e.strerror}") from None
    _fsync_dir(os.path.dirname(path))
    return True


def _fsync_dir(directory: str) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def read_json(path: str) -> Any:
    text = read_text(path)
    if text is None:
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise InvalidInput(f"{path}: not valid JSON ({e.msg} at line {e.lineno})", "config") from None


def dump_json(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def load_config(paths: Paths) -> Config:
    data = read_json(paths.config)
    if data is None:
        return {}
    return config_from_json(data, paths.config, load_layout(paths))


def load_layout(paths: Paths) -> Layout:
    """layout.json: {"version": 1, "priority": N, "tables": {"min": A, "max": B}}; none: the defaults."""
    data = read_json(paths.layout)
    if data is None:
        return DEFAULT_LAYOUT
    tables = data.get("tables") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("version") != 1 or not isinstance(tables, dict):
        raise InvalidInput(f"{paths.layout}: not a layout file of version 1", "layout")
    return parse_layout(data.get("priority"), tables.get("min"), tables.get("max"), f"{paths.layout}: ")


def pending_id(token: str) -> str:
    """A pending change's name that is no key to it: `status` shows it to anyone, so a page that
    confirmed a change (its apply printed the same id) knows the change is its own."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def load_pending(paths: Paths) -> dict[str, Any] | None:
    try:
        data = read_json(paths.pending)
    except GatewaysError:       # damaged, or not readable without root (status as a user)
        return None
    if not isinstance(data, dict) or not isinstance(data.get("token"), str) \
            or not isinstance(data.get("deadline"), (int, float)):
        return None
    return data


def desired_config(paths: Paths) -> tuple[Config, dict[str, Any] | None]:
    """The config the kernel should follow now: an unexpired pending change, else config.json."""
    config = load_config(paths)
    pending = load_pending(paths)
    if pending is not None and pending["deadline"] > time.time():
        if "config" in pending:
            config = config_from_json(pending["config"], paths.pending, load_layout(paths))
        return config, pending
    return config, None


def layout_text(layout: Layout) -> str:
    return dump_json({"version": 1, "priority": layout.priority,
                      "tables": {"min": layout.table_min, "max": layout.table_max}})


def save_config(paths: Paths, config: Config) -> bool:
    return write_atomic(paths.config, dump_json(config_to_json(config)), paths.root)


@contextlib.contextmanager
def locked(paths: Paths) -> Iterator[None]:
    """One helper at a time changes things.  flock is released by the kernel when its holder
    dies, so a killed helper never blocks the next one."""
    _check_no_symlinks(paths.run_dir, paths.root)
    os.makedirs(paths.run_dir, mode=0o755, exist_ok=True)
    fd = os.open(paths.lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


# --- files other programs read -----------------------------------------------------------------

def rt_tables_text(config: Config) -> str:
    lines = [OUR_MARK, "# Routing tables of cockpit-gateways: one per interface with a gateway."]
    for name in sorted(config, key=lambda n: config[n].table):
        lines.append(f"{config[name].table}\t{TABLE_NAME_PREFIX}{name}")
    return "\n".join(lines) + "\n"


def rt_protos_text() -> str:
    return f"{OUR_MARK}\n{PROTO}\t{PROTO_NAME}\n"


def is_ours(path: str) -> bool:
    text = read_text(path)
    return text is not None and text.startswith(OUR_MARK)


@dataclasses.dataclass
class FileChange:
    path: str
    action: str       # write | delete | skip
    text: str | None = None
    reason: str | None = None

    def to_json(self) -> dict[str, str]:
        out = {"path": self.path, "action": self.action}
        if self.reason:
            out["reason"] = self.reason
        return out


def plan_files(paths: Paths, config: Config,
               scripts: Callable[[], dict[str, dict[str, list[str]]]]) -> list[FileChange]:
    """The files that should change so they say what `config` says.  `scripts()` maps interface →
    {"route": […], "route6": […], "rule": […], "rule6": […]} lines for network-scripts; it is
    called only on hosts that have that directory."""
    changes = []
    for path, text in ((paths.rt_tables, rt_tables_text(config)), (paths.rt_protos, rt_protos_text())):
        if read_text(path) != text:
            changes.append(FileChange(path, "write", text))
    if os.path.isdir(paths.network_scripts):
        wanted: dict[str, str] = {}
        for name, kinds in scripts().items():
            for kind, lines in kinds.items():
                if lines:
                    wanted[os.path.join(paths.network_scripts, f"{kind}-{name}")] = \
                        OUR_MARK + "\n" + "".join(line + "\n" for line in lines)
        for path, text in sorted(wanted.items()):
            current = read_text(path)
            if current == text:
                continue
            if current is not None and not current.startswith(OUR_MARK):
                changes.append(FileChange(path, "skip", reason="exists and was not written by us"))
                continue
            changes.append(FileChange(path, "write", text))
        for entry in sorted(os.listdir(paths.network_scripts)):
            path = os.path.join(paths.network_scripts, entry)
            if entry.split("-", 1)[0] in ("route", "route6", "rule", "rule6") and path not in wanted \
                    and is_ours(path):
                changes.append(FileChange(path, "delete"))
    return changes


def apply_files(paths: Paths, changes: list[FileChange]) -> None:
    for change in changes:
        if change.action == "write" and change.text is not None:
            write_atomic(change.path, change.text, paths.root)
        elif change.action == "delete":
            remove(change.path, paths.root)
