from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'docs/module/TESTING-CRITERIA.md.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_m = resolve('m')
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
        t_3 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_4 = environment.filters['md']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'md' found.")
    try:
        t_5 = environment.filters['md_line']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'md_line' found.")
    pass
    yield '# '
    yield str(t_1('%02d', environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'number')))
    yield ' '
    yield str(t_5(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'title')))
    yield ': testing criteria\n\n## Generated checks\n\n'
    for l_1_c in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'provides'):
        _loop_vars = {}
        pass
        yield '- Every example of '
        yield str(environment.getattr(l_1_c, 'key'))
        yield ' passes against the implementation ('
        yield str(t_3(environment.getattr(l_1_c, 'examples')))
        yield ' examples, `tests/contract/test_'
        yield str(environment.getattr(l_1_c, 'slug'))
        yield '.py`).\n'
    l_1_c = missing
    for l_1_d in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'consumes'):
        _loop_vars = {}
        pass
        yield '- Integration with `'
        yield str(environment.getattr(l_1_d, 'provider'))
        yield '` over '
        yield str(environment.getattr(environment.getattr(l_1_d, 'contract'), 'key'))
        yield ' passes through the bus (`tests/integration/test_'
        yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'name'))
        yield '__'
        yield str(environment.getattr(l_1_d, 'provider'))
        yield '.py`).\n'
    l_1_d = missing
    yield "- The whole-system smoke test starts this module and gets answers.\n- The implementation imports no other module's code, mock or adapter, and no contract it neither provides nor consumes (coordination rules 1 and 3; `tests/test_smoke.py`).\n\n## Acceptance criteria\n\n"
    t_6 = 1
    for l_1_t in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'testing_criteria'):
        _loop_vars = {}
        pass
        yield '- [ ] '
        yield str(t_2(t_4(l_1_t), 2))
        yield '\n'
        t_6 = 0
    l_1_t = missing
    if t_6:
        pass
        yield '- [ ] (none given in the spec)\n'

blocks = {}
debug_info = '1=43&5=47&6=51&8=58&9=62&16=73&17=77'
