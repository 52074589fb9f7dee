from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'code/scaffold/module.py.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    try:
        t_1 = environment.filters['docblock']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'docblock' found.")
    try:
        t_2 = environment.filters['docstring']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'docstring' found.")
    try:
        t_3 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    pass
    yield '"""Implementation of module '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'name'))
    yield ' ('
    yield str(t_2(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'title'), 0))
    yield ').\n\nYours to edit: specloom wrote this file once and never overwrites it. Methods still marked\n``@stub`` are served by the mock until implemented (`specloom fill` can draft them).\n"""\n\nfrom __future__ import annotations\n\nimport builtins as _builtins\nfrom typing import Annotated, Any, Literal\n\nfrom pydantic import Field\n\n'
    for l_1_c in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'implements'):
        _loop_vars = {}
        pass
        for l_2_model in environment.getattr(l_1_c, 'models'):
            _loop_vars = {}
            pass
            yield 'from '
            yield str(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'package'))
            yield '.contracts.'
            yield str(environment.getattr(l_1_c, 'slug'))
            yield ' import '
            yield str(environment.getattr(l_2_model, 'name'))
            yield '\n'
        l_2_model = missing
        if environment.getattr(l_1_c, 'type_imports'):
            pass
            yield 'from '
            yield str(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'package'))
            yield '.types import '
            yield str(t_3(context.eval_ctx, environment.getattr(l_1_c, 'type_imports'), ', '))
            yield '\n'
        for l_2_e in environment.getattr(l_1_c, 'errors'):
            _loop_vars = {}
            pass
            yield 'from '
            yield str(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'package'))
            yield '.contracts.'
            yield str(environment.getattr(l_1_c, 'slug'))
            yield ' import '
            yield str(environment.getattr(l_2_e, 'name'))
            yield '\n'
        l_2_e = missing
    l_1_c = missing
    yield 'from '
    yield str(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'package'))
    yield '.modules.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'name'))
    yield ' import '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'base'))
    yield '\nfrom specloom_runtime import stub\n\n\nclass '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'impl_class'))
    yield '('
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'base'))
    yield '):\n    '
    yield str(t_1(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'title'), 4))
    yield '\n'
    for l_1_c in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'implements'):
        _loop_vars = {}
        pass
        for l_2_meth in environment.getattr(l_1_c, 'methods'):
            l_2_stub_method = resolve('stub_method')
            _loop_vars = {}
            pass
            yield '\n'
            yield str(context.call((undefined(name='stub_method') if l_2_stub_method is missing else l_2_stub_method), l_2_meth, _loop_vars=_loop_vars))
            yield '\n'
        l_2_meth = l_2_stub_method = missing
    l_1_c = missing

blocks = {}
debug_info = '1=32&14=36&15=39&16=43&18=50&19=53&21=57&22=61&25=70&29=76&30=80&31=82&32=85&34=90'
