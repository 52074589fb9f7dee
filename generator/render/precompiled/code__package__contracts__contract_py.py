from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'code/package/contracts/contract.py.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_c = resolve('c')
    l_0_mac = missing
    try:
        t_1 = environment.filters['docblock']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'docblock' found.")
    try:
        t_2 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_3 = environment.filters['pyrepr']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'pyrepr' found.")
    try:
        t_4 = environment.filters['render_model']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'render_model' found.")
    pass
    l_0_mac = context.vars['mac'] = environment.get_template('code/_macros.jinja', 'code/package/contracts/contract.py.jinja')._get_default_module(context)
    context.exported_vars.discard('mac')
    yield str(t_1(str_join(('Contract ', environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'key'), ': interface, parameter models, declared errors and bus client.', (str_join(('\n\n', environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'description'), )) if environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'description') else ''), )), 0))
    yield '\n\n'
    yield str(context.call(environment.getattr((undefined(name='mac') if l_0_mac is missing else l_0_mac), 'header'), environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'file')))
    yield '\n\nfrom __future__ import annotations\n\nimport abc as _abc\nimport builtins as _builtins\nimport typing as _typing\nfrom abc import ABC\nfrom typing import Any\n\n'
    for (l_1_module, l_1_name) in environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'imports'):
        _loop_vars = {}
        pass
        yield 'from '
        yield str(l_1_module)
        yield ' import '
        yield str(l_1_name)
        yield '\n'
    l_1_module = l_1_name = missing
    yield 'from pydantic import BaseModel, ConfigDict, Field, TypeAdapter\n\nfrom specloom_runtime import Client, ContractSpec, DeclaredError, MethodSpec\n'
    if environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'type_imports'):
        pass
        yield 'from ..types import '
        yield str(t_2(context.eval_ctx, environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'type_imports'), ', '))
        yield '\n'
    yield '\n__all__ = [\n    '
    yield str(t_3(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'cls')))
    yield ',\n    '
    yield str(t_3(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'client')))
    yield ',\n    '
    yield str(t_3(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'const')))
    yield ',\n'
    for l_1_e in environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'errors'):
        _loop_vars = {}
        pass
        yield '    '
        yield str(t_3(environment.getattr(l_1_e, 'name')))
        yield ',\n'
    l_1_e = missing
    yield ']\n\n'
    for l_1_e in environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'errors'):
        _loop_vars = {}
        pass
        yield '\n\nclass '
        yield str(environment.getattr(l_1_e, 'name'))
        yield '(DeclaredError):\n    '
        yield str(t_1(environment.getattr(l_1_e, 'summary'), 4))
        yield '\n\n    code = '
        yield str(t_3(environment.getattr(l_1_e, 'name')))
        yield '\n'
    l_1_e = missing
    yield '\n'
    for l_1_model in environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'models'):
        _loop_vars = {}
        pass
        yield '\n\n'
        yield str(t_4(l_1_model))
        yield '\n'
    l_1_model = missing
    yield '\n\n'
    yield str(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'const'))
    yield ' = ContractSpec(\n    name='
    yield str(t_3(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'name')))
    yield ',\n    version='
    yield str(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'version'))
    yield ',\n    methods={\n'
    for l_1_m in environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'methods'):
        _loop_vars = {}
        pass
        yield '        '
        yield str(t_3(environment.getattr(l_1_m, 'name')))
        yield ': MethodSpec(\n            '
        yield str(t_3(environment.getattr(l_1_m, 'name')))
        yield ',\n            '
        yield str(environment.getattr(l_1_m, 'params_model'))
        yield ',\n            TypeAdapter('
        yield str(environment.getattr(l_1_m, 'result_type'))
        yield '),\n            '
        yield str(context.call(environment.getattr((undefined(name='mac') if l_0_mac is missing else l_0_mac), 'py_tuple'), environment.getattr(l_1_m, 'errors'), _loop_vars=_loop_vars))
        yield ',\n        ),\n'
    l_1_m = missing
    yield '    },\n'
    if environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'event_adapters'):
        pass
        yield '    events={\n'
        for (l_1_name, l_1_adapter) in environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'event_adapters'):
            _loop_vars = {}
            pass
            yield '        '
            yield str(t_3(l_1_name))
            yield ': '
            yield str(l_1_adapter)
            yield ',\n'
        l_1_name = l_1_adapter = missing
        yield '    },\n'
    yield ')\n\n\nclass '
    yield str(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'cls'))
    yield '(ABC):\n    '
    yield str(t_1(str_join(('Interface ', environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'key'), '.', (str_join(('\n\n', environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'description'), )) if environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'description') else ''), (str_join(('\n\nDeprecated: ', environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'deprecated'), )) if environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'deprecated') else ''), )), 4))
    yield '\n'
    for l_1_m in environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'methods'):
        _loop_vars = {}
        pass
        yield '\n    @_abc.abstractmethod\n    async def '
        yield str(environment.getattr(l_1_m, 'name'))
        yield '('
        yield str(context.call(environment.getattr((undefined(name='mac') if l_0_mac is missing else l_0_mac), 'signature'), l_1_m, _loop_vars=_loop_vars))
        yield ') -> '
        yield str(environment.getattr(l_1_m, 'result_hint'))
        yield ':\n        '
        yield str(context.call(environment.getattr((undefined(name='mac') if l_0_mac is missing else l_0_mac), 'method_doc'), l_1_m, _loop_vars=_loop_vars))
        yield '\n'
    l_1_m = missing
    yield '\n\nclass '
    yield str(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'client'))
    yield '(Client, '
    yield str(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'cls'))
    yield '):\n    """Calls '
    yield str(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'key'))
    yield ' over the bus (results checked against the contract)."""\n'
    for l_1_m in environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'methods'):
        _loop_vars = {}
        pass
        yield '\n    async def '
        yield str(environment.getattr(l_1_m, 'name'))
        yield '('
        yield str(context.call(environment.getattr((undefined(name='mac') if l_0_mac is missing else l_0_mac), 'signature'), l_1_m, _loop_vars=_loop_vars))
        yield ') -> '
        yield str(environment.getattr(l_1_m, 'result_hint'))
        yield ':\n        '
        yield str(context.call(environment.getattr((undefined(name='mac') if l_0_mac is missing else l_0_mac), 'method_doc'), l_1_m, _loop_vars=_loop_vars))
        yield '\n'
        if environment.getattr(l_1_m, 'returns_none'):
            pass
            yield '        await self._call('
            yield str(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'const'))
            yield ', '
            yield str(t_3(environment.getattr(l_1_m, 'name')))
            yield ', '
            yield str(context.call(environment.getattr((undefined(name='mac') if l_0_mac is missing else l_0_mac), 'args_dict'), l_1_m, _loop_vars=_loop_vars))
            yield ')\n'
        else:
            pass
            yield '        return _typing.cast('
            yield str(t_3(environment.getattr(l_1_m, 'cast_hint')))
            yield ', await self._call('
            yield str(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'const'))
            yield ', '
            yield str(t_3(environment.getattr(l_1_m, 'name')))
            yield ', '
            yield str(context.call(environment.getattr((undefined(name='mac') if l_0_mac is missing else l_0_mac), 'args_dict'), l_1_m, _loop_vars=_loop_vars))
            yield '))\n'
    l_1_m = missing

blocks = {}
debug_info = '1=37&2=39&4=41&14=43&15=47&20=53&21=56&25=59&26=61&27=63&28=65&29=69&33=73&36=77&37=79&39=81&42=85&45=89&49=93&50=95&51=97&53=99&54=103&55=105&56=107&57=109&58=111&62=115&64=118&65=122&72=129&73=131&74=133&77=137&78=143&82=147&83=151&84=153&86=157&87=163&88=165&89=168&91=177'
