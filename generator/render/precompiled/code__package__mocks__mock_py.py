from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'code/package/mocks/mock.py.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_c = resolve('c')
    l_0_mac = missing
    try:
        t_1 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_2 = environment.filters['list']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'list' found.")
    try:
        t_3 = environment.filters['pyrepr']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'pyrepr' found.")
    pass
    l_0_mac = context.vars['mac'] = environment.get_template('code/_macros.jinja', 'code/package/mocks/mock.py.jinja')._get_default_module(context)
    context.exported_vars.discard('mac')
    yield '"""Mock of '
    yield str(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'key'))
    yield ', built from its examples (see ``specloom_runtime.mock`` for how it answers)."""\n\n'
    yield str(context.call(environment.getattr((undefined(name='mac') if l_0_mac is missing else l_0_mac), 'header'), environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'file')))
    yield '\n\nfrom __future__ import annotations\n\nimport builtins as _builtins\nimport typing as _typing\nfrom typing import Any, ClassVar\n\n'
    for (l_1_module, l_1_name) in environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'imports'):
        _loop_vars = {}
        pass
        yield 'from '
        yield str(l_1_module)
        yield ' import '
        yield str(l_1_name)
        yield '\n'
    l_1_module = l_1_name = missing
    yield 'from pydantic import BaseModel, ConfigDict, Field\n\nfrom ..contracts.'
    yield str(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'slug'))
    yield ' import '
    yield str(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'const'))
    yield ', '
    yield str(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'cls'))
    yield '\n'
    for l_1_model in environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'models'):
        _loop_vars = {}
        pass
        yield 'from ..contracts.'
        yield str(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'slug'))
        yield ' import '
        yield str(environment.getattr(l_1_model, 'name'))
        yield '\n'
    l_1_model = missing
    yield 'from specloom_runtime import ContractSpec, Mock\n'
    if environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'type_imports'):
        pass
        yield 'from ..types import '
        yield str(t_1(context.eval_ctx, environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'type_imports'), ', '))
        yield '\n'
    yield '\n__all__ = ['
    yield str(t_3(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'mock')))
    yield ']\n\n\nclass '
    yield str(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'mock'))
    yield '(Mock, '
    yield str(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'cls'))
    yield '):\n    """Mock of '
    yield str(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'key'))
    yield ': answers from the examples, deterministic, records ``calls``."""\n\n    SPEC: ClassVar[ContractSpec] = '
    yield str(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'const'))
    yield '\n    EXAMPLES: ClassVar[list[dict[str, Any]]] = '
    yield str(t_3(t_2(context.eval_ctx, environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'examples'))))
    yield '\n    DEFAULTS: ClassVar[dict[str, Any]] = {\n'
    for l_1_m in environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'methods'):
        _loop_vars = {}
        pass
        yield '        '
        yield str(t_3(environment.getattr(l_1_m, 'name')))
        yield ': '
        yield str(t_3(environment.getattr(l_1_m, 'default_result')))
        yield ',\n'
    l_1_m = missing
    yield '    }\n'
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
            yield '        await self._answer('
            yield str(t_3(environment.getattr(l_1_m, 'name')))
            yield ', '
            yield str(context.call(environment.getattr((undefined(name='mac') if l_0_mac is missing else l_0_mac), 'args_dict'), l_1_m, _loop_vars=_loop_vars))
            yield ')\n'
        else:
            pass
            yield '        return _typing.cast('
            yield str(t_3(environment.getattr(l_1_m, 'cast_hint')))
            yield ', await self._answer('
            yield str(t_3(environment.getattr(l_1_m, 'name')))
            yield ', '
            yield str(context.call(environment.getattr((undefined(name='mac') if l_0_mac is missing else l_0_mac), 'args_dict'), l_1_m, _loop_vars=_loop_vars))
            yield '))\n'
    l_1_m = missing

blocks = {}
debug_info = '1=31&2=34&4=36&12=38&13=42&17=48&18=54&19=58&22=64&23=67&26=70&29=72&30=76&32=78&33=80&35=82&36=86&39=92&41=96&42=102&43=104&44=107&46=114'
