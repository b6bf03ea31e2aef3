"""Build hook: a wheel carries the repo-root ``templates/`` inside the package
as ``webapp/_templates`` (``webapp.paths.templates_dir`` looks there when the
checkout's folder is absent). Everything else is in pyproject.toml."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithTemplates(build_py):
    def run(self):
        super().run()
        source = Path(__file__).parent / "templates"
        target = Path(self.build_lib) / "webapp" / "_templates"
        if source.is_dir():
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(source, target)


setup(cmdclass={"build_py": BuildWithTemplates})
