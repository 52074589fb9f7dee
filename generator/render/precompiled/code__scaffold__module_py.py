from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'code/scaffold/module.py.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_m = resolve('m')
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
    pass
    yield '"""Implementation of module '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'name'))
    yield ' ('
    yield str(t_2(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'title'), 0))
    yield ').\n\nYours to edit: specloom wrote this file once and never overwrites it. Methods still marked\n``@stub`` are served by the mock until implemented (`specloom fill` can draft them).\n"""\n\n'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'scaffold_imports'))
    yield '\n\nclass '
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
debug_info = '1=25&7=29&9=31&10=35&11=37&12=40&14=45'
