from accounts.models.access import AccessChannel, AccessKind, AccessRecord
from accounts.models.tokens import ApiToken, ApiTokenQuerySet, TokenRevocation

__all__ = ["AccessChannel", "AccessKind", "AccessRecord", "ApiToken", "ApiTokenQuerySet", "TokenRevocation"]
