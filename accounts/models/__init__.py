from accounts.models.tokens import ApiToken, ApiTokenQuerySet, TokenRevocation

__all__ = ["ApiToken", "ApiTokenQuerySet", "TokenRevocation"]
