from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'docs/module/IMPLEMENTATION-GUIDE.md.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_m = resolve('m')
    l_0_impl_package = resolve('impl_package')
    l_0_package = resolve('package')
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
        t_3 = environment.filters['map']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'map' found.")
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
    yield ': implementation guide\n\n1. Open `'
    yield str((undefined(name='impl_package') if l_0_impl_package is missing else l_0_impl_package))
    yield '/'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'name'))
    yield '.py` (written once by specloom, yours to edit). The class\n   `'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'impl_class'))
    yield '` subclasses `'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'base'))
    yield '` from `'
    yield str((undefined(name='package') if l_0_package is missing else l_0_package))
    yield '.modules.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'name'))
    yield '`.\n2. Replace each `@stub` method with real code, or draft them with `specloom fill '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'name'))
    yield '`.\n   Until every stub is gone, the system serves this module with its mock.\n3. Use `self.deps.<name>` to call the modules you depend on and `self.config` for settings.\n4. Run the contract tests: `pytest generated/tests -k '
    yield str(t_2(context.eval_ctx, t_3(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'provides'), attribute='slug'), ' or '))
    yield '`.\n'
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'guide'):
        pass
        yield '\n## Guidance\n\n'
        yield str(t_4(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'guide')))
        yield '\n'

blocks = {}
debug_info = '1=45&3=49&4=53&5=61&8=63&9=65&13=68'
