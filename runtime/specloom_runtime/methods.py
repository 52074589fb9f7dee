"""Contract methods served generically: one line per method in generated clients, mocks and
adapters, typed by the interface's own method (no casts).

``create = Remote(DATABASE_V1, DatabaseV1.create)`` in a client class makes ``client.create``
a coroutine function with exactly the signature (parameters, defaults, result type) of the
abstract ``DatabaseV1.create``; a call gathers the arguments by name, defaults included, and
hands them to the class's generic path: :meth:`Client._call <specloom_runtime.service.Client._call>`
(:class:`Remote`), :meth:`Mock._answer <specloom_runtime.mock.Mock._answer>` (:class:`Answer`) or
the adapter's ``_forward`` (:class:`Forward`). The result comes back from that path already
validated against the contract; the descriptor only carries its static type.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, Self, TypeVar, overload

from .defaults import Fresh

if TYPE_CHECKING:
    from .service import ContractSpec

__all__ = ["Answer", "Delegated", "Forward", "Remote"]

P = ParamSpec("P")
R = TypeVar("R")

InterfaceMethod = Callable[Concatenate[Any, P], Coroutine[Any, Any, R]]


class Delegated(Generic[P, R]):
    """A descriptor standing for an interface method: calls the class's generic path
    (:meth:`router`) with the arguments as ``{parameter: value}`` (every parameter, in declared
    order, defaults included; a mutable default, :func:`~specloom_runtime.defaults.fresh`, as a
    new deep copy per call)."""

    def __init__(self, method: InterfaceMethod[P, R]) -> None:
        self.name = method.__name__
        self.__doc__ = method.__doc__
        self._signature = inspect.signature(method)
        params = list(self._signature.parameters.values())[1:]  # without self
        kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        self._names = tuple(p.name for p in params)
        self._positional = tuple(p.name for p in params if p.kind in kinds)
        defaults = {p.name: p.default for p in params if p.default is not p.empty}
        # A mutable default (defaults.fresh): a new deep copy per call, made by its factory;
        # an immutable one is passed as it is (no cost beyond the lookup).
        self._fresh = {k: v._new for k, v in defaults.items() if isinstance(v, Fresh)}
        self._defaults = {k: v for k, v in defaults.items() if k not in self._fresh}

    def __set_name__(self, owner: type, name: str) -> None:
        """Put a plain function in the class in place of the descriptor (no binding per access;
        it returns the generic path's coroutine, so no extra frame per call); its
        ``inspect.signature`` is the interface method's."""
        if name != self.name:
            raise TypeError(f"{owner.__name__}.{name} delegates {self.name}: names differ")
        route, arguments = self.router(), self.arguments
        names, count = self._names, len(self._names)
        fast = count == len(self._positional)

        def method(obj: Any, /, *args: Any, **kwargs: Any) -> Awaitable[Any]:
            # The generic path's own coroutine, returned unawaited: no extra frame per call.
            if fast and not kwargs and len(args) == count:
                return route(obj, dict(zip(names, args, strict=True)))
            return route(obj, arguments(args, kwargs))

        method.__name__, method.__qualname__ = name, f"{owner.__qualname__}.{name}"
        method.__doc__ = self.__doc__
        method.__dict__["__signature__"] = self._signature
        setattr(owner, name, method)

    def router(self) -> Callable[[Any, dict[str, Any]], Awaitable[Any]]:
        """``route(obj, params)``: the class's generic path for this method."""
        raise NotImplementedError

    def arguments(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
        """``{parameter: value}`` of a call, as the interface method would bind it."""
        if not kwargs and len(args) == len(self._names) == len(self._positional):
            return dict(zip(self._names, args, strict=True))
        if len(args) > len(self._positional):
            raise TypeError(f"{self.name}() takes {len(self._positional)} positional arguments")
        given = dict(zip(self._positional, args, strict=False))
        for key, value in kwargs.items():
            if key not in self._names:
                raise TypeError(f"{self.name}() got an unexpected keyword argument {key!r}")
            if key in given:
                raise TypeError(f"{self.name}() got multiple values for argument {key!r}")
            given[key] = value
        out = {}
        for key in self._names:
            if key in given:
                out[key] = given[key]
            elif key in self._defaults:
                out[key] = self._defaults[key]
            elif key in self._fresh:
                out[key] = self._fresh[key]()
            else:
                raise TypeError(f"{self.name}() missing required argument {key!r}")
        return out

    @overload
    def __get__(self, obj: None, owner: type) -> Self: ...

    @overload
    def __get__(self, obj: object, owner: type) -> Callable[P, Coroutine[Any, Any, R]]: ...

    def __get__(self, obj: object | None, owner: type) -> Any:
        # Only reached before __set_name__ replaced the descriptor (never, in a class body):
        # this is what gives type checkers the method's type.
        if obj is None:
            return self
        route, arguments = self.router(), self.arguments

        async def call(*args: P.args, **kwargs: P.kwargs) -> R:
            result: R = await route(obj, arguments(args, kwargs))
            return result

        return call


class Remote(Delegated[P, R]):
    """A client method: a request over the bus (``Client._call``), result checked there."""

    def __init__(self, contract: ContractSpec, method: InterfaceMethod[P, R]) -> None:
        super().__init__(method)
        self.contract = contract

    def router(self) -> Callable[[Any, dict[str, Any]], Awaitable[Any]]:
        contract, name = self.contract, self.name
        return lambda obj, params: obj._call(contract, name, params)


class Answer(Delegated[P, R]):
    """A mock method: answered from the examples (``Mock._answer``)."""

    def router(self) -> Callable[[Any, dict[str, Any]], Awaitable[Any]]:
        name = self.name
        return lambda obj, params: obj._answer(name, params)


class Forward(Delegated[P, R]):
    """An adapter method: the newer version's method called (``Adapter._forward``)."""

    def router(self) -> Callable[[Any, dict[str, Any]], Awaitable[Any]]:
        name = self.name
        return lambda obj, params: obj._forward(name, params)
