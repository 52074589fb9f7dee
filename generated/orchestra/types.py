"""Shared types of the system, generated from specs/types by specloom (via datamodel-code-generator)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
)
from specloom_runtime.formats import Fmt_date_time


class ChatMessage(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    content: StrictStr
    role: Literal["system", "user", "assistant"]


class DeploymentProcessesItem(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    alive: StrictBool
    """
    Whether it runs now.
    """
    metrics: StrictStr | None = None
    """
    host:port of its /metrics, if any.
    """
    module: Annotated[StrictStr, Field(min_length=1)]
    """
    The module the process serves.
    """
    pid: StrictInt | None
    """
    Its process id; null if it never started.
    """
    version: Annotated[StrictStr, Field(min_length=1)]
    """
    The version of the code it runs.
    """


class Document(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    content: StrictStr
    """
    Markdown source.
    """
    path: Annotated[
        StrictStr, Field(pattern="^[A-Za-z0-9_](?:[A-Za-z0-9_/-]|\\.[A-Za-z0-9_/-])*\\.md$")
    ]
    section: Literal["user", "api", "architecture", "module"]
    title: StrictStr


class DocumentInfo(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    path: Annotated[
        StrictStr, Field(pattern="^[A-Za-z0-9_](?:[A-Za-z0-9_/-]|\\.[A-Za-z0-9_/-])*\\.md$")
    ]
    """
    Path relative to the docs root, e.g. index.md or modules/02-database/INTERFACES.md.
    """
    section: Literal["user", "api", "architecture", "module"]
    title: StrictStr


class HealthStatus(RootModel[Literal["healthy", "degraded", "unhealthy"]]):
    root: Literal["healthy", "degraded", "unhealthy"]
    """
    Health of one component or of the whole system, best to worst.
    """


class Payload(BaseModel):
    """
    Body of an envelope. For a contract request, action is the method name when it is one of create/read/update/delete/query and custom otherwise; metadata is {contract, version, method}; data holds the parameters by name.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    action: Literal["create", "read", "update", "delete", "query", "custom"]
    """
    What the message asks for.
    """
    data: dict[str, Any] | None = {}
    """
    The action's data (parameters, result, or error details).
    """
    metadata: dict[str, Any] | None = {}
    """
    Free metadata (contract, version, method, topic...).
    """


class Resource(BaseModel):
    """
    A provisioned infrastructure resource.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    endpoint: StrictStr | None
    """
    How to reach it (URL, host:port or mount path), null while provisioning or for networks.
    """
    kind: Literal["service", "volume", "network"]
    """
    A running service (container/pod), a storage volume or a network.
    """
    name: Annotated[StrictStr, Field(pattern="^[a-z][a-z0-9-]*$")]
    """
    Unique resource name (DNS-label style).
    """
    spec: dict[str, Any]
    """
    The kind-specific spec it was provisioned with (service image/ports/env, volume size_mb...).
    """
    status: Literal["provisioning", "ready", "failed"]
    """
    Lifecycle state; released resources no longer exist.
    """


class Task(BaseModel):
    """
    A unit of work. `kind` selects the processing; the engine always supports the diagnostic kinds `echo` (output = input) and `fail` (fails with input.message).
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    id: Annotated[StrictStr, Field(min_length=1)]
    """
    Caller-chosen task id, echoed as TaskResult.task_id.
    """
    input: dict[str, Any] | None = {}
    """
    Kind-specific input.
    """
    kind: Annotated[StrictStr, Field(pattern="^[a-z][a-z0-9_.]*$")]
    """
    Task kind, e.g. echo, fail, llm.generate.
    """
    priority: Literal["low", "medium", "high", "critical"] | None = "medium"
    """
    Scheduling priority (same scale as the envelope's).
    """


class TaskResult(BaseModel):
    """
    Outcome of a task. A task that ran but failed is a result with status failed, not an error.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    error: StrictStr | None
    """
    Failure message when status is failed, else null.
    """
    output: dict[str, Any]
    """
    Kind-specific output ({} when the task failed).
    """
    status: Literal["completed", "failed"]
    task_id: Annotated[StrictStr, Field(min_length=1)]
    """
    Id of the task this result belongs to.
    """


class TestFailure(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    message: StrictStr
    """
    Why it failed.
    """
    test: Annotated[StrictStr, Field(min_length=1)]
    """
    Test id (e.g. pytest node id).
    """


class Module(RootModel[StrictStr]):
    root: Annotated[StrictStr, Field(pattern="^[a-z][a-z0-9_]*$")]


class TestReport(BaseModel):
    """
    State and counts of one test run.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    coverage: Annotated[StrictFloat | None, Field(ge=0.0, le=100.0)] = None
    """
    Line coverage in percent when measured.
    """
    failed: Annotated[StrictInt, Field(ge=0)]
    failures: list[TestFailure]
    modules: list[Module]
    """
    Modules covered ([] = all).
    """
    passed: Annotated[StrictInt, Field(ge=0)]
    run_id: Annotated[StrictStr, Field(min_length=1)]
    skipped: Annotated[StrictInt, Field(ge=0)]
    status: Literal["running", "passed", "failed", "error"]
    """
    error means the run itself broke (not a test failure).
    """
    suite: Literal["unit", "contract", "integration", "e2e", "smoke"]
    total: Annotated[StrictInt, Field(ge=0)]


