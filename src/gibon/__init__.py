"""gibon (기본): software with which a Korean district runs its basic society."""

__version__ = "0.1.0"
