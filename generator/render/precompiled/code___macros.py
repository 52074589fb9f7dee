from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'code/_macros.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_signature = l_0_stub_signature = l_0_stub_defaults = l_0_args_dict = l_0_method_doc = l_0_py_tuple = l_0_header = missing
    try:
        t_1 = environment.filters['docblock']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'docblock' found.")
    try:
        t_2 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_3 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_4 = environment.filters['pyrepr']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'pyrepr' found.")
    pass
    def macro(l_1_m):
        t_5 = []
        if l_1_m is missing:
            l_1_m = undefined("parameter 'm' was not provided", name='m')
        pass
        t_5.append(
            'self',
        )
        if environment.getattr(l_1_m, 'keyword_only'):
            pass
            t_5.append(
                ', *',
            )
        for l_2_p in environment.getattr(l_1_m, 'params'):
            _loop_vars = {}
            pass
            t_5.extend((
                ', ',
                str(environment.getattr(l_2_p, 'name')),
                ': ',
                str(environment.getattr(l_2_p, 'hint')),
            ))
            if environment.getattr(l_2_p, 'mutable'):
                pass
                t_5.extend((
                    ' = ',
                    str(environment.getattr(l_2_p, 'fresh_repr')),
                ))
            elif (not environment.getattr(l_2_p, 'required')):
                pass
                t_5.extend((
                    ' = ',
                    str(environment.getattr(l_2_p, 'default_repr')),
                ))
        l_2_p = missing
        return concat(t_5)
    context.exported_vars.add('signature')
    context.vars['signature'] = l_0_signature = Macro(environment, macro, 'signature', ('m',), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_m):
        t_6 = []
        if l_1_m is missing:
            l_1_m = undefined("parameter 'm' was not provided", name='m')
        pass
        t_6.append(
            'self',
        )
        if environment.getattr(l_1_m, 'keyword_only'):
            pass
            t_6.append(
                ', *',
            )
        for l_2_p in environment.getattr(l_1_m, 'params'):
            _loop_vars = {}
            pass
            t_6.extend((
                ', ',
                str(environment.getattr(l_2_p, 'name')),
                ': ',
                str(environment.getattr(l_2_p, 'hint')),
            ))
            if environment.getattr(l_2_p, 'mutable'):
                pass
                t_6.append(
                    ' | None = None',
                )
            elif (not environment.getattr(l_2_p, 'required')):
                pass
                t_6.extend((
                    ' = ',
                    str(environment.getattr(l_2_p, 'default_repr')),
                ))
        l_2_p = missing
        return concat(t_6)
    context.exported_vars.add('stub_signature')
    context.vars['stub_signature'] = l_0_stub_signature = Macro(environment, macro, 'stub_signature', ('m',), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_m):
        t_7 = []
        if l_1_m is missing:
            l_1_m = undefined("parameter 'm' was not provided", name='m')
        pass
        def t_8(fiter):
            for l_2_p in fiter:
                if environment.getattr(l_2_p, 'mutable'):
                    yield l_2_p
        for l_2_p in t_8(environment.getattr(l_1_m, 'params')):
            _loop_vars = {}
            pass
            t_7.extend((
                '        ',
                str(environment.getattr(l_2_p, 'name')),
                ' = ',
                str(environment.getattr(l_2_p, 'default_repr')),
                ' if ',
                str(environment.getattr(l_2_p, 'name')),
                ' is None else ',
                str(environment.getattr(l_2_p, 'name')),
                '\n',
            ))
        l_2_p = missing
        return concat(t_7)
    context.exported_vars.add('stub_defaults')
    context.vars['stub_defaults'] = l_0_stub_defaults = Macro(environment, macro, 'stub_defaults', ('m',), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_m):
        t_9 = []
        if l_1_m is missing:
            l_1_m = undefined("parameter 'm' was not provided", name='m')
        pass
        t_9.append(
            '{',
        )
        l_2_loop = missing
        for l_2_p, l_2_loop in LoopContext(environment.getattr(l_1_m, 'params'), undefined):
            _loop_vars = {}
            pass
            t_9.extend((
                str(t_4(environment.getattr(l_2_p, 'name'))),
                ': ',
                str(environment.getattr(l_2_p, 'name')),
            ))
            if (not environment.getattr(l_2_loop, 'last')):
                pass
                t_9.append(
                    ', ',
                )
        l_2_loop = l_2_p = missing
        t_9.append(
            '}',
        )
        return concat(t_9)
    context.exported_vars.add('args_dict')
    context.vars['args_dict'] = l_0_args_dict = Macro(environment, macro, 'args_dict', ('m',), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_m):
        t_10 = []
        if l_1_m is missing:
            l_1_m = undefined("parameter 'm' was not provided", name='m')
        pass
        t_10.append(
            str(t_1(str_join((environment.getattr(l_1_m, 'summary'), (str_join(('\n\n', environment.getattr(l_1_m, 'description'), )) if environment.getattr(l_1_m, 'description') else ''), (str_join(('\n\nDeprecated: ', environment.getattr(l_1_m, 'deprecated'), )) if environment.getattr(l_1_m, 'deprecated') else ''), )), 8)),
        )
        return concat(t_10)
    context.exported_vars.add('method_doc')
    context.vars['method_doc'] = l_0_method_doc = Macro(environment, macro, 'method_doc', ('m',), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_items):
        t_11 = []
        if l_1_items is missing:
            l_1_items = undefined("parameter 'items' was not provided", name='items')
        pass
        t_11.extend((
            '(',
            str(t_2(context.eval_ctx, l_1_items, ', ')),
        ))
        if (t_3(l_1_items) == 1):
            pass
            t_11.append(
                ',',
            )
        t_11.append(
            ')',
        )
        return concat(t_11)
    context.exported_vars.add('py_tuple')
    context.vars['py_tuple'] = l_0_py_tuple = Macro(environment, macro, 'py_tuple', ('items',), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_source):
        t_12 = []
        if l_1_source is missing:
            l_1_source = undefined("parameter 'source' was not provided", name='source')
        pass
        t_12.extend((
            '# Generated by specloom from ',
            str(t_4(l_1_source)),
            '.\n# Do not edit: regenerate with `specloom generate`.',
        ))
        return concat(t_12)
    context.exported_vars.add('header')
    context.vars['header'] = l_0_header = Macro(environment, macro, 'header', ('source',), False, False, False, context.eval_ctx.autoescape)

blocks = {}
debug_info = '3=36&4=44&7=74&8=82&10=111&11=116&12=125&15=138&16=147&18=167&19=173&21=178&22=185&24=198&25=205'
