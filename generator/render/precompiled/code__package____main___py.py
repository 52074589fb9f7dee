from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'code/package/__main__.py.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_view = resolve('view')
    l_0_impl_root = resolve('impl_root')
    try:
        t_1 = environment.filters['pyrepr']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'pyrepr' found.")
    pass
    yield '"""``python -m '
    yield str(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'package'))
    yield ' run|list|call|health``.\n\nImplementations are imported from the project root ('
    yield str(t_1((undefined(name='impl_root') if l_0_impl_root is missing else l_0_impl_root)))
    yield ' relative to the\nfolder holding this package), or from SPECLOOM_IMPL_ROOT when set.\n"""\n\nimport os\nimport sys\nfrom pathlib import Path\n\nfrom specloom_runtime.cli import main\n\nfrom .system import CLIENTS, MODULES\n\nif __name__ == "__main__":\n    _root = Path(os.environ.get("SPECLOOM_IMPL_ROOT", Path(__file__).resolve().parent.parent / '
    yield str(t_1((undefined(name='impl_root') if l_0_impl_root is missing else l_0_impl_root)))
    yield ')).resolve()\n    sys.path.insert(0, str(_root))\n    os.environ.setdefault("SPECLOOM_IMPL_PACKAGE", '
    yield str(t_1(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'impl_package')))
    yield ')\n    _docs = Path(__file__).resolve().parent.parent / "docs"\n    sys.exit(main(MODULES, CLIENTS, prog="python -m '
    yield str(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'package'))
    yield '", docs=_docs, package='
    yield str(t_1(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'package')))
    yield ', project=_root))\n'

blocks = {}
debug_info = '1=20&3=22&16=24&18=26&20=28'
