"""The NATS subject scheme of a generated system (``system`` is its package name):

==============================================  =============================================
``<system>.rpc.<Contract>.v<major>.<method>``   requests for one contract method; the hosts
                                                of that contract version share queue group
                                                ``<system>.<Contract>.v<major>``
``<system>.agent.<agent>``                      requests addressed only by target agent
``<system>.events.<Contract>.v<major>.<event>`` events (topic ``<Contract>@<major>.<event>``);
                                                each subscribing module is one queue group
``$SRV.PING|INFO|STATS[.<name>]``               the NATS services protocol (nats.micro): one
                                                service per module
==============================================  =============================================

Contract, method, event and agent names are identifiers checked by the generator, so they are
valid subject tokens.
"""

from __future__ import annotations

from ..envelope import Envelope

__all__ = ["agent_subject", "event_subject", "request_subject", "rpc_subject", "topic_of"]


def rpc_subject(system: str, contract: str, version: int, method: str) -> str:
    return f"{system}.rpc.{contract}.v{version}.{method}"


def rpc_group(system: str, contract: str, version: int) -> str:
    return f"{system}.{contract}.v{version}"


def agent_subject(system: str, agent: str) -> str:
    return f"{system}.agent.{agent}"


_rpc_subjects: dict[tuple[str, object, object, object], str] = {}


def request_subject(system: str, envelope: Envelope) -> str:
    """Where a request goes: its contract method when the metadata names one, else its agent."""
    meta = envelope.payload.metadata
    contract, version, method = meta.get("contract"), meta.get("version"), meta.get("method")
    key = (system, contract, version, method)
    subject = _rpc_subjects.get(key)
    if subject is not None and type(version) is int:  # True == 1: a bool is not a version
        return subject
    if (
        type(contract) is str
        and type(version) is int
        and type(method) is str
        and contract.isidentifier()
        and method.isidentifier()
    ):
        subject = rpc_subject(system, contract, version, method)
        if len(_rpc_subjects) < 4096:  # the methods of the contracts in use: a bounded few
            _rpc_subjects[key] = subject
        return subject
    return agent_subject(system, envelope.target_agent)


def event_subject(system: str, topic: str) -> str:
    """``Database@1.created`` -> ``<system>.events.Database.v1.created``; ``*`` -> all events."""
    if topic == "*":
        return f"{system}.events.>"
    key, _, event = topic.partition(".")
    contract, _, version = key.partition("@")
    return f"{system}.events.{contract}.v{version}.{event}"


def topic_of(system: str, subject: str) -> str:
    """The inverse of :func:`event_subject` for one event subject."""
    rest = subject[len(system) + len(".events.") :]
    contract, version, event = rest.split(".", 2)
    return f"{contract}@{version[1:]}.{event}"
