from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'code/scaffold/method.py.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_m = resolve('m')
    l_0_mac = missing
    pass
    l_0_mac = context.vars['mac'] = environment.get_template('code/_macros.jinja', 'code/scaffold/method.py.jinja')._get_default_module(context)
    context.exported_vars.discard('mac')
    yield '    @stub\n    async def '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'name'))
    yield '('
    yield str(context.call(environment.getattr((undefined(name='mac') if l_0_mac is missing else l_0_mac), 'stub_signature'), (undefined(name='m') if l_0_m is missing else l_0_m)))
    yield ') -> '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'result_hint'))
    yield ':\n        '
    yield str(context.call(environment.getattr((undefined(name='mac') if l_0_mac is missing else l_0_mac), 'method_doc'), (undefined(name='m') if l_0_m is missing else l_0_m)))
    yield '\n'
    yield str(context.call(environment.getattr((undefined(name='mac') if l_0_mac is missing else l_0_mac), 'stub_defaults'), (undefined(name='m') if l_0_m is missing else l_0_m)))
    yield '        raise NotImplementedError\n'

blocks = {}
debug_info = '1=13&3=16&4=22&5=24'
