from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'code/package/adapters/adapter.py.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_a = resolve('a')
    l_0_mac = missing
    try:
        t_1 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_2 = environment.filters['pyrepr']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'pyrepr' found.")
    pass
    l_0_mac = context.vars['mac'] = environment.get_template('code/_macros.jinja', 'code/package/adapters/adapter.py.jinja')._get_default_module(context)
    context.exported_vars.discard('mac')
    yield '"""Adapter: '
    yield str(environment.getattr(environment.getattr((undefined(name='a') if l_0_a is missing else l_0_a), 'old'), 'key'))
    yield ' served by an implementation of '
    yield str(environment.getattr(environment.getattr((undefined(name='a') if l_0_a is missing else l_0_a), 'new'), 'key'))
    yield '."""\n\n'
    yield str(context.call(environment.getattr((undefined(name='mac') if l_0_mac is missing else l_0_mac), 'header'), environment.getattr(environment.getattr((undefined(name='a') if l_0_a is missing else l_0_a), 'new'), 'file')))
    yield '\n\nfrom __future__ import annotations\n\nimport builtins as _builtins\nimport typing as _typing\nfrom typing import Any, ClassVar\n\n'
    for (l_1_module, l_1_name) in environment.getattr(environment.getattr((undefined(name='a') if l_0_a is missing else l_0_a), 'old'), 'imports'):
        _loop_vars = {}
        pass
        yield 'from '
        yield str(l_1_module)
        yield ' import '
        yield str(l_1_name)
        yield '\n'
    l_1_module = l_1_name = missing
    yield 'from pydantic import BaseModel, ConfigDict, Field\n\nfrom ..contracts.'
    yield str(environment.getattr(environment.getattr((undefined(name='a') if l_0_a is missing else l_0_a), 'old'), 'slug'))
    yield ' import '
    yield str(environment.getattr(environment.getattr((undefined(name='a') if l_0_a is missing else l_0_a), 'old'), 'const'))
    yield ', '
    yield str(environment.getattr(environment.getattr((undefined(name='a') if l_0_a is missing else l_0_a), 'old'), 'cls'))
    yield '\n'
    for l_1_model in environment.getattr(environment.getattr((undefined(name='a') if l_0_a is missing else l_0_a), 'old'), 'models'):
        _loop_vars = {}
        pass
        yield 'from ..contracts.'
        yield str(environment.getattr(environment.getattr((undefined(name='a') if l_0_a is missing else l_0_a), 'old'), 'slug'))
        yield ' import '
        yield str(environment.getattr(l_1_model, 'name'))
        yield '\n'
    l_1_model = missing
    yield 'from ..contracts.'
    yield str(environment.getattr(environment.getattr((undefined(name='a') if l_0_a is missing else l_0_a), 'new'), 'slug'))
    yield ' import '
    yield str(environment.getattr(environment.getattr((undefined(name='a') if l_0_a is missing else l_0_a), 'new'), 'const'))
    yield ', '
    yield str(environment.getattr(environment.getattr((undefined(name='a') if l_0_a is missing else l_0_a), 'new'), 'cls'))
    yield '\nfrom specloom_runtime import ContractSpec\n'
    if environment.getattr(environment.getattr((undefined(name='a') if l_0_a is missing else l_0_a), 'old'), 'type_imports'):
        pass
        yield 'from ..types import '
        yield str(t_1(context.eval_ctx, environment.getattr(environment.getattr((undefined(name='a') if l_0_a is missing else l_0_a), 'old'), 'type_imports'), ', '))
        yield '\n'
    yield 'from . import Adapter\n\n__all__ = ['
    yield str(t_2(environment.getattr((undefined(name='a') if l_0_a is missing else l_0_a), 'cls')))
    yield ']\n\n\nclass '
    yield str(environment.getattr((undefined(name='a') if l_0_a is missing else l_0_a), 'cls'))
    yield '(Adapter, '
    yield str(environment.getattr(environment.getattr((undefined(name='a') if l_0_a is missing else l_0_a), 'old'), 'cls'))
    yield '):\n    """Serves '
    yield str(environment.getattr(environment.getattr((undefined(name='a') if l_0_a is missing else l_0_a), 'old'), 'key'))
    yield ' by calling an implementation of '
    yield str(environment.getattr(environment.getattr((undefined(name='a') if l_0_a is missing else l_0_a), 'new'), 'key'))
    yield '."""\n\n    SOURCE: ClassVar[ContractSpec] = '
    yield str(environment.getattr(environment.getattr((undefined(name='a') if l_0_a is missing else l_0_a), 'old'), 'const'))
    yield '\n    TARGET: ClassVar[ContractSpec] = '
    yield str(environment.getattr(environment.getattr((undefined(name='a') if l_0_a is missing else l_0_a), 'new'), 'const'))
    yield '\n\n    def __init__(self, target: '
    yield str(environment.getattr(environment.getattr((undefined(name='a') if l_0_a is missing else l_0_a), 'new'), 'cls'))
    yield ') -> None:\n        super().__init__(target)\n'
    for l_1_m in environment.getattr(environment.getattr((undefined(name='a') if l_0_a is missing else l_0_a), 'old'), 'methods'):
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
            yield '        await self._forward('
            yield str(t_2(environment.getattr(l_1_m, 'name')))
            yield ', '
            yield str(context.call(environment.getattr((undefined(name='mac') if l_0_mac is missing else l_0_mac), 'args_dict'), l_1_m, _loop_vars=_loop_vars))
            yield ')\n'
        else:
            pass
            yield '        return _typing.cast('
            yield str(t_2(environment.getattr(l_1_m, 'cast_hint')))
            yield ', await self._forward('
            yield str(t_2(environment.getattr(l_1_m, 'name')))
            yield ', '
            yield str(context.call(environment.getattr((undefined(name='mac') if l_0_mac is missing else l_0_mac), 'args_dict'), l_1_m, _loop_vars=_loop_vars))
            yield '))\n'
    l_1_m = missing

blocks = {}
debug_info = '1=25&2=28&4=32&12=34&13=38&17=44&18=50&19=54&21=60&23=66&24=69&28=72&31=74&32=78&34=82&35=84&37=86&39=88&41=92&42=98&43=100&44=103&46=110'
