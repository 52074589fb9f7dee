from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'docs/PLAN.md.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_system = resolve('system')
    l_0_plan = resolve('plan')
    try:
        t_1 = environment.filters['format']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'format' found.")
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
        t_4 = environment.filters['md_cell']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'md_cell' found.")
    try:
        t_5 = environment.filters['md_line']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'md_line' found.")
    pass
    yield '# Plan'
    if (undefined(name='system') if l_0_system is missing else l_0_system):
        pass
        yield ': '
        yield str(t_5(environment.getattr((undefined(name='system') if l_0_system is missing else l_0_system), 'title')))
    yield "\n\nComputed by specloom from the specs: module A depends on module B when A consumes a contract that\nB provides. Every module can start at once against the mocks of its dependencies; the waves say\nin which order real implementations can be integrated.\n\n## Phases\n\nThe schedule: each module's `phase` says when work on it starts. Validation guarantees that no\nmodule depends on one scheduled later; a dependency in the same phase is developed against its\nmock (coordination rule 4) and swapped for the real implementation at integration.\n\n| phase | modules | developing against mocks of same-phase dependencies |\n|---|---|---|\n"
    l_1_loop = missing
    for l_1_ph, l_1_loop in LoopContext(environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'phases'), undefined):
        _loop_vars = {}
        pass
        yield '| '
        yield str(environment.getattr(l_1_ph, 'number'))
        yield ' | '
        yield str(t_2(context.eval_ctx, environment.getattr(l_1_ph, 'modules'), ', '))
        yield ' | '
        l_2_loop = missing
        t_6 = 1
        for (l_2_name, l_2_deps), l_2_loop in LoopContext(environment.getattr(l_1_ph, 'against_mocks'), undefined):
            _loop_vars = {}
            pass
            yield str(l_2_name)
            yield ' ← '
            yield str(t_2(context.eval_ctx, l_2_deps, ', '))
            if (not environment.getattr(l_2_loop, 'last')):
                pass
                yield '; '
            t_6 = 0
        l_2_loop = l_2_name = l_2_deps = missing
        if t_6:
            pass
            yield '-'
        yield ' |\n'
    l_1_loop = l_1_ph = missing
    if environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'unscheduled'):
        pass
        yield '| - | '
        yield str(t_2(context.eval_ctx, environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'unscheduled'), ', '))
        yield ' (no phase in the spec) | |\n'
    yield '\n## Integration waves\n\nComputed from the dependency graph alone: wave 1 depends on nothing, wave n only on earlier\nwaves. This is the order in which real implementations can replace mocks; it has more steps than\nthe schedule because the schedule lets dependent modules start together against mocks.\n\n| wave | modules | scheduled phase |\n|---|---|---|\n'
    l_1_loop = missing
    for l_1_wave, l_1_loop in LoopContext(environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'waves'), undefined):
        _loop_vars = {}
        pass
        yield '| '
        yield str(environment.getattr(l_1_loop, 'index'))
        yield ' | '
        yield str(t_2(context.eval_ctx, l_1_wave, ', '))
        yield ' | '
        l_2_loop = missing
        for l_2_name, l_2_loop in LoopContext(l_1_wave, undefined):
            _loop_vars = {}
            pass
            def t_7(fiter):
                for l_3_m in fiter:
                    if (environment.getattr(l_3_m, 'name') == l_2_name):
                        yield l_3_m
            for l_3_m in t_7(environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'modules')):
                _loop_vars = {}
                pass
                yield str((environment.getattr(l_3_m, 'phase') or '-'))
            l_3_m = missing
            if (not environment.getattr(l_2_loop, 'last')):
                pass
                yield ', '
        l_2_loop = l_2_name = missing
        yield ' |\n'
    l_1_loop = l_1_wave = missing
    yield '\n## Independence matrix\n\n| module | dependencies | all (transitive) | can start independently | parallel safe | used by |\n|---|---|---|---|---|---|\n'
    for l_1_m in environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'modules'):
        _loop_vars = {}
        pass
        yield '| '
        yield str(t_1('%02d', environment.getattr(l_1_m, 'number')))
        yield '. '
        yield str(t_4(environment.getattr(l_1_m, 'title')))
        yield ' | '
        yield str((t_2(context.eval_ctx, environment.getattr(l_1_m, 'depends_on'), ', ') or 'None'))
        yield ' | '
        yield str(environment.getattr(l_1_m, 'reach'))
        yield ' | '
        yield str(('✅ YES' if (environment.getattr(l_1_m, 'start') == 'YES') else '⚠️ PARTIAL (against mocks)'))
        yield ' | '
        yield str(('✅ YES' if environment.getattr(l_1_m, 'parallel_safe') else '❌ NO'))
        yield ' | '
        yield str((t_2(context.eval_ctx, environment.getattr(l_1_m, 'dependents'), ', ') or '-'))
        yield ' |\n'
    l_1_m = missing
    yield '\n## Critical path\n\n'
    yield str((t_2(context.eval_ctx, environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'critical_path'), ' → ') or '(no modules)'))
    yield ' ('
    yield str(t_3(environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'critical_path')))
    yield ' modules)\n\n## Dependency graph\n\n```mermaid\n'
    yield str(environment.getattr((undefined(name='plan') if l_0_plan is missing else l_0_plan), 'mermaid'))
    yield '\n```\n'

blocks = {}
debug_info = '1=44&16=50&17=54&19=76&20=79&31=83&32=87&39=111&40=115&45=131&50=135'
