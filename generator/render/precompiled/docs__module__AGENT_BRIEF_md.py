from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'docs/module/AGENT-BRIEF.md.jinja'

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
        t_3 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_4 = environment.filters['map']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'map' found.")
    try:
        t_5 = environment.filters['md']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'md' found.")
    try:
        t_6 = environment.filters['md_line']
    except KeyError:
        @internalcode
        def t_6(*unused):
            raise TemplateRuntimeError("No filter named 'md_line' found.")
    pass
    yield '# '
    yield str(t_1('%02d', environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'number')))
    yield ' '
    yield str(t_6(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'title')))
    yield ': agent brief\n\n- **Agent:** `'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'agent'))
    yield '`\n- **Scope:** '
    yield str((t_2(t_5(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'scope')), 2) or '-'))
    yield '\n- **Outputs:** '
    yield str((t_2(t_5(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'outputs')), 2) or '-'))
    yield '\n- **Phase:** '
    yield str((environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'phase') or '-'))
    yield ' (dependency wave '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'wave'))
    yield ')\n- **Provides:** '
    yield str(t_3(context.eval_ctx, t_4(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'provides'), attribute='key'), ', '))
    yield '\n- **Consumes:** '
    yield str((t_3(context.eval_ctx, t_4(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'consumes'), attribute='contract.key'), ', ') or 'nothing'))
    yield '\n- **Used by:** '
    yield str((t_3(context.eval_ctx, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'dependents'), ', ') or 'no module'))
    yield '\n'
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'brief'):
        pass
        yield '\n'
        yield str(t_5(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'brief')))
        yield '\n'
    yield "\n## Rules\n\n1. Talk to other modules only through `self.deps` (contract clients over the bus); never import\n   another module's code.\n2. Implement the contracts exactly; a breaking change needs a new contract version.\n3. One integration point per dependency: the client in `self.deps`.\n4. Develop against the mocks: until a dependency is implemented, its mock answers.\n"
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'notes'):
        pass
        yield '\n## Notes\n\n'
        for l_1_n in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'notes'):
            _loop_vars = {}
            pass
            yield '- '
            yield str(t_2(t_5(l_1_n), 2))
            yield '\n'
        l_1_n = missing

blocks = {}
debug_info = '1=49&3=53&4=55&5=57&6=59&7=63&8=65&9=67&10=69&12=72&22=75&26=78&27=82'
