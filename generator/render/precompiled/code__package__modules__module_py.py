from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'code/package/modules/module.py.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_m = resolve('m')
    l_0_impl_package = resolve('impl_package')
    l_0_mac = l_0_text = missing
    try:
        t_1 = environment.filters['docblock']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'docblock' found.")
    try:
        t_2 = environment.filters['docstring']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'docstring' found.")
    try:
        t_3 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_4 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_5 = environment.filters['list']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'list' found.")
    try:
        t_6 = environment.filters['map']
    except KeyError:
        @internalcode
        def t_6(*unused):
            raise TemplateRuntimeError("No filter named 'map' found.")
    try:
        t_7 = environment.filters['pyrepr']
    except KeyError:
        @internalcode
        def t_7(*unused):
            raise TemplateRuntimeError("No filter named 'pyrepr' found.")
    try:
        t_8 = environment.filters['render_model']
    except KeyError:
        @internalcode
        def t_8(*unused):
            raise TemplateRuntimeError("No filter named 'render_model' found.")
    try:
        t_9 = environment.filters['selectattr']
    except KeyError:
        @internalcode
        def t_9(*unused):
            raise TemplateRuntimeError("No filter named 'selectattr' found.")
    pass
    l_0_mac = context.vars['mac'] = environment.get_template('code/_macros.jinja', 'code/package/modules/module.py.jinja')._get_default_module(context)
    context.exported_vars.discard('mac')
    yield '"""Module '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'name'))
    yield ' ('
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'agent'))
    yield '): '
    yield str(t_2(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'title'), 0))
    yield '\n\n'
    yield str(t_2(str_join(('Subclass :class:`', environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'base'), '` in ``', (undefined(name='impl_package') if l_0_impl_package is missing else l_0_impl_package), '/', environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'name'), '.py`` to implement it; talk to other modules only through ``self.deps`` (clients of the consumed contracts, over the bus).', )), 0))
    yield '\n"""\n\n'
    yield str(context.call(environment.getattr((undefined(name='mac') if l_0_mac is missing else l_0_mac), 'header'), environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'file')))
    yield '\n\n'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'module_imports'))
    yield '\n__all__ = '
    yield str(t_7(t_5(context.eval_ctx, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'exports'))))
    yield '\n'
    for l_1_model in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'config_models'):
        _loop_vars = {}
        pass
        yield '\n\n'
        yield str(t_8(l_1_model))
        yield '\n'
    l_1_model = missing
    yield '\n\nclass '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'config_cls'))
    yield '(Settings, BaseModel):\n    """Settings of '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'name'))
    yield '; each is read from an environment variable."""\n'
    for l_1_f in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'config'):
        _loop_vars = {}
        pass
        yield '\n    '
        yield str(environment.getattr(l_1_f, 'name'))
        yield ': '
        yield str(environment.getattr(l_1_f, 'hint'))
        if (not environment.getattr(l_1_f, 'required')):
            pass
            yield ' = '
            yield str(environment.getattr(l_1_f, 'default_repr'))
        yield '\n'
        if environment.getattr(l_1_f, 'description'):
            pass
            yield '    '
            yield str(t_1(str_join((environment.getattr(l_1_f, 'description'), ' (env: ', environment.getattr(l_1_f, 'env'), ')', )), 4))
            yield '\n'
        else:
            pass
            yield '    """Environment variable: '
            yield str(environment.getattr(l_1_f, 'env'))
            yield '."""\n'
    l_1_f = missing
    yield '\n'
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'config'):
        pass
        yield '    ENV = {'
        l_1_loop = missing
        for l_1_f, l_1_loop in LoopContext(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'config'), undefined):
            _loop_vars = {}
            pass
            yield str(t_7(environment.getattr(l_1_f, 'name')))
            yield ': '
            yield str(t_7(environment.getattr(l_1_f, 'env')))
            if (not environment.getattr(l_1_loop, 'last')):
                pass
                yield ', '
        l_1_loop = l_1_f = missing
        yield '}\n'
    l_0_text = t_5(context.eval_ctx, t_6(context, t_9(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'config'), 'text'), attribute='name'))
    context.vars['text'] = l_0_text
    context.exported_vars.add('text')
    if (undefined(name='text') if l_0_text is missing else l_0_text):
        pass
        yield '    TEXT = '
        yield str(context.call(environment.getattr((undefined(name='mac') if l_0_mac is missing else l_0_mac), 'py_tuple'), t_5(context.eval_ctx, t_6(context, (undefined(name='text') if l_0_text is missing else l_0_text), 'pyrepr'))))
        yield '\n'
    yield '\n\n@dataclass(frozen=True)\nclass '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'deps_cls'))
    yield ':\n    """Clients of the contracts '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'name'))
    yield ' consumes (one integration point per dependency)."""\n\n'
    for l_1_d in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'consumes'):
        _loop_vars = {}
        pass
        yield '    '
        yield str(environment.getattr(l_1_d, 'attr'))
        yield ': '
        yield str(environment.getattr(environment.getattr(l_1_d, 'contract'), 'cls'))
        yield '\n    """'
        yield str(environment.getattr(environment.getattr(l_1_d, 'contract'), 'key'))
        yield ', provided by '
        yield str(environment.getattr(l_1_d, 'provider'))
        yield ' ('
        yield str(environment.getattr(l_1_d, 'provider_agent'))
        yield ')."""\n'
    l_1_d = missing
    yield '\n\nclass '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'base'))
    yield '('
    for l_1_c in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'implements'):
        _loop_vars = {}
        pass
        yield str(environment.getattr(l_1_c, 'cls'))
        yield ', '
    l_1_c = missing
    yield 'ModuleRuntime, ABC):\n'
    if (t_4(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'implements')) == t_4(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'provides'))):
        pass
        yield '    """Base of the '
        yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'name'))
        yield ' implementation: provides '
        yield str(t_3(context.eval_ctx, t_6(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'provides'), attribute='key'), ', '))
        yield '."""\n'
    else:
        pass
        yield '    """Base of the '
        yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'name'))
        yield ' implementation: provides '
        yield str(t_3(context.eval_ctx, t_6(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'provides'), attribute='key'), ', '))
        yield '.\n\n    It implements '
        yield str(t_3(context.eval_ctx, t_6(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'implements'), attribute='key'), ', '))
        yield '.\n'
        def t_10(fiter):
            for l_1_s in fiter:
                if environment.getattr(l_1_s, 'adapter'):
                    yield l_1_s
        for l_1_s in t_10(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'serves')):
            _loop_vars = {}
            pass
            yield '    '
            yield str(environment.getattr(environment.getattr(l_1_s, 'contract'), 'key'))
            yield ' is served by the generated adapter '
            yield str(environment.getattr(environment.getattr(l_1_s, 'adapter'), 'cls'))
            yield '.\n'
        l_1_s = missing
        for l_1_lv in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'legacy'):
            _loop_vars = {}
            pass
            yield '    '
            yield str(environment.getattr(environment.getattr(l_1_lv, 'contract'), 'key'))
            yield ' is served by the object :meth:`'
            yield str(environment.getattr(l_1_lv, 'accessor'))
            yield '` returns.\n'
        l_1_lv = missing
        yield '    """\n'
    yield '\n    MODULE = '
    yield str(t_7(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'name')))
    yield '\n    AGENT = '
    yield str(t_7(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'agent')))
    yield '\n    PROVIDES = '
    yield str(context.call(environment.getattr((undefined(name='mac') if l_0_mac is missing else l_0_mac), 'py_tuple'), t_5(context.eval_ctx, t_6(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'provides'), attribute='const'))))
    yield '\n    EVENTS: ClassVar[Mapping[str, ContractSpec]] = {\n'
    for (l_1_name, l_1_const) in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'events'):
        _loop_vars = {}
        pass
        yield '        '
        yield str(t_7(l_1_name))
        yield ': '
        yield str(l_1_const)
        yield ',\n'
    l_1_name = l_1_const = missing
    yield '    }\n    SUBSCRIBES: ClassVar[tuple[str, ...]] = '
    yield str(context.call(environment.getattr((undefined(name='mac') if l_0_mac is missing else l_0_mac), 'py_tuple'), t_5(context.eval_ctx, t_6(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'subscribes'), 'pyrepr'))))
    yield '\n\n    def __init__(self, *, deps: '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'deps_cls'))
    yield ', config: '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'config_cls'))
    yield ') -> None:\n        self.deps = deps\n        self.config = config\n\n    async def on_start(self) -> None:\n        """Called once after every module is wired; override to open resources."""\n'
    for l_1_lv in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'legacy'):
        _loop_vars = {}
        pass
        yield '\n    @stub\n    def '
        yield str(environment.getattr(l_1_lv, 'accessor'))
        yield '(self) -> '
        yield str(environment.getattr(l_1_lv, 'base'))
        yield ':\n        """'
        yield str(t_2(str_join(('The object serving ', environment.getattr(environment.getattr(l_1_lv, 'contract'), 'key'), ': an instance of your subclass of ', environment.getattr(l_1_lv, 'base'), '.\n\nNo adapter from ', environment.getattr(environment.getattr(l_1_lv, 'new'), 'key'), ' is possible: ', t_3(context.eval_ctx, environment.getattr(l_1_lv, 'reasons'), '; '), '. Until this method is overridden, the module is served by its mocks.', )), 8))
        yield '"""\n        raise NotImplementedError\n'
    l_1_lv = missing
    for l_1_lv in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'legacy'):
        _loop_vars = {}
        pass
        yield '\n\nclass '
        yield str(environment.getattr(l_1_lv, 'base'))
        yield '('
        yield str(environment.getattr(environment.getattr(l_1_lv, 'contract'), 'cls'))
        yield ', ABC):\n    """'
        yield str(t_2(str_join(('Serves ', environment.getattr(environment.getattr(l_1_lv, 'contract'), 'key'), ' for ', environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'name'), ', next to ', environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'base'), ' (which implements ', environment.getattr(environment.getattr(l_1_lv, 'new'), 'key'), '). Subclass it in ', (undefined(name='impl_package') if l_0_impl_package is missing else l_0_impl_package), '/', environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'name'), '.py and return an instance from ', environment.getattr(l_1_lv, 'accessor'), "(); ``self.main`` is the module's implementation.", )), 4))
        yield '"""\n\n    def __init__(self, main: '
        yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'base'))
        yield ') -> None:\n        self.main = main\n        self.deps = main.deps\n        self.config = main.config\n'
    l_1_lv = missing

blocks = {}
debug_info = '1=68&2=71&4=77&7=79&9=81&10=83&11=85&14=89&18=93&19=95&20=97&22=101&24=109&25=112&27=117&31=121&32=125&34=136&35=139&36=142&41=145&42=147&44=149&45=153&46=157&50=165&51=174&52=177&54=184&56=188&57=190&58=198&60=203&61=207&66=214&67=216&68=218&70=220&71=224&74=230&76=232&82=236&85=240&86=244&89=247&92=251&93=255&95=257'
