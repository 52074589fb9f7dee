"""Compare two whole spec sets: contract versions, version bumps, modules, adapters.

Contracts are matched by ``Name@major``. A version in NEW whose name had lower versions in OLD is
a version bump: its differences from the previous major version are listed with status
``bumped`` (allowed). A version missing from NEW is a removal, allowed only once the version
policy (``versions.keep`` in system.yaml, default 3: current plus two) no longer keeps it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model.spec import Contract, Module, SpecSet
from .adapters import served_versions
from .compare import compare_contracts
from .report import Finding

DEFAULT_KEEP = 3


def _types(spec: SpecSet) -> dict[str, tuple[Any, Any]]:
    return {t.name: (t.schema, t.origin) for t in spec.types}


def _keep(spec: SpecSet) -> int:
    return spec.system.versions_kept if spec.system else DEFAULT_KEEP


def _versions(spec: SpecSet, name: str) -> list[Contract]:
    return sorted((c for c in spec.contracts if c.name == name), key=lambda c: c.version)


def contract_findings(old: SpecSet, new: SpecSet) -> Iterator[Finding]:
    """Removed, added, bumped and changed contract versions."""
    old_types, new_types = _types(old), _types(new)
    for oc in old.contracts:
        nc = new.contract(oc.key)
        if nc is not None:
            yield from compare_contracts(oc, nc, old_types, new_types)
            continue
        newer = [c for c in _versions(new, oc.name) if c.version > oc.version]
        where = oc.origin.at("version")
        if not newer:
            msg = "contract version removed (no newer version exists)"
            yield Finding("CONTRACT_NO_DELETE", oc.key, "", msg, *where, in_new=False)
            continue
        current = newer[-1]
        keep = _keep(new)
        if current.version - oc.version >= keep:
            msg = f"retired: {current.key} is current and the policy keeps {keep} versions"
            yield Finding("CONTRACT_VERSION_RETIRED", oc.key, "", msg, *where, in_new=False)
        else:
            msg = (
                f"removed while the version policy keeps it ({current.key} is current, "
                f"{keep} versions are kept); keep serving it next to {current.key}"
            )
            yield Finding(
                "CONTRACT_VERSION_NO_DROP", oc.key, "", msg, *current.origin.at("version")
            )
    for nc in new.contracts:
        if old.contract(nc.key) is not None:
            continue
        where = nc.origin.at("version")
        if not any(c.version < nc.version for c in _versions(old, nc.name)):
            yield Finding("CONTRACT_ADDED", nc.key, "", "contract added", *where)
            continue
        # the version it supersedes: the next lower one in NEW (else in OLD)
        below_new = [c for c in _versions(new, nc.name) if c.version < nc.version]
        below_old = [c for c in _versions(old, nc.name) if c.version < nc.version]
        previous, types = (below_new[-1], new_types) if below_new else (below_old[-1], old_types)
        msg = f"new major version (previous: {previous.key})"
        yield Finding("CONTRACT_VERSION_ADDED", nc.key, "", msg, *where)
        for f in compare_contracts(previous, nc, types, new_types):
            yield f.with_status("bumped", f"compared with {previous.key}")


def _provided(spec: SpecSet) -> dict[str, Module]:
    return {r.key: m for m in spec.modules for r in m.provides}


def module_findings(old: SpecSet, new: SpecSet) -> Iterator[Finding]:
    """Modules added, removed, re-addressed; contract versions no longer provided."""
    new_keys = {c.key for c in new.contracts}
    new_providers = _provided(new)
    for om in old.modules:
        nm = new.module(om.name)
        if nm is None:
            where = om.origin.at("module")
            yield Finding("MODULE_REMOVED", "", "", "module removed", *where, False, om.name)
        else:
            if nm.agent != om.agent and om.provides:
                key = "agent" if "agent" in nm.origin.doc.data else "module"
                msg = f"agent id {om.agent!r} -> {nm.agent!r}: clients address the old one"
                where = nm.origin.at(key)
                yield Finding("MODULE_AGENT_NO_CHANGE", "", "", msg, *where, module=nm.name)
            before = [r.key for r in om.consumes]
            after = [r.key for r in nm.consumes]
            if sorted(before) != sorted(after):
                msg = (
                    f"consumes {', '.join(before) or 'nothing'} -> {', '.join(after) or 'nothing'}"
                )
                where = nm.origin.at("consumes")
                yield Finding("MODULE_CONSUMES_CHANGED", "", "", msg, *where, module=nm.name)
        for ref in om.provides:
            if nm is not None and any(r.key == ref.key for r in nm.provides):
                continue
            if ref.key not in new_keys:
                continue  # reported by the contract rules
            other = new_providers.get(ref.key)
            if other is not None:
                where = next(r for r in other.provides if r.key == ref.key).origin.at()
                msg = f"now provided by {other.name} ({other.agent}) instead of {om.name}"
                yield Finding(
                    "MODULE_PROVIDER_CHANGED", ref.key, "", msg, *where, module=other.name
                )
            else:
                msg = f"module {om.name} stops providing it and no other module does"
                if nm is not None:
                    where, in_new = nm.origin.at("provides"), True
                else:
                    where, in_new = ref.origin.at(), False
                yield Finding("MODULE_PROVIDES_NO_DROP", ref.key, "", msg, *where, in_new, om.name)
    for nm in new.modules:
        if old.module(nm.name) is None:
            where = nm.origin.at("module")
            yield Finding("MODULE_ADDED", "", "", "module added", *where, module=nm.name)


def adapter_findings(old: SpecSet, new: SpecSet) -> Iterator[Finding]:
    """How older provided versions are served, where that differs from OLD."""
    before = {(s.module, s.old.key, s.new.key): s.adaptable for s in served_versions(old)}
    for s in served_versions(new):
        if before.get((s.module, s.old.key, s.new.key)) == s.adaptable:
            continue
        module = new.module(s.module)
        assert module is not None
        where = next(r for r in module.provides if r.key == s.old.key).origin.at()
        if s.adaptable:
            msg = f"served by a generated adapter over {s.module}'s {s.new.key} implementation"
            yield Finding("ADAPTER_GENERATED", s.old.key, "", msg, *where, module=s.module)
        else:
            msg = (
                f"no adapter from {s.new.key} is possible ({'; '.join(s.reasons())}); "
                f"{s.module} must serve {s.old.key} itself"
            )
            yield Finding("ADAPTER_IMPOSSIBLE", s.old.key, "", msg, *where, module=s.module)


def compare_specsets(old: SpecSet, new: SpecSet) -> list[Finding]:
    """Every finding between two spec sets, without status (see ``generator.diff.engine``)."""
    return [
        *contract_findings(old, new),
        *module_findings(old, new),
        *adapter_findings(old, new),
    ]


__all__ = ["compare_specsets"]
