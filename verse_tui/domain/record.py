"""`frozen_record`: a frozen, hashable, ordered value class without importing `dataclasses`.

`import dataclasses` costs about 11 ms here (it pulls in `inspect`, `linecache`, `tokenize`),
and generating each class's methods with `exec` about 0.5 ms more: together half the 30 ms
budget of `verse read`. The types on that path (Bible references and verses, the settings)
use this decorator instead. Type checkers see it as `dataclass(frozen=True, order=True)` (through
`dataclass_transform`, at the end of this module); at run time it gives the same behaviour for what
this project uses: keyword or positional construction with defaults, immutability, equality,
hashing, ordering and `repr`.
Fields named in a class attribute `__record_hidden__` (secrets) are left out of `repr`.
"""

from __future__ import annotations

TYPE_CHECKING = False  # `typing` costs ~7 ms to import; type checkers treat this as True
if TYPE_CHECKING:
    from collections.abc import Callable
    from types import NotImplementedType
    from typing import Any

_MISSING = object()


def _build_init(cls: type, names: tuple[str, ...], defaults: dict[str, Any]) -> Callable[..., None]:
    count = len(names)

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if not kwargs and len(args) == count:  # every field given in order: the common case
            self.__dict__.update(zip(names, args, strict=True))  # 3x faster than the checks
            return
        if len(args) > len(names):
            raise TypeError(f"{cls.__name__} takes {len(names)} arguments, got {len(args)}")
        values = dict(zip(names, args, strict=False))
        for key, value in kwargs.items():
            if key not in names:
                raise TypeError(f"{cls.__name__} got an unexpected argument {key!r}")
            if key in values:
                raise TypeError(f"{cls.__name__} got {key!r} twice")
            values[key] = value
        for name in names:
            value = values.get(name, defaults.get(name, _MISSING))
            if value is _MISSING:
                raise TypeError(f"{cls.__name__} is missing the argument {name!r}")
            object.__setattr__(self, name, value)

    return __init__


def _astuple(self: Any) -> tuple[Any, ...]:
    return tuple(getattr(self, name) for name in self.__record_fields__)


def _eq(self: Any, other: object) -> bool | NotImplementedType:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _astuple(self) == _astuple(other)


def _lt(self: Any, other: Any) -> bool | NotImplementedType:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _astuple(self) < _astuple(other)


def _le(self: Any, other: Any) -> bool | NotImplementedType:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _astuple(self) <= _astuple(other)


def _hash(self: Any) -> int:
    return hash(_astuple(self))


def _repr(self: Any) -> str:
    hidden = getattr(self, "__record_hidden__", ())
    body = ", ".join(
        f"{name}={getattr(self, name)!r}" for name in self.__record_fields__ if name not in hidden
    )
    return f"{self.__class__.__qualname__}({body})"


def _frozen(self: Any, name: str, value: Any) -> None:
    raise AttributeError(f"{self.__class__.__name__} is immutable: cannot set {name!r}")


def _frozen_record(cls: type) -> type:
    names = tuple(
        name
        for name, hint in cls.__dict__.get("__annotations__", {}).items()  # noqa: RUF063 (no inspect)
        if not str(hint).startswith("ClassVar")
    )
    defaults = {name: cls.__dict__[name] for name in names if name in cls.__dict__}
    methods = {
        "__record_fields__": names,
        "__match_args__": names,
        "__init__": _build_init(cls, names, defaults),
        "__eq__": _eq,
        "__hash__": _hash,
        "__lt__": _lt,
        "__le__": _le,
        "__gt__": lambda self, other: _lt(other, self),
        "__ge__": lambda self, other: _le(other, self),
        "__repr__": _repr,
        "__setattr__": _frozen,
        "__delattr__": _frozen,
    }
    for name, value in methods.items():  # setattr: the class is built, not declared, here
        setattr(cls, name, value)
    return cls


if TYPE_CHECKING:
    from typing import TypeVar, dataclass_transform

    _T = TypeVar("_T")

    @dataclass_transform(frozen_default=True, order_default=True)
    def frozen_record(cls: type[_T]) -> type[_T]:
        """Seen by type checkers as `dataclass(frozen=True, order=True)`."""
        return _frozen_record(cls)

else:
    frozen_record = _frozen_record
