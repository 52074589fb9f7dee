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
        t_1 = environment.filters['list']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'list' found.")
    try:
        t_2 = environment.filters['pyrepr']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'pyrepr' found.")
    pass
    l_0_mac = context.vars['mac'] = environment.get_template('code/_macros.jinja', 'code/package/mocks/mock.py.jinja')._get_default_module(context)
    context.exported_vars.discard('mac')
    yield '"""Mock of '
    yield str(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'key'))
    yield ', built from its examples (see ``specloom_runtime.mock`` for how it answers)."""\n\n'
    yield str(context.call(environment.getattr((undefined(name='mac') if l_0_mac is missing else l_0_mac), 'header'), environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'file')))
    yield '\n\n'
    yield str(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'mock_imports'))
    yield '\n__all__ = ['
    yield str(t_2(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'mock')))
    yield ']\n\n\nclass '
    yield str(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'mock'))
    yield '(Mock, '
    yield str(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'cls'))
    yield '):\n    """Mock of '
    yield str(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'key'))
    yield ': answers from the examples, deterministic, records ``calls``."""\n\n    SPEC: ClassVar[ContractSpec] = '
    yield str(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'const'))
    yield '\n    EXAMPLES: ClassVar[list[dict[str, Any]]] = '
    yield str(t_2(t_1(context.eval_ctx, environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'examples'))))
    yield '\n    DEFAULTS: ClassVar[dict[str, Any]] = {\n'
    for l_1_m in environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'methods'):
        _loop_vars = {}
        pass
        yield '        '
        yield str(t_2(environment.getattr(l_1_m, 'name')))
        yield ': '
        yield str(t_2(environment.getattr(l_1_m, 'default_result')))
        yield ',\n'
    l_1_m = missing
    yield '    }\n'
    if environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'methods'):
        pass
        yield '\n'
        for l_1_m in environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'methods'):
            _loop_vars = {}
            pass
            yield '    '
            yield str(environment.getattr(l_1_m, 'name'))
            yield ' = Answer('
            yield str(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'cls'))
            yield '.'
            yield str(environment.getattr(l_1_m, 'name'))
            yield ')\n'
        l_1_m = missing

blocks = {}
debug_info = '1=25&2=28&4=30&6=32&7=34&10=36&11=40&13=42&14=44&16=46&17=50&20=56&22=59&23=63'
