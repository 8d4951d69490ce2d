# SPDX-License-Identifier: LGPL-2.1-or-later
"""The linux-system-roles `network` role's own code, as a test judge of the Ansible export:
its argument validator (`ArgValidator_ListConnections`, the provider checks of
`validate_connection_one`) and its NetworkManager provider's `NMUtil.connection_create`, which
builds the NM profile through libnm (Debian's python3-gi + gir1.2-nm-1.0, no daemon).

The role's files are in test/vendor/network-role (origin and license in test/vendor/README.md),
named *.py.vendored so this project's linters leave another project's code alone. They import
each other as `ansible.module_utils.network_lsr.*`; Ansible itself is not needed for this, so
the package is put together here and `ansible.module_utils.basic.AnsibleModule` (used only when
the module runs under Ansible) is an empty stand-in."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
import types
from typing import Any

VENDOR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "vendor", "network-role")
PACKAGE = "ansible.module_utils.network_lsr"
_MODULES = ("myerror", "utils", "argument_validator", "nm_provider", "ethtool")


def _load(name: str, path: str) -> types.ModuleType:
    loader = importlib.machinery.SourceFileLoader(name, path)
    spec = importlib.util.spec_from_loader(name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


def load() -> tuple[Any, Any]:
    """(argument_validator module, network_connections module) of the vendored role."""
    if "gwtest_network_connections" in sys.modules:
        return sys.modules[f"{PACKAGE}.argument_validator"], sys.modules["gwtest_network_connections"]
    for name in ("ansible", "ansible.module_utils"):
        pkg = types.ModuleType(name)
        pkg.__path__ = []
        sys.modules.setdefault(name, pkg)
    basic = types.ModuleType("ansible.module_utils.basic")

    class AnsibleModule:        # only instantiated by the module's main(), which never runs here
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            raise RuntimeError("not running under Ansible")

    basic.AnsibleModule = AnsibleModule      # type: ignore[attr-defined]
    sys.modules["ansible.module_utils.basic"] = basic
    lsr = types.ModuleType(PACKAGE)
    lsr.__path__ = [VENDOR]
    sys.modules[PACKAGE] = lsr
    for name in _MODULES:
        setattr(lsr, name, _load(f"{PACKAGE}.{name}", os.path.join(VENDOR, f"{name}.py.vendored")))
    module = _load("gwtest_network_connections", os.path.join(VENDOR, "network_connections.py.vendored"))
    return sys.modules[f"{PACKAGE}.argument_validator"], module
