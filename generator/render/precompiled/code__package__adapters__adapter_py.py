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
        t_1 = environment.filters['pyrepr']
    except KeyError:
        @internalcode
        def t_1(*unused):
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
    yield '\n\n'
    yield str(environment.getattr((undefined(name='a') if l_0_a is missing else l_0_a), 'imports'))
    yield '\n__all__ = ['
    yield str(t_1(environment.getattr((undefined(name='a') if l_0_a is missing else l_0_a), 'cls')))
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
    if environment.getattr(environment.getattr((undefined(name='a') if l_0_a is missing else l_0_a), 'old'), 'methods'):
        pass
        yield '\n'
        for l_1_m in environment.getattr(environment.getattr((undefined(name='a') if l_0_a is missing else l_0_a), 'old'), 'methods'):
            _loop_vars = {}
            pass
            yield '    '
            yield str(environment.getattr(l_1_m, 'name'))
            yield ' = Forward('
            yield str(environment.getattr(environment.getattr((undefined(name='a') if l_0_a is missing else l_0_a), 'old'), 'cls'))
            yield '.'
            yield str(environment.getattr(l_1_m, 'name'))
            yield ')\n'
        l_1_m = missing

blocks = {}
debug_info = '1=19&2=22&4=26&6=28&7=30&10=32&11=36&13=40&14=42&16=44&18=46&20=49&21=53'
