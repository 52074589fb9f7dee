from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'docs/MODULE-INTERFACES.md.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_view = resolve('view')
    l_0_mac = missing
    pass
    l_0_mac = context.vars['mac'] = environment.get_template('docs/_macros.jinja', 'docs/MODULE-INTERFACES.md.jinja')._get_default_module(context)
    context.exported_vars.discard('mac')
    yield '# Module interfaces\n\nEvery module talks to others only through these contracts, over the message bus. A contract has\na major version; a breaking change needs a new version (`specloom diff` checks).\n\n'
    l_1_loop = missing
    for l_1_c, l_1_loop in LoopContext(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'contracts'), undefined):
        _loop_vars = {}
        pass
        yield str(context.call(environment.getattr((undefined(name='mac') if l_0_mac is missing else l_0_mac), 'contract_section'), l_1_c, _loop_vars=_loop_vars))
        if (not environment.getattr(l_1_loop, 'last')):
            pass
            yield '\n'
    l_1_loop = l_1_c = missing

blocks = {}
debug_info = '1=13&7=17&8=20'
