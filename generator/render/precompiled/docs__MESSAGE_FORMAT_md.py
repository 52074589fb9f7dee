from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'docs/MESSAGE-FORMAT.md.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_view = resolve('view')
    pass
    yield '# Message format\n\nAll inter-module communication uses this envelope (`specloom_runtime.Envelope`):\n\n```json\n{\n  "version": "1.0",\n  "timestamp": "2025-10-30T12:00:00Z",\n  "source_agent": "'
    yield str((environment.getattr(environment.getitem(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'modules'), 0), 'agent') if environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'modules') else 'agent-01-example'))
    yield '",\n  "target_agent": "'
    yield str((environment.getattr(environment.getitem(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'modules'), -1), 'agent') if environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'modules') else 'agent-02-example'))
    yield '",\n  "message_type": "request|response|event|error",\n  "correlation_id": "uuid-here",\n  "payload": {\n    "action": "create|read|update|delete|query|custom",\n    "data": {},\n    "metadata": {}\n  },\n  "priority": "low|medium|high|critical",\n  "timeout_ms": 5000\n}\n```\n\n- **request**: `payload.action` is the method name for create/read/update/delete/query and\n  `custom` otherwise; `payload.metadata` is `{"contract": "Name", "version": 1, "method": "name"}`;\n  `payload.data` holds the parameters (validated by the provider).\n- **response**: same `correlation_id`, source and target swapped, `payload.data` is\n  `{"result": ...}` (validated against the contract by the caller).\n- **error**: `payload.data` is `{"code", "message", "details"}`; `code` is a declared error of\n  the method or one of `invalid_params`, `contract_violation`, `timeout`, `not_implemented`,\n  `unknown_target`, `unknown_method`, `internal_error`. The caller raises it as a typed exception.\n- **event**: published to subscribers of `payload.metadata.topic`; `target_agent` is `*`.\n\nRequests are served by priority (critical first) and fail with `timeout` after `timeout_ms`.\n'

blocks = {}
debug_info = '9=13&10=15'