class UiAction(BaseModel):
    """
    A state change. Kinds: navigate (payload {view}), set (payload {key, value}), reset (back to the initial state).
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    kind: Annotated[StrictStr, Field(pattern="^[a-z][a-z0-9_]*$")]
    payload: dict[str, Any] | None = {}


class UiState(BaseModel):
    """
    The frontend store. Initial state is {view: dashboard, data: {}}.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    data: dict[str, Any]
    """
    Page state set by `set` actions (filters, selections...).
    """
    view: Annotated[StrictStr, Field(pattern="^[a-z][a-z0-9_]*$")]
    """
    Current page (dashboard, tasks, agents, monitoring, docs).
    """


class Deployment(BaseModel):
    """
    One deployment of a system version to an environment.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    environment: Annotated[StrictStr, Field(pattern="^[a-z][a-z0-9-]*$")]
    """
    Target environment (one of the module's configured environments).
    """
    id: Annotated[StrictStr, Field(min_length=1)]
    """
    Deployment id, assigned by the pipeline.
    """
    processes: list[DeploymentProcessesItem] | None = None
    """
    The processes running the deployment (the local runtime), as observed when asked; absent where the runtime reports none.
    """
    rollback_of: StrictStr | None
    """
    For a rollback, the id of the deployment it replaced; else null.
    """
    status: Literal["pending", "running", "succeeded", "failed", "rolled_back"]
    """
    rolled_back marks a deployment that a later rollback replaced.
    """
    version: Annotated[StrictStr, Field(pattern="^[0-9]+\\.[0-9]+\\.[0-9]+([-+][0-9A-Za-z.-]+)?$")]
    """
    Semantic version of the system deployed.
    """


class Envelope(BaseModel):
    """
    One inter-agent message.
    """

    model_config = ConfigDict(
        extra="forbid",
        arbitrary_types_allowed=True,
    )
    correlation_id: Annotated[StrictStr, Field(min_length=1)]
    """
    Ties a response or error to its request.
    """
    message_type: Literal["request", "response", "event", "error"]
    """
    Kind of message; a response or error carries the request's correlation_id.
    """
    payload: Payload
    priority: Literal["low", "medium", "high", "critical"] | None = "medium"
    """
    Delivery priority; critical is served first.
    """
    source_agent: Annotated[StrictStr, Field(min_length=1)]
    """
    Bus address of the sender, e.g. agent-03-core-engine.
    """
    target_agent: Annotated[StrictStr, Field(min_length=1)]
    """
    Bus address of the receiver, e.g. agent-02-database ("*" for events).
    """
    timeout_ms: Annotated[StrictInt | None, Field(ge=1)] = 5000
    """
    How long the sender waits for the reply, in milliseconds.
    """
    timestamp: Annotated[
        Fmt_date_time,
        Field(
            examples=["2025-10-30T12:00:00Z"],
            pattern="^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?Z$",
        ),
    ]
    """
    UTC instant the message was created, ISO-8601 with a trailing Z.
    """
    version: Literal["1.0"] = "1.0"
    """
    Message format version; always "1.0".
    """


class Health(BaseModel):
    """
    A health report. The overall status is the worst status of its components (healthy when there are none).
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    components: dict[str, HealthStatus]
    """
    Status per component (agent id, service or resource name).
    """
    details: dict[str, Any] | None = {}
    """
    Free details (uptime, versions, last errors...).
    """
    status: HealthStatus


class SharedTypes(
    RootModel[
        Deployment
        | DocumentInfo
        | Document
        | HealthStatus
        | Health
        | ChatMessage
        | Envelope
        | Payload
        | Resource
        | Task
        | TaskResult
        | TestFailure
        | TestReport
        | UiState
        | UiAction
    ]
):
    root: Annotated[
        Deployment
        | DocumentInfo
        | Document
        | HealthStatus
        | Health
        | ChatMessage
        | Envelope
        | Payload
        | Resource
        | Task
        | TaskResult
        | TestFailure
        | TestReport
        | UiState
        | UiAction,
        Field(title="SharedTypes"),
    ]
    """
    Any one of the shared types.
    """
