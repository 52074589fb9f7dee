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
    yield '\n\n'
    yield str(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'contract_imports'))
    yield '\n__all__ = '
    yield str(t_3(t_2(context.eval_ctx, environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'exports'))))
    yield '\n'
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
    if environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'methods'):
        pass
        yield '\n'
        for l_1_m in environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'methods'):
            _loop_vars = {}
            pass
            yield '    '
            yield str(environment.getattr(l_1_m, 'name'))
            yield ' = Remote('
            yield str(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'const'))
            yield ', '
            yield str(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'cls'))
            yield '.'
            yield str(environment.getattr(l_1_m, 'name'))
            yield ')\n'
        l_1_m = missing

blocks = {}
debug_info = '1=37&2=39&4=41&6=43&7=45&8=47&11=51&12=53&14=55&16=58&19=62&23=66&24=68&25=70&27=72&28=76&29=78&30=80&31=82&32=84&36=88&38=91&39=95&46=102&47=104&48=106&51=110&52=116&56=120&57=124&58=126&60=129&61=133'
