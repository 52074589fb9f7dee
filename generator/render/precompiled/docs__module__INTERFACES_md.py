from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'docs/module/INTERFACES.md.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_m = resolve('m')
    l_0_mac = missing
    try:
        t_1 = environment.filters['format']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'format' found.")
    try:
        t_2 = environment.filters['indent']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'indent' found.")
    try:
        t_3 = environment.filters['md']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'md' found.")
    try:
        t_4 = environment.filters['md_code']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'md_code' found.")
    try:
        t_5 = environment.filters['md_line']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'md_line' found.")
    pass
    l_0_mac = context.vars['mac'] = environment.get_template('docs/_macros.jinja', 'docs/module/INTERFACES.md.jinja')._get_default_module(context)
    context.exported_vars.discard('mac')
    yield '# '
    yield str(t_1('%02d', environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'number')))
    yield ' '
    yield str(t_5(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'title')))
    yield ': interfaces\n\n## Provides\n\n'
    for l_1_c in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'provides'):
        _loop_vars = {}
        pass
        yield str(context.call(environment.getattr((undefined(name='mac') if l_0_mac is missing else l_0_mac), 'contract_section'), l_1_c, _loop_vars=_loop_vars))
        yield '\n'
    l_1_c = missing
    yield '## Consumes\n\n'
    t_6 = 1
    for l_1_d in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'consumes'):
        _loop_vars = {}
        pass
        yield '- `self.deps.'
        yield str(environment.getattr(l_1_d, 'attr'))
        yield '`: '
        yield str(environment.getattr(environment.getattr(l_1_d, 'contract'), 'key'))
        yield ' from `'
        yield str(environment.getattr(l_1_d, 'provider'))
        yield '` (`'
        yield str(environment.getattr(l_1_d, 'provider_agent'))
        yield '`)\n'
        t_6 = 0
    l_1_d = missing
    if t_6:
        pass
        yield 'Nothing: this module depends on no other.\n'
    yield '\n## Configuration\n\n'
    t_7 = 1
    for l_1_f in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'config'):
        _loop_vars = {}
        pass
        yield '- `'
        yield str(environment.getattr(l_1_f, 'env'))
        yield '` → `config.'
        yield str(environment.getattr(l_1_f, 'name'))
        yield '` ('
        yield str(t_4(environment.getattr(l_1_f, 'plain_hint')))
        if (not environment.getattr(l_1_f, 'required')):
            pass
            yield ', default '
            yield str(t_4(environment.getattr(l_1_f, 'default_repr')))
        yield ')'
        if environment.getattr(l_1_f, 'description'):
            pass
            yield ': '
            yield str(t_2(t_3(environment.getattr(l_1_f, 'description')), 2))
        yield '\n'
        t_7 = 0
    l_1_f = missing
    if t_7:
        pass
        yield 'No settings.\n'

blocks = {}
debug_info = '1=43&2=46&6=50&7=53&11=58&12=62&19=77&20=81'
