"""Packaging hook: an installed specloom carries its templates and flagship specs in the package.

``templates/`` and ``specs/`` stay at the repository root (the layout of DESIGN.md); setuptools maps
them to ``generator/templates`` and ``generator/starters/orchestra``, where
``generator.render.environment.builtin_templates`` and ``generator.init`` find them in a wheel.
The runtime library's sources (``runtime/specloom_runtime``, its own distribution) ride along as
``generator/bundled_runtime``, what ``specloom generate --vendor-runtime`` copies
(``generator.render.runtime_lib``).
Their folders are declared as (namespace) packages, which is how setuptools wants data folders
declared. Everything else about the distribution is in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

# Folders of the repository shipped inside ``generator``, and the files each contributes.
# ``*`` skips names that start with a dot (.github/ and .gitignore of the project template).
DATA = {
    "generator.templates": ("templates", ["**/*", "**/.*", "**/.*/**/*", "**/.*/**/.*"]),
    "generator.starters.orchestra": ("specs", ["**/*.yaml"]),
    "generator.bundled_runtime": ("runtime/specloom_runtime", ["**/*"]),
}
SKIP = ["*__pycache__*"]


def packages() -> list[str]:
    found = find_namespace_packages(include=["generator", "generator.*"], exclude=SKIP)
    for name, (folder, _) in DATA.items():
        found += [name, *(f"{name}.{p}" for p in find_namespace_packages(folder, exclude=SKIP))]
    return found


setup(
    packages=packages(),
    package_dir={name: folder for name, (folder, _) in DATA.items()},
    package_data={
        "generator": ["py.typed"],
        "generator.schemas": ["*.json"],
        **{name: patterns for name, (_, patterns) in DATA.items()},
    },
)
