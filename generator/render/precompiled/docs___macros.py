from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'docs/_macros.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_contract_section = missing
    try:
        t_1 = environment.filters['indent']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'indent' found.")
    try:
        t_2 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_3 = environment.filters['md']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'md' found.")
    try:
        t_4 = environment.filters['md_cell']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'md_cell' found.")
    try:
        t_5 = environment.filters['md_code']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'md_code' found.")
    try:
        t_6 = environment.filters['md_line']
    except KeyError:
        @internalcode
        def t_6(*unused):
            raise TemplateRuntimeError("No filter named 'md_line' found.")
    pass
    def macro(l_1_c):
        t_7 = []
        if l_1_c is missing:
            l_1_c = undefined("parameter 'c' was not provided", name='c')
        pass
        t_7.extend((
            '### ',
            str(environment.getattr(l_1_c, 'key')),
            '\n\n',
        ))
        if environment.getattr(l_1_c, 'description'):
            pass
            t_7.extend((
                str(t_3(environment.getattr(l_1_c, 'description'))),
                '\n\n',
            ))
        if environment.getattr(l_1_c, 'deprecated'):
            pass
            t_7.extend((
                '> **Deprecated:** ',
                str(t_6(environment.getattr(l_1_c, 'deprecated'))),
                '\n\n',
            ))
        t_7.extend((
            'Provided by `',
            str(environment.getattr(l_1_c, 'provider')),
            '` (`',
            str(environment.getattr(l_1_c, 'provider_agent')),
            '`). Python: `',
            str(environment.getattr(l_1_c, 'cls')),
            '` (interface), `',
            str(environment.getattr(l_1_c, 'client')),
            '` (bus client), `',
            str(environment.getattr(l_1_c, 'mock')),
            '` (mock).\n\n| method | parameters | returns | errors | summary |\n|---|---|---|---|---|\n',
        ))
        l_2_loop = missing
        for l_2_m, l_2_loop in LoopContext(environment.getattr(l_1_c, 'methods'), undefined):
            _loop_vars = {}
            pass
            t_7.extend((
                '| `',
                str(environment.getattr(l_2_m, 'name')),
                '` | ',
            ))
            l_3_loop = missing
            for l_3_p, l_3_loop in LoopContext(environment.getattr(l_2_m, 'params'), undefined):
                _loop_vars = {}
                pass
                t_7.append(
                    str(t_5(str_join((environment.getattr(l_3_p, 'name'), ': ', environment.getattr(l_3_p, 'hint'), )), cell=True)),
                )
                if (not environment.getattr(l_3_p, 'required')):
                    pass
                    t_7.extend((
                        ' = ',
                        str(t_5(environment.getattr(l_3_p, 'default_repr'), cell=True)),
                    ))
                if (not environment.getattr(l_3_loop, 'last')):
                    pass
                    t_7.append(
                        ', ',
                    )
            l_3_loop = l_3_p = missing
            t_7.extend((
                ' | ',
                str(t_5(environment.getattr(l_2_m, 'result_hint'), cell=True)),
                ' | ',
                str(t_2(context.eval_ctx, environment.getattr(l_2_m, 'errors'), ', ')),
                ' | ',
                str(t_4(environment.getattr(l_2_m, 'summary'))),
                ' |\n',
            ))
        l_2_loop = l_2_m = missing
        if environment.getattr(l_1_c, 'errors'):
            pass
            t_7.append(
                '\nErrors:\n',
            )
            for l_2_e in environment.getattr(l_1_c, 'errors'):
                _loop_vars = {}
                pass
                t_7.extend((
                    '- `',
                    str(environment.getattr(l_2_e, 'name')),
                    '`: ',
                    str(t_1(t_3(environment.getattr(l_2_e, 'summary')), 2)),
                    '\n',
                ))
            l_2_e = missing
        if environment.getattr(l_1_c, 'events'):
            pass
            t_7.append(
                '\nEvents published:\n',
            )
            for (l_2_name, l_2_summary) in environment.getattr(l_1_c, 'events'):
                _loop_vars = {}
                pass
                t_7.extend((
                    '- `',
                    str(l_2_name),
                    '`: ',
                    str(t_1(t_3(l_2_summary), 2)),
                    '\n',
                ))
            l_2_name = l_2_summary = missing
        t_7.append(
            '\nExamples (replayed by the contract tests, answered by the mock):\n',
        )
        l_2_loop = missing
        for l_2_ex, l_2_loop in LoopContext(environment.getattr(l_1_c, 'examples'), undefined):
            _loop_vars = {}
            pass
            t_7.extend((
                '- ',
                str(t_6(environment.getattr(l_2_ex, 'name'))),
                ': ',
            ))
            l_3_loop = missing
            for l_3_s, l_3_loop in LoopContext(environment.getattr(l_2_ex, 'steps'), undefined):
                _loop_vars = {}
                pass
                t_7.extend((
                    '`',
                    str(environment.getattr(l_3_s, 'call')),
                    '`',
                ))
                if ('raises' in l_3_s):
                    pass
                    t_7.extend((
                        ' raises `',
                        str(environment.getattr(l_3_s, 'raises')),
                        '`',
                    ))
                if (not environment.getattr(l_3_loop, 'last')):
                    pass
                    t_7.append(
                        ' → ',
                    )
            l_3_loop = l_3_s = missing
            t_7.append(
                '\n',
            )
        l_2_loop = l_2_ex = missing
        return concat(t_7)
    context.exported_vars.add('contract_section')
    context.vars['contract_section'] = l_0_contract_section = Macro(environment, macro, 'contract_section', ('c',), False, False, False, context.eval_ctx.autoescape)

blocks = {}
debug_info = '4=48&5=55&7=58&10=64&13=73&17=85&18=90&20=122&23=127&24=132&27=138&30=143&31=148&36=158&37=163'
